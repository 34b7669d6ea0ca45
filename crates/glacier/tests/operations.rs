//! One test per operation and per error, each citing the Glacier API page it follows
//! (<https://docs.aws.amazon.com/amazonglacier/latest/dev/amazon-glacier-api.html>) and the error
//! table (<https://docs.aws.amazon.com/amazonglacier/latest/dev/api-error-responses.html>).
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions should stop at the first failure"
)]

mod common;

use common::*;
use s3pg_glacier::{
    Caller, ErrorCode, Glacier, GlacierRequest, MessageSource, Operation, Timestamp, Vault,
    VaultEffect, tree_hash, unwrap_policy_wrapper,
};
use s3pg_policy::{Decision, Principal};

fn describe(account: &str) -> GlacierRequest {
    GlacierRequest::DescribeVault {
        account_id: account.into(),
        vault_name: VAULT.into(),
    }
}

fn outsider_read_policy() -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"partner-read","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{OTHER}:root"}},"Action":["glacier:DescribeVault","glacier:GetVaultAccessPolicy"],"Resource":"{VAULT_ARN}"}}]}}"#
    )
}

// --- CreateVault (api-vault-put.md) ---------------------------------------------------------

#[test]
fn create_vault_returns_201_with_the_location_of_the_account_id() {
    let mut g = Glacier::new();
    let out = g.handle(&root(), &create(VAULT), t0());
    assert_eq!(out.status, 201);
    // "The account ID is always displayed in the Location header" even when `-` was sent.
    assert_eq!(
        out.header("Location"),
        Some("/111122223333/vaults/sim-vault")
    );
    assert_eq!(
        out.effects,
        vec![VaultEffect::VaultCreated {
            vault_arn: VAULT_ARN.into()
        }]
    );
    let v = g.vault(REGION, ACCOUNT, VAULT).unwrap();
    assert_eq!(v.arn(), VAULT_ARN);
    assert_eq!(v.creation_date, t0());
}

#[test]
fn create_vault_is_idempotent() {
    let mut g = with_vault();
    let out = g.handle(&root(), &create(VAULT), t0().plus_days(3));
    assert_eq!(out.status, 201);
    assert!(out.effects.is_empty());
    assert_eq!(g.vault(REGION, ACCOUNT, VAULT).unwrap().creation_date, t0());
}

#[test]
fn create_vault_rejects_invalid_names() {
    let mut g = Glacier::new();
    for bad in ["", "has space", "slash/", &"x".repeat(256)] {
        let out = g.handle(&root(), &create(bad), t0());
        assert_error(&out, 400, "InvalidParameterValueException");
    }
    assert_eq!(g.handle(&root(), &create("ok_name-1.2"), t0()).status, 201);
}

#[test]
fn create_vault_in_another_account_is_access_denied_for_account_id() {
    let mut g = Glacier::new();
    let out = g.handle(
        &outsider(),
        &GlacierRequest::CreateVault {
            account_id: ACCOUNT.into(),
            vault_name: "v".into(),
        },
        t0(),
    );
    assert_error(&out, 403, "AccessDeniedException");
    assert_eq!(
        out.error.as_ref().unwrap().message_source,
        MessageSource::Observed
    );
}

#[test]
fn create_vault_needs_an_identity_policy_for_iam_users() {
    let mut g = Glacier::new();
    let out = g.handle(&nobody(), &create(VAULT), t0());
    assert_error(&out, 403, "AccessDeniedException");
    assert_eq!(out.decision(), Some(Decision::ImplicitDeny));
    assert_eq!(
        out.error.unwrap().message,
        "User: arn:aws:iam::111122223333:user/nobody is not authorized to perform: glacier:CreateVault on resource: arn:aws:glacier:us-west-2:111122223333:vaults/sim-vault because no identity-based policy allows the glacier:CreateVault action"
    );
    assert_eq!(g.handle(&admin(), &create(VAULT), t0()).status, 201);
}

#[test]
fn unsigned_requests_are_missing_authentication_token() {
    let mut g = with_vault();
    let anon = Caller::new(Principal::Anonymous, REGION);
    assert_error(
        &g.handle(&anon, &describe(ACCOUNT), t0()),
        400,
        "MissingAuthenticationTokenException",
    );
}

