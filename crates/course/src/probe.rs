//! Running requests for the course: a learner's try, a challenge's hidden probe, a question's
//! claimed outcome. Each is a scenario step (request, optional time and MFA code, expectations in
//! the scenario format) run through the same world the playground uses.
//!
//! Probes never change the learner's world. A probe that is one request goes through the
//! pipeline's dry run, `World::authorize`, which answers exactly what `World::handle` would
//! (response, trace, effects) without copying the world unless a stage writes; a probe with
//! `before` requests, or one whose expectations look at the world afterwards, runs on a copy
//! through `World::handle`. [`run_probe`] is the one place that chooses.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use s3pg_sim::request::{Caller, Request, Scheme};
use s3pg_sim::scenario::{Expect, Step, StepReport, check, find_device, run_step};
use s3pg_sim::{Timestamp, World};

/// A request with its timing and what should come back (a scenario step without a name).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Action {
    /// The simulated time of the request (default: the previous request's time, or the start).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
    /// Seconds after the previous request (instead of `at`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_seconds: Option<u64>,
    /// Add `x-amz-mfa: SERIAL CODE` with the code this device shows at the request's time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_from_device: Option<String>,
    /// The request.
    pub request: Request,
    /// What should come back (scenario expectations; every field optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<Expect>,
}

impl Action {
    /// The scenario step this action is.
    pub fn to_step(&self, name: &str) -> Step {
        Step {
            name: name.to_owned(),
            at: self.at,
            after_seconds: self.after_seconds,
            mfa_from_device: self.mfa_from_device.clone(),
            mfa_code_at: None,
            request: self.request.clone(),
            expect: self.expect.clone(),
            save: std::collections::BTreeMap::new(),
        }
    }
}

/// What a learner's (or attacker's) request must look like, beyond its outcome: a try that asks
/// for "an upload without the header" is not passed by a `GetObject`. Every field is optional.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RequestMatch {
    /// The operation's name (`PutObject`, `GetObject`, `PresignedRequest`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// The caller must be one of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub callers: Vec<Caller>,
    /// The bucket the request names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket: Option<String>,
    /// The object key the request names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Request headers that must be present with these values (`null`: must be absent).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, Option<String>>,
    /// `http` or `https`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<Scheme>,
}

impl RequestMatch {
    /// What about `request` does not match, in words (empty: it matches).
    pub fn mismatches(&self, request: &Request) -> Vec<String> {
        let mut out = Vec::new();
        let op = request.operation.name();
        if let Some(want) = &self.operation
            && want != op
        {
            out.push(format!("this asks for a `{want}` request; you sent `{op}`"));
        }
        if !self.callers.is_empty() && !self.callers.iter().any(|c| same_caller(c, &request.caller))
        {
            let allowed = self
                .callers
                .iter()
                .map(|c| format!("`{}`", s3pg_sim::scenario::describe_caller(c)))
                .collect::<Vec<_>>()
                .join(" or ");
            out.push(format!(
                "send it as {allowed}, not as `{}`",
                s3pg_sim::scenario::describe_caller(&request.caller)
            ));
        }
        if let Some(b) = &self.bucket {
            let got = request.operation.bucket().unwrap_or("");
            if got != b {
                out.push(format!("send it to bucket `{b}`, not `{got}`"));
            }
        }
        if let Some(k) = &self.key {
            let got = operation_key(request);
            if got.as_deref() != Some(k.as_str()) {
                out.push(format!(
                    "send it for key `{k}`, not {}",
                    got.map_or("no key".to_owned(), |g| format!("`{g}`"))
                ));
            }
        }
        for (name, want) in &self.headers {
            let got = request.header_value(name);
            match (want, got) {
                (Some(w), Some(g)) if w == g => {}
                (None, None) => {}
                (Some(w), _) => out.push(format!("send the header `{name}: {w}`")),
                (None, Some(_)) => out.push(format!("send it without the header `{name}`")),
            }
        }
        if let Some(s) = self.scheme
            && s != request.network.scheme
        {
            let word = match s {
                Scheme::Https => "https",
                Scheme::Http => "http",
            };
            out.push(format!("send it over `{word}`"));
        }
        out
    }
}

/// Whether two callers are the same principal. An account left out on either side matches any
/// account (the world resolves it when only one account has that user or role).
pub fn same_caller(a: &Caller, b: &Caller) -> bool {
    let accounts = |x: &Option<String>, y: &Option<String>| match (x, y) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    };
    match (a, b) {
        (
            Caller::User { name, account },
            Caller::User {
                name: n2,
                account: a2,
            },
        ) => name == n2 && accounts(account, a2),
        (
            Caller::RoleSession {
                role,
                session,
                account,
            },
            Caller::RoleSession {
                role: r2,
                session: s2,
                account: a2,
            },
        ) => role == r2 && session == s2 && accounts(account, a2),
        _ => a == b,
    }
}

