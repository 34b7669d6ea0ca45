//! Server access log delivery: logging configurations, log object keys, the delayed best-effort
//! buffer, the delivery permission decision and the "logs about logs" recursion.
//!
//! Follows S3 UG "Logging requests with server access logging"
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html>), "Enabling Amazon S3
//! server access logging" (`enable-server-access-logging.html`) and the `PutBucketLogging` /
//! `PartitionedPrefix` API pages. AWS delivers logs on a best-effort basis, usually within a few
//! hours, and does not promise every request is logged. The playground delivers every record
//! once, after a fixed delay in simulated time that the caller chooses: the delay is a \[SIM\]
//! choice so a learner can watch logs arrive without waiting hours.
//!
//! Logs about logs: S3 lets a bucket log into itself, but every delivery is a `PutObject` into
//! that bucket by the log delivery service, and that request is logged like any other. So a
//! delivery of N records adds one record (the PUT of the log object) that the next round
//! delivers, whose PUT is logged again, for ever: the log never runs dry and the interesting
//! records drown in records about log objects. The world makes this visible by storing each
//! [`LogObject`] and feeding [`LogObject::put_request`] back into [`LogDelivery::log_request`];
//! [`LoggingConfig::recursion_warning`] says so when the configuration is set. AWS recommends a
//! separate target bucket without logging of its own.

use crate::access_log::{AccessLogRecord, format_log};
use crate::request::{
    AuthenticationType, HandledRequest, IdentityType, PrincipalInfo, Requester, SignatureVersion,
};
use crate::time::Timestamp;

/// The service principal that writes log objects (bucket-policy grants name it).
pub const LOGGING_SERVICE_PRINCIPAL: &str = "logging.s3.amazonaws.com";
/// The ACL group that legacy (ACL-based) delivery grants `WRITE` to.
pub const LOG_DELIVERY_GROUP_URI: &str = "http://acs.amazonaws.com/groups/s3/LogDelivery";

/// Which date a partitioned key uses (`PartitionDateSource`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartitionDateSource {
    /// The day the requests were made; hours, minutes and seconds are `00` in the key (the default).
    EventTime,
    /// The time the log object was delivered.
    DeliveryTime,
}

/// `TargetObjectKeyFormat`: how log object keys are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TargetObjectKeyFormat {
    /// `[DestinationPrefix][YYYY]-[MM]-[DD]-[hh]-[mm]-[ss]-[UniqueString]` (the default).
    #[default]
    SimplePrefix,
    /// `[DestinationPrefix][SourceAccountId]/[SourceRegion]/[SourceBucket]/[YYYY]/[MM]/[DD]/[YYYY]-[MM]-[DD]-[hh]-[mm]-[ss]-[UniqueString]`.
    PartitionedPrefix(PartitionDateSource),
}

/// A source bucket's `LoggingEnabled` configuration, with the facts about the source that the
/// key format needs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LoggingConfig {
    /// The bucket whose requests are logged.
    pub source_bucket: String,
    /// The source bucket owner's account id.
    pub source_account_id: String,
    /// The source bucket's Region.
    pub source_region: String,
    /// `TargetBucket`: where log objects are written.
    pub target_bucket: String,
    /// `TargetPrefix`: prepended verbatim (use a trailing `/` for a "folder").
    pub target_prefix: String,
    /// `TargetObjectKeyFormat`.
    pub key_format: TargetObjectKeyFormat,
}

impl LoggingConfig {
    /// A configuration with the simple key format.
    pub fn new(
        source_bucket: &str,
        source_account_id: &str,
        source_region: &str,
        target_bucket: &str,
        target_prefix: &str,
    ) -> Self {
        LoggingConfig {
            source_bucket: source_bucket.to_owned(),
            source_account_id: source_account_id.to_owned(),
            source_region: source_region.to_owned(),
            target_bucket: target_bucket.to_owned(),
            target_prefix: target_prefix.to_owned(),
            key_format: TargetObjectKeyFormat::SimplePrefix,
        }
    }