#[test]
fn new_customers_get_no_longer_supported_when_the_world_enforces_it() {
    // Since 15 December 2025 the vault API refuses accounts without Glacier storage.
    let mut g = Glacier::new();
    g.refuse_new_customers = true;
    let out = g.handle(&root(), &create(VAULT), t0());
    assert_error(&out, 400, "NoLongerSupportedException");
    assert_eq!(
        out.error.as_ref().unwrap().message_source,
        MessageSource::Documented
    );
    // An existing customer (holding a vault) is unaffected.
    g.insert_vault(Vault::new(ACCOUNT, REGION, "old", t0()));
    assert_eq!(g.handle(&root(), &create(VAULT), t0()).status, 201);
}

// --- DeleteVault (api-vault-delete.md) ------------------------------------------------------

#[test]
fn delete_vault_of_an_empty_vault_returns_204() {
    let mut g = with_vault();
    let out = g.handle(
        &root(),
        &GlacierRequest::DeleteVault {
            account_id: "-".into(),
            vault_name: VAULT.into(),
        },
        t0(),
    );
    assert_eq!(out.status, 204);
    assert!(g.vault(REGION, ACCOUNT, VAULT).is_none());
}

#[test]
fn delete_vault_with_archives_or_recent_writes_is_refused() {
    let mut g = with_vault();
    let id = upload_at(&mut g, "x", t0());
    let del = GlacierRequest::DeleteVault {
        account_id: "-".into(),
        vault_name: VAULT.into(),
    };
    let out = g.handle(&root(), &del, t0().plus(60));
    assert_error(&out, 400, "InvalidParameterValueException");
    assert_eq!(
        out.error.unwrap().message,
        format!("Vault not empty or recently written to: {VAULT_ARN}")
    );
    assert_eq!(
        g.handle(&root(), &delete_archive(&id), t0().plus(120))
            .status,
        204
    );
    // Empty now, but written to less than a day ago.
    assert_error(
        &g.handle(&root(), &del, t0().plus(180)),
        400,
        "InvalidParameterValueException",
    );
    assert_eq!(g.handle(&root(), &del, t0().plus_days(2)).status, 204);
}

#[test]
fn missing_vault_is_resource_not_found_for_a_caller_with_permission() {
    let mut g = Glacier::new();
    let out = g.handle(&admin(), &describe("-"), t0());
    assert_error(&out, 404, "ResourceNotFoundException");
    assert_eq!(
        out.error.unwrap().message,
        format!("Vault not found for ARN: {VAULT_ARN}")
    );
}

#[test]
fn missing_vault_is_access_denied_for_a_caller_without_permission() {
    // Observed (aws/aws-sdk-js#906): without permission Glacier answers AccessDeniedException.
    let mut g = Glacier::new();
    assert_error(
        &g.handle(&nobody(), &describe("-"), t0()),
        403,
        "AccessDeniedException",
    );
}

// --- DescribeVault / ListVaults (api-vault-get.md, api-vaults-get.md) -----------------------

#[test]
fn describe_vault_reports_arn_name_dates_and_counts() {
    let mut g = with_vault();
    upload_at(&mut g, "hello", t0());
    let out = g.handle(&root(), &describe("-"), t0());
    assert_eq!(out.status, 200);
    let body = out.body.unwrap();
    assert_eq!(body["VaultARN"], VAULT_ARN);
    assert_eq!(body["VaultName"], VAULT);
    assert_eq!(body["CreationDate"], "2026-01-01T00:00:00.000Z");
    assert_eq!(body["NumberOfArchives"], 1);
    assert_eq!(body["SizeInBytes"], 5);
}

