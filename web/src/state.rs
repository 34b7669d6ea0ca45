//! The app's state and its one reducer: the learner's world, the bucket policy being edited,
//! the request being composed, and the last outcome with its trace.
//!
//! Follows Yew's `function_todomvc` shape: one state value, an `Action` enum, and a pure
//! `reduce` that returns a new `Rc` (returning the same `Rc` skips the render).
//!
//! Where to read: the state and its actions below, the reducer in [`reduce`], where the learner
//! is and the console's settings in [`view`].

mod reduce;
mod steps;
mod view;

use std::rc::Rc;

use s3pg_policy::{Diagnostic, Policy, PolicyKind};
use s3pg_sim::scenario::{Report, Scenario};
use s3pg_sim::{Caller, Operation, Outcome, Request, Timestamp, World};

/// The scenario the page opens on (also part of the scenario corpus, so it is tested natively).
pub const DEFAULT_SCENARIO: &str = include_str!("../../tests/scenarios/default.json");

/// The library file of [`DEFAULT_SCENARIO`].
pub const DEFAULT_FILE: &str = "default.json";

/// The scenario library (fetched after the app starts; see [`crate::assets`]).
pub use crate::assets::library;

pub use self::steps::LaterSteps;
pub use self::view::{BucketTab, Setting, View};
pub use crate::builder::{CallerChoice, OpKind, RequestForm, SseC, callers_of};

/// Where a request that was sent came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The request builder.
    Builder,
    /// A bucket page's setting or the policy editor's Save (the console's requests).
    Setting,
}

/// A request that was sent, kept so an edited policy can re-evaluate it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    /// The request.
    pub request: Request,
    /// The world just before it was handled (shared with the state's world until that changes).
    pub world_before: Rc<World>,
    /// When it was sent.
    pub at: Timestamp,
    /// What came back.
    pub outcome: Outcome,
    /// Where it came from.
    pub origin: Origin,
    /// Set when the outcome shown is a what-if: the same request re-run on the world as it was,
    /// with the bucket policy draft put first (the world itself is unchanged).
    pub what_if: Option<WhatIf>,
}

/// A re-run of the last request with the unsaved bucket policy draft.
#[derive(Debug, Clone, PartialEq)]
pub enum WhatIf {
    /// The draft does not parse: the outcome shown is the request's real one.
    DraftHasErrors,
    /// S3 would refuse the draft (`PutBucketPolicy` answered this): nothing to re-run.
    DraftRefused(Outcome),
    /// The request's outcome under the draft.
    Outcome(Outcome),
}

/// The request-builder's compare mode: a second variant of the request, and both outcomes on the
/// same world.
#[derive(Debug, Clone, PartialEq)]
pub struct Compare {
    /// Variant B's form (variant A is [`AppState::form`]).
    pub form: RequestForm,
    /// The two outcomes, once sent (on copies of the world: neither changes it).
    pub outcomes: Option<(Result<Outcome, String>, Result<Outcome, String>)>,
}

/// The learner's work: enough to put the page back as it was.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Saved {
    /// The library file open (`None`: an imported or shared scenario, kept in `scenario`).
    pub file: Option<String>,
    /// The scenario JSON when it did not come from the library.
    pub scenario: Option<String>,
    /// The bucket policy text as the learner left it (even if it does not parse).
    pub policy_text: String,
}

