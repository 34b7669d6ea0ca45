//! A request in flight: what the pipeline has decided and produced so far — the trace, the
//! decision and the step that decided it, the response being built, the effects — until it
//! becomes the [`Outcome`].
//!
//! The response shape follows S3's REST responses
//! (<https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html>).

use std::collections::BTreeMap;

use crate::error::S3Error;
use crate::request::Request;
use crate::time::Timestamp;
use crate::trace::{
    Deciding, Decision, Effect, ErrorResponse, Gate, GateStep, Outcome, StepOutcome,
};

/// A request in flight: what has been decided and produced so far.
pub(crate) struct Exchange<'r> {
    pub req: &'r Request,
    pub now: Timestamp,
    pub request_id: String,
    pub trace: Vec<GateStep>,
    pub effects: Vec<Effect>,
    pub headers: BTreeMap<String, String>,
    pub body: Option<serde_json::Value>,
    pub status: u16,
    pub error: Option<S3Error>,
    pub decision: Option<Decision>,
    pub deciding: Option<Deciding>,
    /// Extra `<Error>` elements (pre-signed URL failures).
    pub error_extra: Vec<(String, String)>,
}

impl<'r> Exchange<'r> {
    pub fn new(req: &'r Request, now: Timestamp, request_id: String) -> Self {
        Exchange {
            req,
            now,
            request_id,
            trace: Vec::new(),
            effects: Vec::new(),
            headers: BTreeMap::new(),
            body: None,
            status: 200,
            error: None,
            decision: None,
            deciding: None,
            error_extra: Vec::new(),
        }
    }

    pub fn step(&mut self, step: GateStep) {
        self.trace.push(step);
    }

    /// Records a refusal by `gate` (not an authorization decision) and marks it deciding.
    pub(crate) fn reject(
        &mut self,
        gate: Gate,
        error: S3Error,
        explanation: impl Into<String>,
        doc: &'static str,
    ) -> S3Error {
        let step = GateStep::new(gate, StepOutcome::Reject, explanation, doc)
            .compare("response", format!("{} {}", error.status(), error.code()));
        self.push_deciding(step);
        error
    }

    /// Pushes the step that decides the response: the gate that produced the response decides
    /// it, even after authorization allowed, so earlier steps lose the mark.
    pub fn push_deciding(&mut self, mut step: GateStep) {
        for earlier in &mut self.trace {
            earlier.deciding = false;
        }
        step.deciding = true;
        self.deciding = Some(Deciding {
            gate: step.gate,
            action: None,
            statement: None,
        });
        self.trace.push(step);
    }

    pub fn finish(self) -> Outcome {
        let (status, error) = match &self.error {
            Some(e) => (
                e.status(),
                Some(ErrorResponse {
                    code: e.code().to_owned(),
                    message: e.message(),
                    extra: self.error_extra,
                }),
            ),
            None => (self.status, None),
        };
        Outcome {
            operation: self.req.operation.name().to_owned(),
            status,
            error,
            headers: self.headers,
            body: self.body,
            decision: self.decision,
            deciding: self.deciding,
            trace: self.trace,
            effects: self.effects,
            request_id: self.request_id,
        }
    }
}
