//! The course's topics, in the order the lessons teach them. Every lesson, challenge and question
//! names one (challenges may name several); the practice mode scores answers by topic.

use serde::Serialize;

/// One topic of the course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Topic {
    /// The id written in course files (`deny-encryption`).
    pub id: &'static str,
    /// The title shown to learners.
    pub title: &'static str,
}

/// Every topic, in course order.
pub const TOPICS: &[Topic] = &[
    Topic {
        id: "ownership-vpce",
        title: "Bucket and object ownership, and VPC endpoints",
    },
    Topic {
        id: "permissions",
        title: "User, public and system permissions",
    },
    Topic {
        id: "policies",
        title: "IAM policies vs bucket policies, and `bucket` vs `bucket/*`",
    },
    Topic {
        id: "deny-encryption",
        title: "Deny patterns that force encryption (Null vs StringNotEquals)",
    },
    Topic {
        id: "acls",
        title: "ACLs and the Log Delivery group",
    },
    Topic {
        id: "object-ownership-bpa",
        title: "Object Ownership and Block Public Access",
    },
    Topic {
        id: "cross-account",
        title: "Cross-account access",
    },
    Topic {
        id: "versioning-mfa",
        title: "Versioning and MFA Delete",
    },
    Topic {
        id: "presigned-urls",
        title: "Pre-signed URLs",
    },
    Topic {
        id: "logging",
        title: "Server access logs vs CloudTrail data events",
    },
    Topic {
        id: "glacier",
        title: "S3 Glacier vault policies and Vault Lock",
    },
    Topic {
        id: "sse",
        title: "SSE-S3, SSE-KMS, SSE-C and client-side encryption",
    },
    Topic {
        id: "in-transit",
        title: "Encryption in transit",
    },
    Topic {
        id: "default-encryption",
        title: "Default encryption, after the bucket policy",
    },
];

/// The topic with this id.
pub fn topic(id: &str) -> Option<&'static Topic> {
    TOPICS.iter().find(|t| t.id == id)
}

/// The position of a topic in the course (0-based), for sorting.
pub fn topic_order(id: &str) -> Option<usize> {
    TOPICS.iter().position(|t| t.id == id)
}

/// The `help` for an unknown topic: the closest known id, or the list.
pub(crate) fn unknown_topic_help(id: &str) -> String {
    let close = TOPICS
        .iter()
        .find(|t| t.id.starts_with(id.get(..3).unwrap_or(id)) || id.contains(t.id));
    match close {
        Some(t) => format!("did you mean `{}`?", t.id),
        None => format!(
            "use one of {}",
            TOPICS
                .iter()
                .map(|t| format!("`{}`", t.id))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
