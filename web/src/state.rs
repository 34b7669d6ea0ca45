//! The app's state and its one reducer: the learner's world, the bucket policy being edited,
//! the request being composed, and the last outcome with its trace.
//!
//! Follows Yew's `function_todomvc` shape: one state value, an `Action` enum, and a pure
//! `reduce` that returns a new `Rc` (returning the same `Rc` skips the render).

use std::rc::Rc;

use s3pg_policy::{Diagnostic, Policy, PolicyKind};
use s3pg_sim::scenario::{Report, Scenario, run};
use s3pg_sim::{Caller, Operation, Outcome, Request, Timestamp, World};
use yew::Reducible;

/// The scenario the page opens on (also part of the scenario corpus, so it is tested natively).
pub const DEFAULT_SCENARIO: &str = include_str!("../../tests/scenarios/default.json");

/// The scenario library (fetched after the app starts; see [`crate::assets`]).
pub use crate::assets::library;

pub use crate::builder::{CallerChoice, OpKind, RequestForm, SseC, callers_of};

/// The views of the app shell, in sidebar order. To add a view (Lessons, Challenges, Exam,
/// Analysis…): add a variant here and to [`View::ALL`], give it a label and an icon, and render it
/// in `components::app::view_body`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    /// The open scenario: what it teaches, its steps, the library, save and share.
    Scenario,
    /// The buckets and the open bucket's page (Objects, Properties, Permissions).
    Buckets,
    /// Accounts, users, roles and their identity policies; MFA devices.
    Identities,
    /// The request builder, with compare.
    Requests,
    /// The `aws` CLI console.
    Console,
    /// Server access logs and CloudTrail.
    Logs,
    /// KMS keys and the encryption lab.
    Keys,
    /// S3 Glacier vaults.
    Vaults,
    /// Who can access what, findings, the last change's access diff (`crate::analysis`).
    Analysis,
    /// The course's lessons (`crate::learn`).
    Lessons,
    /// The course's graded challenges.
    Challenges,
    /// Exam practice.
    Exam,
}

impl View {
    /// Every view, in sidebar order.
    pub const ALL: [View; 12] = [
        View::Scenario,
        View::Buckets,
        View::Identities,
        View::Requests,
        View::Console,
        View::Logs,
        View::Keys,
        View::Vaults,
        View::Analysis,
        View::Lessons,
        View::Challenges,
        View::Exam,
    ];

    /// The sidebar label.
    pub fn label(self) -> &'static str {
        match self {
            View::Scenario => "Scenario",
            View::Buckets => "Buckets",
            View::Identities => "Identities",
            View::Requests => "Requests",
            View::Console => "Console",
            View::Logs => "Logs",
            View::Keys => "Keys",
            View::Vaults => "Vaults",
            View::Analysis => "Analysis",
            View::Lessons => "Lessons",
            View::Challenges => "Challenges",
            View::Exam => "Exam practice",
        }
    }

    /// The element id and URL slug (`view-buckets`).
    pub fn slug(self) -> &'static str {
        match self {
            View::Scenario => "scenario",
            View::Buckets => "buckets",
            View::Identities => "identities",
            View::Requests => "requests",
            View::Console => "console",
            View::Logs => "logs",
            View::Keys => "keys",
            View::Vaults => "vaults",
            View::Analysis => "analysis",
            View::Lessons => "lessons",
            View::Challenges => "challenges",
            View::Exam => "exam",
        }
    }

    /// The learning view this is, if it is one (they have no decision pane of their own: each
    /// try, probe and question shows its trace in place).
    pub fn learning(self) -> Option<crate::learn::state::Tab> {
        use crate::learn::state::Tab;
        match self {
            View::Lessons => Some(Tab::Lessons),
            View::Challenges => Some(Tab::Challenges),
            View::Exam => Some(Tab::Exam),
            _ => None,
        }
    }
}

/// The tabs of a bucket's page, as the S3 console names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BucketTab {
    /// Objects, with versions and delete markers.
    Objects,
    /// Versioning, MFA Delete, default encryption, server access logging.
    Properties,
    /// Block Public Access, the bucket policy, Object Ownership, the ACL.
    Permissions,
}

