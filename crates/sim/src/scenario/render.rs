//! Printing a step for people: the request, the response, the decision and every gate of the
//! trace, as `s3pg run` shows them.

use super::StepReport;

/// How a caller is named in text (`user alice (111122223333)`).
pub fn describe_caller(caller: &crate::request::Caller) -> String {
    use crate::request::Caller;
    match caller {
        Caller::Anonymous => "anonymous".to_owned(),
        Caller::Root { account } => format!("root of {account}"),
        Caller::User { name, account } => match account {
            Some(a) => format!("user {name} ({a})"),
            None => format!("user {name}"),
        },
        Caller::RoleSession {
            role,
            session,
            account,
        } => match account {
            Some(a) => format!("role session {role}/{session} ({a})"),
            None => format!("role session {role}/{session}"),
        },
        Caller::AccessKey { id } => format!("access key {id}"),
    }
}

/// A human-readable rendering of one step: the request, the response and the trace.
pub fn render_step(step: &StepReport) -> String {
    let mut out = String::new();
    let o = &step.outcome;
    let title = if step.name.is_empty() {
        String::new()
    } else {
        format!(" — {}", step.name)
    };
    out.push_str(&format!("step {}{title}\n", step.index + 1));
    let who = match &step.request.operation {
        crate::request::Operation::PresignedRequest {
            method, presign, ..
        } => match presign {
            Some(p) => format!(
                "the holder of a {method} URL signed with `{}`",
                p.access_key_id
            ),
            None => format!("the holder of a {method} URL"),
        },
        _ => describe_caller(&step.request.caller),
    };
    out.push_str(&format!(
        "  {} {} by {} at {}\n",
        o.operation,
        step.request.operation.bucket().unwrap_or(""),
        who,
        step.at
    ));
    match &o.error {
        Some(e) => out.push_str(&format!("  → {} {}: {}\n", o.status, e.code, e.message)),
        None => out.push_str(&format!("  → {} OK\n", o.status)),
    }
    for (k, v) in &o.headers {
        out.push_str(&format!("    {k}: {v}\n"));
    }
    if let Some(d) = &o.decision {
        out.push_str(&format!("  decision: {d:?}"));
        if let Some(dec) = &o.deciding {
            out.push_str(&format!(" (decided by {}", dec.gate.title()));
            if let Some(st) = &dec.statement {
                out.push_str(&format!(", statement `{}`", st.label()));
            }
            out.push(')');
        }
        out.push('\n');
    }
    out.push_str("  trace:\n");
    for s in &o.trace {
        let mark = if s.deciding { "▶" } else { " " };
        let action = s
            .action
            .as_ref()
            .map(|a| format!(" [{a}]"))
            .unwrap_or_default();
        out.push_str(&format!(
            "   {mark} {}{action} {}: {}\n",
            s.gate.title(),
            s.outcome.describe(),
            s.explanation
        ));
        for (k, v) in &s.compared {
            out.push_str(&format!("        {k} = {v}\n"));
        }
        if let Some(u) = &s.undocumented {
            out.push_str(&format!("        (undocumented by AWS: {u})\n"));
        }
    }
    for e in &o.effects {
        out.push_str(&format!(
            "  effect: {}\n",
            serde_json::to_string(e).unwrap_or_default()
        ));
    }
    for f in &step.failures {
        out.push_str(&format!("  FAILED: {f}\n"));
    }
    out
}
