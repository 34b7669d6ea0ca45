//! The form prefilled from a scenario's first step as the scenario file writes it (JSON), without
//! reading the whole request: [`RequestForm::prefill`] shows only a few object operations, and
//! reading any operation runs the deserializer of every operation the simulator knows — one
//! function of about 90 KB of WebAssembly, which the browser compiles the first time it runs, on
//! a first visit before anything is on screen (issue 13). The steps themselves are read when
//! they are first shown or run (`AppState::steps`).
//!
//! The shape read here is the scenario format's (`tests/scenario.schema.json`): `caller`,
//! `operation` as `{"PutObject": {"bucket": …, "key": …}}`, `headers`, `network.scheme`. A native
//! test checks that it prefills what reading the whole request does, for every library scenario.

use s3pg_sim::{Caller, Operation, Request, Scheme};
use serde_json::Value;

use super::{CallerChoice, RequestForm};

impl RequestForm {
    /// [`RequestForm::prefill`] from a step's `request` as JSON; a request the form does not show
    /// (or that does not read) keeps the form.
    pub fn prefill_json(&mut self, request: &Value, callers: &[CallerChoice]) {
        if let Some(request) = prefillable(request) {
            self.prefill(&request, callers);
        }
    }
}

/// The request, when its operation is one [`RequestForm::prefill`] shows.
fn prefillable(json: &Value) -> Option<Request> {
    let (name, params) = json.get("operation")?.as_object()?.iter().next()?;
    let text = |field: &str| params.get(field).and_then(Value::as_str).map(str::to_owned);
    let operation = match name.as_str() {
        "PutObject" => Operation::PutObject {
            bucket: text("bucket")?,
            key: text("key")?,
            body: text("body").unwrap_or_default(),
        },
        "GetObject" => Operation::GetObject {
            bucket: text("bucket")?,
            key: text("key")?,
            version_id: text("versionId"),
        },
        "HeadObject" => Operation::HeadObject {
            bucket: text("bucket")?,
            key: text("key")?,
            version_id: text("versionId"),
        },
        "DeleteObject" => Operation::DeleteObject {
            bucket: text("bucket")?,
            key: text("key")?,
            version_id: text("versionId"),
        },
        "ListObjectsV2" => Operation::ListObjectsV2 {
            bucket: text("bucket")?,
            prefix: text("prefix"),
            delimiter: None,
            max_keys: None,
            continuation_token: None,
        },
        _ => return None,
    };
    let caller: Caller = serde_json::from_value(json.get("caller")?.clone()).ok()?;
    let mut request = Request::new(caller, operation);
    for (name, value) in json
        .get("headers")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if let Some(value) = value.as_str() {
            request = request.header(name, value);
        }
    }
    if json.pointer("/network/scheme").and_then(Value::as_str) == Some("http") {
        request.network.scheme = Scheme::Http;
    }
    Some(request)
}
