//! The fields a query can name, their kinds and aliases ([`FIELDS`]), and how an access log
//! record and a CloudTrail record answer for each ([`Queryable`]).
//!
//! Follows the S3 server access log format
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html>) and the CloudTrail
//! record contents (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html>).

use crate::access_log::AccessLogRecord;
use crate::cloudtrail::CloudTrailRecord;
use crate::time::Timestamp;

/// The kind of values a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldKind {
    /// Text.
    Text,
    /// A whole number.
    Number,
    /// A UTC time.
    Time,
}

/// A field the language knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// Access log Operation / CloudTrail `eventName`.
    Operation,
    /// Access log Requester / CloudTrail `userIdentity.arn` (`-` / absent when anonymous).
    Requester,
    /// HTTP status (access logs only).
    Status,
    /// Error code.
    ErrorCode,
    /// Object key (as the record shows it).
    Key,
    /// Bucket.
    Bucket,
    /// Request time.
    Time,
    /// Client address.
    RemoteIp,
    /// Request id.
    RequestId,
    /// User agent.
    UserAgent,
    /// Version id (access logs).
    VersionId,
    /// `SigV4` / `SigV2` (access logs).
    SignatureVersion,
    /// `AuthHeader` / `QueryString` (access logs).
    AuthType,
    /// TLS version (access logs).
    TlsVersion,
    /// Bytes sent (access logs).
    BytesSent,
    /// Object size (access logs).
    ObjectSize,
    /// Region (access log field 27 / CloudTrail `awsRegion`).
    Region,
    /// Account of the caller (CloudTrail `userIdentity.accountId`).
    Account,
    /// The account that receives this copy of the event (CloudTrail `recipientAccountId`): a
    /// cross-account request is delivered to the caller's and to the bucket owner's account.
    Recipient,
    /// `Management` / `Data` (CloudTrail).
    Category,
    /// `true` / `false` (CloudTrail `readOnly`).
    ReadOnly,
}

/// Every field with its accepted names (the first is the canonical one) and kind.
pub const FIELDS: &[(Field, &[&str], FieldKind)] = &[
    (
        Field::Operation,
        &["operation", "eventname", "event_name", "op"],
        FieldKind::Text,
    ),
    (
        Field::Requester,
        &["requester", "principal", "arn", "useridentity.arn"],
        FieldKind::Text,
    ),
    (
        Field::Status,
        &["status", "http_status", "httpstatus"],
        FieldKind::Number,
    ),
    (
        Field::ErrorCode,
        &["error_code", "errorcode", "error"],
        FieldKind::Text,
    ),
    (Field::Key, &["key"], FieldKind::Text),
    (Field::Bucket, &["bucket", "bucketname"], FieldKind::Text),
    (
        Field::Time,
        &["time", "eventtime", "event_time"],
        FieldKind::Time,
    ),
    (
        Field::RemoteIp,
        &["remote_ip", "ip", "sourceipaddress", "source_ip"],
        FieldKind::Text,
    ),
    (
        Field::RequestId,
        &["request_id", "requestid"],
        FieldKind::Text,
    ),
    (
        Field::UserAgent,
        &["user_agent", "useragent"],
        FieldKind::Text,
    ),
    (
        Field::VersionId,
        &["version_id", "versionid"],
        FieldKind::Text,
    ),
    (
        Field::SignatureVersion,
        &["signature_version", "signatureversion"],
        FieldKind::Text,
    ),
    (
        Field::AuthType,
        &["auth_type", "authentication_type", "authenticationmethod"],
        FieldKind::Text,
    ),
    (
        Field::TlsVersion,
        &["tls_version", "tlsversion"],
        FieldKind::Text,
    ),
    (
        Field::BytesSent,
        &["bytes_sent", "bytessent"],
        FieldKind::Number,
    ),
    (
        Field::ObjectSize,
        &["object_size", "objectsize"],
        FieldKind::Number,
    ),
    (Field::Region, &["region", "awsregion"], FieldKind::Text),
    (Field::Account, &["account", "accountid"], FieldKind::Text),
    (
        Field::Recipient,
        &["recipient", "recipientaccountid", "recipient_account"],
        FieldKind::Text,
    ),
    (
        Field::Category,
        &["category", "eventcategory"],
        FieldKind::Text,
    ),
    (Field::ReadOnly, &["readonly", "read_only"], FieldKind::Text),
];

