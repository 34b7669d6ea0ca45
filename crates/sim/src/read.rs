//! Reading a typed value (an [`Operation`](crate::Operation), a service request, a
//! configuration) out of a `serde_json::Value` the program built itself: a scenario step with its
//! saved values put in, an `aws` command's options, a request-builder document.
//!
//! Why not `serde_json::from_value`: every type read both from text (scenarios, share links) and
//! from a `Value` carries two copies of its reader in the WebAssembly the browser downloads, and
//! for `Operation` the second copy alone is about 77 KB. Reading the value's text goes through the
//! one reader every scenario already uses, for the cost of writing a small value out as text.

use serde::de::DeserializeOwned;

/// `value` read as a `T`, through the same reader as JSON text.
///
/// # Errors
/// `serde_json`'s message when `value` does not have the shape of a `T`, without a line and
/// column (they would point into text the learner never saw).
pub fn from_value<T: DeserializeOwned>(value: &serde_json::Value) -> Result<T, String> {
    serde_json::from_str(&value.to_string()).map_err(|e| {
        let message = e.to_string();
        let at = format!(" at line {} column {}", e.line(), e.column());
        message
            .strip_suffix(&at)
            .map_or_else(|| message.clone(), str::to_owned)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Operation;

    #[test]
    fn reads_an_operation_and_says_what_is_wrong_without_a_position() {
        let op: Operation =
            from_value(&serde_json::json!({"GetObject": {"bucket": "b", "key": "k"}})).unwrap();
        assert!(matches!(op, Operation::GetObject { .. }));
        let e = from_value::<Operation>(&serde_json::json!({"GetObjectz": {}})).unwrap_err();
        assert!(e.starts_with("unknown variant `GetObjectz`"), "{e}");
        assert!(!e.contains("at line"), "{e}");
    }
}