impl BucketTab {
    /// Every tab, in the console's order.
    pub const ALL: [BucketTab; 3] = [
        BucketTab::Objects,
        BucketTab::Properties,
        BucketTab::Permissions,
    ];

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            BucketTab::Objects => "Objects",
            BucketTab::Properties => "Properties",
            BucketTab::Permissions => "Permissions",
        }
    }
}

/// A change the learner makes on a bucket's page. Each is sent as the request the S3 console
/// sends, signed by whoever is signed in ([`AppState::signed_in`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Setting {
    /// `PutPublicAccessBlock` with the four flags in AWS's order.
    BlockPublicAccess([bool; 4]),
    /// `DeletePublicAccessBlock`.
    DeleteBlockPublicAccess,
    /// `PutBucketOwnershipControls`.
    ObjectOwnership(s3pg_sim::ObjectOwnership),
    /// `PutBucketVersioning`, optionally with MFA Delete and the `x-amz-mfa` header
    /// (`serial code`).
    Versioning {
        /// Enable (true) or suspend.
        enabled: bool,
        /// MFA Delete on or off; `None` leaves it.
        mfa_delete: Option<bool>,
        /// `x-amz-mfa`: the device serial, a space, the code.
        mfa: Option<String>,
    },
    /// `PutBucketEncryption`.
    Encryption(s3pg_sim::encryption::BucketEncryption),
    /// `PutObjectLockConfiguration` (Object Lock on, with or without a default retention).
    ObjectLock(s3pg_sim::object_lock::ObjectLockConfiguration),
    /// `DeleteBucketLifecycle`.
    DeleteLifecycle,
    /// `PutBucketLogging`; `None` turns logging off.
    Logging(Option<s3pg_sim::audit::BucketLogging>),
    /// `PutBucketAcl` with a canned ACL (`x-amz-acl`).
    BucketAcl(String),
    /// `PutObjectAcl` with a canned ACL.
    ObjectAcl {
        /// The key.
        key: String,
        /// The version, if not the current one.
        version_id: Option<String>,
        /// The canned ACL.
        canned: String,
    },
    /// `DeleteObject`, of a version when given (with `x-amz-mfa` when given).
    DeleteObject {
        /// The key.
        key: String,
        /// The version to delete permanently.
        version_id: Option<String>,
        /// `x-amz-mfa`.
        mfa: Option<String>,
    },
    /// `GetObject` of a version (the console's Download / Open).
    GetObject {
        /// The key.
        key: String,
        /// The version.
        version_id: Option<String>,
    },
    /// An IAM request from the identities view (deactivate an access key, delete an inline
    /// policy), sent as the signed-in caller.
    Iam(s3pg_sim::iam_api::IamRequest),
}

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
    /// The scenario as loaded (its world before any request, and its steps).
    pub scenario: Option<Rc<Scenario>>,
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

    /// The state for a library scenario (by file name); an unknown name opens the default.
    pub fn from_library(file: &str) -> AppState {
        let text = library()
            .iter()
            .find(|e| e.file == file)
            .map_or(DEFAULT_SCENARIO, |e| e.text.as_str());
        let mut state = AppState::from_scenario_text(text);
        state.file = Some(file.to_owned());
        state
    }

    /// The scenario with the learner's accepted changes replayed, through `World::handle`, on its
    /// starting world.
    fn edited_scenario(&self) -> Option<Scenario> {
        let mut scenario = (**self.scenario.as_ref()?).clone();
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

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Navigate(view) => next.view = view,
            Action::SetBucketTab(tab) => next.bucket_tab = tab,
            Action::EditPolicy(text) => {
                if text == next.policy_text {
                    return self;
                }
                next.diagnostics = diagnose(&text, &next.bucket);
                next.policy_text = text;
                next.refresh_what_if();
            }
            Action::SavePolicy => {
                let Some(request) = next.save_policy_request() else {
                    return self;
                };
                next.send(request, Origin::Setting);
                if next.last.as_ref().is_some_and(|l| l.outcome.status < 300) {
                    // Show the policy as S3 now holds it; keep the learner's text otherwise.
                    next.console
                        .add_file("policy.json", next.policy_text.clone());
                }
            }
            Action::DiscardPolicyDraft => {
                next.policy_text = next.saved_policy_text();
                next.diagnostics = diagnose(&next.policy_text, &next.bucket);
                next.refresh_what_if();
            }
            Action::SignIn(i) => {
                if i < next.callers.len() {
                    next.signed_in = i;
                }
            }
            Action::Apply(setting) => {
                let request = next.setting_request(&setting);
                let origin = if matches!(setting, Setting::GetObject { .. }) {
                    Origin::Builder
                } else {
                    Origin::Setting
                };
                next.send(request, origin);
            }
            Action::SetForm(form) => next.form = form,
            Action::Send => match next.request() {
                Ok(request) => next.send(request, Origin::Builder),
                Err(_) => return self,
            },
            Action::SetCompare(on) => {
                next.compare = on.then(|| Compare {
                    form: next.form.clone(),
                    outcomes: None,
                });
            }
            Action::SetCompareForm(form) => {
                if let Some(c) = next.compare.as_mut() {
                    c.form = form;
                }
            }
            Action::SendCompare => {
                let at = next.now.plus(1);
                let run = |form: &RequestForm| {
                    form.build(&next.callers).map(|r| {
                        let mut world = World::clone(&next.world);
                        world.handle(&r, at)
                    })
                };
                let a = run(&next.form);
                let Some(b) = next.compare.as_ref().map(|c| run(&c.form)) else {
                    return self;
                };
                if let Some(c) = next.compare.as_mut() {
                    c.outcomes = Some((a, b));
                }
            }
            Action::Reset => {
                return Rc::new(match &self.file {
                    Some(file) => AppState::from_library(file),
                    None => AppState::from_scenario_text(DEFAULT_SCENARIO),
                });
            }
            Action::Open(file) => {
                let mut state = AppState::from_library(&file);
                state.view = self.view;
                return Rc::new(state);
            }
            Action::RunSteps(i) => {
                next.report = next.edited_scenario().map(|s| run(&s));
                // Requests sent from the page carry on from where the scenario's steps left the world.
                if let Some(report) = &next.report {
                    next.world = Rc::new(report.world.clone());
                    if let Some(last) = report.steps.last() {
                        next.now = last.at;
                    }
                }
                next.shown = Shown::Step(i);
            }
            Action::ShowStep(i) => next.shown = Shown::Step(i),
            Action::RunCommand(line) => {
                let line = line.trim().to_owned();
                if line.is_empty() {
                    return self;
                }
                next.now = next.now.plus(1);
                let now = next.now;
                let result = next.console.run(Rc::make_mut(&mut next.world), &line, now);
                if let Some(outcome) = result.outcomes.last() {
                    next.console_outcome = Some((line.clone(), outcome.clone()));
                    next.shown = Shown::Console;
                }
                next.console_log.push(ConsoleLine {
                    line,
                    stdout: result.stdout,
                    stderr: result.stderr,
                    exit_code: result.exit_code,
                    sent_request: !result.outcomes.is_empty(),
                });
            }
            Action::SetFile(name, text) => next.console.add_file(&name, text),
            Action::Advance(seconds) => next.now = next.now.plus(seconds),
            Action::DeliverLogs => {
                next.now = next.now.plus(3600);
                let now = next.now;
                let _ = Rc::make_mut(&mut next.world).advance(now);
            }
            Action::QueryLogs(text) => {
                let answer = Rc::make_mut(&mut next.world)
                    .query_logs(&text)
                    .map(|v| serde_json::to_string_pretty(&v).unwrap_or_default());
                next.log_query = Some((text, answer));
            }
            Action::EditIdentityPolicy(at, text) => {
                let diagnostics = match Policy::parse_as(&text, &PolicyKind::Identity) {
                    Ok(policy) => s3pg_policy::lint::lint_as(&policy, &PolicyKind::Identity),
                    Err(errors) => errors,
                };
                let valid = !diagnostics.iter().any(Diagnostic::is_error);
                let document = serde_json::from_str::<serde_json::Value>(&text).ok();
                next.identity_drafts.insert(at.clone(), (text, diagnostics));
                if let (true, Some(document)) = (valid, document) {
                    // The policy reaches the world as the IAM console sends it: a
                    // `PutUserPolicy` from the account's administrator (its root user). The
                    // scenario's declared world is the learner's document and is edited as such.
                    let now = next.now;
                    put_user_policy(Rc::make_mut(&mut next.world), &at, &document, now);
                    if let Some(scenario) = next.scenario.as_mut() {
                        set_identity_policy(
                            &mut Rc::make_mut(scenario).world,
                            &at,
                            document.clone(),
                        );
                    }
                    if next.report.is_some() {
                        next.report = next.edited_scenario().map(|s| run(&s));
                    }
                    if let Some(last) = next.last.as_mut() {
                        put_user_policy(
                            Rc::make_mut(&mut last.world_before),
                            &at,
                            &document,
                            last.at,
                        );
                        let mut world = World::clone(&last.world_before);
                        last.outcome = world.handle(&last.request, last.at);
                    }
                    next.refresh_what_if();
                }
            }
            Action::SelectBucket(bucket) => {
                if !next.world.buckets.contains_key(&bucket) || bucket == next.bucket {
                    return self;
                }
                next.policy_text = policy_text_of(&next.world, &bucket);
                next.diagnostics = diagnose(&next.policy_text, &bucket);
                next.form.bucket.clone_from(&bucket);
                next.bucket = bucket;
                next.refresh_what_if();
            }
            Action::Restore(saved) => {
                return match AppState::from_saved(&saved) {
                    Ok(state) => Rc::new(state),
                    Err(e) => {
                        next.import_error =
                            Some(format!("that version could not be restored: {e}"));
                        Rc::new(next)
                    }
                };
            }
            Action::Import(text) => match Scenario::from_json(&text) {
                Ok(scenario) => return Rc::new(AppState::from_scenario(&scenario)),
                Err(e) => next.import_error = Some(e.to_string()),
            },
        }
        if next == *self { self } else { Rc::new(next) }
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
mod tests {
    use super::*;
    use s3pg_sim::Decision;

