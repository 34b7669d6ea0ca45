//! The world facade: `World::handle(request, now)` runs S3's pipeline — authenticate, validate,
//! work out the required permissions, authorize through every gate, then execute — and returns
//! the response together with the whole trace.
//!
//! Follows S3's request authorization workflow
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html>).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::docs;
use crate::error::S3Error;
use crate::model::{Account, Bucket};
use crate::request::Caller;
use crate::time::Timestamp;
use crate::trace::{Gate, GateStep, StepOutcome};

/// The simulated world: every account and bucket, plus the counter that makes ids deterministic.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct World {
    /// Accounts by 12-digit id.
    #[serde(default)]
    pub accounts: BTreeMap<String, Account>,
    /// Buckets by name.
    #[serde(default)]
    pub buckets: BTreeMap<String, Bucket>,
    /// The next sequence number for version ids and request ids.
    #[serde(default)]
    pub sequence: u64,
    /// Which era of S3 behaviour the world follows where AWS changed it recently.
    #[serde(default, skip_serializing_if = "ExamMode::is_current")]
    pub exam_mode: ExamMode,
    /// The world's randomness (keys, nonces, salts): a seed and how many draws were made.
    #[serde(default)]
    pub entropy: WorldEntropy,
    /// The simulated AWS KMS: keys, key policies, aliases.
    #[serde(default, skip_serializing_if = "is_default")]
    pub kms: s3pg_kms::Kms,
    /// KMS keys a scenario declares; `normalize` creates them in [`World::kms`] (drawing the key
    /// material from the world's entropy) and empties this list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kms_keys: Vec<s3pg_kms::KeyDeclaration>,
    /// The root key S3 wraps SSE-S3 data keys with (created on first use).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sse_s3_root_key: Option<s3pg_crypto::KeyRing>,
    /// Gateway VPC endpoints for S3, by endpoint id (`vpce-…`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub vpc_endpoints: BTreeMap<String, crate::vpce::VpcEndpoint>,
    /// S3 Glacier vaults.
    #[serde(default, skip_serializing_if = "is_default")]
    pub glacier: s3pg_glacier::Glacier,
    /// CloudTrail trails.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trails: Vec<crate::model::TrailConfig>,
    /// Every server access-log line delivered so far (what [`World::query_logs`] searches).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_log_lines: Vec<String>,
    /// The running auditor (access-log buffer, CloudTrail events); not saved.
    #[serde(skip)]
    pub audit: crate::model::AuditRuntime,
    /// Every policy of the world, parsed once (derived state; not saved).
    #[serde(skip)]
    pub policies: crate::policies::PolicyCache,
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// Where S3 changed behaviour recently, which era the world follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ExamMode {
    /// S3 as documented today: SSE-C blocked on buckets created from April 2026 on.
    #[default]
    Current,
    /// S3 as most exam material describes it: SSE-C always available on new buckets.
    Classic,
}

impl ExamMode {
    fn is_current(&self) -> bool {
        *self == ExamMode::Current
    }
}

/// The world's source of randomness, reproducible: each draw is an independent stream derived
/// from the seed and the draw number. The UI may put browser randomness in `seed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WorldEntropy {
    /// The seed (any text).
    pub seed: String,
    /// Draws made so far.
    #[serde(default)]
    pub draws: u64,
}

impl Default for WorldEntropy {
    fn default() -> Self {
        WorldEntropy {
            seed: "s3pg".to_owned(),
            draws: 0,
        }
    }
}

impl WorldEntropy {
    /// A seed taken from the caller's randomness (the UI passes browser randomness; tests pass
    /// fixed bytes), written as hex so the world stays reproducible once saved.
    pub fn from_random(bytes: &[u8]) -> Self {
        WorldEntropy {
            seed: bytes.iter().map(|b| format!("{b:02x}")).collect(),
            draws: 0,
        }
    }

    /// The next independent stream of random bytes.
    pub fn next_stream(&mut self) -> s3pg_crypto::SeededEntropy {
        let draw = self.next_draw();
        self.stream(draw)
    }

    /// Counts one more draw and returns its number.
    pub fn next_draw(&mut self) -> u64 {
        self.draws = self.draws.wrapping_add(1);
        self.draws
    }

    /// The stream of draw number `draw` (what [`WorldEntropy::next_stream`] returns for it).
    pub fn stream(&self, draw: u64) -> s3pg_crypto::SeededEntropy {
        s3pg_crypto::SeededEntropy::from_seed(self.seed.as_bytes()).derive(&draw.to_be_bytes())
    }
}

