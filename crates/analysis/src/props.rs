//! Request properties a grant can depend on — the scheme (`aws:SecureTransport`), the source IP
//! (`aws:SourceIp`), the VPC endpoint (`aws:SourceVpce`, `aws:SourceVpc`), request headers
//! (`s3:x-amz-server-side-encryption`, `s3:x-amz-acl`, …) and an MFA code (`x-amz-mfa`) — and
//! the values worth trying, read from the conditions of the policies the world holds. Nothing is
//! guessed: a property change is only ever reported after a dry run with it.
//!
//! The keys are IAM's global condition keys
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>) and
//! S3's (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html>).

use std::collections::BTreeSet;
use std::fmt;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use s3pg_sim::request::Scheme;
use s3pg_sim::trace::PolicyTrace;
use s3pg_sim::{Request, Timestamp, World};

/// One change to a request's own properties.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "change")]
pub enum RequestChange {
    /// Send over this scheme.
    Scheme {
        /// `true` for HTTPS.
        https: bool,
    },
    /// Send from this public IP address (and not through a VPC endpoint).
    SourceIp {
        /// The address.
        ip: String,
    },
    /// Send through this gateway VPC endpoint.
    #[serde(rename_all = "camelCase")]
    VpcEndpoint {
        /// The endpoint id.
        endpoint: String,
        /// The VPC, when the world does not know the endpoint.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        vpc: Option<String>,
    },
    /// Leave the VPC endpoint (send over the internet).
    NoVpcEndpoint,
    /// Add (or replace) a header.
    SetHeader {
        /// The header name, lower case.
        name: String,
        /// The value.
        value: String,
    },
    /// Remove a header.
    RemoveHeader {
        /// The header name.
        name: String,
    },
}

impl RequestChange {
    /// Applies the change to a request.
    pub fn apply(&self, request: &mut Request) {
        match self {
            RequestChange::Scheme { https } => {
                request.network.scheme = if *https { Scheme::Https } else { Scheme::Http };
            }
            RequestChange::SourceIp { ip } => {
                request.network.source_ip.clone_from(ip);
                request.network.vpc_endpoint = None;
                request.network.vpc = None;
            }
            RequestChange::VpcEndpoint { endpoint, vpc } => {
                request.network.vpc_endpoint = Some(endpoint.clone());
                request.network.vpc.clone_from(vpc);
            }
            RequestChange::NoVpcEndpoint => {
                request.network.vpc_endpoint = None;
                request.network.vpc = None;
            }
            RequestChange::SetHeader { name, value } => {
                request.headers.insert(name.clone(), value.clone());
            }
            RequestChange::RemoveHeader { name } => {
                request.headers.remove(name);
            }
        }
    }

    /// True when the change would leave the request as it is (what [`RequestChange::apply`]
    /// writes is already there). Read field by field: who-can asks this of every candidate
    /// change for every row, and a request can carry a whole policy document.
    pub fn is_noop(&self, request: &Request) -> bool {
        let net = &request.network;
        match self {
            RequestChange::Scheme { https } => {
                net.scheme == if *https { Scheme::Https } else { Scheme::Http }
            }
            RequestChange::SourceIp { ip } => {
                &net.source_ip == ip && net.vpc_endpoint.is_none() && net.vpc.is_none()
            }
            RequestChange::VpcEndpoint { endpoint, vpc } => {
                net.vpc_endpoint.as_ref() == Some(endpoint) && &net.vpc == vpc
            }
            RequestChange::NoVpcEndpoint => net.vpc_endpoint.is_none() && net.vpc.is_none(),
            RequestChange::SetHeader { name, value } => request.headers.get(name) == Some(value),
            RequestChange::RemoveHeader { name } => !request.headers.contains_key(name),
        }
    }
}

impl fmt::Display for RequestChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestChange::Scheme { https: true } => write!(f, "over HTTPS"),
            RequestChange::Scheme { https: false } => write!(f, "over plain HTTP"),
            RequestChange::SourceIp { ip } => write!(f, "from source IP `{ip}`"),
            RequestChange::VpcEndpoint { endpoint, .. } => {
                write!(f, "through VPC endpoint `{endpoint}`")
            }
            RequestChange::NoVpcEndpoint => write!(f, "not through a VPC endpoint"),
            RequestChange::SetHeader { name, value } => write!(f, "with `{name}: {value}`"),
            RequestChange::RemoveHeader { name } => write!(f, "without the `{name}` header"),
        }
    }
}

