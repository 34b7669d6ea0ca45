//! The caller of a request, as IAM names it: its ARNs and the values of the principal-derived
//! global keys (IAM UG `reference_identifiers.md`, `reference_policies_condition-keys.md`).

use serde::{Deserialize, Serialize};

/// The caller of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Principal {
    /// An unsigned request.
    Anonymous,
    /// The root user of an account.
    Root {
        /// 12-digit account id.
        account: String,
    },
    /// An IAM user with long-term credentials.
    User {
        /// 12-digit account id.
        account: String,
        /// Friendly name (`alice`).
        name: String,
        /// IAM path, `/` by default (`/division/`).
        path: String,
        /// Unique id (`AIDA…`).
        unique_id: String,
    },
    /// A session of an IAM role (`AssumeRole*`, EC2 instance roles, web identity, SAML).
    AssumedRole {
        /// 12-digit account id.
        account: String,
        /// Role name.
        role_name: String,
        /// Session name.
        session_name: String,
        /// Role path, `/` by default.
        role_path: String,
        /// Role unique id (`AROA…`).
        role_unique_id: String,
    },
    /// An STS federated-user session (`GetFederationToken`).
    FederatedUser {
        /// 12-digit account id.
        account: String,
        /// The caller-specified federated user name.
        name: String,
        /// ARN of the IAM user that called `GetFederationToken`, when known.
        parent_user_arn: Option<String>,
    },
    /// An AWS service principal (`logging.s3.amazonaws.com`).
    Service(String),
}

/// A deterministic stand-in for an IAM unique id (AWS's are random; ours must be reproducible).
fn fake_unique_id(prefix: &str, seed: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let mut out = prefix.to_string();
    for _ in 0..17 {
        let idx = usize::try_from(h % 32).unwrap_or(0);
        out.push(char::from(ALPHABET.get(idx).copied().unwrap_or(b'A')));
        h = h.rotate_right(5) ^ 0x9e37_79b9_7f4a_7c15;
    }
    out
}

fn normalise_path(path: &str) -> &str {
    if path.is_empty() { "/" } else { path }
}

impl Principal {
    /// Reads a principal from `anonymous`, an account root ARN, a user ARN, an assumed-role
    /// session ARN, a federated-user ARN, or a service name (`*.amazonaws.com`).
    /// Unique ids are derived deterministically from the ARN.
    pub fn from_arn(s: &str) -> Result<Principal, String> {
        if s == "anonymous" || s == "*" {
            return Ok(Principal::Anonymous);
        }
        if !s.starts_with("arn:") && s.ends_with(".amazonaws.com") {
            return Ok(Principal::Service(s.to_string()));
        }
        let bad = || {
            format!(
                "principal `{s}` is not `anonymous`, an account root, user, assumed-role session \
                 or federated-user ARN, or a service name"
            )
        };
        let [_, _, service, _, account, resource] = crate::values::split_arn(s).ok_or_else(bad)?;
        if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let account = account.to_string();
        match service {
            "iam" if resource == "root" => Ok(Principal::Root { account }),
            "iam" => {
                let rest = resource.strip_prefix("user/").ok_or_else(bad)?;
                let (path, name) = match rest.rfind('/') {
                    Some(i) => (
                        format!("/{}", rest.get(..=i).unwrap_or_default()),
                        rest.get(i + 1..).unwrap_or_default(),
                    ),
                    None => ("/".to_string(), rest),
                };
                if name.is_empty() {
                    return Err(bad());
                }
                Ok(Principal::User {
                    unique_id: fake_unique_id("AIDA", s),
                    account,
                    name: name.to_string(),
                    path,
                })
            }
            "sts" => {
                if let Some(rest) = resource.strip_prefix("assumed-role/") {
                    let (role, session) = rest.rsplit_once('/').ok_or_else(bad)?;
                    let (role_path, role_name) = match role.rfind('/') {
                        Some(i) => (
                            format!("/{}", role.get(..=i).unwrap_or_default()),
                            role.get(i + 1..).unwrap_or_default(),
                        ),
                        None => ("/".to_string(), role),
                    };
                    if role_name.is_empty() || session.is_empty() {
                        return Err(bad());
                    }
                    let role_arn = format!("arn:aws:iam::{account}:role{role_path}{role_name}");
                    Ok(Principal::AssumedRole {
                        role_unique_id: fake_unique_id("AROA", &role_arn),
                        account,
                        role_name: role_name.to_string(),
                        session_name: session.to_string(),
                        role_path,
                    })
                } else if let Some(name) = resource.strip_prefix("federated-user/") {
                    if name.is_empty() {
                        return Err(bad());
                    }
                    Ok(Principal::FederatedUser {
                        account,
                        name: name.to_string(),
                        parent_user_arn: None,
                    })
                } else {
                    Err(bad())
                }
            }
            _ => Err(bad()),
        }
    }