/// What kind of principal sent a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum IdentityKind {
    /// Unsigned.
    Anonymous,
    /// An account's root user.
    Root,
    /// An IAM user.
    User {
        /// The user name.
        name: String,
    },
    /// A role session.
    RoleSession {
        /// The role name.
        role: String,
        /// The session name.
        session: String,
    },
    /// An AWS service principal acting on its own (the log delivery service writing an access
    /// log, CloudTrail writing a log file): no account, no identity policies; only a bucket
    /// policy naming the service, or an ACL grant to its group, lets it in.
    Service {
        /// The service principal (`logging.s3.amazonaws.com`).
        service: String,
    },
}

/// The authenticated caller, as the authorizer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Identity {
    /// The kind of principal.
    pub kind: IdentityKind,
    /// The caller's account (`None` for anonymous).
    pub account: Option<String>,
    /// The principal's ARN (the assumed-role ARN for sessions; empty for anonymous).
    pub arn: String,
    /// `aws:PrincipalArn` (the role ARN for sessions).
    pub principal_arn: String,
    /// `aws:userid`.
    pub user_id: String,
    /// The access key that signed, if any.
    pub access_key_id: Option<String>,
    /// Signed with temporary credentials (a role session).
    pub temporary: bool,
    /// When the session authenticated with MFA.
    pub mfa_authenticated_at: Option<Timestamp>,
    /// When the session token was issued.
    pub token_issued_at: Option<Timestamp>,
    /// For a pre-signed URL: milliseconds since `X-Amz-Date` (`s3:signatureAge`).
    pub signature_age_ms: Option<u64>,
}

impl Identity {
    /// The anonymous caller.
    pub fn anonymous() -> Self {
        Identity {
            kind: IdentityKind::Anonymous,
            account: None,
            arn: String::new(),
            principal_arn: String::new(),
            user_id: "anonymous".to_owned(),
            access_key_id: None,
            temporary: false,
            mfa_authenticated_at: None,
            token_issued_at: None,
            signature_age_ms: None,
        }
    }

    /// An AWS service principal (`logging.s3.amazonaws.com`, `cloudtrail.amazonaws.com`).
    pub fn service(service: &str) -> Self {
        Identity {
            kind: IdentityKind::Service {
                service: service.to_owned(),
            },
            arn: service.to_owned(),
            principal_arn: service.to_owned(),
            user_id: service.to_owned(),
            ..Identity::anonymous()
        }
    }

    /// The service principal, for an AWS service acting on its own.
    pub fn service_name(&self) -> Option<&str> {
        match &self.kind {
            IdentityKind::Service { service } => Some(service),
            _ => None,
        }
    }

    /// True for the root user.
    pub fn is_root(&self) -> bool {
        self.kind == IdentityKind::Root
    }

    /// True for anonymous callers.
    pub fn is_anonymous(&self) -> bool {
        self.kind == IdentityKind::Anonymous
    }

    /// How the trace names the caller.
    pub fn describe(&self) -> String {
        match &self.kind {
            IdentityKind::Anonymous => "an anonymous caller".to_owned(),
            IdentityKind::Service { service } => format!("the AWS service `{service}`"),
            _ => format!("`{}`", self.arn),
        }
    }
}

/// S3's request id for the `seq`-th request: 16 upper-case hexadecimal digits, as in
/// `x-amz-request-id: 4442587FB7D0A2F9` (S3 API reference, "Common response headers").
pub fn request_id(seq: u64) -> String {
    let mut z = (seq ^ 0x5EED).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    format!("{:016X}", z ^ (z >> 31))
}

/// A deterministic stand-in for S3's `x-amz-id-2` (the `HostId` of error documents and field 19
/// of access-log records): 76 base64 characters derived from the request id, as long as S3's.
pub fn host_id(request_id: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in request_id.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("{}=", opaque_id(h, 75).replace(['.', '_'], "/"))
}

/// A deterministic, URL-safe, opaque id made from a sequence number (splitmix64 mixing).
pub fn opaque_id(seq: u64, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";
    let mut state = seq.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut out = String::with_capacity(len);
    while out.len() < len {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        for _ in 0..8 {
            if out.len() >= len {
                break;
            }
            let i = usize::try_from(z % 64).unwrap_or(0);
            out.push(char::from(ALPHABET.get(i).copied().unwrap_or(b'A')));
            z /= 64;
        }
    }
    out
}