/// One condition of a policy, as written: operator, key, values.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ConditionEntry {
    /// The operator (`IpAddress`, `StringEquals`, `Null`, …).
    pub operator: String,
    /// The key (`aws:SourceIp`).
    pub key: String,
    /// The values.
    pub values: Vec<String>,
}

/// The conditions of a policy document (JSON as the world stores it).
pub fn conditions_of(document: &serde_json::Value) -> Vec<ConditionEntry> {
    let mut out = Vec::new();
    let statements = match document.get("Statement") {
        Some(serde_json::Value::Array(items)) => items.iter().collect::<Vec<_>>(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    for st in statements {
        let Some(serde_json::Value::Object(ops)) = st.get("Condition") else {
            continue;
        };
        for (operator, block) in ops {
            let serde_json::Value::Object(keys) = block else {
                continue;
            };
            for (key, values) in keys {
                let values = match values {
                    serde_json::Value::Array(items) => items.iter().map(scalar).collect(),
                    other => vec![scalar(other)],
                };
                out.push(ConditionEntry {
                    operator: operator.clone(),
                    key: key.clone(),
                    values,
                });
            }
        }
    }
    out
}

fn scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Every policy document the world holds, with where it is (for conditions and for edits).
pub fn policy_documents(world: &World) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for b in world.buckets.values() {
        out.extend(b.policy.iter().cloned());
    }
    for a in world.accounts.values() {
        out.extend(a.scp.iter().cloned());
        for u in a.users.values() {
            out.extend(u.policies.iter().map(|p| p.document.clone()));
            out.extend(u.permissions_boundary.iter().cloned());
        }
        for g in a.groups.values() {
            out.extend(g.policies.iter().map(|p| p.document.clone()));
        }
        for r in a.roles.values() {
            out.extend(r.policies.iter().map(|p| p.document.clone()));
            out.extend(r.permissions_boundary.iter().cloned());
            for s in &r.sessions {
                out.extend(s.session_policy.iter().cloned());
            }
        }
    }
    for e in world.vpc_endpoints.values() {
        out.extend(e.policy.iter().cloned());
    }
    for k in world.kms.keys.values() {
        if let Ok(v) = serde_json::from_str(k.policy.text()) {
            out.push(v);
        }
    }
    out
}

/// The request changes worth trying in `world`, read from its policies' conditions, for a
/// request like `request` (changes that would leave it as it is are left out). `now` is used
/// to compute the current MFA code of each device when a bucket has MFA Delete on.
pub fn candidate_changes(world: &World, request: &Request, now: Timestamp) -> Vec<RequestChange> {
    let mut all = world_changes(world, now);
    for name in request.headers.keys() {
        all.push(RequestChange::RemoveHeader { name: name.clone() });
    }
    all.sort();
    all.dedup();
    all.into_iter().filter(|c| !c.is_noop(request)).collect()
}

impl RequestChange {
    /// True when the change can make a difference to a condition on one of `keys` (lower-case
    /// condition keys) or, for an MFA code, to MFA Delete.
    pub fn addresses(&self, keys: &BTreeSet<String>, mfa_delete: bool) -> bool {
        let has = |k: &str| keys.contains(k);
        match self {
            RequestChange::Scheme { .. } => has("aws:securetransport") || has("s3:tlsversion"),
            RequestChange::SourceIp { .. } => has("aws:sourceip"),
            RequestChange::VpcEndpoint { .. } | RequestChange::NoVpcEndpoint => {
                has("aws:sourcevpce") || has("aws:sourcevpc") || has("aws:sourceip")
            }
            RequestChange::SetHeader { name, .. } | RequestChange::RemoveHeader { name } => {
                (name == "x-amz-mfa" && mfa_delete)
                    || has(&format!("s3:{name}"))
                    || (name == "x-amz-server-side-encryption"
                        && has("s3:x-amz-server-side-encryption-aws-kms-key-id"))
            }
        }
    }
}

/// The request changes the world's policies make worth trying, whatever the request.
pub fn world_changes(world: &World, now: Timestamp) -> Vec<RequestChange> {
    let mut set: BTreeSet<RequestChange> = BTreeSet::new();
    set.insert(RequestChange::Scheme { https: true });
    set.insert(RequestChange::Scheme { https: false });
    set.insert(RequestChange::NoVpcEndpoint);
    for (id, e) in &world.vpc_endpoints {
        let _ = e;
        set.insert(RequestChange::VpcEndpoint {
            endpoint: id.clone(),
            vpc: None,
        });
    }
    for doc in policy_documents(world) {
        for c in conditions_of(&doc) {
            changes_for(world, &c, &mut set);
        }
    }
    if world.buckets.values().any(|b| b.mfa_delete) {
        for (serial, code) in mfa_codes(world, now) {
            set.insert(RequestChange::SetHeader {
                name: "x-amz-mfa".to_owned(),
                value: format!("{serial} {code}"),
            });
        }
    }
    set.into_iter().collect()
}

/// The condition keys (lower case) of the statements a dry run involved: statements whose
/// principal, action and resource all matched the request, so that only their conditions
/// decided whether they apply. `None` when the trace carries no policy evaluation to read.
pub fn involved_condition_keys(outcome: &s3pg_sim::Outcome) -> Option<BTreeSet<String>> {
    let mut keys = BTreeSet::new();
    let mut any = false;
    for step in &outcome.trace {
        match &step.policy_trace {
            Some(PolicyTrace::Evaluated(list)) => {
                any = true;
                for (_, evaluation) in list {
                    for st in &evaluation.statements {
                        let involved = st.principal.as_ref().is_none_or(|p| p.matched)
                            && st.action.matched
                            && st.resource.as_ref().is_none_or(|r| r.matched);
                        if involved {
                            keys.extend(st.conditions.iter().map(|c| c.key.to_ascii_lowercase()));
                        }
                    }
                }
            }
            Some(PolicyTrace::Json(t)) => {
                any = true;
                collect_keys(t, &mut keys);
            }
            None => {}
        }
    }
    any.then_some(keys)
}

/// A statement a dry run involved (its principal, action and resource matched the request, so
/// only its conditions decided whether it applies): its effect, whether it applied, and the
/// condition keys it reads (lower case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvolvedStatement {
    /// `Deny` (else `Allow`, which in a cap layer — an SCP, a boundary, a session or endpoint
    /// policy — permits rather than grants).
    pub deny: bool,
    /// Whether the statement applied to the request.
    pub applies: bool,
    /// The condition keys, lower case.
    pub keys: BTreeSet<String>,
}