/// Everything the page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    /// The scenario's title.
    pub title: String,
    /// What the scenario teaches.
    pub description: String,
    /// The world as it is now. Shared, not copied, by the states a keystroke makes: a request
    /// that changes it copies it first (`Rc::make_mut`).
    pub world: Rc<World>,
    /// The simulated clock.
    pub now: Timestamp,
    /// The view shown.
    pub view: View,
    /// The bucket whose page is open (and whose policy is being edited).
    pub bucket: String,
    /// The tab of the bucket page.
    pub bucket_tab: BucketTab,
    /// The bucket policy draft as typed (kept even when it does not parse; saved with
    /// `PutBucketPolicy`).
    pub policy_text: String,
    /// Errors and teaching warnings for the draft.
    pub diagnostics: Vec<Diagnostic>,
    /// Who can send requests.
    pub callers: Vec<CallerChoice>,
    /// Who is signed in to the console: the caller of every setting change (index into
    /// [`AppState::callers`]).
    pub signed_in: usize,
    /// The request being composed.
    pub form: RequestForm,
    /// Compare mode, when on.
    pub compare: Option<Compare>,
    /// The last request sent and its outcome.
    pub last: Option<Sent>,
    /// How many requests were sent from the page (the view moves focus to the decision when it
    /// grows).
    pub sends: u64,
    /// The settings requests S3 accepted, in order, with when they were sent: what an export
    /// replays on the scenario's starting world.
    pub changes: Vec<(Request, Timestamp)>,
    /// The scenario as loaded (its world before any request, and its steps — read later for a
    /// library scenario: see [`AppState::steps`]).
    pub scenario: Option<Rc<Scenario>>,
    /// A library scenario's steps, not read yet ([`AppState::steps`] reads them).
    pub later_steps: Option<LaterSteps>,
    /// The file the scenario came from, when it came from the library.
    pub file: Option<String>,
    /// The scenario's steps run against its world with the learner's saved changes, once asked.
    pub report: Option<Report>,
    /// What the decision panel shows.
    pub shown: Shown,
    /// A problem loading the scenario, shown instead of the world.
    pub load_error: Option<String>,
    /// Why the last import was refused (the page keeps the scenario it had).
    pub import_error: Option<String>,
    /// The `aws` CLI console: its virtual files and settings.
    pub console: s3pg_awscli::Console,
    /// What the console printed, oldest first.
    pub console_log: Vec<ConsoleLine>,
    /// The last S3 answer a console command produced, with the command line that sent it.
    pub console_outcome: Option<(String, Outcome)>,
    /// The last log query and its answer (pretty JSON) or its error.
    pub log_query: Option<(String, Result<String, String>)>,
    /// Identity policies the learner has edited: text as typed and its diagnostics, by
    /// [`IdentityPolicyRef`]. A draft with errors is not applied to the world.
    pub identity_drafts: std::collections::BTreeMap<IdentityPolicyRef, (String, Vec<Diagnostic>)>,
}

/// Which identity policy: the account, the IAM user and the policy's index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct IdentityPolicyRef {
    /// The account id.
    pub account: String,
    /// The IAM user.
    pub user: String,
    /// The policy's position in the user's list.
    pub index: usize,
}

/// One command typed into the console and what it printed.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsoleLine {
    /// The command line as typed.
    pub line: String,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// The exit status.
    pub exit_code: u8,
    /// Whether the command sent a request to S3 (or only worked locally, as `aws configure`).
    pub sent_request: bool,
}

/// Which outcome the decision panel shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Nothing yet.
    Nothing,
    /// The last request sent from the page.
    Sent,
    /// A step of the scenario's run.
    Step(usize),
    /// The last console command's S3 request.
    Console,
}

/// What the learner did.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Show another view.
    Navigate(View),
    /// Show another tab of the bucket page.
    SetBucketTab(BucketTab),
    /// The bucket policy draft changed.
    EditPolicy(String),
    /// Save the draft: `PutBucketPolicy` (or `DeleteBucketPolicy` when empty).
    SavePolicy,
    /// Put the saved policy back in the editor.
    DiscardPolicyDraft,
    /// Sign in to the console as another caller (index into [`AppState::callers`]).
    SignIn(usize),
    /// Send a setting change as the console would.
    Apply(Setting),
    /// Replace the request form (every input of the builder goes through here).
    SetForm(RequestForm),
    /// Send the composed request to the world.
    Send,
    /// Compare mode on (variant B starts as a copy of A) or off.
    SetCompare(bool),
    /// Replace variant B's form.
    SetCompareForm(RequestForm),
    /// Send both variants to copies of the world and keep both outcomes.
    SendCompare,
    /// Start the scenario again.
    Reset,
    /// Open a scenario from the library (by file name).
    Open(String),
    /// Run the scenario's steps (against its world, with the learner's saved changes) and show
    /// step N.
    RunSteps(usize),
    /// Show step N of the last run.
    ShowStep(usize),
    /// Replace the scenario with one the learner pasted, loaded or was sent as a link.
    Import(String),
    /// Run an `aws` command line in the console.
    RunCommand(String),
    /// Set a console file's contents (`file://NAME`).
    SetFile(String, String),
    /// Move the simulated clock forward.
    Advance(u64),
    /// Open another bucket's page.
    SelectBucket(String),
    /// An identity policy's text changed.
    EditIdentityPolicy(IdentityPolicyRef, String),
    /// Move the clock on by an hour and let S3 deliver what its logging owes (best effort, late).
    DeliverLogs,
    /// Query the delivered access logs and CloudTrail records.
    QueryLogs(String),
    /// Put back saved work (a named version), replacing the page's.
    Restore(Saved),
}