/// A deterministic 64-hex-digit canonical user id for an account that does not declare one.
pub fn default_canonical_id(account: &str) -> String {
    let mut out = String::with_capacity(64);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in account.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    for i in 0..4u64 {
        let mut z = h.wrapping_add(i.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        out.push_str(&format!("{z:016x}"));
    }
    out
}

impl World {
    /// An empty world.
    pub fn new() -> Self {
        World::default()
    }

    /// Fills in what a declared world may leave out: canonical ids, user/role ids, object owners,
    /// canned ACLs expanded into grants.
    pub fn normalize(&mut self) {
        for decl in std::mem::take(&mut self.kms_keys) {
            let mut e = self.entropy.next_stream();
            if let Err(err) = self.kms.declare_key(&decl, &mut e) {
                // A bad declaration leaves the key out; the first use then answers NotFound.
                let _ = err;
            }
        }
        for (id, account) in &mut self.accounts {
            if account.canonical_user_id.is_empty() {
                account.canonical_user_id = default_canonical_id(id);
            }
            if account.root.email.is_empty() {
                account.root.email = format!("root@{id}.example.com");
            }
            for (name, user) in &mut account.users {
                if user.user_id.is_empty() {
                    user.user_id = user_unique_id(id, name);
                }
            }
            for (name, role) in &mut account.roles {
                if role.role_id.is_empty() {
                    role.role_id = role_unique_id(id, name);
                }
            }
        }
        for bucket in self.buckets.values_mut() {
            let owner = bucket.owner.clone();
            if let Some(acl) = &mut bucket.acl {
                acl.normalize(&owner, &owner, false);
            }
            for entry in bucket.objects.values_mut() {
                for v in &mut entry.versions {
                    if v.owner.is_empty() {
                        v.owner = owner.clone();
                    }
                    // Every object S3 stores today is encrypted, with SSE-S3 at least (since
                    // January 2023); classic exam mode keeps declared objects as written.
                    if v.encryption.is_none()
                        && !v.delete_marker
                        && self.exam_mode == ExamMode::Current
                    {
                        v.encryption = Some("AES256".to_owned());
                    }
                    let vo = v.owner.clone();
                    if let Some(acl) = &mut v.acl {
                        acl.normalize(&vo, &owner, true);
                    }
                }
            }
        }
    }

    /// The next sequence number.
    pub(crate) fn next_seq(&mut self) -> u64 {
        self.sequence = self.sequence.wrapping_add(1);
        self.sequence
    }

    /// The canonical user id of an account (or the anonymous owner id).
    pub fn canonical_id(&self, account: &str) -> String {
        if account == crate::model::ANONYMOUS_OWNER {
            return crate::model::ANONYMOUS_CANONICAL_ID.to_owned();
        }
        match self.accounts.get(account) {
            Some(a) if !a.canonical_user_id.is_empty() => a.canonical_user_id.clone(),
            // A world built without `normalize` still gets the same deterministic id.
            _ => default_canonical_id(account),
        }
    }

    /// The account whose canonical user id this is.
    pub fn account_of_canonical_id(&self, canonical: &str) -> Option<&str> {
        self.accounts
            .iter()
            .find(|(_, a)| a.canonical_user_id == canonical)
            .map(|(id, _)| id.as_str())
    }

    /// Resolves the request's caller to an identity (the authentication gate).
    pub fn authenticate(
        &self,
        caller: &Caller,
        now: Timestamp,
    ) -> Result<(Identity, GateStep), S3Error> {
        let unknown_key = |id: &str| {
            let _ = id;
            S3Error::InvalidAccessKeyId
        };
        match caller {
            Caller::Anonymous => Ok((
                Identity::anonymous(),
                GateStep::new(
                    Gate::Authentication,
                    StepOutcome::Pass,
                    "the request is not signed, so S3 treats it as anonymous: only public grants can allow it; it carries `aws:PrincipalAccount` and `aws:userid` = `anonymous` and no principal ARN, organization or tags",
                    docs::AUTHENTICATION,
                )
                .compare("aws:PrincipalType", "Anonymous")
                .compare("aws:PrincipalAccount", "anonymous")
                .compare("aws:userid", "anonymous")
                .compare(
                    "absent",
                    "aws:PrincipalArn, aws:PrincipalOrgID, aws:PrincipalTag/*, aws:username, s3:authType, s3:signatureversion",
                ),
            )),
            Caller::Root { account } => {
                if !self.accounts.contains_key(account) {
                    return Err(unknown_key(account));
                }
                let key = self.accounts.get(account).and_then(|a| a.root.access_keys.first()).map(|k| k.access_key_id.clone());
                Ok(self.root_identity(account, key))
            }
            Caller::User { name, account } => {
                let account = self.find_account(account.as_deref(), |a| a.users.contains_key(name)).ok_or(S3Error::InvalidAccessKeyId)?;
                let key = self.accounts.get(&account).and_then(|a| a.users.get(name)).and_then(|u| u.access_keys.iter().find(|k| k.active)).map(|k| k.access_key_id.clone());
                Ok(self.user_identity(&account, name, key))
            }
            Caller::RoleSession { role, session, account } => {
                let account = self
                    .find_account(account.as_deref(), |a| {
                        a.roles.get(role).is_some_and(|r| r.sessions.iter().any(|s| &s.name == session))
                    })
                    .ok_or(S3Error::InvalidAccessKeyId)?;
                self.session_identity(&account, role, session, now)
            }
            Caller::AccessKey { id } => {
                for (acct_id, account) in &self.accounts {
                    if account.root.access_keys.iter().any(|k| &k.access_key_id == id && k.active) {
                        return Ok(self.root_identity(acct_id, Some(id.clone())));
                    }
                    for (name, user) in &account.users {
                        if user.access_keys.iter().any(|k| &k.access_key_id == id && k.active) {
                            return Ok(self.user_identity(acct_id, name, Some(id.clone())));
                        }
                        if let Some(s) = user.sessions.iter().find(|s| &s.access_key_id == id) {
                            return self.user_session_identity(acct_id, name, s, now);
                        }
                    }
                    for (role_name, role) in &account.roles {
                        if let Some(s) = role.sessions.iter().find(|s| &s.access_key_id == id) {
                            return self.session_identity(acct_id, role_name, &s.name.clone(), now);
                        }
                    }
                }
                Err(unknown_key(id))
            }
        }
    }

    fn find_account(&self, given: Option<&str>, has: impl Fn(&Account) -> bool) -> Option<String> {
        match given {
            Some(id) => self
                .accounts
                .get(id)
                .filter(|a| has(a))
                .map(|_| id.to_owned()),
            None => {
                let mut found = self
                    .accounts
                    .iter()
                    .filter(|(_, a)| has(a))
                    .map(|(id, _)| id.clone());
                let first = found.next();
                if found.next().is_some() { None } else { first }
            }
        }
    }

    fn root_identity(&self, account: &str, key: Option<String>) -> (Identity, GateStep) {
        let arn = format!("arn:aws:iam::{account}:root");
        let step = GateStep::new(
            Gate::Authentication,
            StepOutcome::Pass,
            format!("signed by the root user of account `{account}`; identity policies never apply to the root user"),
            docs::AUTHENTICATION,
        )
        .compare("aws:PrincipalArn", arn.clone())
        .compare("aws:PrincipalType", "Account");
        (
            Identity {
                kind: IdentityKind::Root,
                account: Some(account.to_owned()),
                arn: arn.clone(),
                principal_arn: arn,
                user_id: account.to_owned(),
                access_key_id: key,
                temporary: false,
                mfa_authenticated_at: None,
                token_issued_at: None,
                signature_age_ms: None,
            },
            step,
        )
    }

    fn user_identity(
        &self,
        account: &str,
        name: &str,
        key: Option<String>,
    ) -> (Identity, GateStep) {
        let arn = format!("arn:aws:iam::{account}:user/{name}");
        let user_id = self
            .accounts
            .get(account)
            .and_then(|a| a.users.get(name))
            .map(|u| u.user_id.clone())
            .filter(|id| !id.is_empty())
            .unwrap_or_else(|| user_unique_id(account, name));
        let mut step = GateStep::new(
            Gate::Authentication,
            StepOutcome::Pass,
            format!("signed with an access key of IAM user `{name}` in account `{account}` (long-term credentials)"),
            docs::AUTHENTICATION,
        )
        .compare("aws:PrincipalArn", arn.clone())
        .compare("aws:PrincipalType", "User");
        if let Some(k) = &key {
            step = step.compare("access key", k.clone());
        }
        (
            Identity {
                kind: IdentityKind::User {
                    name: name.to_owned(),
                },
                account: Some(account.to_owned()),
                arn: arn.clone(),
                principal_arn: arn,
                user_id,
                access_key_id: key,
                temporary: false,
                mfa_authenticated_at: None,
                token_issued_at: None,
                signature_age_ms: None,
            },
            step,
        )
    }

    /// An IAM user signing with the temporary credentials of `GetSessionToken`.
    fn user_session_identity(
        &self,
        account: &str,
        name: &str,
        session: &crate::model::UserSession,
        now: Timestamp,
    ) -> Result<(Identity, GateStep), S3Error> {
        if session.expires_at.is_some_and(|e| now >= e) {
            return Err(S3Error::ExpiredToken);
        }
        let (mut identity, mut step) =
            self.user_identity(account, name, Some(session.access_key_id.clone()));
        identity.temporary = true;
        identity.mfa_authenticated_at = session.mfa_authenticated_at;
        identity.token_issued_at = session.issued_at;
        step.explanation = format!(
            "signed with temporary credentials of IAM user `{name}` in account `{account}` (from `GetSessionToken`{})",
            if session.mfa_authenticated_at.is_some() {
                ", with MFA"
            } else {
                ", without MFA"
            }
        );
        Ok((identity, step))
    }

    fn session_identity(
        &self,
        account: &str,
        role: &str,
        session: &str,
        now: Timestamp,
    ) -> Result<(Identity, GateStep), S3Error> {
        let r = self
            .accounts
            .get(account)
            .and_then(|a| a.roles.get(role))
            .ok_or(S3Error::InvalidAccessKeyId)?;
        let s = r
            .sessions
            .iter()
            .find(|s| s.name == session)
            .ok_or(S3Error::InvalidAccessKeyId)?;
        if s.expires_at.is_some_and(|e| now >= e) {
            return Err(S3Error::ExpiredToken);
        }
        let arn = format!("arn:aws:sts::{account}:assumed-role/{role}/{session}");
        let role_arn = format!("arn:aws:iam::{account}:role/{role}");
        let step = GateStep::new(
            Gate::Authentication,
            StepOutcome::Pass,
            format!("signed with temporary credentials of role `{role}`, session `{session}`"),
            docs::AUTHENTICATION,
        )
        .compare("principal", arn.clone())
        .compare("aws:PrincipalArn", role_arn.clone())
        .compare("aws:PrincipalType", "AssumedRole");
        Ok((
            Identity {
                kind: IdentityKind::RoleSession {
                    role: role.to_owned(),
                    session: session.to_owned(),
                },
                account: Some(account.to_owned()),
                arn,
                principal_arn: role_arn,
                user_id: format!(
                    "{}:{session}",
                    if r.role_id.is_empty() {
                        role_unique_id(account, role)
                    } else {
                        r.role_id.clone()
                    }
                ),
                access_key_id: Some(s.access_key_id.clone()).filter(|k| !k.is_empty()),
                temporary: true,
                mfa_authenticated_at: s.mfa_authenticated_at,
                token_issued_at: s.issued_at,
                signature_age_ms: None,
            },
            step,
        ))
    }
}

/// Effective Block Public Access for a bucket: account level OR bucket level.
pub(crate) fn effective_bpa(
    world: &World,
    bucket: &crate::model::Bucket,
) -> crate::model::PublicAccessBlock {
    let account = world
        .accounts
        .get(&bucket.owner)
        .and_then(|a| a.public_access_block)
        .unwrap_or_default();
    account.or(bucket.public_access_block.unwrap_or_default())
}

/// The deterministic unique id (`aws:userid`) of an IAM user that does not declare one.
pub fn user_unique_id(account: &str, name: &str) -> String {
    format!(
        "AIDA{}",
        opaque_id(fnv(&format!("{account}/{name}")), 17).to_ascii_uppercase()
    )
}

/// The deterministic unique id of an IAM role that does not declare one.
pub fn role_unique_id(account: &str, name: &str) -> String {
    format!(
        "AROA{}",
        opaque_id(fnv(&format!("{account}/role/{name}")), 17).to_ascii_uppercase()
    )
}

pub(crate) fn fnv(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The base32 secret of the MFA device with this serial, anywhere in the world.
pub fn find_device(world: &World, serial: &str) -> Option<String> {
    world.accounts.values().find_map(|a| {
        a.root
            .mfa_devices
            .iter()
            .chain(a.users.values().flat_map(|u| u.mfa_devices.iter()))
            .find(|d| d.serial == serial)
            .map(|d| d.secret_base32.clone())
    })
}