    /// The caller's account id (none for anonymous callers and services).
    pub fn account(&self) -> Option<&str> {
        match self {
            Principal::Anonymous | Principal::Service(_) => None,
            Principal::Root { account }
            | Principal::User { account, .. }
            | Principal::AssumedRole { account, .. }
            | Principal::FederatedUser { account, .. } => Some(account),
        }
    }

    /// The ARN that identifies this caller in a request (for role sessions: the session ARN).
    pub fn arn(&self) -> Option<String> {
        self.arn_parts().map(|parts| parts.concat())
    }

    /// [`Self::arn`] in pieces, to be written into a longer text without a copy of its own.
    pub(crate) fn arn_parts(&self) -> Option<[&str; 6]> {
        match self {
            Principal::Anonymous | Principal::Service(_) => None,
            Principal::Root { account } => Some(["arn:aws:iam::", account, ":root", "", "", ""]),
            Principal::User {
                account,
                name,
                path,
                ..
            } => Some([
                "arn:aws:iam::",
                account,
                ":user",
                normalise_path(path),
                name,
                "",
            ]),
            Principal::AssumedRole {
                account,
                role_name,
                session_name,
                ..
            } => Some([
                "arn:aws:sts::",
                account,
                ":assumed-role/",
                role_name,
                "/",
                session_name,
            ]),
            Principal::FederatedUser { account, name, .. } => {
                Some(["arn:aws:sts::", account, ":federated-user/", name, "", ""])
            }
        }
    }

    /// The value of `aws:PrincipalArn`: for role sessions the **role** ARN, otherwise [`Self::arn`].
    pub fn principal_arn(&self) -> Option<String> {
        match self {
            Principal::AssumedRole {
                account,
                role_name,
                role_path,
                ..
            } => Some(
                [
                    "arn:aws:iam::",
                    account,
                    ":role",
                    normalise_path(role_path),
                    role_name,
                ]
                .concat(),
            ),
            other => other.arn(),
        }
    }

    /// The value of `aws:PrincipalType`.
    pub fn principal_type(&self) -> &'static str {
        match self {
            Principal::Anonymous => "Anonymous",
            Principal::Root { .. } => "Account",
            Principal::User { .. } => "User",
            Principal::AssumedRole { .. } => "AssumedRole",
            Principal::FederatedUser { .. } => "FederatedUser",
            Principal::Service(_) => "Service",
        }
    }

    /// The value of `aws:userid`.
    pub fn user_id(&self) -> Option<String> {
        match self {
            Principal::Anonymous => Some("anonymous".into()),
            Principal::Root { account } => Some(account.clone()),
            Principal::User { unique_id, .. } => Some(unique_id.clone()),
            Principal::AssumedRole {
                role_unique_id,
                session_name,
                ..
            } => Some(format!("{role_unique_id}:{session_name}")),
            Principal::FederatedUser { account, name, .. } => Some(format!("{account}:{name}")),
            Principal::Service(_) => None,
        }
    }

    /// How the caller is named in plain sentences (its ARN, or `anonymous`, or the service).
    pub fn describe(&self) -> String {
        match self {
            Principal::Anonymous => "an anonymous caller".into(),
            Principal::Service(name) => format!("the service `{name}`"),
            other => format!("`{}`", other.arn().unwrap_or_default()),
        }
    }
}
