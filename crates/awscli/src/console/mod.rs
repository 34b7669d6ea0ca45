//! The `aws` console: a command line typed by a learner becomes one or more requests to the
//! simulated world, and the terminal shows what the real AWS CLI v2 would print for the answers.
//!
//! What is followed, and where:
//! - exit statuses — 0 success, 1 a failed `aws s3` transfer, 252 a usage error, 253 missing
//!   credentials, 254 an error returned by the service, 255 any other failure — from
//!   <https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-returncodes.html>;
//! - service errors on stderr as a blank line then
//!   `An error occurred (CODE) when calling the OPERATION operation: MESSAGE` (the CLI's
//!   exception handlers write `\n`, the message, `\n`);
//! - JSON output indented by four spaces, nothing printed for an empty response
//!   (<https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-output-format.html>);
//! - profiles, one per simulated principal, chosen with `--profile`
//!   (<https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html>).
//!
//! KMS, Glacier, default bucket encryption and server access logging run against the world's
//! own operations; nothing pretends to succeed. Nothing here reads a
//! clock or a file: time is an argument and `file://` names come from [`Console::files`].

mod curl;
mod headers;
mod identity;
mod lock;
mod multipart;
mod output;
mod s3;
mod s3api;
mod services;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use s3pg_sim::request::{Caller, Network, Operation, Request, Scheme};
use s3pg_sim::{Outcome, Timestamp, World};

use crate::args::{ArgValue, GlobalOptions};
use crate::command::Command;
use crate::command::parse_words;
use crate::error::{CliError, USAGE_EXIT_CODE, paramfile_error};
use crate::parse_line;
use crate::shorthand::{Shorthand, is_json};

pub use output::error_sentence;

/// Exit status of a failed `aws s3` transfer (cp, rm, mb, rb).
pub const TRANSFER_FAILED_EXIT_CODE: u8 = 1;
/// Exit status when no credentials can be found (`aws s3 presign` for a principal without keys).
pub const CONFIGURATION_ERROR_EXIT_CODE: u8 = 253;
/// Exit status of an error returned by the service (`AccessDenied`, `NoSuchKey`, …).
pub const SERVICE_ERROR_EXIT_CODE: u8 = 254;
/// Exit status of any other failure: an unknown profile, a missing local file, and the
/// playground's own "not simulated yet" answer.
pub const GENERAL_ERROR_EXIT_CODE: u8 = 255;

/// One identity a command can be sent as (`--profile NAME`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// The profile name: an IAM user's name, `root` (or `root-ACCOUNT` when the world has
    /// several accounts), `ROLE-SESSION` for a role session, or `default`.
    pub name: String,
    /// Who the requests come from.
    pub caller: Caller,
    /// The principal's ARN, for display.
    pub arn: String,
    /// The access key id the profile signs with, when the principal has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_key_id: Option<String>,
    /// The secret access key (used only by `aws s3 presign`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_access_key: Option<String>,
}

/// The console's state: virtual files, `aws configure set` values and which principal the
/// `default` profile is. The world itself is passed to every [`Console::run`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Console {
    /// The playground's file panel: name → contents (`file://policy.json`, `--body f`, the
    /// outfile of `get-object`). Names are kept without a leading `./`.
    #[serde(default)]
    pub files: BTreeMap<String, Vec<u8>>,
    /// Values stored by `aws configure set NAME VALUE` (`region`, `default.s3.signature_version` …).
    #[serde(default)]
    pub settings: BTreeMap<String, String>,
    /// The profile `default` stands for; without it, the root user of the first account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_profile: Option<String>,
    /// Where the learner's terminal sits: source IP, VPC endpoint (`aws:SourceIp`,
    /// `aws:SourceVpce`). The scheme is HTTPS unless `--endpoint-url http://…` is given.
    #[serde(default)]
    pub network: Network,
}

/// What one command line produced.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsoleResult {
    /// Exactly what the terminal's standard output shows.
    pub stdout: String,
    /// Exactly what the terminal's standard error shows.
    pub stderr: String,
    /// The exit status, as the AWS CLI v2 sets it.
    pub exit_code: u8,
    /// Every request sent to the world, in order.
    pub requests: Vec<Request>,
    /// The world's answer to each request (same order), each with its full trace.
    pub outcomes: Vec<Outcome>,
    /// True when the command names a feature the simulated world does not model yet.
    pub not_simulated: bool,
}

