//! Helpers shared by the integration tests: worlds from JSON, requests in one line.

#![allow(
    dead_code,
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed lookup is a failed test"
)]

use s3pg_sim::{Caller, Operation, Outcome, Request, Timestamp, World};
use serde_json::{Value, json};

pub const A: &str = "111122223333";
pub const B: &str = "444455556666";
pub const NOW: Timestamp = Timestamp(1_767_258_000); // 2026-01-01T09:00:00Z

pub fn world(v: Value) -> World {
    let mut w: World = serde_json::from_value(v).expect("world JSON");
    w.normalize();
    w
}

pub fn op(v: Value) -> Operation {
    serde_json::from_value(v).expect("operation JSON")
}

pub fn user(name: &str, account: &str) -> Caller {
    Caller::User {
        name: name.to_owned(),
        account: Some(account.to_owned()),
    }
}

pub fn root(account: &str) -> Caller {
    Caller::Root {
        account: account.to_owned(),
    }
}

pub fn send(w: &mut World, caller: Caller, operation: Value) -> Outcome {
    w.handle(&Request::new(caller, op(operation)), NOW)
}

pub fn send_with(
    w: &mut World,
    caller: Caller,
    operation: Value,
    headers: &[(&str, &str)],
) -> Outcome {
    let mut r = Request::new(caller, op(operation));
    for (k, v) in headers {
        r = r.header(k, v);
    }
    w.handle(&r, NOW)
}

pub fn allow(action: &str, resource: &str) -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]})
}

pub fn code(o: &Outcome) -> &str {
    o.error.as_ref().map_or("", |e| e.code.as_str())
}