/// The statements a dry run involved, from every policy it evaluated; `None` when its trace
/// carries no per-statement evaluation to read (a saved or summarised trace).
pub fn involved_statements(outcome: &s3pg_sim::Outcome) -> Option<Vec<InvolvedStatement>> {
    let mut out = Vec::new();
    for step in &outcome.trace {
        match &step.policy_trace {
            Some(PolicyTrace::Evaluated(list)) => {
                for (_, evaluation) in list {
                    for st in &evaluation.statements {
                        let involved = st.principal.as_ref().is_none_or(|p| p.matched)
                            && st.action.matched
                            && st.resource.as_ref().is_none_or(|r| r.matched);
                        if involved && !st.conditions.is_empty() {
                            out.push(InvolvedStatement {
                                deny: st.effect == s3pg_policy::Effect::Deny,
                                applies: st.applies,
                                keys: st
                                    .conditions
                                    .iter()
                                    .map(|c| c.key.to_ascii_lowercase())
                                    .collect(),
                            });
                        }
                    }
                }
            }
            Some(PolicyTrace::Json(_)) => return None,
            None => {}
        }
    }
    Some(out)
}

impl RequestChange {
    /// Whether this change is one that [`RequestChange::can_turn`] may find cannot turn the
    /// answer around for `request` — false only when it provably cannot, so a condition summary
    /// that skips it is the summary that tries it.
    ///
    /// Only two changes are ever skipped, each because the only thing it changes is a condition
    /// key (no gate outside the policies reads it in that direction):
    /// - moving from HTTPS to plain HTTP (`aws:SecureTransport`, `s3:TlsVersion`; S3's own
    ///   HTTPS requirements, such as SSE-C's, can only refuse), and
    /// - another source IP for a request that does not come through a VPC endpoint
    ///   (`aws:SourceIp`).
    ///
    /// A policy layer refuses a request through a `Deny` that applies or the lack of an `Allow`
    /// that applies; it allows through an `Allow` that applies and no `Deny` that does. So a
    /// refused request can only be allowed by the change if some involved statement reading the
    /// key is an `Allow` (which could start to apply) or a `Deny` that applies (which could stop);
    /// an allowed one can only be refused if such a statement is a `Deny` (which could start to
    /// apply) or an `Allow` that applies (which could stop). Statements whose principal, action
    /// or resource did not match cannot apply whatever the conditions say.
    pub fn may_skip(&self, request: &Request) -> bool {
        match self {
            RequestChange::Scheme { https } => !*https,
            RequestChange::SourceIp { .. } => {
                request.network.vpc_endpoint.is_none() && request.network.vpc.is_none()
            }
            _ => false,
        }
    }