impl ConsoleResult {
    fn failed(stderr: String, exit_code: u8) -> Self {
        ConsoleResult {
            stdout: String::new(),
            stderr,
            exit_code,
            requests: Vec::new(),
            outcomes: Vec::new(),
            not_simulated: false,
        }
    }
}

/// Why a command stopped early: what to add to stderr, and the exit status.
#[derive(Debug)]
pub(crate) struct Stop {
    pub stderr: String,
    pub code: u8,
}

impl Stop {
    pub(crate) fn new(stderr: impl Into<String>, code: u8) -> Self {
        Stop {
            stderr: stderr.into(),
            code,
        }
    }
}

/// Normalises a local path the way the file panel stores it (`./a/b` → `a/b`).
pub fn local_name(path: &str) -> String {
    let mut p = path;
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    p.to_owned()
}

impl Console {
    /// An empty console.
    pub fn new() -> Self {
        Console::default()
    }

    /// Adds (or replaces) a virtual file.
    pub fn add_file(&mut self, name: &str, contents: impl Into<Vec<u8>>) {
        self.files.insert(local_name(name), contents.into());
    }

    /// A virtual file's contents.
    pub fn file(&self, name: &str) -> Option<&[u8]> {
        self.files.get(&local_name(name)).map(Vec::as_slice)
    }

    /// Every profile the world offers: `default` first, then the root user of each account,
    /// each IAM user and each active role session.
    pub fn profiles(&self, world: &World) -> Vec<Profile> {
        let many_accounts = world.accounts.len() > 1;
        let mut user_count: BTreeMap<&str, usize> = BTreeMap::new();
        for account in world.accounts.values() {
            for name in account.users.keys() {
                *user_count.entry(name.as_str()).or_default() += 1;
            }
        }
        let mut out = Vec::new();
        for (id, account) in &world.accounts {
            let key = account.root.access_keys.first();
            out.push(profile(
                if many_accounts {
                    format!("root-{id}")
                } else {
                    "root".to_owned()
                },
                Caller::Root {
                    account: id.clone(),
                },
                format!("arn:aws:iam::{id}:root"),
                key.map(|k| (k.access_key_id.clone(), k.secret_access_key.clone())),
            ));
            for (name, user) in &account.users {
                let key = user
                    .access_keys
                    .iter()
                    .find(|k| k.active)
                    .or_else(|| user.access_keys.first());
                let shared = user_count.get(name.as_str()).copied().unwrap_or(0) > 1;
                out.push(profile(
                    if shared {
                        format!("{name}-{id}")
                    } else {
                        name.clone()
                    },
                    Caller::User {
                        name: name.clone(),
                        account: Some(id.clone()),
                    },
                    format!("arn:aws:iam::{id}:user/{name}"),
                    key.map(|k| (k.access_key_id.clone(), k.secret_access_key.clone())),
                ));
            }
            for (role, r) in &account.roles {
                for session in &r.sessions {
                    out.push(profile(
                        format!("{role}-{}", session.name),
                        Caller::RoleSession {
                            role: role.clone(),
                            session: session.name.clone(),
                            account: Some(id.clone()),
                        },
                        format!("arn:aws:sts::{id}:assumed-role/{role}/{}", session.name),
                        Some((session.access_key_id.clone(), String::new())),
                    ));
                }
            }
        }
        let default = self
            .default_profile
            .as_ref()
            .and_then(|name| out.iter().find(|p| &p.name == name))
            .or_else(|| out.first())
            .cloned();
        if let Some(mut d) = default {
            d.name = "default".to_owned();
            out.insert(0, d);
        }
        out
    }

    /// The profile called `name`, if the world has it.
    pub fn profile(&self, world: &World, name: &str) -> Option<Profile> {
        self.profiles(world).into_iter().find(|p| p.name == name)
    }

    /// Runs one command line (`aws s3api put-object --bucket b --key k --body f`) against
    /// `world` at simulated time `now`. `curl URL` (`-X PUT -T FILE`, `-I`, `-H`, `-o FILE`)
    /// uses a URL, pre-signed or not, from the same terminal.
    pub fn run(&mut self, world: &mut World, line: &str, now: Timestamp) -> ConsoleResult {
        if let Ok(words) = crate::tokenize(line)
            && let Some((first, rest)) = words.split_first()
            && first == "curl"
        {
            return curl::run(self, world, rest, now);
        }
        self.run_parsed(world, parse_line(line), now)
    }