impl AppState {
    /// The state for a scenario's text; a scenario that does not load leaves an explanation.
    pub fn from_scenario_text(text: &str) -> AppState {
        match Scenario::from_json(text) {
            Ok(scenario) => AppState::from_scenario(&scenario),
            Err(e) => {
                let mut state = AppState::with_world(World::default(), Timestamp::default());
                state.title = "S3 Security Playground".to_owned();
                state.load_error = Some(e.to_string());
                state
            }
        }
    }

    /// The page for saved work: the scenario's JSON (with the changes S3 accepted) or its library
    /// file, then the policy draft as typed; the load error when the scenario no longer loads.
    pub fn from_saved(saved: &Saved) -> Result<AppState, String> {
        // The scenario's JSON (with the changes S3 accepted) wins over the library file it came from.
        let mut state = match (&saved.file, &saved.scenario) {
            (_, Some(json)) => AppState::from_scenario_text(json),
            (Some(file), None) => AppState::from_library(file),
            (None, None) => AppState::from_scenario_text(DEFAULT_SCENARIO),
        };
        if let Some(e) = state.load_error {
            return Err(e);
        }
        if saved.scenario.is_some() {
            state.file.clone_from(&saved.file);
        }
        use yew::Reducible as _;
        let state = std::rc::Rc::new(state).reduce(Action::EditPolicy(saved.policy_text.clone()));
        Ok(std::rc::Rc::try_unwrap(state).unwrap_or_else(|rc| (*rc).clone()))
    }

    /// The state at the start of a scenario: its world, the first bucket's page, and the request
    /// form prefilled from the first step.
    pub fn from_scenario(scenario: &Scenario) -> AppState {
        let mut state = AppState::with_world(scenario.world.clone(), scenario.start);
        state.title.clone_from(&scenario.name);
        state.description.clone_from(&scenario.description);
        if let Some(first) = scenario.steps.first().map(|s| &s.request) {
            state.form.prefill(first, &state.callers);
        }
        state.scenario = Some(Rc::new(scenario.clone()));
        state
    }

    /// A state over a world with no scenario around it.
    fn with_world(world: World, now: Timestamp) -> AppState {
        let bucket = world.buckets.keys().next().cloned().unwrap_or_default();
        let policy_text = policy_text_of(&world, &bucket);
        let callers = callers_of(&world);
        let form = RequestForm {
            bucket: bucket.clone(),
            ..RequestForm::default()
        };
        let owner = world.buckets.get(&bucket).map(|b| b.owner.clone());
        let signed_in = callers
            .iter()
            .position(|c| matches!(&c.caller, Caller::Root { account } if Some(account) == owner.as_ref()))
            .or_else(|| callers.iter().position(|c| matches!(c.caller, Caller::Root { .. })))
            .unwrap_or(0);
        let diagnostics = diagnose(&policy_text, &bucket);
        let mut console = s3pg_awscli::Console::new();
        console.add_file("policy.json", policy_text.clone());
        AppState {
            title: String::new(),
            description: String::new(),
            world: Rc::new(world),
            now,
            view: View::Buckets,
            bucket,
            bucket_tab: BucketTab::Permissions,
            policy_text,
            diagnostics,
            callers,
            signed_in,
            form,
            compare: None,
            last: None,
            sends: 0,
            changes: Vec::new(),
            scenario: None,
            later_steps: None,
            file: None,
            report: None,
            shown: Shown::Nothing,
            load_error: None,
            import_error: None,
            console,
            console_log: Vec::new(),
            console_outcome: None,
            identity_drafts: std::collections::BTreeMap::new(),
            log_query: None,
        }
    }