    /// Whether trying this change on `request`, whose dry run involved `statements` and was
    /// `allowed`, can turn the answer around (see [`RequestChange::may_skip`]).
    pub fn can_turn(
        &self,
        request: &Request,
        statements: &[InvolvedStatement],
        allowed: bool,
    ) -> bool {
        if !self.may_skip(request) {
            return true;
        }
        statements
            .iter()
            .filter(|s| self.addresses(&s.keys, false))
            .any(|s| {
                if allowed {
                    s.deny || s.applies
                } else {
                    !s.deny || s.applies
                }
            })
    }
}

fn collect_keys(v: &serde_json::Value, keys: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::Object(map) => {
            let matched = |name: &str| match map.get(name) {
                None | Some(serde_json::Value::Null) => true,
                Some(e) => e.get("matched").and_then(serde_json::Value::as_bool) == Some(true),
            };
            if map.contains_key("action") && map.contains_key("applies") {
                if matched("principal")
                    && matched("action")
                    && matched("resource")
                    && let Some(serde_json::Value::Array(conds)) = map.get("conditions")
                {
                    for c in conds {
                        if let Some(k) = c.get("key").and_then(serde_json::Value::as_str) {
                            keys.insert(k.to_ascii_lowercase());
                        }
                    }
                }
                return;
            }
            for x in map.values() {
                collect_keys(x, keys);
            }
        }
        serde_json::Value::Array(items) => {
            for x in items {
                collect_keys(x, keys);
            }
        }
        _ => {}
    }
}

fn mfa_codes(world: &World, now: Timestamp) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for a in world.accounts.values() {
        let devices = a
            .root
            .mfa_devices
            .iter()
            .chain(a.users.values().flat_map(|u| u.mfa_devices.iter()));
        for d in devices {
            if let Some(code) = world.mfa_code(&d.serial, now) {
                out.push((d.serial.clone(), code));
            }
        }
    }
    out
}

fn changes_for(world: &World, c: &ConditionEntry, set: &mut BTreeSet<RequestChange>) {
    let key = c.key.to_ascii_lowercase();
    let op = c.operator.as_str();
    let base_op = op.trim_end_matches("IfExists");
    match key.as_str() {
        "aws:securetransport" => {}
        "aws:sourceip" => {
            for v in &c.values {
                if let Some(ip) = address_in(v) {
                    set.insert(RequestChange::SourceIp { ip });
                }
            }
            if base_op == "NotIpAddress" || base_op == "IpAddress" {
                // An address outside every range written (documentation range TEST-NET-2).
                set.insert(RequestChange::SourceIp {
                    ip: "198.51.100.7".to_owned(),
                });
            }
        }
        "aws:sourcevpce" => {
            for v in &c.values {
                if !v.contains('*') && !v.contains('?') {
                    set.insert(RequestChange::VpcEndpoint {
                        endpoint: v.clone(),
                        vpc: world.vpc_endpoints.get(v).map(|e| e.vpc_id.clone()),
                    });
                }
            }
            set.insert(RequestChange::NoVpcEndpoint);
        }
        "aws:sourcevpc" => {
            for v in &c.values {
                let known = world.vpc_endpoints.iter().find(|(_, e)| &e.vpc_id == v);
                let change = match known {
                    Some((id, _)) => RequestChange::VpcEndpoint {
                        endpoint: id.clone(),
                        vpc: None,
                    },
                    None => RequestChange::VpcEndpoint {
                        endpoint: "vpce-0analysis".to_owned(),
                        vpc: Some(v.clone()),
                    },
                };
                set.insert(change);
            }
            set.insert(RequestChange::NoVpcEndpoint);
        }
        _ => {
            let Some(header) = key.strip_prefix("s3:") else {
                return;
            };
            if !header.starts_with("x-amz-") {
                return;
            }
            if base_op == "Null" {
                let value = default_header_value(header);
                set.insert(RequestChange::SetHeader {
                    name: header.to_owned(),
                    value,
                });
                set.insert(RequestChange::RemoveHeader {
                    name: header.to_owned(),
                });
                return;
            }
            for v in &c.values {
                if !v.contains('*') && !v.contains('?') && !v.contains("${") {
                    set.insert(RequestChange::SetHeader {
                        name: header.to_owned(),
                        value: v.clone(),
                    });
                }
            }
            if header == "x-amz-server-side-encryption-aws-kms-key-id" {
                set.insert(RequestChange::SetHeader {
                    name: "x-amz-server-side-encryption".to_owned(),
                    value: "aws:kms".to_owned(),
                });
            }
            set.insert(RequestChange::RemoveHeader {
                name: header.to_owned(),
            });
        }
    }
}