    /// The same configuration with another key format.
    #[must_use]
    pub fn with_key_format(mut self, format: TargetObjectKeyFormat) -> Self {
        self.key_format = format;
        self
    }

    /// Whether the bucket logs into itself, which makes every delivery produce more records.
    pub fn logs_to_itself(&self) -> bool {
        self.source_bucket == self.target_bucket
    }

    /// The warning a learner should see when enabling this configuration, if any.
    pub fn recursion_warning(&self) -> Option<String> {
        self.logs_to_itself().then(|| {
            format!(
                "bucket `{}` writes its access logs into itself: each log delivery is a PUT to the bucket, which is logged too, so every delivery makes more records (logs about logs)",
                self.source_bucket
            )
        })
    }

    /// The help line that goes with [`LoggingConfig::recursion_warning`].
    pub fn recursion_help(&self) -> Option<&'static str> {
        self.logs_to_itself().then_some(
            "AWS recommends a separate target bucket without logging of its own; if you must share one, give the logs their own prefix and a lifecycle rule",
        )
    }

    /// The key of a log object delivered at `delivered_at` holding records from `event_day`
    /// (any instant on that day), with the given unique string.
    pub fn object_key(
        &self,
        delivered_at: Timestamp,
        event_day: Timestamp,
        unique: &str,
    ) -> String {
        match self.key_format {
            TargetObjectKeyFormat::SimplePrefix => {
                format!("{}{}-{unique}", self.target_prefix, dashed(delivered_at))
            }
            TargetObjectKeyFormat::PartitionedPrefix(source) => {
                let t = match source {
                    PartitionDateSource::DeliveryTime => delivered_at,
                    PartitionDateSource::EventTime => Timestamp(event_day.0 - event_day.0 % 86_400),
                };
                let c = t.civil();
                format!(
                    "{}{}/{}/{}/{:04}/{:02}/{:02}/{}-{unique}",
                    self.target_prefix,
                    self.source_account_id,
                    self.source_region,
                    self.source_bucket,
                    c.year,
                    c.month,
                    c.day,
                    dashed(t)
                )
            }
        }
    }

    /// What the world must authorize for one delivery: the log delivery service putting `key`
    /// into the target bucket, with the condition keys the recommended bucket policy checks.
    pub fn delivery_context(&self, key: &str) -> DeliveryContext {
        DeliveryContext {
            principal_service: LOGGING_SERVICE_PRINCIPAL,
            action: "s3:PutObject",
            resource_arn: format!("arn:aws:s3:::{}/{key}", self.target_bucket),
            source_arn: format!("arn:aws:s3:::{}", self.source_bucket),
            source_account: self.source_account_id.clone(),
        }
    }
}

fn dashed(t: Timestamp) -> String {
    let c = t.civil();
    format!(
        "{:04}-{:02}-{:02}-{:02}-{:02}-{:02}",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// A bad logging configuration, as `PutBucketLogging` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggingConfigError {
    /// S3 error code.
    pub code: &'static str,
    /// HTTP status.
    pub status: u16,
    /// What went wrong, lowercase, for the learner.
    pub message: String,
    /// What to do about it.
    pub help: &'static str,
}

/// Facts about the target bucket that `PutBucketLogging` checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetFacts {
    /// Whether the target bucket exists.
    pub exists: bool,
    /// The target bucket's Region.
    pub region: String,
    /// The target bucket owner's account id.
    pub account_id: String,
}