    /// What to keep in local storage so a reload restores the learner's work: the library file
    /// (or the scenario's JSON, with the changes S3 accepted replayed into its world) and the
    /// policy draft as typed.
    pub fn saved(&self) -> Saved {
        let scenario = if self.file.is_none() || !self.changes.is_empty() {
            self.edited_scenario()
                .and_then(|s| scenario_json(&s, false))
        } else {
            None
        };
        Saved {
            file: self.file.clone(),
            scenario,
            policy_text: self.policy_text.clone(),
        }
    }

    /// The scenario as the learner has changed it (its starting world with every setting S3
    /// accepted replayed, and its steps), as pretty JSON: what Export saves and Share puts in
    /// the link. Unsaved drafts are not part of it.
    pub fn export_json(&self) -> Option<String> {
        scenario_json(&self.edited_scenario()?, true)
    }

    /// The scenario with the learner's accepted changes replayed, through `World::handle`, on its
    /// starting world.
    fn edited_scenario(&self) -> Option<Scenario> {
        let mut scenario = (**self.scenario.as_ref()?).clone();
        if self.later_steps.is_some() {
            scenario.steps = self.steps().to_vec();
        }
        for (request, at) in &self.changes {
            let _ = scenario.world.handle(request, *at);
        }
        // What replaying logged or counted is not part of the starting world.
        scenario.world.access_log_lines.clear();
        Some(scenario)
    }

    /// The request the builder's form describes, or why it cannot be sent yet.
    pub fn request(&self) -> Result<Request, String> {
        self.form.build(&self.callers)
    }

    /// Who is signed in to the console.
    pub fn signed_in_caller(&self) -> Caller {
        self.callers
            .get(self.signed_in)
            .map_or(Caller::Anonymous, |c| c.caller.clone())
    }

    /// The request the S3 console sends for a setting change on the open bucket.
    pub fn setting_request(&self, setting: &Setting) -> Request {
        let bucket = self.bucket.clone();
        let caller = self.signed_in_caller();
        let mut headers: Vec<(&str, String)> = Vec::new();
        let operation = match setting.clone() {
            Setting::Iam(request) => Operation::Iam(request),
            Setting::BlockPublicAccess(flags) => Operation::PutPublicAccessBlock {
                bucket,
                configuration: s3pg_sim::PublicAccessBlock {
                    block_public_acls: flags[0],
                    ignore_public_acls: flags[1],
                    block_public_policy: flags[2],
                    restrict_public_buckets: flags[3],
                },
            },
            Setting::DeleteBlockPublicAccess => Operation::DeletePublicAccessBlock { bucket },
            Setting::ObjectOwnership(object_ownership) => Operation::PutBucketOwnershipControls {
                bucket,
                object_ownership,
            },
            Setting::Versioning {
                enabled,
                mfa_delete,
                mfa,
            } => {
                if let Some(mfa) = mfa {
                    headers.push(("x-amz-mfa", mfa));
                }
                Operation::PutBucketVersioning {
                    bucket,
                    status: if enabled {
                        s3pg_sim::request::VersioningStatus::Enabled
                    } else {
                        s3pg_sim::request::VersioningStatus::Suspended
                    },
                    mfa_delete: mfa_delete.map(|on| {
                        if on {
                            s3pg_sim::request::MfaDeleteStatus::Enabled
                        } else {
                            s3pg_sim::request::MfaDeleteStatus::Disabled
                        }
                    }),
                }
            }
            Setting::Encryption(configuration) => Operation::PutBucketEncryption {
                bucket,
                configuration,
            },
            Setting::ObjectLock(configuration) => Operation::PutObjectLockConfiguration {
                bucket,
                configuration,
            },
            Setting::DeleteLifecycle => Operation::DeleteBucketLifecycle { bucket },
            Setting::Logging(logging_enabled) => Operation::PutBucketLogging {
                bucket,
                logging_enabled,
            },
            Setting::BucketAcl(canned) => {
                headers.push(("x-amz-acl", canned));
                Operation::PutBucketAcl {
                    bucket,
                    access_control_policy: None,
                }
            }
            Setting::ObjectAcl {
                key,
                version_id,
                canned,
            } => {
                headers.push(("x-amz-acl", canned));
                Operation::PutObjectAcl {
                    bucket,
                    key,
                    version_id,
                    access_control_policy: None,
                }
            }
            Setting::DeleteObject {
                key,
                version_id,
                mfa,
            } => {
                if let Some(mfa) = mfa {
                    headers.push(("x-amz-mfa", mfa));
                }
                Operation::DeleteObject {
                    bucket,
                    key,
                    version_id,
                }
            }
            Setting::GetObject { key, version_id } => Operation::GetObject {
                bucket,
                key,
                version_id,
            },
        };
        let mut request = Request::new(caller, operation);
        for (name, value) in headers {
            request = request.header(name, &value);
        }
        request
    }