    /// Runs a command already split into words (as a shell passes them), with or without the
    /// leading `aws`.
    pub fn run_words(
        &mut self,
        world: &mut World,
        words: &[String],
        now: Timestamp,
    ) -> ConsoleResult {
        let rest = match words.split_first() {
            Some((first, rest)) if first == "aws" => rest,
            Some((first, rest)) if first == "curl" => return curl::run(self, world, rest, now),
            _ => words,
        };
        self.run_parsed(world, parse_words(rest).map_err(CliError::from), now)
    }

    fn run_parsed(
        &mut self,
        world: &mut World,
        parsed: Result<crate::command::Invocation, CliError>,
        now: Timestamp,
    ) -> ConsoleResult {
        let invocation = match parsed {
            Ok(i) => i,
            Err(e) => {
                let code = match &e {
                    CliError::Usage(u) => u.exit_code(),
                    CliError::Tokenize(_) => 2,
                    CliError::NotAws { .. } => 127,
                };
                return ConsoleResult::failed(e.terminal_text(), code);
            }
        };
        let globals = invocation.globals;
        match invocation.command {
            Command::ConfigureSet(set) => {
                let key = setting_key(&set.name, globals.profile.as_deref());
                self.settings.insert(key, set.value);
                ConsoleResult::failed(String::new(), 0)
            }
            Command::ConfigureGet { name } => {
                let key = setting_key(&name, globals.profile.as_deref());
                match self.settings.get(&key) {
                    // The CLI prints the value, or nothing and status 1 when it is not set.
                    Some(value) => ConsoleResult {
                        stdout: format!("{value}\n"),
                        ..ConsoleResult::failed(String::new(), 0)
                    },
                    None => ConsoleResult::failed(String::new(), 1),
                }
            }
            Command::Help { topic } => {
                let what = if topic.is_empty() {
                    "aws".to_owned()
                } else {
                    format!("aws {}", topic.join(" "))
                };
                ConsoleResult {
                    stdout: format!(
                        "the playground does not ship the AWS CLI manual; see https://docs.aws.amazon.com/cli/latest/reference/ for `{what} help`\n"
                    ),
                    ..ConsoleResult::failed(String::new(), 0)
                }
            }
            command => {
                let profile_name = globals
                    .profile
                    .clone()
                    .unwrap_or_else(|| "default".to_owned());
                let profile = if globals.no_sign_request {
                    Some(Profile {
                        name: profile_name.clone(),
                        caller: Caller::Anonymous,
                        arn: String::new(),
                        access_key_id: None,
                        secret_access_key: None,
                    })
                } else {
                    self.profile(world, &profile_name)
                };
                let Some(profile) = profile else {
                    return ConsoleResult::failed(
                        format!("\nThe config profile ({profile_name}) could not be found\n"),
                        GENERAL_ERROR_EXIT_CODE,
                    );
                };
                let mut run = Run {
                    console: self,
                    world,
                    now,
                    profile,
                    globals,
                    out: ConsoleResult::failed(String::new(), 0),
                };
                let code = match command {
                    Command::S3(c) => run.s3(c),
                    Command::S3Api(c) => run.s3api(*c),
                    Command::GetCallerIdentity => run.caller_identity(),
                    Command::Identity(c) => run.identity(c),
                    Command::S3Control(c) => run.s3control(c),
                    Command::Kms(k) => run.kms(k),
                    Command::Glacier(g) => run.glacier(g),
                    _ => Ok(0),
                };
                let mut out = run.out;
                match code {
                    Ok(code) => out.exit_code = code,
                    Err(stop) => {
                        out.stderr.push_str(&stop.stderr);
                        out.exit_code = stop.code;
                    }
                }
                out
            }
        }
    }