fn default_header_value(header: &str) -> String {
    match header {
        "x-amz-server-side-encryption" => "AES256",
        "x-amz-acl" => "bucket-owner-full-control",
        _ => "true",
    }
    .to_owned()
}

/// An address inside a CIDR (its first usable host) or the address itself.
fn address_in(value: &str) -> Option<String> {
    if let Ok(net) = value.parse::<ipnet::IpNet>() {
        let host = net.hosts().next().unwrap_or_else(|| net.network());
        return Some(host.to_string());
    }
    value.parse::<IpAddr>().ok().map(|a| a.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_taken_inside_the_ranges_written() {
        let table = [
            ("192.0.2.0/24", Some("192.0.2.1")),
            ("54.240.143.7", Some("54.240.143.7")),
            ("2001:db8::/32", Some("2001:db8::")),
            ("not an ip", None),
        ];
        for (value, expected) in table {
            assert_eq!(address_in(value).as_deref(), expected, "{value}");
        }
    }

    #[test]
    fn a_change_is_a_noop_exactly_when_applying_it_changes_nothing() {
        let plain = Request::new(
            s3pg_sim::Caller::Anonymous,
            s3pg_sim::request::Operation::GetBucketAcl { bucket: "b".into() },
        );
        let mut through_vpce = plain.clone().header("x-amz-acl", "private");
        through_vpce.network.vpc_endpoint = Some("vpce-1".into());
        let changes = [
            RequestChange::Scheme { https: true },
            RequestChange::Scheme { https: false },
            RequestChange::SourceIp {
                ip: plain.network.source_ip.clone(),
            },
            RequestChange::SourceIp {
                ip: "198.51.100.7".into(),
            },
            RequestChange::VpcEndpoint {
                endpoint: "vpce-1".into(),
                vpc: None,
            },
            RequestChange::VpcEndpoint {
                endpoint: "vpce-1".into(),
                vpc: Some("vpc-1".into()),
            },
            RequestChange::NoVpcEndpoint,
            RequestChange::SetHeader {
                name: "x-amz-acl".into(),
                value: "private".into(),
            },
            RequestChange::SetHeader {
                name: "x-amz-acl".into(),
                value: "public-read".into(),
            },
            RequestChange::RemoveHeader {
                name: "x-amz-acl".into(),
            },
        ];
        for request in [&plain, &through_vpce] {
            for c in &changes {
                let mut changed = request.clone();
                c.apply(&mut changed);
                assert_eq!(c.is_noop(request), &changed == request, "{c:?}");
            }
        }
    }

    #[test]
    fn only_a_statement_that_could_move_makes_a_change_worth_trying() {
        let request = Request::new(
            s3pg_sim::Caller::Anonymous,
            s3pg_sim::request::Operation::GetBucketAcl { bucket: "b".into() },
        );
        let http = RequestChange::Scheme { https: false };
        let tls = |deny: bool, applies: bool| InvolvedStatement {
            deny,
            applies,
            keys: BTreeSet::from(["aws:securetransport".to_owned()]),
        };
        // (statement, allowed, worth trying)
        let table = [
            (tls(true, false), false, false), // a Deny that may start to apply cannot grant
            (tls(true, false), true, true),   // … but can refuse
            (tls(true, true), false, true),   // a Deny that applies may stop applying
            (tls(false, false), false, true), // an Allow may start to apply
            (tls(false, false), true, false), // … which cannot refuse
            (tls(false, true), true, true),   // an Allow that applies may stop applying
        ];
        for (st, allowed, expected) in table {
            assert_eq!(
                http.can_turn(&request, std::slice::from_ref(&st), allowed),
                expected,
                "{st:?} allowed={allowed}"
            );
        }
        // A statement on another key does not count; other changes are always tried.
        let ip = InvolvedStatement {
            deny: false,
            applies: false,
            keys: BTreeSet::from(["aws:sourceip".to_owned()]),
        };
        assert!(!http.can_turn(&request, std::slice::from_ref(&ip), false));
        let header = RequestChange::SetHeader {
            name: "x-amz-acl".into(),
            value: "private".into(),
        };
        assert!(header.can_turn(&request, &[], false));
        assert!(RequestChange::Scheme { https: true }.can_turn(&request, &[], false));
    }

    #[test]
    fn conditions_are_read_as_written() {
        let doc = serde_json::json!({"Statement": [{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}, "IpAddress": {"aws:SourceIp": ["192.0.2.0/24", "203.0.113.0/24"]}}}]});
        let c = conditions_of(&doc);
        assert_eq!(c.len(), 2);
        assert_eq!(c[1].values, vec!["192.0.2.0/24", "203.0.113.0/24"]);
    }
}