#[test]
fn list_vaults_pages_by_name_with_marker_and_limit() {
    let mut g = Glacier::new();
    for name in ["c", "a", "b"] {
        g.handle(&root(), &create(name), t0());
    }
    let list = |marker: Option<String>| GlacierRequest::ListVaults {
        account_id: "-".into(),
        marker,
        limit: Some(2),
    };
    let page1 = g.handle(&root(), &list(None), t0()).body.unwrap();
    let names: Vec<_> = page1["VaultList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["VaultName"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["a", "b"]);
    let marker = page1["Marker"].as_str().unwrap().to_string();
    let page2 = g.handle(&root(), &list(Some(marker)), t0()).body.unwrap();
    assert_eq!(page2["VaultList"][0]["VaultName"], "c");
    assert!(page2["Marker"].is_null());
    let bad = GlacierRequest::ListVaults {
        account_id: "-".into(),
        marker: None,
        limit: Some(0),
    };
    assert_error(
        &g.handle(&root(), &bad, t0()),
        400,
        "InvalidParameterValueException",
    );
}

#[test]
fn list_vaults_of_another_account_is_denied_because_no_vault_policy_applies() {
    let mut g = with_vault();
    let out = g.handle(
        &outsider(),
        &GlacierRequest::ListVaults {
            account_id: ACCOUNT.into(),
            marker: None,
            limit: None,
        },
        t0(),
    );
    assert_error(&out, 403, "AccessDeniedException");
}

// --- Set/Get/DeleteVaultAccessPolicy ---------------------------------------------------------

#[test]
fn set_get_delete_vault_access_policy_round_trip() {
    // api-SetVaultAccessPolicy.md (204), api-GetVaultAccessPolicy.md (200 {"Policy"}),
    // api-DeleteVaultAccessPolicy.md (204, idempotent).
    let mut g = with_vault();
    let policy = outsider_read_policy();
    assert_eq!(
        g.handle(&root(), &set_access_policy(&policy), t0()).status,
        204
    );
    let get = GlacierRequest::GetVaultAccessPolicy {
        account_id: "-".into(),
        vault_name: VAULT.into(),
    };
    let out = g.handle(&root(), &get, t0());
    assert_eq!(out.status, 200);
    assert_eq!(out.body.unwrap()["Policy"], policy);
    let del = GlacierRequest::DeleteVaultAccessPolicy {
        account_id: "-".into(),
        vault_name: VAULT.into(),
    };
    assert_eq!(g.handle(&root(), &del, t0()).status, 204);
    assert_eq!(g.handle(&root(), &del, t0()).status, 204);
    let out = g.handle(&root(), &get, t0());
    assert_error(&out, 404, "ResourceNotFoundException");
    assert_eq!(
        out.error.unwrap().message,
        "No vault access policy is set for: sim-vault"
    );
}

#[test]
fn set_vault_access_policy_rejects_an_invalid_policy() {
    let mut g = with_vault();
    assert_error(
        &g.handle(&root(), &set_access_policy("{not json"), t0()),
        400,
        "InvalidParameterValueException",
    );
    assert!(
        g.vault(REGION, ACCOUNT, VAULT)
            .unwrap()
            .access_policy
            .is_none()
    );
}

#[test]
fn vault_access_policy_grants_another_account_only_with_its_identity_policy() {
    // vault-access-policy.md Example 1 + IAM cross-account evaluation: both sides must allow.
    let mut g = with_vault();
    assert_error(
        &g.handle(&outsider(), &describe(ACCOUNT), t0()),
        403,
        "AccessDeniedException",
    );
    g.handle(&root(), &set_access_policy(&outsider_read_policy()), t0());
    let out = g.handle(&outsider(), &describe(ACCOUNT), t0());
    assert_eq!(out.status, 200, "{:#?}", out.trace);
    let no_identity =
        Caller::from_arn(&format!("arn:aws:iam::{OTHER}:user/carol"), REGION).unwrap();
    assert_error(
        &g.handle(&no_identity, &describe(ACCOUNT), t0()),
        403,
        "AccessDeniedException",
    );
}

#[test]
fn vault_access_policy_conditions_see_secure_transport_and_current_time() {
    let mut g = with_vault();
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[
          {{"Sid":"tls-only","Effect":"Deny","Principal":"*","Action":"glacier:*","Resource":"{VAULT_ARN}","Condition":{{"Bool":{{"aws:SecureTransport":"false"}}}}}},
          {{"Sid":"allow-time-based-deletes","Effect":"Allow","Principal":{{"AWS":"{OTHER}"}},"Action":"glacier:Delete*","Resource":"{VAULT_ARN}","Condition":{{"DateGreaterThan":{{"aws:CurrentTime":"2026-06-01T00:00:00Z"}}}}}}]}}"#
    );
    g.handle(&root(), &set_access_policy(&policy), t0());
    let mut http = admin();
    http.secure_transport = false;
    assert_error(
        &g.handle(&http, &describe("-"), t0()),
        403,
        "AccessDeniedException",
    );
    let id = upload_at(&mut g, "x", t0());
    assert_error(
        &g.handle(&outsider(), &delete_archive(&id), t0().plus_days(30)),
        403,
        "AccessDeniedException",
    );
    assert_eq!(
        g.handle(&outsider(), &delete_archive(&id), t0().plus_days(200))
            .status,
        204
    );
}

// --- UploadArchive (api-archive-post.md) / DeleteArchive (api-archive-delete.md) -------------

