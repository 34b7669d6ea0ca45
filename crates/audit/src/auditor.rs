//! One object that holds a world's whole audit state, so feeding it is two calls: `observe`
//! every handled request, `deliver_due` on every clock tick.
//!
//! It combines server access logging (S3 UG "Logging requests with server access logging",
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html>) and CloudTrail (S3 UG
//! "Logging Amazon S3 API calls using AWS CloudTrail",
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging.html>): access logs
//! wait in the delayed buffer, CloudTrail records are kept as soon as they happen [SIM: CloudTrail
//! itself delivers in about 5 minutes on average, without guarantee].

use std::collections::BTreeMap;

use crate::access_log::AccessLogRecord;
use crate::cloudtrail::{CloudTrailRecord, Trail, TrailDecision, recipients};
use crate::delivery::{LogDelivery, LogObject, LoggingConfig};
use crate::request::HandledRequest;
use crate::time::Timestamp;

/// What happened to one observed request, for the trace the learner sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    /// Whether an access log record was buffered (the bucket has logging enabled).
    pub access_logged: bool,
    /// Each trail's decision for each receiving account: `(trail name, account, decision)`.
    pub trails: Vec<(String, String, TrailDecision)>,
}

/// A CloudTrail record with the trail that wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct TrailEvent {
    /// The trail's name.
    pub trail: String,
    /// The record.
    pub record: CloudTrailRecord,
}

/// A world's audit state: logging configurations, trails, the access-log buffer and the
/// CloudTrail events recorded so far.
#[derive(Debug, Clone)]
pub struct Auditor {
    logging: BTreeMap<String, LoggingConfig>,
    trails: Vec<Trail>,
    delivery: LogDelivery,
    events: Vec<TrailEvent>,
}

impl Auditor {
    /// An auditor whose access logs arrive `delay_seconds` after the request ([SIM]); `seed`
    /// varies log object key suffixes reproducibly.
    pub fn new(delay_seconds: u64, seed: u64) -> Self {
        Auditor {
            logging: BTreeMap::new(),
            trails: Vec::new(),
            delivery: LogDelivery::new(delay_seconds, seed),
            events: Vec::new(),
        }
    }

    /// Enables (or replaces) server access logging for the configuration's source bucket.
    pub fn set_logging(&mut self, config: LoggingConfig) {
        self.logging.insert(config.source_bucket.clone(), config);
    }

    /// Disables server access logging for a bucket (records already buffered are still delivered).
    pub fn disable_logging(&mut self, bucket: &str) {
        self.logging.remove(bucket);
    }

    /// The logging configuration of a bucket, if logging is enabled.
    pub fn logging(&self, bucket: &str) -> Option<&LoggingConfig> {
        self.logging.get(bucket)
    }

    /// Adds a trail (replacing one of the same name in the same account).
    pub fn add_trail(&mut self, trail: Trail) {
        self.trails
            .retain(|t| !(t.name == trail.name && t.account_id == trail.account_id));
        self.trails.push(trail);
    }

    /// The trails, in the order added.
    pub fn trails(&self) -> &[Trail] {
        &self.trails
    }

    /// Records one handled request in both trails.
    pub fn observe(&mut self, req: &HandledRequest) -> Observation {
        let config = req.bucket.as_deref().and_then(|b| self.logging.get(b));
        let access_logged = self.delivery.log_request(config, req);
        self.observe_trails(req, access_logged)
    }

    /// Records extra access log rows of a request (the GET side of a copy, the per-key rows of a
    /// multi-object delete) under the logging configuration of the record's own bucket.
    pub fn observe_access_record(&mut self, record: AccessLogRecord, at: Timestamp) -> bool {
        let config = record
            .bucket
            .as_deref()
            .and_then(|b| self.logging.get(b))
            .cloned();
        match config {
            Some(c) => {
                self.delivery.log(&c, record, at);
                true
            }
            None => false,
        }
    }

    fn observe_trails(&mut self, req: &HandledRequest, access_logged: bool) -> Observation {
        let mut decisions = Vec::new();
        for account in recipients(req) {
            for trail in &self.trails {
                let d = trail.decide(req, &account);
                if d.records {
                    self.events.push(TrailEvent {
                        trail: trail.name.clone(),
                        record: CloudTrailRecord::from_request(req, &account),
                    });
                }
                decisions.push((trail.name.clone(), account.clone(), d));
            }
        }
        Observation {
            access_logged,
            trails: decisions,
        }
    }

    /// Releases the log objects due at `now`. The world writes each into its target bucket
    /// (after [`crate::delivery_permission`]) and observes [`LogObject::put_request`], which is
    /// how a bucket that logs into itself keeps producing records.
    pub fn deliver_due(&mut self, now: Timestamp) -> Vec<LogObject> {
        self.delivery.deliver(now)
    }

    /// Access log records still waiting for delivery.
    pub fn pending_access_records(&self) -> usize {
        self.delivery.pending()
    }

    /// Every CloudTrail event recorded so far, oldest first.
    pub fn events(&self) -> &[TrailEvent] {
        &self.events
    }

    /// The records one trail wrote, oldest first (for querying).
    pub fn trail_records(&self, trail: &str) -> Vec<CloudTrailRecord> {
        self.events
            .iter()
            .filter(|e| e.trail == trail)
            .map(|e| e.record.clone())
            .collect()
    }
}
