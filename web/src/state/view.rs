//! Where the learner is — the app's views and a bucket page's tabs — and the settings the
//! console changes (each sent as the request the S3 console would send).

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