/// The object key a request names, if any (read from its JSON form so every operation counts).
pub fn operation_key(request: &Request) -> Option<String> {
    let value = serde_json::to_value(&request.operation).ok()?;
    let params = value.as_object()?.values().next()?;
    if let Some(k) = params.get("key").and_then(|k| k.as_str()) {
        return Some(k.to_owned());
    }
    // A pre-signed request names its key inside `presign`.
    params
        .get("presign")
        .and_then(|p| p.get("key"))
        .and_then(|k| k.as_str())
        .map(str::to_owned)
}

/// Runs `action` on `world` at `now` (both move on, as in a scenario) and checks it.
pub fn run_action(
    world: &mut World,
    now: &mut Timestamp,
    name: &str,
    action: &Action,
) -> StepReport {
    run_step(world, now, 0, &action.to_step(name))
}

/// Runs `action` as a dry run (`World::authorize`): the same timing, MFA code and checks as
/// [`run_action`], and the world does not change.
pub fn dry_run_action(world: &World, now: Timestamp, name: &str, action: &Action) -> StepReport {
    let mut at = action.at.unwrap_or(now);
    if let Some(s) = action.after_seconds {
        at = at.plus(s);
    }
    let mut request = action.request.clone();
    if let Some(serial) = &action.mfa_from_device {
        let code = find_device(world, serial)
            .and_then(|secret| s3pg_sim::mfa::current_code(&secret, at.epoch_seconds()))
            .unwrap_or_else(|| "000000".to_owned());
        request
            .headers
            .insert("x-amz-mfa".to_owned(), format!("{serial} {code}"));
    }
    let outcome = world.authorize(&request, at);
    let failures = action
        .expect
        .as_ref()
        .map(|e| check(e, &outcome, world))
        .unwrap_or_default();
    StepReport {
        index: 0,
        name: name.to_owned(),
        at,
        request,
        outcome,
        failures,
    }
}

/// Runs a probe without changing `world`: a lone request as a dry run, or `before` then
/// `action` on a copy. Returns the `before` steps' reports and the probe's own report.
pub fn run_probe(
    world: &World,
    now: Timestamp,
    before: &[Action],
    name: &str,
    action: &Action,
) -> (Vec<StepReport>, StepReport) {
    let looks_at_world = action.expect.as_ref().is_some_and(|e| e.world.is_some());
    if before.is_empty() && !looks_at_world {
        return (Vec::new(), dry_run_action(world, now, name, action));
    }
    let mut copy = world.clone();
    let mut t = now;
    let setup = before
        .iter()
        .map(|b| run_action(&mut copy, &mut t, "setup", b))
        .collect();
    let report = run_action(&mut copy, &mut t, name, action);
    (setup, report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(json: serde_json::Value) -> Request {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn request_match_names_each_difference() {
        let m: RequestMatch = serde_json::from_value(serde_json::json!({
            "operation": "PutObject",
            "callers": [{"user": {"name": "alice", "account": "111122223333"}}],
            "key": "a.txt",
            "headers": {"x-amz-server-side-encryption": null}
        }))
        .unwrap();
        let ok = request(serde_json::json!({
            "caller": {"user": {"name": "alice", "account": "111122223333"}},
            "operation": {"PutObject": {"bucket": "b", "key": "a.txt", "body": "x"}}
        }));
        assert!(m.mismatches(&ok).is_empty());
        let bad = request(serde_json::json!({
            "caller": "anonymous",
            "operation": {"GetObject": {"bucket": "b", "key": "z"}},
            "headers": {"x-amz-server-side-encryption": "AES256"}
        }));
        let got = m.mismatches(&bad);
        assert_eq!(got.len(), 4, "{got:?}");
        assert!(got[0].contains("`PutObject`"));
        assert!(got[1].contains("user alice"));
    }

    #[test]
    fn a_dry_run_probe_answers_as_handle_does_and_changes_nothing() {
        let scenario =
            s3pg_sim::scenario::Scenario::from_json(s3pg_sim::scenario::DEFAULT_SCENARIO).unwrap();
        for step in &scenario.steps {
            let action = Action {
                at: None,
                after_seconds: None,
                mfa_from_device: None,
                request: step.request.clone(),
                expect: step.expect.clone(),
            };
            let (_, dry) = run_probe(&scenario.world, scenario.start, &[], "p", &action);
            let mut copy = scenario.world.clone();
            let mut t = scenario.start;
            let live = run_action(&mut copy, &mut t, "p", &action);
            assert_eq!(dry.outcome, live.outcome);
            assert_eq!(dry.failures, live.failures);
        }
    }

    #[test]
    fn a_caller_without_its_account_matches_the_same_user() {
        let full: Caller = serde_json::from_value(
            serde_json::json!({"user": {"name": "alice", "account": "111122223333"}}),
        )
        .unwrap();
        let short: Caller =
            serde_json::from_value(serde_json::json!({"user": {"name": "alice"}})).unwrap();
        let other: Caller = serde_json::from_value(
            serde_json::json!({"user": {"name": "alice", "account": "444455556666"}}),
        )
        .unwrap();
        assert!(same_caller(&full, &short));
        assert!(same_caller(&short, &full));
        assert!(!same_caller(&full, &other));
        assert!(!same_caller(&full, &Caller::Anonymous));
    }
}