    /// Runs a script against the same world, one command per line, starting at `start`: blank
    /// lines and `#` comments are skipped, `sleep N` moves the simulated clock on by N seconds,
    /// and `{code:SERIAL}` in a line becomes the code that MFA device shows at that moment (see
    /// [`expand_mfa_codes`]). Returns each command as run with its result.
    pub fn run_script(
        &mut self,
        world: &mut World,
        script: &str,
        start: Timestamp,
    ) -> Vec<(String, ConsoleResult)> {
        self.run_script_lines(world, script, start)
            .into_iter()
            .map(|l| (l.command, l.result))
            .collect()
    }

    /// [`Console::run_script`] with each command's line number (1-based, counting blank and
    /// comment lines), so a failure can name its line. Every line runs, as in a shell script;
    /// a line written `! aws …` is meant to fail (a refusal the script demonstrates);
    /// [`script_exit_code`] gives the script's exit status (the first unexpected result's).
    pub fn run_script_lines(
        &mut self,
        world: &mut World,
        script: &str,
        start: Timestamp,
    ) -> Vec<ScriptLine> {
        let mut now = start;
        let mut out = Vec::new();
        for (i, line) in script.lines().map(str::trim).enumerate() {
            let number = i + 1;
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(arg) = line.strip_prefix("sleep ") {
                match arg.trim().parse::<u64>() {
                    Ok(seconds) => now = now.plus(seconds),
                    Err(_) => out.push(ScriptLine {
                        number,
                        expect_failure: false,
                        command: line.to_owned(),
                        result: ConsoleResult::failed(
                            format!(
                                "line {number}: `sleep` takes a whole number of seconds, not `{}`\n",
                                arg.trim()
                            ),
                            GENERAL_ERROR_EXIT_CODE,
                        ),
                    }),
                }
                continue;
            }
            // `! aws …` says the command is meant to fail, as the shell's `!` negates a status.
            let (expect_failure, line) = match line.strip_prefix("! ") {
                Some(rest) => (true, rest.trim_start()),
                None => (false, line),
            };
            let line = expand_mfa_codes(world, line, now);
            let result = self.run(world, &line, now);
            out.push(ScriptLine {
                number,
                command: line,
                result,
                expect_failure,
            });
        }
        out
    }

    /// The region requests and pre-signed URLs use: `--region`, else `aws configure set region`,
    /// else `us-east-1`.
    pub fn region(&self, globals: &GlobalOptions) -> String {
        let profile = globals.profile.as_deref().unwrap_or("default");
        globals
            .region
            .clone()
            .or_else(|| {
                self.settings
                    .get(&setting_key("region", Some(profile)))
                    .cloned()
            })
            .unwrap_or_else(|| "us-east-1".to_owned())
    }
}

/// One command of a script: its line number, the command as run (MFA codes filled in) and
/// its result.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScriptLine {
    /// 1-based line number in the script.
    pub number: usize,
    /// The command as run.
    pub command: String,
    /// What it printed and its exit status.
    pub result: ConsoleResult,
    /// The line was written `! aws …`: the command is meant to fail.
    pub expect_failure: bool,
}

impl ScriptLine {
    /// Whether the line went as written: a plain command succeeded, a `!` command failed.
    pub fn as_expected(&self) -> bool {
        (self.result.exit_code == 0) != self.expect_failure
    }

    /// The status the line contributes to the script's: its own when it failed unexpectedly,
    /// 1 when a `!` command succeeded, 0 when it went as written.
    pub fn status(&self) -> u8 {
        match (self.as_expected(), self.expect_failure) {
            (true, _) => 0,
            (false, true) => 1,
            (false, false) => self.result.exit_code,
        }
    }
}

/// A script's exit status: the status of its first line that did not go as written (see
/// [`ScriptLine::status`]), 0 when every line did.
pub fn script_exit_code(lines: &[ScriptLine]) -> u8 {
    lines
        .iter()
        .map(ScriptLine::status)
        .find(|c| *c != 0)
        .unwrap_or(0)
}

/// Where `aws configure set NAME` stores a value: a bare name belongs to the profile given with
/// `--profile` (`profile.alice.region`) or to `default` (`default.region`); dotted names are kept.
fn setting_key(name: &str, profile: Option<&str>) -> String {
    if name.contains('.') {
        return name.to_owned();
    }
    match profile {
        Some(p) if p != "default" => format!("profile.{p}.{name}"),
        _ => format!("default.{name}"),
    }
}