    fn start() -> Rc<AppState> {
        Rc::new(AppState::from_scenario_text(DEFAULT_SCENARIO))
    }

    fn with_sse(value: &str) -> Action {
        let mut form = start().form.clone();
        form.sse = value.to_owned();
        Action::SetForm(form)
    }

    const PUBLIC_READ: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "PublicRead",
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::examplebucket/*"}]}"#;

    #[test]
    fn default_scenario_opens_on_examplebucket_with_the_encryption_policy() {
        let state = start();
        assert_eq!(state.load_error, None);
        assert_eq!(state.bucket, "examplebucket");
        assert!(state.policy_text.contains("DenyUnEncryptedObjectUploads"));
        assert!(!state.policy_has_errors(), "{:?}", state.diagnostics);
        assert!(state.callers[state.form.caller].label.starts_with("alice"));
        assert!(matches!(
            state.callers[state.signed_in].caller,
            Caller::Root { .. }
        ));
    }

    #[test]
    fn put_without_the_header_is_explicitly_denied_and_with_it_allowed() {
        let state = start().reduce(Action::Send);
        let last = state.last.as_ref().unwrap();
        assert_eq!(last.outcome.decision, Some(Decision::ExplicitDeny));
        assert_eq!(last.outcome.status, 403);
        let state = state.reduce(with_sse("AES256")).reduce(Action::Send);
        let last = state.last.as_ref().unwrap();
        assert_eq!(last.outcome.decision, Some(Decision::Allow));
        assert_eq!(last.outcome.status, 200);
    }

    #[test]
    fn a_broken_policy_keeps_the_text_and_the_last_valid_policy() {
        let state = start().reduce(Action::Send);
        let broken = format!("{}\n,", state.policy_text);
        let state = state.reduce(Action::EditPolicy(broken.clone()));
        assert_eq!(state.policy_text, broken);
        assert!(state.policy_has_errors());
        let error = state.diagnostics.iter().find(|d| d.is_error()).unwrap();
        assert!(error.line >= 1 && error.column >= 1);
        assert_eq!(
            state.last.as_ref().unwrap().what_if,
            Some(WhatIf::DraftHasErrors)
        );
        assert!(state.world.buckets["examplebucket"].policy.is_some());
    }

    #[test]
    fn deleting_the_deny_statement_re_evaluates_the_last_request() {
        let state = start().reduce(Action::Send);
        let allow_only = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "OwnerReads",
            "Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::examplebucket/*"}]}"#;
        let state = state.reduce(Action::EditPolicy(allow_only.to_owned()));
        let last = state.last.as_ref().unwrap();
        let Some(WhatIf::Outcome(what_if)) = &last.what_if else {
            panic!("{:?}", last.what_if);
        };
        assert_ne!(what_if.decision, Some(Decision::ExplicitDeny));
        // The real outcome and the world are untouched: the draft is not saved.
        assert_eq!(last.outcome.decision, Some(Decision::ExplicitDeny));
        assert!(
            state.world.buckets["examplebucket"]
                .policy
                .as_ref()
                .unwrap()
                .to_string()
                .contains("DenyUnEncryptedObjectUploads")
        );
    }

    #[test]
    fn every_library_scenario_opens() {
        assert!(library().len() >= 80, "{}", library().len());
        for entry in library() {
            let file = &entry.file;
            let state = AppState::from_library(file);
            assert_eq!(state.load_error, None, "{file}");
        }
    }

    #[test]
    fn running_the_steps_meets_the_default_scenarios_expectations() {
        let state = start().reduce(Action::RunSteps(0));
        let report = state.report.as_ref().unwrap();
        assert!(report.passed(), "{:?}", report.failures());
        assert_eq!(state.shown, Shown::Step(0));
        let (outcome, _) = state.shown_outcome().unwrap();
        assert_eq!(outcome.status, 403);
    }

    #[test]
    fn an_edited_policy_changes_the_steps_outcomes() {
        let state = start().reduce(Action::RunSteps(0));
        let text = state.policy_text.replace("\"true\"", "\"false\"");
        let state = state
            .reduce(Action::EditPolicy(text))
            .reduce(Action::SavePolicy)
            .reduce(Action::RunSteps(0));
        let report = state.report.as_ref().unwrap();
        assert_ne!(report.steps[0].outcome.status, 403);
        assert!(!report.passed());
    }

    #[test]
    fn export_then_import_keeps_the_edited_policy() {
        let state = start();
        let text = state
            .policy_text
            .replace("DenyUnEncryptedObjectUploads", "RequireSse");
        let state = state
            .reduce(Action::EditPolicy(text))
            .reduce(Action::SavePolicy);
        let json = state.export_json().unwrap();
        let imported = start().reduce(Action::Import(json));
        assert!(imported.policy_text.contains("RequireSse"));
        assert_eq!(imported.import_error, None);
    }

    #[test]
    fn a_bad_import_keeps_the_scenario_and_says_where() {
        let state = start().reduce(Action::Import("{\n  \"name\": 1\n}".to_owned()));
        let error = state.import_error.clone().unwrap();
        assert!(error.contains("2:"), "{error}");
        assert_eq!(state.bucket, "examplebucket");
    }

    #[test]
    fn the_console_runs_aws_commands_against_the_world_and_shows_the_trace() {
        let state = start().reduce(Action::RunCommand(
            "aws s3api put-object --bucket examplebucket --key a.txt --profile alice".to_owned(),
        ));
        let line = state.console_log.last().unwrap();
        assert_eq!(line.exit_code, 254, "{line:?}");
        assert!(
            line.stderr
                .contains("An error occurred (AccessDenied) when calling the PutObject operation")
        );
        assert_eq!(state.shown, Shown::Console);
        let (outcome, _) = state.shown_outcome().unwrap();
        assert_eq!(outcome.status, 403);
        let state = state.reduce(Action::RunCommand(
            "aws s3api put-object --bucket examplebucket --key a.txt --server-side-encryption AES256 --profile alice".to_owned(),
        ));
        assert_eq!(state.console_log.last().unwrap().exit_code, 0);
        assert!(
            state.world.buckets["examplebucket"]
                .objects
                .contains_key("a.txt")
        );
    }

    #[test]
    fn a_public_policy_is_refused_under_block_public_policy_and_stays_a_draft() {
        let state = start().reduce(Action::EditPolicy(PUBLIC_READ.to_owned()));
        assert!(state.policy_is_draft());
        let state = state.reduce(Action::SavePolicy);
        let last = state.last.as_ref().unwrap();
        assert_eq!(last.request.operation.name(), "PutBucketPolicy");
        assert_eq!(last.outcome.status, 403);
        assert_eq!(last.outcome.error.as_ref().unwrap().code, "AccessDenied");
        assert!(state.policy_is_draft(), "the refused draft is kept");
        assert!(state.changes.is_empty());
        assert!(
            !state.world.buckets["examplebucket"]
                .policy
                .as_ref()
                .unwrap()
                .to_string()
                .contains("PublicRead")
        );
    }

    #[test]
    fn settings_are_sent_as_the_requests_the_console_sends() {
        let state = start()
            .reduce(Action::Apply(Setting::BlockPublicAccess([
                true, true, false, true,
            ])))
            .reduce(Action::EditPolicy(PUBLIC_READ.to_owned()))
            .reduce(Action::SavePolicy);
        assert_eq!(state.changes.len(), 2);
        assert_eq!(state.changes[0].0.operation.name(), "PutPublicAccessBlock");
        assert!(matches!(state.changes[0].0.caller, Caller::Root { .. }));
        assert_eq!(state.last.as_ref().unwrap().outcome.status, 204);
        assert!(!state.policy_is_draft());
        // The export replays what S3 accepted on the starting world.
        let exported = Scenario::from_json(&state.export_json().unwrap()).unwrap();
        let bucket = &exported.world.buckets["examplebucket"];
        assert!(
            bucket
                .policy
                .as_ref()
                .unwrap()
                .to_string()
                .contains("PublicRead")
        );
        assert!(!bucket.public_access_block.unwrap().block_public_policy);
    }

    #[test]
    fn enabling_mfa_delete_without_a_code_is_refused_by_s3() {
        let state = start().reduce(Action::Apply(Setting::Versioning {
            enabled: true,
            mfa_delete: Some(true),
            mfa: None,
        }));
        let last = state.last.as_ref().unwrap();
        assert_eq!(last.request.operation.name(), "PutBucketVersioning");
        assert!(last.outcome.status >= 400, "{:?}", last.outcome.status);
        assert!(!state.world.buckets["examplebucket"].mfa_delete);
    }

    #[test]
    fn compare_sends_both_variants_on_copies_of_the_world() {
        let state = start().reduce(Action::SetCompare(true));
        let mut b = state.compare.as_ref().unwrap().form.clone();
        b.sse = "AES256".to_owned();
        let state = state
            .reduce(Action::SetCompareForm(b))
            .reduce(Action::SendCompare);
        let (a, b) = state.compare.as_ref().unwrap().outcomes.clone().unwrap();
        assert_eq!(a.unwrap().status, 403);
        assert_eq!(b.unwrap().status, 200);
        assert!(state.world.buckets["examplebucket"].objects.is_empty());
    }

    #[test]
    fn the_console_decision_names_the_command_that_sent_the_request() {
        let state = start().reduce(Action::RunCommand(
            "aws s3api get-bucket-policy --bucket examplebucket --profile root".to_owned(),
        ));
        let state = state.reduce(Action::RunCommand("aws configure list".to_owned()));
        let (_, note) = state.shown_outcome().unwrap();
        assert!(note.contains("get-bucket-policy"), "{note}");
        assert!(!state.console_log.last().unwrap().sent_request);
    }

    #[test]
    fn presign_under_a_root_profile_without_keys_says_why_and_what_to_do() {
        let state = start().reduce(Action::RunCommand(
            "aws s3 presign s3://examplebucket/a.txt".to_owned(),
        ));
        let line = state.console_log.last().unwrap();
        assert_ne!(line.exit_code, 0);
        assert!(
            line.stderr.contains("has no access key in this world"),
            "{}",
            line.stderr
        );
        assert!(!line.stderr.contains("Unable to locate credentials"));
        let state = state.reduce(Action::RunCommand(
            "aws s3 presign s3://examplebucket/a.txt --profile alice".to_owned(),
        ));
        let line = state.console_log.last().unwrap();
        assert_eq!(line.exit_code, 0, "{}", line.stderr);
        assert!(line.stdout.contains("X-Amz-Signature="));
    }

    #[test]
    fn the_clock_moves_forward_only_when_asked() {
        let state = start();
        let before = state.now;
        let state = state.reduce(Action::Advance(30));
        assert_eq!(state.now, before.plus(30));
    }

    #[test]
    fn selecting_another_bucket_edits_its_policy() {
        let multi = library()
            .iter()
            .map(|e| AppState::from_library(&e.file))
            .find(|s| s.world.buckets.len() > 1)
            .expect("a scenario with two buckets");
        let other = multi
            .world
            .buckets
            .keys()
            .find(|b| **b != multi.bucket)
            .unwrap()
            .clone();
        let state = Rc::new(multi).reduce(Action::SelectBucket(other.clone()));
        assert_eq!(state.bucket, other);
        assert_eq!(state.policy_text, policy_text_of(&state.world, &other));
    }

    #[test]
    fn removing_alices_allow_turns_the_upload_into_an_implicit_deny() {
        let state = start().reduce(with_sse("AES256")).reduce(Action::Send);
        assert_eq!(
            state.last.as_ref().unwrap().outcome.decision,
            Some(Decision::Allow)
        );
        let at = IdentityPolicyRef {
            account: "111122223333".into(),
            user: "alice".into(),
            index: 0,
        };
        let read_only = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Action": "s3:GetObject", "Resource": "arn:aws:s3:::examplebucket/*"}]}"#;
        let state = state.reduce(Action::EditIdentityPolicy(at.clone(), read_only.to_owned()));
        assert_eq!(
            state.last.as_ref().unwrap().outcome.decision,
            Some(Decision::ImplicitDeny)
        );
        let state = state.reduce(Action::EditIdentityPolicy(at.clone(), "{".to_owned()));
        assert!(
            state.identity_drafts[&at]
                .1
                .iter()
                .any(Diagnostic::is_error)
        );
        assert_eq!(
            state.last.as_ref().unwrap().outcome.decision,
            Some(Decision::ImplicitDeny)
        );
    }

    #[test]
    fn identity_changes_are_sent_as_iam_requests() {
        // Editing an identity policy sends PutUserPolicy: the world holds the new document.
        let at = IdentityPolicyRef {
            account: "111122223333".into(),
            user: "alice".into(),
            index: 0,
        };
        let read_only = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Action": "s3:GetObject", "Resource": "arn:aws:s3:::examplebucket/*"}]}"#;
        let state = start().reduce(Action::EditIdentityPolicy(at, read_only.to_owned()));
        let alice = &state.world.accounts["111122223333"].users["alice"];
        assert_eq!(
            alice.policies[0].document["Statement"][0]["Action"],
            "s3:GetObject"
        );
        // The access-key button sends UpdateAccessKey as the signed-in caller.
        let request = s3pg_sim::iam_api::IamRequest::UpdateAccessKey {
            user_name: Some("alice".into()),
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            status: s3pg_sim::iam_api::AccessKeyStatus::Inactive,
        };
        let state = state.reduce(Action::Apply(Setting::Iam(request)));
        let last = state.last.as_ref().unwrap();
        assert_eq!(last.request.operation.name(), "UpdateAccessKey");
        let key = &state.world.accounts["111122223333"].users["alice"].access_keys[0];
        assert_eq!(key.active, last.outcome.status != 200);
    }

    #[test]
    fn log_queries_answer_or_say_what_is_wrong() {
        let state = start().reduce(Action::DeliverLogs);
        let state = state.reduce(Action::QueryLogs(
            "select count(*) where status >= 400".to_owned(),
        ));
        assert!(
            matches!(&state.log_query, Some((_, Ok(_)))),
            "{:?}",
            state.log_query
        );
        let state = state.reduce(Action::QueryLogs("select * where status >== 4".to_owned()));
        assert!(matches!(&state.log_query, Some((_, Err(e))) if !e.is_empty()));
    }
}
