//! The app's state and its one reducer: the learner's world, the bucket policy being edited,
//! the request being composed, and the last outcome with its trace.
//!
//! Follows Yew's `function_todomvc` shape: one state value, an `Action` enum, and a pure
//! `reduce` that returns a new `Rc` (returning the same `Rc` skips the render).

use std::rc::Rc;

use s3pg_policy::{Diagnostic, Policy, PolicyKind};
use s3pg_sim::scenario::{Report, Scenario, run};
use s3pg_sim::{Caller, Operation, Outcome, Request, Scheme, Timestamp, World};
use yew::Reducible;

/// The scenario the page opens on (also part of the scenario corpus, so it is tested natively).
pub const DEFAULT_SCENARIO: &str = include_str!("../../tests/scenarios/default.json");

/// The scenario library (fetched after the app starts; see [`crate::assets`]).
pub use crate::assets::library;

/// The operations the request panel can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationKind {
    /// `PutObject`.
    PutObject,
    /// `GetObject`.
    GetObject,
    /// `DeleteObject`.
    DeleteObject,
    /// `ListObjectsV2`.
    ListObjectsV2,
}

impl OperationKind {
    /// Every operation, in menu order.
    pub const ALL: [OperationKind; 4] = [
        OperationKind::PutObject,
        OperationKind::GetObject,
        OperationKind::DeleteObject,
        OperationKind::ListObjectsV2,
    ];

    /// The S3 API name.
    pub fn name(self) -> &'static str {
        match self {
            OperationKind::PutObject => "PutObject",
            OperationKind::GetObject => "GetObject",
            OperationKind::DeleteObject => "DeleteObject",
            OperationKind::ListObjectsV2 => "ListObjectsV2",
        }
    }

    /// The HTTP method and whether the request addresses an object.
    pub fn method(self) -> &'static str {
        match self {
            OperationKind::PutObject => "PUT",
            OperationKind::GetObject | OperationKind::ListObjectsV2 => "GET",
            OperationKind::DeleteObject => "DELETE",
        }
    }

    /// Whether the operation takes a key.
    pub fn has_key(self) -> bool {
        !matches!(self, OperationKind::ListObjectsV2)
    }

    /// Parses [`OperationKind::name`].
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// The `x-amz-server-side-encryption` header choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SseHeader {
    /// No header.
    Absent,
    /// `AES256` (SSE-S3).
    Aes256,
    /// `aws:kms` (SSE-KMS).
    AwsKms,
}

impl SseHeader {
    /// The header value, if any.
    pub fn value(self) -> Option<&'static str> {
        match self {
            SseHeader::Absent => None,
            SseHeader::Aes256 => Some("AES256"),
            SseHeader::AwsKms => Some("aws:kms"),
        }
    }
}

/// Someone who can send a request, as offered in the request panel.
#[derive(Debug, Clone, PartialEq)]
pub struct CallerChoice {
    /// What the learner reads (`alice (IAM user, 111122223333)`).
    pub label: String,
    /// The caller.
    pub caller: Caller,
}

/// The request being composed.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestForm {
    /// Index into [`AppState::callers`].
    pub caller: usize,
    /// The operation.
    pub operation: OperationKind,
    /// The object key.
    pub key: String,
    /// The SSE header.
    pub sse: SseHeader,
    /// HTTPS (`aws:SecureTransport` = true) or HTTP.
    pub https: bool,
}

/// A request that was sent, kept so an edited policy can re-evaluate it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    /// The request.
    pub request: Request,
    /// The world just before it was handled.
    pub world_before: World,
    /// When it was sent.
    pub at: Timestamp,
    /// What came back.
    pub outcome: Outcome,
    /// True when the outcome was recomputed after a policy edit (the world kept the first run).
    pub reevaluated: bool,
    /// True when the policy text no longer parses, so the outcome shown is for the last valid one.
    pub stale: bool,
}

/// Everything the page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    /// The scenario's title.
    pub title: String,
    /// What the scenario teaches.
    pub description: String,
    /// The world as it is now.
    pub world: World,
    /// The simulated clock.
    pub now: Timestamp,
    /// The bucket whose policy is being edited.
    pub bucket: String,
    /// The policy text as typed (kept even when it does not parse).
    pub policy_text: String,
    /// Errors and teaching warnings for the policy text.
    pub diagnostics: Vec<Diagnostic>,
    /// Who can send requests.
    pub callers: Vec<CallerChoice>,
    /// The request being composed.
    pub form: RequestForm,
    /// The last request sent and its outcome.
    pub last: Option<Sent>,
    /// The scenario as loaded (its world before any request, and its steps).
    pub scenario: Option<Rc<Scenario>>,
    /// The file the scenario came from, when it came from the library.
    pub file: Option<String>,
    /// The scenario's steps run against its world with the learner's policy, once asked for.
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
    /// The last S3 answer a console command produced, with its trace.
    pub console_outcome: Option<Outcome>,
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
}