/// Replaces each `{code:SERIAL}` in `line` by the code the MFA device `SERIAL` (a root user's or
/// an IAM user's virtual device in `world`) shows at `now`, as a learner reads it off the
/// device panel. Unknown serials are left as typed.
pub fn expand_mfa_codes(world: &World, line: &str, now: Timestamp) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find("{code:") {
        let (before, after) = rest.split_at(start);
        out.push_str(before);
        let Some(end) = after.find('}') else {
            out.push_str(after);
            return out;
        };
        let serial = after.get(6..end).unwrap_or_default();
        let secret = world.accounts.values().find_map(|a| {
            a.root
                .mfa_devices
                .iter()
                .chain(a.users.values().flat_map(|u| u.mfa_devices.iter()))
                .find(|d| d.serial == serial)
                .map(|d| d.secret_base32.clone())
        });
        match secret.and_then(|s| s3pg_sim::mfa::current_code(&s, now.epoch_seconds())) {
            Some(code) => out.push_str(&code),
            None => out.push_str(after.get(..=end).unwrap_or_default()),
        }
        rest = after.get(end + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

fn profile(name: String, caller: Caller, arn: String, key: Option<(String, String)>) -> Profile {
    let key = key.filter(|(id, _)| !id.is_empty());
    Profile {
        name,
        // Signing with the access key lets the world check it (deactivated keys are refused).
        caller: match &key {
            Some((id, _)) => Caller::AccessKey { id: id.clone() },
            None => caller,
        },
        arn,
        access_key_id: key.as_ref().map(|(id, _)| id.clone()),
        secret_access_key: key.map(|(_, secret)| secret).filter(|s| !s.is_empty()),
    }
}

/// One command being run: who sends it, and what has been printed so far.
pub(crate) struct Run<'a> {
    pub console: &'a mut Console,
    pub world: &'a mut World,
    pub now: Timestamp,
    pub profile: Profile,
    pub globals: GlobalOptions,
    pub out: ConsoleResult,
}

impl Run<'_> {
    /// Sends one request as the profile and records it with its outcome.
    pub fn send(&mut self, operation: Operation, headers: &[(&str, String)]) -> Outcome {
        let scheme = match &self.globals.endpoint_url {
            Some(url) if url.starts_with("http://") => Scheme::Http,
            _ => Scheme::Https,
        };
        let mut request = Request::new(self.profile.caller.clone(), operation);
        request.network = Network {
            scheme,
            ..self.console.network.clone()
        };
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let outcome = self.world.handle(&request, self.now);
        if self.globals.debug {
            self.out.stderr.push_str(&output::debug_trace(&outcome));
        }
        self.out.requests.push(request);
        self.out.outcomes.push(outcome.clone());
        outcome
    }

    /// `aws sts get-caller-identity`: the identity the world authenticates the profile as.
    /// STS is not an S3 operation, so no request is recorded.
    fn caller_identity(&mut self) -> Result<u8, Stop> {
        match self.world.authenticate(&self.profile.caller, self.now) {
            Ok((identity, _)) if !identity.is_anonymous() => {
                self.print_json(&serde_json::json!({
                    "UserId": identity.user_id,
                    "Account": identity.account.unwrap_or_default(),
                    "Arn": identity.arn,
                }));
                Ok(0)
            }
            Ok(_) => Err(Stop::new(
                "\nAn error occurred (MissingAuthenticationToken) when calling the GetCallerIdentity operation: Request is missing Authentication Token\n",
                SERVICE_ERROR_EXIT_CODE,
            )),
            Err(s3pg_sim::S3Error::ExpiredToken) => Err(Stop::new(
                "\nAn error occurred (ExpiredToken) when calling the GetCallerIdentity operation: The security token included in the request is expired\n",
                SERVICE_ERROR_EXIT_CODE,
            )),
            Err(_) => Err(Stop::new(
                "\nAn error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid.\n",
                SERVICE_ERROR_EXIT_CODE,
            )),
        }
    }

    /// Prints `text` on stdout.
    pub fn print(&mut self, text: &str) {
        self.out.stdout.push_str(text);
    }

    /// Prints a response as the CLI does: `--query` applied (a subset of JMESPath: `A.B`,
    /// `A[]`, `A[0]`), then JSON (nothing for an empty object) or `--output text` for scalars
    /// and lists of scalars. What the playground cannot format is said on stderr, and JSON is
    /// printed instead.
    pub fn print_json(&mut self, value: &Value) {
        let mut value = value.clone();
        if let Some(q) = self.globals.query.clone() {
            match output::query(&value, &q) {
                Some(v) => value = v,
                None => self.out.stderr.push_str(&format!(
                    "s3pg: `--query {q}` uses JMESPath the playground does not evaluate yet (it knows `A.B`, `A[]`, `A[0]`); the whole response follows\n"
                )),
            }
        }
        let format = self
            .globals
            .output
            .clone()
            .or_else(|| self.console.settings.get("output").cloned())
            .or_else(|| self.console.settings.get("default.output").cloned())
            .unwrap_or_else(|| "json".to_owned());
        if let Some(text) = output::text(&value).filter(|_| format == "text") {
            self.print(&text);
            return;
        }
        if format != "json" {
            self.out.stderr.push_str(&format!(
                "s3pg: `--output {format}` is not available for this response in the playground; showing JSON\n"
            ));
        }
        if self.globals.query.is_some() {
            // A query result is printed even when it is empty or null.
            let text = output::json_any(&value);
            self.print(&text);
        } else {
            let text = output::json(&value);
            self.print(&text);
        }
    }

    /// Resolves a `file://` / `fileb://` value from the file panel (the CLI's paramfile).
    pub fn param_text(&self, option: &str, value: &ArgValue) -> Result<String, Stop> {
        match value {
            ArgValue::Text(text) => Ok(text.clone()),
            ArgValue::File { path, binary } => {
                let uri = format!("{}{path}", if *binary { "fileb://" } else { "file://" });
                match self.console.file(path) {
                    Some(bytes) => Ok(String::from_utf8_lossy(bytes).into_owned()),
                    None => Err(Stop::new(
                        paramfile_error(
                            option,
                            &uri,
                            &format!("[Errno 2] No such file or directory: '{path}'"),
                        ),
                        USAGE_EXIT_CODE,
                    )),
                }
            }
        }
    }

    /// Reads a structured parameter: JSON when it starts with `{` or `[`, shorthand otherwise.
    pub fn structured(&self, option: &str, value: &ArgValue) -> Result<Value, Stop> {
        let text = self.param_text(option, value)?;
        let json = if is_json(&text) {
            text.clone()
        } else {
            Shorthand::parse(&text)
                .map_err(|e| {
                    Stop::new(
                        format!("\nError parsing parameter '{option}': {e}, for input:\n{text}\n"),
                        USAGE_EXIT_CODE,
                    )
                })?
                .to_json()
        };
        serde_json::from_str(&json).map_err(|e| {
            Stop::new(
                format!(
                    "\nError parsing parameter '{option}': Invalid JSON: {e}\nJSON received: {text}\n"
                ),
                USAGE_EXIT_CODE,
            )
        })
    }

    /// The S3 error of an outcome as the CLI words it, if the request failed.
    pub fn service_error(outcome: &Outcome) -> Option<String> {
        (outcome.status >= 300).then(|| error_sentence(outcome))
    }

    /// Fails the command with a service error (stderr `\nAn error occurred …\n`, exit 254).
    pub fn fail_if_error(outcome: &Outcome) -> Result<(), Stop> {
        match Self::service_error(outcome) {
            Some(sentence) => Err(Stop::new(
                format!("\n{sentence}\n"),
                SERVICE_ERROR_EXIT_CODE,
            )),
            None => Ok(()),
        }
    }
}

/// Fails with the CLI's "Parameter validation failed" message for members a shape does not have.
pub(crate) fn check_members(value: &Value, shape: &str, allowed: &[&str]) -> Result<(), Stop> {
    let Some(map) = value.as_object() else {
        return Err(Stop::new(
            format!(
                "\nParameter validation failed:\nInvalid type for parameter {shape}, value: {value}, type: <class 'str'>, valid types: <class 'dict'>\n"
            ),
            USAGE_EXIT_CODE,
        ));
    };
    for key in map.keys() {
        if !allowed.contains(&key.as_str()) {
            return Err(Stop::new(
                format!(
                    "\nParameter validation failed:\nUnknown parameter in {shape}: \"{key}\", must be one of: {}\n",
                    allowed.join(", ")
                ),
                USAGE_EXIT_CODE,
            ));
        }
    }
    Ok(())
}