impl Field {
    /// Looks a field up by any of its names (case-insensitive).
    pub fn from_name(name: &str) -> Option<Field> {
        let lower = name.to_ascii_lowercase();
        FIELDS
            .iter()
            .find(|(_, names, _)| names.contains(&lower.as_str()))
            .map(|(f, _, _)| *f)
    }

    /// The canonical name.
    pub fn name(self) -> &'static str {
        FIELDS
            .iter()
            .find(|(f, _, _)| *f == self)
            .and_then(|(_, n, _)| n.first())
            .copied()
            .unwrap_or("?")
    }

    /// What the field holds.
    pub fn kind(self) -> FieldKind {
        FIELDS
            .iter()
            .find(|(f, _, _)| *f == self)
            .map_or(FieldKind::Text, |(_, _, k)| *k)
    }
}

/// One value of a record's field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue<'a> {
    /// Text.
    Text(std::borrow::Cow<'a, str>),
    /// A whole number.
    Number(u64),
    /// A time.
    Time(Timestamp),
}

/// A record the language can query.
pub trait Queryable {
    /// The value of `field`, or `None` when the record has none (`-`).
    fn field(&self, field: Field) -> Option<FieldValue<'_>>;
}

fn text(v: &Option<String>) -> Option<FieldValue<'_>> {
    v.as_deref().map(|s| FieldValue::Text(s.into()))
}

impl Queryable for AccessLogRecord {
    fn field(&self, field: Field) -> Option<FieldValue<'_>> {
        match field {
            Field::Operation => text(&self.operation),
            Field::Requester => text(&self.requester),
            Field::Status => self.http_status.map(|s| FieldValue::Number(u64::from(s))),
            Field::ErrorCode => text(&self.error_code),
            Field::Key => text(&self.key),
            Field::Bucket => text(&self.bucket),
            Field::Time => self.time.map(FieldValue::Time),
            Field::RemoteIp => text(&self.remote_ip),
            Field::RequestId => text(&self.request_id),
            Field::UserAgent => self.user_agent_header().map(|s| FieldValue::Text(s.into())),
            Field::VersionId => text(&self.version_id),
            Field::SignatureVersion => text(&self.signature_version),
            Field::AuthType => text(&self.authentication_type),
            Field::TlsVersion => text(&self.tls_version),
            Field::BytesSent => self.bytes_sent.map(FieldValue::Number),
            Field::ObjectSize => self.object_size.map(FieldValue::Number),
            Field::Region => text(&self.source_region),
            Field::Account | Field::Recipient | Field::Category | Field::ReadOnly => None,
        }
    }
}

impl Queryable for CloudTrailRecord {
    fn field(&self, field: Field) -> Option<FieldValue<'_>> {
        match field {
            Field::Operation => Some(FieldValue::Text(self.event_name.as_str().into())),
            Field::Requester => text(&self.principal_arn),
            Field::ErrorCode => text(&self.error_code),
            Field::Key => text(&self.key),
            Field::Bucket => text(&self.bucket),
            Field::Time => Some(FieldValue::Time(self.event_time)),
            Field::RemoteIp => text(&self.source_ip),
            Field::RequestId => Some(FieldValue::Text(self.request_id.as_str().into())),
            Field::UserAgent => text(&self.user_agent),
            Field::Region => Some(FieldValue::Text(self.aws_region.as_str().into())),
            Field::Account => Some(FieldValue::Text(self.principal_account.as_str().into())),
            Field::Recipient => Some(FieldValue::Text(self.recipient_account_id.as_str().into())),
            Field::Category => Some(FieldValue::Text(self.event_category.as_str().into())),
            Field::ReadOnly => Some(FieldValue::Text(
                if self.read_only { "true" } else { "false" }.into(),
            )),
            Field::Status
            | Field::VersionId
            | Field::SignatureVersion
            | Field::AuthType
            | Field::TlsVersion
            | Field::BytesSent
            | Field::ObjectSize => None,
        }
    }
}