/// Which outcome the decision panel shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Nothing yet.
    Nothing,
    /// The last request sent from the request panel.
    Sent,
    /// A step of the scenario's run.
    Step(usize),
    /// The last console command's S3 request.
    Console,
}

/// What the learner did.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The policy text changed.
    EditPolicy(String),
    /// Pick who sends the request.
    SetCaller(usize),
    /// Pick the operation.
    SetOperation(OperationKind),
    /// Change the key.
    SetKey(String),
    /// Choose the SSE header.
    SetSse(SseHeader),
    /// HTTPS on or off.
    SetHttps(bool),
    /// Send the composed request to the world.
    Send,
    /// Start the scenario again.
    Reset,
    /// Open a scenario from the library (by file name).
    Open(String),
    /// Run the scenario's steps (against its world, with the learner's policy) and show step N.
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
    /// Edit (and send requests to) another bucket of the world.
    SelectBucket(String),
    /// An identity policy's text changed.
    EditIdentityPolicy(IdentityPolicyRef, String),
    /// Move the clock on by an hour and let S3 deliver what its logging owes (best effort, late).
    DeliverLogs,
    /// Query the delivered access logs and CloudTrail records.
    QueryLogs(String),
    /// Put back saved work (a named version), replacing the page's.
    Restore(crate::work::Saved),
}

impl AppState {
    /// The state for a scenario's text; a scenario that does not load leaves an explanation.
    pub fn from_scenario_text(text: &str) -> AppState {
        match Scenario::from_json(text) {
            Ok(scenario) => AppState::from_scenario(&scenario),
            Err(e) => AppState {
                title: "S3 Security Playground".to_owned(),
                description: String::new(),
                world: World::default(),
                now: Timestamp::default(),
                bucket: String::new(),
                policy_text: String::new(),
                diagnostics: Vec::new(),
                callers: Vec::new(),
                form: RequestForm {
                    caller: 0,
                    operation: OperationKind::PutObject,
                    key: String::new(),
                    sse: SseHeader::Absent,
                    https: true,
                },
                last: None,
                scenario: None,
                file: None,
                report: None,
                shown: Shown::Nothing,
                load_error: Some(e.to_string()),
                import_error: None,
                console: s3pg_awscli::Console::new(),
                console_log: Vec::new(),
                console_outcome: None,
                identity_drafts: std::collections::BTreeMap::new(),
                log_query: None,
            },
        }
    }