    /// The request Save sends for the draft: `PutBucketPolicy`, or `DeleteBucketPolicy` when the
    /// draft is empty; `None` while the draft does not parse.
    pub fn save_policy_request(&self) -> Option<Request> {
        let operation = if self.policy_text.trim().is_empty() {
            Operation::DeleteBucketPolicy {
                bucket: self.bucket.clone(),
            }
        } else {
            Operation::PutBucketPolicy {
                bucket: self.bucket.clone(),
                policy: serde_json::from_str(&self.policy_text).ok()?,
            }
        };
        Some(Request::new(self.signed_in_caller(), operation))
    }

    /// The policy S3 holds for the open bucket, as the editor shows it.
    pub fn saved_policy_text(&self) -> String {
        policy_text_of(&self.world, &self.bucket)
    }

    /// Whether the draft differs from the policy S3 holds (ignoring layout).
    pub fn policy_is_draft(&self) -> bool {
        self.differs_from_saved(policy_value(&self.policy_text).as_ref())
    }

    /// Whether `draft` (the draft read as JSON) differs from the policy S3 holds.
    fn differs_from_saved(&self, draft: Option<&serde_json::Value>) -> bool {
        let saved = self
            .world
            .buckets
            .get(&self.bucket)
            .and_then(|b| b.policy.as_ref());
        match (draft, saved) {
            (Some(draft), Some(saved)) => draft != saved,
            (None, None) => false,
            (None, Some(_)) => true,
            (Some(_), None) => true,
        }
    }

    /// The outcome the decision panel shows, with a note on where it came from.
    pub fn shown_outcome(&self) -> Option<(&Outcome, String)> {
        match self.shown {
            Shown::Nothing => None,
            Shown::Sent => self.last.as_ref().map(|l| match &l.what_if {
                Some(WhatIf::Outcome(o)) => (
                    o,
                    "What if: the same request on the world as it was, with your unsaved policy draft. Save sends PutBucketPolicy."
                        .to_owned(),
                ),
                Some(WhatIf::DraftRefused(refusal)) => (
                    &l.outcome,
                    format!(
                        "Your draft would be refused on Save ({} {}), so this is the request's real outcome.",
                        refusal.status,
                        refusal.error.as_ref().map(|e| e.code.as_str()).unwrap_or_default()
                    ),
                ),
                Some(WhatIf::DraftHasErrors) => (
                    &l.outcome,
                    "Your policy draft has errors, so this is the request's real outcome.".to_owned(),
                ),
                None => (&l.outcome, String::new()),
            }),
            Shown::Console => self
                .console_outcome
                .as_ref()
                .map(|(line, o)| (o, format!("Sent by the console: {line}"))),
            Shown::Step(i) => self.report.as_ref()?.steps.get(i).map(|s| {
                let note = if s.failures.is_empty() {
                    format!("Step {} of the scenario, at {}.", i + 1, s.at)
                } else {
                    format!("Step {} of the scenario, at {}: {}", i + 1, s.at, s.failures.join("; "))
                };
                (&s.outcome, note)
            }),
        }
    }

    /// Whether the policy draft has errors.
    pub fn policy_has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Sends a request to the world now, keeps it as the last one, and shows its outcome.
    fn send(&mut self, request: Request, origin: Origin) {
        self.now = self.now.plus(1);
        let world_before = Rc::clone(&self.world);
        let outcome = Rc::make_mut(&mut self.world).handle(&request, self.now);
        if origin == Origin::Setting && outcome.status < 300 {
            self.changes.push((request.clone(), self.now));
        }
        self.last = Some(Sent {
            request,
            world_before,
            at: self.now,
            outcome,
            origin,
            what_if: None,
        });
        self.shown = Shown::Sent;
        self.sends += 1;
        self.refresh_what_if();
    }

