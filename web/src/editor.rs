//! The policy editor: an editor of our own over a real `<textarea>` (screen readers, IME, undo
//! and the browser's text handling all work) with a highlighted copy drawn underneath, line
//! numbers, squiggles under each diagnostic, completions, hover documentation, Format,
//! templates, and a form-based builder that round-trips with the JSON.
//!
//! Why not CodeMirror 6: bundled with the JSON, lint and autocomplete packages it is about
//! 130–150 KB gzip of JavaScript, a third of the whole first-visit budget (400 KB), for features
//! the grammar-aware code here gives in a few tens of KB of wasm, tested natively.
//!
//! Everything but [`view`] is pure and tested natively: the tokenizer places each string in the
//! IAM grammar ([`tokens`]), the highlighter splits lines into classed segments
//! ([`highlight`]), completions and docs read the catalogue through [`catalogue`] only, so the
//! catalogue can arrive later (the editor works without completions until it has).

pub mod complete;
pub mod docs;
pub mod form;
pub mod form_view;
pub mod format;
pub mod highlight;
pub mod templates;
pub mod tokens;
pub mod view;

pub use complete::Hints;
pub use view::{CodeEditor, CodeEditorProps, DiagnosticsList};

use s3pg_sim::World;

/// The IAM action and condition-key catalogue, when it is available. Every use in the editor goes
/// through here, so the catalogue's source (compiled in today) can change to a fetched asset:
/// until it arrives this answers `None` and the editor simply offers no action or key
/// completions.
pub fn catalogue() -> Option<&'static s3pg_policy::catalogue::Catalogue> {
    s3pg_policy::catalogue::is_loaded().then(s3pg_policy::catalogue::catalogue)
}

/// What the world offers the editor to complete with: the ARNs of its buckets and their objects,
/// its accounts, their roots, users and roles. `bucket` is the bucket whose policy is edited.
pub fn hints_from_world(world: &World, bucket: &str) -> Hints {
    let mut arns = Vec::new();
    for name in world.buckets.keys() {
        arns.push(format!("arn:aws:s3:::{name}"));
        arns.push(format!("arn:aws:s3:::{name}/*"));
    }
    let mut principals = Vec::new();
    let mut accounts = Vec::new();
    for (id, account) in &world.accounts {
        accounts.push(id.clone());
        principals.push(format!("arn:aws:iam::{id}:root"));
        principals.push(id.clone());
        for user in account.users.keys() {
            principals.push(format!("arn:aws:iam::{id}:user/{user}"));
        }
        for role in account.roles.keys() {
            principals.push(format!("arn:aws:iam::{id}:role/{role}"));
        }
    }
    let account = world
        .buckets
        .get(bucket)
        .map(|b| b.owner.clone())
        .unwrap_or_default();
    Hints {
        bucket: bucket.to_string(),
        account,
        arns,
        principals,
        accounts,
    }
}

/// The names templates are filled with, from the hints: the bucket, its account, another
/// account of the world (or AWS's documentation account `444455556666`) and another bucket.
pub fn template_vars(hints: &Hints) -> templates::TemplateVars {
    let other_account = hints
        .accounts
        .iter()
        .find(|a| **a != hints.account)
        .cloned()
        .unwrap_or_else(|| "444455556666".to_string());
    let source_bucket = hints
        .arns
        .iter()
        .filter_map(|a| a.strip_prefix("arn:aws:s3:::"))
        .find(|b| !b.contains('/') && *b != hints.bucket)
        .map(str::to_string)
        .unwrap_or_else(|| hints.bucket.clone());
    templates::TemplateVars {
        bucket: if hints.bucket.is_empty() {
            "amzn-s3-demo-bucket".to_string()
        } else {
            hints.bucket.clone()
        },
        account: if hints.account.is_empty() {
            "111122223333".to_string()
        } else {
            hints.account.clone()
        },
        other_account,
        source_bucket,
        region: "us-east-1".to_string(),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn the_default_world_gives_arns_principals_and_template_names() {
        let state = crate::state::AppState::from_scenario_text(crate::state::DEFAULT_SCENARIO);
        let hints = hints_from_world(&state.world, &state.bucket);
        assert!(
            hints
                .arns
                .contains(&"arn:aws:s3:::examplebucket/*".to_string())
        );
        assert!(hints.principals.iter().any(|p| p.ends_with(":user/alice")));
        assert_eq!(hints.account, "111122223333");
        let vars = template_vars(&hints);
        assert_eq!(vars.bucket, "examplebucket");
        assert_ne!(vars.other_account, vars.account);
    }
}