    /// The state at the start of a scenario: its world, the first bucket's policy in the editor,
    /// and the request form prefilled from the first step.
    pub fn from_scenario(scenario: &Scenario) -> AppState {
        let world = scenario.world.clone();
        let bucket = world.buckets.keys().next().cloned().unwrap_or_default();
        let policy_text = policy_text_of(&world, &bucket);
        let callers = callers_of(&world);
        let first = scenario.steps.first().map(|s| &s.request);
        let caller = first
            .and_then(|r| callers.iter().position(|c| c.caller == r.caller))
            .unwrap_or(0);
        let (operation, key) = match first.map(|r| &r.operation) {
            Some(Operation::PutObject { key, .. }) => (OperationKind::PutObject, key.clone()),
            Some(Operation::GetObject { key, .. }) => (OperationKind::GetObject, key.clone()),
            Some(Operation::DeleteObject { key, .. }) => (OperationKind::DeleteObject, key.clone()),
            _ => (OperationKind::PutObject, "report.csv".to_owned()),
        };
        let diagnostics = diagnose(&policy_text, &bucket);
        let mut console = s3pg_awscli::Console::new();
        console.add_file("policy.json", policy_text.clone());
        AppState {
            title: scenario.name.clone(),
            description: scenario.description.clone(),
            world,
            now: scenario.start,
            bucket,
            policy_text,
            diagnostics,
            callers,
            form: RequestForm {
                caller,
                operation,
                key,
                sse: SseHeader::Absent,
                https: true,
            },
            last: None,
            scenario: Some(Rc::new(scenario.clone())),
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

    /// The page's first state: what was saved in this browser (or the default scenario), then a
    /// shared link when opening it loses nothing. A damaged link or save is reported in
    /// `import_error` and never replaces the work (see [`crate::work::startup`]).
    pub fn restore(fragment: Option<&str>, saved: Option<&str>) -> AppState {
        let boot = crate::work::startup(fragment, saved);
        let mut state = boot.state;
        if let Some(notice) = boot.notices.first() {
            state.import_error = Some(notice.text.clone());
        }
        state
    }

    /// What to keep in local storage so a reload restores the learner's work.
    pub fn saved(&self) -> crate::share::Saved {
        crate::share::Saved {
            file: self.file.clone(),
            scenario: if self.file.is_none() {
                self.scenario.as_ref().and_then(|s| scenario_json(s, false))
            } else {
                None
            },
            policy_text: self.policy_text.clone(),
        }
    }

    /// The scenario as the learner has edited it (its starting world with the edited policy and
    /// its steps), as pretty JSON: what Export saves and Share puts in the link.
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

    /// The scenario with the learner's edits applied to its starting world (today: the policy of
    /// the bucket being edited, when it parses).
    fn edited_scenario(&self) -> Option<Scenario> {
        let mut scenario = (**self.scenario.as_ref()?).clone();
        if !self.policy_has_errors() {
            set_policy(
                &mut scenario.world,
                &self.bucket,
                policy_value(&self.policy_text),
            );
        }
        Some(scenario)
    }

    /// The request the form describes.
    pub fn request(&self) -> Option<Request> {
        let caller = self.callers.get(self.form.caller)?.caller.clone();
        let bucket = self.bucket.clone();
        let key = self.form.key.clone();
        let operation = match self.form.operation {
            OperationKind::PutObject => Operation::PutObject {
                bucket,
                key,
                body: "hello from the playground".to_owned(),
            },
            OperationKind::GetObject => Operation::GetObject {
                bucket,
                key,
                version_id: None,
            },
            OperationKind::DeleteObject => Operation::DeleteObject {
                bucket,
                key,
                version_id: None,
            },
            OperationKind::ListObjectsV2 => Operation::ListObjectsV2 {
                bucket,
                prefix: None,
                delimiter: None,
                max_keys: None,
                continuation_token: None,
            },
        };
        let mut request = Request::new(caller, operation);
        if self.form.operation == OperationKind::PutObject
            && let Some(value) = self.form.sse.value()
        {
            request = request.header("x-amz-server-side-encryption", value);
        }
        request.network.scheme = if self.form.https {
            Scheme::Https
        } else {
            Scheme::Http
        };
        Some(request)
    }

    /// The outcome the decision panel shows, with a note on where it came from.
    pub fn shown_outcome(&self) -> Option<(&Outcome, String)> {
        match self.shown {
            Shown::Nothing => None,
            Shown::Sent => self.last.as_ref().map(|l| {
                let note = if l.stale {
                    "Your policy text has errors, so this is the decision under the last valid policy."
                } else if l.reevaluated {
                    "Re-evaluated with your edited policy (same request, same moment)."
                } else {
                    ""
                };
                (&l.outcome, note.to_owned())
            }),
            Shown::Console => self.console_outcome.as_ref().map(|o| {
                let line = self.console_log.last().map(|l| l.line.as_str()).unwrap_or_default();
                (o, format!("From the console: {line}"))
            }),
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

    /// Whether the policy text has errors (so the world still holds the last valid policy).
    pub fn policy_has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Everyone in the world who can sign a request, plus an anonymous caller.
fn callers_of(world: &World) -> Vec<CallerChoice> {
    let mut callers = Vec::new();
    for (id, account) in &world.accounts {
        for name in account.users.keys() {
            callers.push(CallerChoice {
                label: format!("{name} (IAM user, {id})"),
                caller: Caller::User {
                    name: name.clone(),
                    account: Some(id.clone()),
                },
            });
        }
    }
    for id in world.accounts.keys() {
        callers.push(CallerChoice {
            label: format!("root user of {id}"),
            caller: Caller::Root {
                account: id.clone(),
            },
        });
    }
    callers.push(CallerChoice {
        label: "anonymous (unsigned)".to_owned(),
        caller: Caller::Anonymous,
    });
    callers
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
            Action::EditPolicy(text) => {
                if text == next.policy_text {
                    return self;
                }
                next.diagnostics = diagnose(&text, &next.bucket);
                next.policy_text = text;
                if next.policy_has_errors() {
                    if let Some(last) = next.last.as_mut() {
                        last.stale = true;
                    }
                } else {
                    if next.report.is_some() {
                        next.report = next.edited_scenario().map(|s| run(&s));
                    }
                    let document = policy_value(&next.policy_text);
                    set_policy(&mut next.world, &next.bucket, document.clone());
                    if let Some(last) = next.last.as_mut() {
                        // Re-run the last request on the world as it was, with the new policy.
                        let mut world = last.world_before.clone();
                        set_policy(&mut world, &next.bucket, document);
                        last.world_before = world.clone();
                        last.outcome = world.handle(&last.request, last.at);
                        last.reevaluated = true;
                        last.stale = false;
                    }
                }
            }
            Action::SetCaller(i) => next.form.caller = i,
            Action::SetOperation(op) => next.form.operation = op,
            Action::SetKey(key) => next.form.key = key,
            Action::SetSse(sse) => next.form.sse = sse,
            Action::SetHttps(https) => next.form.https = https,
            Action::Send => {
                let Some(request) = next.request() else {
                    return self;
                };
                next.now = next.now.plus(1);
                let world_before = next.world.clone();
                let outcome = next.world.handle(&request, next.now);
                next.last = Some(Sent {
                    request,
                    world_before,
                    at: next.now,
                    outcome,
                    reevaluated: false,
                    stale: next.policy_has_errors(),
                });
                next.shown = Shown::Sent;
            }
            Action::Reset => {
                return Rc::new(match &self.file {
                    Some(file) => AppState::from_library(file),
                    None => AppState::from_scenario_text(DEFAULT_SCENARIO),
                });
            }
            Action::Open(file) => return Rc::new(AppState::from_library(&file)),
            Action::RunSteps(i) => {
                next.report = next.edited_scenario().map(|s| run(&s));
                // Requests sent from the panel carry on from where the scenario's steps left the world.
                if let Some(report) = &next.report {
                    next.world = report.world.clone();
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
                let result = next.console.run(&mut next.world, &line, now);
                if let Some(outcome) = result.outcomes.last() {
                    next.console_outcome = Some(outcome.clone());
                    next.shown = Shown::Console;
                }
                next.console_log.push(ConsoleLine {
                    line,
                    stdout: result.stdout,
                    stderr: result.stderr,
                    exit_code: result.exit_code,
                });
            }
            Action::SetFile(name, text) => next.console.add_file(&name, text),
            Action::Advance(seconds) => next.now = next.now.plus(seconds),
            Action::DeliverLogs => {
                next.now = next.now.plus(3600);
                let now = next.now;
                let _ = next.world.advance(now);
            }
            Action::QueryLogs(text) => {
                let answer = next
                    .world
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
                    set_identity_policy(&mut next.world, &at, document.clone());
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
                        set_identity_policy(&mut last.world_before, &at, document);
                        let mut world = last.world_before.clone();
                        last.outcome = world.handle(&last.request, last.at);
                        last.reevaluated = true;
                    }
                }
            }
            Action::SelectBucket(bucket) => {
                if !next.world.buckets.contains_key(&bucket) || bucket == next.bucket {
                    return self;
                }
                next.policy_text = policy_text_of(&next.world, &bucket);
                next.diagnostics = diagnose(&next.policy_text, &bucket);
                next.bucket = bucket;
            }
            Action::Restore(saved) => {
                return match crate::work::state_from_saved(&saved) {
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

fn set_policy(world: &mut World, bucket: &str, policy: Option<serde_json::Value>) {
    if let Some(b) = world.buckets.get_mut(bucket) {
        b.policy = policy;
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

    #[test]
    fn default_scenario_opens_on_examplebucket_with_the_encryption_policy() {
        let state = start();
        assert_eq!(state.load_error, None);
        assert_eq!(state.bucket, "examplebucket");
        assert!(state.policy_text.contains("DenyUnEncryptedObjectUploads"));
        assert!(!state.policy_has_errors(), "{:?}", state.diagnostics);
        assert!(state.callers[state.form.caller].label.starts_with("alice"));
    }

    #[test]
    fn put_without_the_header_is_explicitly_denied_and_with_it_allowed() {
        let state = start().reduce(Action::Send);
        let last = state.last.as_ref().unwrap();
        assert_eq!(last.outcome.decision, Some(Decision::ExplicitDeny));
        assert_eq!(last.outcome.status, 403);
        let state = state
            .reduce(Action::SetSse(SseHeader::Aes256))
            .reduce(Action::Send);
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
        assert!(state.last.as_ref().unwrap().stale);
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
        assert!(last.reevaluated, "{:?}", state.diagnostics);
        assert_ne!(last.outcome.decision, Some(Decision::ExplicitDeny));
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
        let state = state.reduce(Action::EditPolicy(text));
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
        let state = state.reduce(Action::EditPolicy(text));
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
    fn a_reload_restores_the_policy_even_when_it_does_not_parse() {
        let state = start().reduce(Action::EditPolicy("{ not json".to_owned()));
        let saved = serde_json::to_string(&state.saved()).unwrap();
        let restored = AppState::restore(None, Some(&saved));
        assert_eq!(restored.policy_text, "{ not json");
        assert!(restored.policy_has_errors());
    }

    #[test]
    fn a_shared_link_opens_its_scenario() {
        let json = AppState::from_library("default.json")
            .export_json()
            .unwrap();
        let fragment = crate::share::encode_fragment(&json);
        let state = AppState::restore(Some(&fragment), None);
        assert_eq!(state.load_error, None);
        assert_eq!(state.bucket, "examplebucket");
        let damaged = AppState::restore(Some("#scenario=***"), None);
        assert!(damaged.import_error.is_some());
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
        let state = start()
            .reduce(Action::SetSse(SseHeader::Aes256))
            .reduce(Action::Send);
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