    /// Re-runs the last builder request with the policy draft, when the draft differs from what
    /// S3 holds. The draft reaches the copy of the world as a `PutBucketPolicy` from the bucket
    /// owner, so S3's own checks (Block Public Access, size, syntax) apply to it.
    fn refresh_what_if(&mut self) {
        // Read once: on a 15 KB draft each reading costs about a millisecond per keystroke.
        let draft = policy_value(&self.policy_text);
        let is_draft = self.differs_from_saved(draft.as_ref());
        let has_errors = self.policy_has_errors();
        let bucket = self.bucket.clone();
        let owner = self.world.buckets.get(&bucket).map(|b| b.owner.clone());
        let Some(last) = self.last.as_mut() else {
            return;
        };
        if last.origin != Origin::Builder || !is_draft {
            last.what_if = None;
            return;
        }
        if has_errors {
            last.what_if = Some(WhatIf::DraftHasErrors);
            return;
        }
        let Some(owner) = owner else {
            last.what_if = None;
            return;
        };
        let mut world = World::clone(&last.world_before);
        let put = Request::new(
            Caller::Root { account: owner },
            match draft {
                Some(policy) => Operation::PutBucketPolicy { bucket, policy },
                None => Operation::DeleteBucketPolicy { bucket },
            },
        );
        let answer = world.handle(&put, last.at);
        last.what_if = Some(if answer.status < 300 {
            WhatIf::Outcome(world.handle(&last.request, last.at))
        } else {
            WhatIf::DraftRefused(answer)
        });
    }
}

/// Parse errors and teaching lints for a bucket policy; empty text means "no bucket policy".
pub fn diagnose(text: &str, bucket: &str) -> Vec<Diagnostic> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    let kind = PolicyKind::BucketPolicy {
        bucket: Some(bucket.to_owned()),
    };
    match Policy::parse_as(text, &kind) {
        Ok(policy) => s3pg_policy::lint::lint_as(&policy, &kind),
        Err(errors) => errors,
    }
}

/// A scenario as JSON. Through `serde_json::Value`, so the scenario's (large) serializer is
/// compiled once for the page, not once per output format: about 28 KB less WebAssembly.
fn scenario_json(scenario: &Scenario, pretty: bool) -> Option<String> {
    let value = serde_json::to_value(scenario).ok()?;
    if pretty {
        serde_json::to_string_pretty(&value).ok()
    } else {
        serde_json::to_string(&value).ok()
    }
}

/// A bucket's policy as the editor shows it (pretty JSON; empty when the bucket has none).
fn policy_text_of(world: &World, bucket: &str) -> String {
    world
        .buckets
        .get(bucket)
        .and_then(|b| b.policy.as_ref())
        .and_then(|p| serde_json::to_string_pretty(p).ok())
        .unwrap_or_default()
}

fn policy_value(text: &str) -> Option<serde_json::Value> {
    if text.trim().is_empty() {
        None
    } else {
        serde_json::from_str(text).ok()
    }
}

/// Sends `PutUserPolicy` for the policy at `at` (same name, new document) as the root user of
/// its account, the way the IAM console saves an inline policy.
fn put_user_policy(
    world: &mut World,
    at: &IdentityPolicyRef,
    document: &serde_json::Value,
    now: s3pg_sim::Timestamp,
) -> Option<s3pg_sim::Outcome> {
    let name = world
        .accounts
        .get(&at.account)
        .and_then(|a| a.users.get(&at.user))
        .and_then(|u| u.policies.get(at.index))
        .map(|p| p.name.clone())?;
    let request = Request::new(
        Caller::Root {
            account: at.account.clone(),
        },
        Operation::Iam(s3pg_sim::iam_api::IamRequest::PutUserPolicy {
            user_name: at.user.clone(),
            policy_name: name,
            policy_document: document.clone(),
        }),
    );
    Some(world.handle(&request, now))
}

fn set_identity_policy(world: &mut World, at: &IdentityPolicyRef, document: serde_json::Value) {
    let policy = world
        .accounts
        .get_mut(&at.account)
        .and_then(|a| a.users.get_mut(&at.user))
        .and_then(|u| u.policies.get_mut(at.index));
    if let Some(policy) = policy {
        policy.document = document;
    }
}

// Native unit tests; the browser tests live in tests/browser.rs.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