#[test]
fn upload_archive_returns_201_with_id_location_and_tree_hash() {
    let mut g = with_vault();
    let out = g.handle(&root(), &upload("hello glacier"), t0());
    assert_eq!(out.status, 201);
    let id = out.header("x-amz-archive-id").unwrap();
    assert_eq!(id.len(), 138);
    assert_eq!(
        out.header("Location").unwrap(),
        format!("/111122223333/vaults/sim-vault/archives/{id}")
    );
    assert_eq!(
        out.header("x-amz-sha256-tree-hash").unwrap(),
        tree_hash(b"hello glacier").to_hex()
    );
    let archive = g
        .vault(REGION, ACCOUNT, VAULT)
        .unwrap()
        .archive(id)
        .unwrap()
        .clone();
    assert_eq!(archive.size, 13);
    assert_eq!(archive.description, "test archive");
}

// --- every operation, one table ---------------------------------------------------------------

#[test]
fn every_operation_names_its_action_and_api_page() {
    for op in Operation::ALL {
        assert_eq!(op.action(), format!("glacier:{}", op.name()));
        assert!(
            op.doc_url()
                .starts_with("https://docs.aws.amazon.com/amazonglacier/latest/dev/api-")
        );
    }
    assert_eq!(ErrorCode::AccessDeniedException.status(), 403);
    assert_eq!(ErrorCode::ResourceNotFoundException.status(), 404);
    assert_eq!(ErrorCode::InvalidParameterValueException.status(), 400);
}

#[test]
fn every_trace_step_cites_an_aws_page() {
    let mut g = with_vault();
    let id = upload_at(&mut g, "x", t0());
    let lock = initiate_at(&mut g, &retention_policy(), t0());
    let outs = [
        g.handle(&root(), &complete(&lock), t0()),
        g.handle(&admin(), &delete_archive(&id), t0().plus_days(1)),
        g.handle(&root(), &get_lock(), t0()),
    ];
    for out in outs {
        assert!(out.trace.len() >= 3);
        for step in &out.trace {
            assert!(
                step.doc.starts_with("https://docs.aws.amazon.com/"),
                "{step:?}"
            );
            assert!(!step.detail.is_empty());
        }
    }
}

// --- scenarios declare state ----------------------------------------------------------------

#[test]
fn scenarios_declare_vaults_with_old_archives_and_a_locked_policy() {
    let json = format!(
        r#"{{"vaults": [{{
            "account": "{ACCOUNT}", "region": "{REGION}", "name": "{VAULT}",
            "creation_date": "2024-01-01T00:00:00Z",
            "archives": [
              {{"id": "old", "creation_date": "2024-06-01T00:00:00Z", "size": 10}},
              {{"id": "new", "creation_date": "2025-12-01T00:00:00Z"}}
            ],
            "lock": {{"policy": {policy}, "state": "Locked", "lock_id": "AE863rKkWZU53SLW5be4DUcW",
                      "creation_date": "2024-01-01T00:00:00Z"}}
        }}]}}"#,
        policy = serde_json::to_string(&retention_policy()).unwrap()
    );
    let mut g: Glacier = serde_json::from_str(&json).unwrap();
    assert_eq!(g.handle(&admin(), &delete_archive("old"), t0()).status, 204);
    assert_error(
        &g.handle(&admin(), &delete_archive("new"), t0()),
        403,
        "AccessDeniedException",
    );
    // Round trip.
    let back: Glacier = serde_json::from_str(&serde_json::to_string(&g).unwrap()).unwrap();
    assert_eq!(back, g);
}

