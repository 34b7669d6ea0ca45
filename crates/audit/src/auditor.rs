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
use crate::cloudtrail::{
    CloudTrailRecord, RecordStyle, Trail, TrailDecision, TrailLogFile, log_file_body, recipients,
};
use crate::delivery::{LogDelivery, LogObject, LoggingConfig};
use crate::request::HandledRequest;
use crate::time::Timestamp;

/// (trail name, receiving account, event Region): one log file each.
type FileGroup = (String, String, String);

/// What happened to one observed request, for the trace the learner sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    /// Whether an access log record was buffered (the bucket has logging enabled).
    pub access_logged: bool,
    /// Why (or why not), for the learner.
    pub access_log_reason: String,
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
    /// index of the first event not yet written to a trail log file
    trail_delivered: usize,
    trail_delay_seconds: u64,
    trail_seed: u64,
    trail_files: u64,
    style: RecordStyle,
}

/// The playground's CloudTrail delivery delay: CloudTrail says it delivers log files within
/// about 5 minutes on average, without guarantee \[SIM: fixed at 5 minutes\].
pub const DEFAULT_TRAIL_DELAY_SECONDS: u64 = 300;

impl Auditor {
    /// An auditor whose access logs arrive `delay_seconds` after the request (\[SIM\]); `seed`
    /// varies log object key suffixes reproducibly.
    pub fn new(delay_seconds: u64, seed: u64) -> Self {
        Auditor {
            logging: BTreeMap::new(),
            trails: Vec::new(),
            delivery: LogDelivery::new(delay_seconds, seed),
            events: Vec::new(),
            trail_delivered: 0,
            trail_delay_seconds: DEFAULT_TRAIL_DELAY_SECONDS,
            trail_seed: seed ^ 0xC10D_7A11_u64,
            trail_files: 0,
            style: RecordStyle::default(),
        }
    }

    /// The same auditor writing CloudTrail records in another style (e.g. [`RecordStyle::current`]).
    #[must_use]
    pub fn with_record_style(mut self, style: RecordStyle) -> Self {
        self.style = style;
        self
    }

    /// The same auditor with another CloudTrail delivery delay.
    #[must_use]
    pub fn with_trail_delay(mut self, seconds: u64) -> Self {
        self.trail_delay_seconds = seconds;
        self
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
        let access_log_reason = match (&req.bucket, config) {
            (None, _) => {
                "the request names no bucket, so no server access log records it".to_owned()
            }
            (Some(b), None) => format!("bucket `{b}` has no server access logging configured"),
            (Some(b), Some(c)) => format!(
                "bucket `{b}` logs to `{}` with prefix `{}`; the record waits {} s of simulated time for delivery",
                c.target_bucket,
                c.target_prefix,
                self.delivery.delay_seconds()
            ),
        };
        self.observe_trails(req, access_logged, access_log_reason)
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

    fn observe_trails(
        &mut self,
        req: &HandledRequest,
        access_logged: bool,
        access_log_reason: String,
    ) -> Observation {
        let mut decisions = Vec::new();
        for account in recipients(req) {
            for trail in &self.trails {
                let d = trail.decide(req, &account);
                if d.records {
                    self.events.push(TrailEvent {
                        trail: trail.name.clone(),
                        record: CloudTrailRecord::from_request_with(req, &account, self.style),
                    });
                }
                decisions.push((trail.name.clone(), account.clone(), d));
            }
        }
        Observation {
            access_logged,
            access_log_reason,
            trails: decisions,
        }
    }

    /// Releases the log objects due at `now`. The world writes each into its target bucket
    /// (after the world authorized the delivery) and observes [`LogObject::put_request`], which is
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

    /// Writes the CloudTrail events at least the trail delay old into log files: one file per
    /// (trail, receiving account, event Region), records in order. Events are queryable through
    /// [`Auditor::events`] as soon as they happen; the files are what lands in the trail's bucket.
    pub fn deliver_trail_logs(&mut self, now: Timestamp) -> Vec<TrailLogFile> {
        let pending = self.events.get(self.trail_delivered..).unwrap_or(&[]);
        let due = pending
            .iter()
            .take_while(|e| e.record.event_time.plus(self.trail_delay_seconds) <= now)
            .count();
        let batch = pending.get(..due).unwrap_or(&[]);
        // (trail, account, region) -> records, first-arrival order
        let mut groups: Vec<(FileGroup, Vec<&CloudTrailRecord>)> = Vec::new();
        for e in batch {
            let k = (
                e.trail.clone(),
                e.record.recipient_account_id.clone(),
                e.record.aws_region.clone(),
            );
            match groups.iter_mut().find(|(g, _)| *g == k) {
                Some((_, v)) => v.push(&e.record),
                None => groups.push((k, vec![&e.record])),
            }
        }
        let mut files = Vec::new();
        for ((trail_name, account, region), records) in groups {
            let Some(trail) = self
                .trails
                .iter()
                .find(|t| t.name == trail_name && t.account_id == account)
            else {
                continue;
            };
            self.trail_files += 1;
            let unique = crate::delivery::unique_string(self.trail_seed, self.trail_files);
            files.push(TrailLogFile {
                trail: trail_name.clone(),
                bucket: trail.s3_bucket.clone(),
                key: trail.log_file_key(&account, &region, now, &unique),
                body: log_file_body(&records),
                record_count: records.len(),
            });
        }
        self.trail_delivered += due;
        files
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