/// Checks the target against the source: same Region, same account, existing bucket.
/// Codes are \[OBS/EMU\]: `CrossLocationLoggingProhibited` (403) for another Region,
/// `InvalidTargetBucketForLogging` (400) otherwise; AWS's message texts are not documented.
pub fn validate_target(
    config: &LoggingConfig,
    target: &TargetFacts,
) -> Result<(), LoggingConfigError> {
    if !target.exists {
        return Err(LoggingConfigError {
            code: "InvalidTargetBucketForLogging",
            status: 400,
            message: format!("target bucket `{}` does not exist", config.target_bucket),
            help: "create the target bucket first, in the same account and Region as the source",
        });
    }
    if target.region != config.source_region {
        return Err(LoggingConfigError {
            code: "CrossLocationLoggingProhibited",
            status: 403,
            message: format!(
                "target bucket `{}` is in `{}` but the source bucket `{}` is in `{}`",
                config.target_bucket, target.region, config.source_bucket, config.source_region
            ),
            help: "server access logs can only be delivered to a bucket in the same Region",
        });
    }
    if target.account_id != config.source_account_id {
        return Err(LoggingConfigError {
            code: "InvalidTargetBucketForLogging",
            status: 400,
            message: format!(
                "target bucket `{}` belongs to account `{}`, not to the source bucket's account `{}`",
                config.target_bucket, target.account_id, config.source_account_id
            ),
            help: "the source and target buckets must be owned by the same account",
        });
    }
    Ok(())
}

/// The request the world authorizes for one delivery (see [`LoggingConfig::delivery_context`]):
/// a `PutObject` by the service principal, decided by the world's one decider like any request
/// (this crate evaluates no policy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryContext {
    /// `logging.s3.amazonaws.com`.
    pub principal_service: &'static str,
    /// `s3:PutObject`.
    pub action: &'static str,
    /// `arn:aws:s3:::TARGET/KEY`.
    pub resource_arn: String,
    /// `aws:SourceArn`: `arn:aws:s3:::SOURCE`.
    pub source_arn: String,
    /// `aws:SourceAccount`: the source bucket owner's account.
    pub source_account: String,
}

/// A log object ready to be written into the target bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogObject {
    /// The bucket the object goes into.
    pub target_bucket: String,
    /// The object key.
    pub key: String,
    /// The log lines, one per record, each ending in `\n`.
    pub body: String,
    /// How many records the body holds.
    pub record_count: usize,
    /// The bucket whose requests these are.
    pub source_bucket: String,
    /// When the object was delivered.
    pub delivered_at: Timestamp,
    /// The configuration it was delivered under.
    pub config: LoggingConfig,
}

impl LogObject {
    /// The request the world handles to store this object: a `PutObject` by the log delivery
    /// service. When the target bucket itself has logging enabled, this request is logged like
    /// any other, which is how "logs about logs" appear. The requester shown is the service
    /// principal \[SIM: AWS shows the log delivery account, whose id is not documented\].
    pub fn put_request(
        &self,
        request_id: &str,
        event_id: &str,
        target_owner_canonical_id: &str,
    ) -> HandledRequest {
        let principal = PrincipalInfo {
            identity_type: IdentityType::AwsService,
            principal_id: LOGGING_SERVICE_PRINCIPAL.to_owned(),
            arn: LOGGING_SERVICE_PRINCIPAL.to_owned(),
            account_id: self.config.source_account_id.clone(),
            access_key_id: None,
            user_name: None,
            canonical_id: None,
            session: None,
            invoked_by: Some(LOGGING_SERVICE_PRINCIPAL.to_owned()),
        };
        let mut req = HandledRequest::new(
            self.delivered_at,
            &self.config.source_region,
            Requester::Principal(Box::new(principal)),
            request_id,
            event_id,
            "PutObject",
            200,
        )
        .with_bucket(
            &self.target_bucket,
            target_owner_canonical_id,
            &self.config.source_account_id,
        )
        .with_key(&self.key);
        req.request_uri = Some(format!(
            "PUT /{}/{} HTTP/1.1",
            self.target_bucket,
            crate::access_log::encode_key(&self.key)
        ));
        req.bytes_received = self.body.len() as u64;
        req.object_size = Some(self.body.len() as u64);
        req.signature_version = Some(SignatureVersion::SigV4);
        req.authentication_type = Some(AuthenticationType::AuthHeader);
        req.host_header = Some(format!(
            "{}.s3.{}.amazonaws.com",
            self.target_bucket, self.config.source_region
        ));
        req.tls_version = Some("TLSv1.2".to_owned());
        req.cipher_suite = Some("ECDHE-RSA-AES128-GCM-SHA256".to_owned());
        req
    }
}

#[derive(Debug, Clone)]
struct Pending {
    config: LoggingConfig,
    record: AccessLogRecord,
    logged_at: Timestamp,
}

