//! The audit layer of the S3 Security Playground: what S3 writes down about each request.
//!
//! Two trails, fed from one input, [`HandledRequest`] (one request as the world handled it):
//!
//! - **Server access logs** (S3 UG "Logging requests with server access logging",
//!   <https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html>):
//!   [`AccessLogRecord::from_request`] builds the record, [`AccessLogRecord::format`] writes AWS's
//!   space-delimited line, [`AccessLogRecord::parse`] reads one back; [`operation_for`] names the
//!   Operation; [`LogDelivery`] buffers records and releases log objects after a delay in
//!   simulated time, under a [`LoggingConfig`]; [`LoggingConfig::delivery_context`] is the
//!   `PutObject` the log delivery service sends, which the world authorizes with its one
//!   decider.
//! - **CloudTrail** (CloudTrail UG "CloudTrail record contents"): [`Trail`]s with management and
//!   data event selectors, [`record_event`] gives the trails that record a request and the JSON
//!   record each writes ([`CloudTrailRecord`]).
//!
//! [`Auditor`] holds all of it for one world: `observe(&req)` per handled request,
//! `deliver_due(now)` / `deliver_trail_logs(now)` per clock tick. Lifecycle actions
//! ([`HandledRequest::lifecycle`]) reach the access log only; KMS calls
//! ([`HandledRequest::for_kms`]) reach CloudTrail only.
//!
//! ```
//! use s3pg_audit::*;
//!
//! let mut audit = Auditor::new(3600, 7);
//! audit.set_logging(LoggingConfig::new("app", "111122223333", "us-east-1", "app", "logs/"));
//! audit.add_trail(Trail::new("main", "111122223333", "us-east-1", "trail-bucket"));
//! assert!(audit.logging("app").unwrap().recursion_warning().is_some()); // logs into itself
//!
//! let put = HandledRequest::new(Timestamp(0), "us-east-1", Requester::Anonymous, "R1", "E1",
//!         "PutBucketPolicy", 403)
//!     .with_bucket("app", "c0ffee", "111122223333")
//!     .with_error("AccessDenied", "Access Denied");
//! let seen = audit.observe(&put);
//! assert!(seen.access_logged && seen.trails[0].2.records);
//!
//! let logs = audit.deliver_due(Timestamp(3600));
//! assert_eq!(logs[0].key.split('-').count(), 7);   // logs/YYYY-MM-DD-hh-mm-ss-UNIQUE
//! let files = audit.deliver_trail_logs(Timestamp(3600));
//! assert!(files[0].key.starts_with("AWSLogs/111122223333/CloudTrail/us-east-1/"));
//! ```
//!
//! And [`Query`]: a small SQL-like filter over either kind of record
//! (`operation = REST.PUT.OBJECT and status >= 400 and key like 'logs/%'`).
//!
//! The crate knows nothing of the world: no policies are evaluated here, no clock is read, no
//! random value is drawn (ids and times are inputs).
//!
//! Integration, in the world's request loop:
//!
//! ```
//! use s3pg_audit::*;
//!
//! let config = LoggingConfig::new("src", "111122223333", "us-east-1", "logs", "access/");
//! let mut delivery = LogDelivery::new(3600, 7);
//! let trails = vec![Trail::new("main", "111122223333", "us-east-1", "trail-bucket")
//!     .with_data_selector(ReadWriteType::All, DataScope::AllBuckets)];
//!
//! let req = HandledRequest::new(Timestamp(1_700_000_000), "us-east-1", Requester::Anonymous,
//!         "7E3F1A2B4C5D6E7F", "0f6e2c1a-7d3b-4e8f-9a1b-2c3d4e5f6a7b", "GetObject", 403)
//!     .with_bucket("src", "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", "111122223333")
//!     .with_key("secret.txt")
//!     .with_error("AccessDenied", "Access Denied");
//!
//! delivery.log_request(Some(&config), &req);            // access log (delayed)
//! let events = record_event(&trails, &req);             // CloudTrail (immediate)
//! assert_eq!(events.len(), 1);
//!
//! assert!(delivery.deliver(Timestamp(1_700_000_000 + 60)).is_empty());   // not yet
//! let objects = delivery.deliver(Timestamp(1_700_000_000 + 3600));
//! assert_eq!(objects[0].record_count, 1);
//!
//! let records = parse_log(&objects[0].body).unwrap();
//! let q = Query::parse("select * where status >= 400 and error_code = AccessDenied").unwrap();
//! assert_eq!(q.filter(&records).len(), 1);
//! ```

pub mod access_log;
pub mod auditor;
pub mod cloudtrail;
pub mod delivery;
pub mod keys;
pub mod operation;
pub mod query;
pub mod request;
pub mod time;

pub use access_log::{
    AccessLogRecord, CLASSIC_FIELD_COUNT, CURRENT_FIELD_COUNT, FIELD_NAMES, LogParseError,
    decode_key, encode_key, format_log, parse_log,
};
pub use auditor::{Auditor, DEFAULT_TRAIL_DELAY_SECONDS, Observation, TrailEvent};
pub use cloudtrail::{
    AdvancedEventSelector, AdvancedFieldSelector, CloudTrailRecord, DataScope, DataSelector,
    EVENT_VERSION, ReadWriteType, RecordStyle, Trail, TrailDecision, TrailLogFile, log_file_body,
    recipients, record_event,
};
pub use delivery::{
    DeliveryContext, LOG_DELIVERY_GROUP_URI, LOGGING_SERVICE_PRINCIPAL, LogDelivery, LogObject,
    LoggingConfig, LoggingConfigError, PartitionDateSource, TargetFacts, TargetObjectKeyFormat,
    validate_target,
};
pub use operation::{
    Evidence, InternalAction, OperationName, copy_source_operation, is_internal_operation,
    operation_for, request_uri, rest_shape,
};
pub use query::{Field, FieldValue, Projection, Query, QueryError, QueryOutput, Queryable};
pub use request::{
    AuthenticationType, EventCategory, EventClass, HandledRequest, IdentityType,
    LIFECYCLE_REQUESTER, NO_HTTP_STATUS, PrincipalInfo, Requester, SessionContext, SessionIssuer,
    SignatureVersion, TrailResource, classify,
};
pub use time::Timestamp;