#[test]
fn scenario_loading_rejects_unknown_fields_duplicates_and_bad_policies() {
    let vault = |extra: &str| {
        format!(
            r#"{{"account":"{ACCOUNT}","region":"{REGION}","name":"{VAULT}","creation_date":"2026-01-01T00:00:00Z"{extra}}}"#
        )
    };
    for bad in [
        format!(r#"{{"vaults":[{}]}}"#, vault(r#","colour":"blue""#)),
        format!(r#"{{"vaults":[{},{}]}}"#, vault(""), vault("")),
        format!(r#"{{"vaults":[{}]}}"#, vault(r#","access_policy":"{{""#)),
    ] {
        assert!(serde_json::from_str::<Glacier>(&bad).is_err(), "{bad}");
    }
}

#[test]
fn policy_wrapper_from_the_cli_is_unwrapped() {
    let inner = retention_policy();
    let wrapped = serde_json::json!({ "Policy": inner }).to_string();
    assert_eq!(unwrap_policy_wrapper(&wrapped), inner);
    assert_eq!(unwrap_policy_wrapper(&inner), inner);
}

#[test]
fn requests_deserialise_with_the_operation_tag() {
    let r: GlacierRequest = serde_json::from_str(
        r#"{"operation": "DeleteArchive", "vault_name": "v", "archive_id": "a"}"#,
    )
    .unwrap();
    assert_eq!(r.operation(), Operation::DeleteArchive);
    assert_eq!(r.account_id(), "-");
    let _ = Timestamp(0);
}

// --- AddTagsToVault / RemoveTagsFromVault / ListTagsForVault ----------------------------------

// --- InitiateJob (api-initiate-job-post.md) ---------------------------------------------------

#[test]
fn initiate_job_accepts_archive_and_inventory_retrievals_with_202() {
    let mut g = with_vault();
    let id = upload_at(&mut g, "x", t0());
    let out = g.handle(
        &root(),
        &job("archive-retrieval", Some(&id)),
        t0().plus_days(3),
    );
    assert_eq!(out.status, 202, "{:#?}", out.trace);
    let job_id = out.header("x-amz-job-id").unwrap().to_string();
    assert_eq!(
        out.header("Location").unwrap(),
        format!("/111122223333/vaults/sim-vault/jobs/{job_id}")
    );
    assert_eq!(
        out.authorization
            .unwrap()
            .context
            .get("glacier:ArchiveAgeInDays")
            .unwrap()
            .single(),
        Some("3")
    );
    assert_eq!(
        g.handle(&root(), &job("inventory-retrieval", None), t0())
            .status,
        202
    );
    assert_eq!(g.vault(REGION, ACCOUNT, VAULT).unwrap().jobs.len(), 2);
}

// --- the vault access policy examples (vault-access-policy.md) --------------------------------

#[test]
fn example_2_read_only_to_all_accounts_still_needs_a_signed_caller_with_its_own_allow() {
    let mut g = with_vault();
    let id = upload_at(&mut g, "x", t0());
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"add-read-only-perm","Principal":"*","Effect":"Allow","Action":["glacier:InitiateJob","glacier:GetJobOutput"],"Resource":["{VAULT_ARN}"]}}]}}"#
    );
    g.handle(&root(), &set_access_policy(&policy), t0());
    let retrieve = GlacierRequest::InitiateJob {
        account_id: ACCOUNT.into(),
        vault_name: VAULT.into(),
        job_type: "archive-retrieval".into(),
        archive_id: Some(id.clone()),
        tier: Some("Bulk".into()),
    };
    // Another account with its own allow: both sides say yes.
    assert_eq!(g.handle(&outsider(), &retrieve, t0()).status, 202);
    // The same account's IAM user with no policy: the `*` grant names it directly.
    assert_eq!(g.handle(&nobody(), &retrieve, t0()).status, 202);
    // Deleting is not part of the grant.
    assert_error(
        &g.handle(&outsider(), &delete_archive(&id), t0()),
        403,
        "AccessDeniedException",
    );
    // Unsigned callers never get in.
    let anon = Caller::new(Principal::Anonymous, REGION);
    assert_error(
        &g.handle(&anon, &retrieve, t0()),
        400,
        "MissingAuthenticationTokenException",
    );
}

#[test]
fn example_3_cross_account_deletes_only_with_mfa() {
    let mut g = with_vault();
    let id = upload_at(&mut g, "x", t0());
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"add-mfa-delete-requirement","Principal":{{"AWS":["arn:aws:iam::{OTHER}:root"]}},"Effect":"Allow","Action":["glacier:Delete*"],"Resource":["{VAULT_ARN}"],"Condition":{{"Bool":{{"aws:MultiFactorAuthPresent":true}}}}}}]}}"#
    );
    assert_eq!(
        g.handle(&root(), &set_access_policy(&policy), t0()).status,
        204
    );
    assert_error(
        &g.handle(&outsider(), &delete_archive(&id), t0()),
        403,
        "AccessDeniedException",
    );
    let with_mfa = outsider().with_key("aws:MultiFactorAuthPresent", "true");
    assert_eq!(g.handle(&with_mfa, &delete_archive(&id), t0()).status, 204);
}

#[test]
fn failed_requests_render_as_the_aws_cli_prints_them() {
    let mut g = with_vault();
    let out = g.handle(&root(), &get_lock(), t0());
    assert_eq!(
        out.cli_error_text().unwrap(),
        "An error occurred (ResourceNotFoundException) when calling the GetVaultLock operation: No vault lock policy is set for: sim-vault"
    );
    assert!(
        g.handle(&root(), &describe("-"), t0())
            .cli_error_text()
            .is_none()
    );
}