/// The delayed, best-effort delivery buffer.
///
/// Give it each record with the source bucket's configuration ([`LogDelivery::log`]); call
/// [`LogDelivery::deliver`] with the simulated time; it releases one log object per
/// (configuration, event day) holding every record at least `delay_seconds` old, in arrival order.
#[derive(Debug, Clone)]
pub struct LogDelivery {
    delay_seconds: u64,
    seed: u64,
    sequence: u64,
    pending: Vec<Pending>,
}

impl LogDelivery {
    /// A buffer that holds records `delay_seconds` of simulated time before delivering them
    /// (\[SIM\]: AWS says "within a few hours", best effort). `seed` makes the unique strings of
    /// log object keys differ between worlds while staying reproducible.
    pub fn new(delay_seconds: u64, seed: u64) -> Self {
        LogDelivery {
            delay_seconds,
            seed,
            sequence: 0,
            pending: Vec::new(),
        }
    }

    /// The delay this buffer applies.
    pub fn delay_seconds(&self) -> u64 {
        self.delay_seconds
    }

    /// Buffers one record logged at `at` (normally the request's receipt time).
    pub fn log(&mut self, config: &LoggingConfig, record: AccessLogRecord, at: Timestamp) {
        self.pending.push(Pending {
            config: config.clone(),
            record,
            logged_at: at,
        });
    }

    /// Buffers the record for a handled request, if the request's bucket has logging enabled
    /// (`config`). Returns whether a record was buffered.
    pub fn log_request(&mut self, config: Option<&LoggingConfig>, req: &HandledRequest) -> bool {
        match config {
            Some(c) if req.bucket.as_deref() == Some(c.source_bucket.as_str()) => {
                self.log(c, AccessLogRecord::from_request(req), req.time);
                true
            }
            _ => false,
        }
    }

    /// How many records wait for delivery.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// When the next record becomes due, if any wait.
    pub fn next_due(&self) -> Option<Timestamp> {
        self.pending
            .iter()
            .map(|p| p.logged_at.plus(self.delay_seconds))
            .min()
    }

    /// Releases every log object that is due at `now`. Records not yet due stay buffered.
    pub fn deliver(&mut self, now: Timestamp) -> Vec<LogObject> {
        let delay = self.delay_seconds;
        let (due, keep): (Vec<Pending>, Vec<Pending>) = std::mem::take(&mut self.pending)
            .into_iter()
            .partition(|p| p.logged_at.plus(delay) <= now);
        self.pending = keep;
        // group by (configuration, event day), keeping first-arrival order of groups and records
        let mut groups: Vec<(LoggingConfig, u64, Vec<AccessLogRecord>)> = Vec::new();
        for p in due {
            let day = p.logged_at.0 / 86_400;
            let by_day = matches!(
                p.config.key_format,
                TargetObjectKeyFormat::PartitionedPrefix(PartitionDateSource::EventTime)
            );
            let day_key = if by_day { day } else { 0 };
            match groups
                .iter_mut()
                .find(|(c, d, _)| *c == p.config && *d == day_key)
            {
                Some((_, _, records)) => records.push(p.record),
                None => groups.push((p.config, day_key, vec![p.record])),
            }
        }
        groups
            .into_iter()
            .map(|(config, day_key, records)| {
                self.sequence += 1;
                let unique = unique_string(self.seed, self.sequence);
                let event_day = Timestamp(day_key * 86_400);
                let key = config.object_key(now, event_day, &unique);
                LogObject {
                    target_bucket: config.target_bucket.clone(),
                    key,
                    body: format_log(&records),
                    record_count: records.len(),
                    source_bucket: config.source_bucket.clone(),
                    delivered_at: now,
                    config,
                }
            })
            .collect()
    }
}

/// A 16-character uppercase hex string, a pure function of (seed, sequence) (splitmix64), standing
/// in for AWS's random UniqueString.
pub(crate) fn unique_string(seed: u64, sequence: u64) -> String {
    let mut z = seed.wrapping_add(sequence.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    format!("{z:016X}")
}
