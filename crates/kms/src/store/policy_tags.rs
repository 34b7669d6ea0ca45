//! What is attached to a key: its key policy (Put and GetKeyPolicy), its tags (TagResource,
//! UntagResource, ListResourceTags — read as `aws:ResourceTag/KEY` by every call made with the
//! key) and its aliases (CreateAlias).
//!
//! Follows <https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html>,
//! <https://docs.aws.amazon.com/kms/latest/APIReference/API_TagResource.html> and
//! <https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html>.

use std::collections::BTreeMap;

use serde_json::json;

use super::Kms;
use super::{
    MAX_KEY_TAGS, alias_arn, alias_exists, check_alias_name, check_tag, customer_managed,
    lockout_check, not_found_key, parse_policy, respond, tag_list,
};
use crate::caller::Caller;
use crate::error::KmsError;
use crate::response::{KmsOperation, KmsResponse};

impl Kms {
    /// `PutKeyPolicy`: validates the document (`MalformedPolicyDocumentException`) and, unless
    /// bypassed, runs the lockout safety check: the new policy must still let the caller call
    /// `PutKeyPolicy` (KMS DG `key-policy-default.html#prevent-unmanageable-key`).
    pub fn put_key_policy(
        &mut self,
        caller: &Caller,
        key_ref: &str,
        policy: &str,
        bypass_policy_lockout_safety_check: bool,
    ) -> KmsResponse<()> {
        let params = json!({
            "keyId": key_ref,
            "policyName": "default",
            "bypassPolicyLockoutSafetyCheck": bypass_policy_lockout_safety_check,
        });
        let text = policy.to_owned();
        let check_caller = caller.clone();
        self.key_op(
            KmsOperation::PutKeyPolicy,
            caller,
            key_ref,
            None,
            params,
            None,
            move |k, t| {
                let parsed = parse_policy(&text)?;
                if !bypass_policy_lockout_safety_check {
                    let mut candidate = k.clone();
                    candidate.policy = parsed.clone();
                    lockout_check(&check_caller, &candidate, t)?;
                }
                k.policy = parsed;
                t.push(format!("key `{}` has a new key policy", k.arn));
                Ok(())
            },
        )
    }

    /// `GetKeyPolicy`: the policy JSON.
    pub fn get_key_policy(&mut self, caller: &Caller, key_ref: &str) -> KmsResponse<String> {
        let params = json!({ "keyId": key_ref, "policyName": "default" });
        self.key_op(
            KmsOperation::GetKeyPolicy,
            caller,
            key_ref,
            None,
            params,
            None,
            |k, _| Ok(k.policy.text().to_owned()),
        )
    }

    /// `TagResource`: adds or replaces tags on a customer managed key. Tags take effect in
    /// `aws:ResourceTag/KEY` conditions from the next request on.
    ///
    /// Follows <https://docs.aws.amazon.com/kms/latest/APIReference/API_TagResource.html>: keys
    /// of 1–128 characters that do not begin with `aws:`, values of up to 256, at most 50 tags
    /// per key; AWS managed keys cannot be tagged.
    pub fn tag_resource(
        &mut self,
        caller: &Caller,
        key_ref: &str,
        tags: &BTreeMap<String, String>,
    ) -> KmsResponse<()> {
        let params = json!({ "keyId": key_ref, "tags": tags });
        self.key_op(
            KmsOperation::TagResource,
            caller,
            key_ref,
            None,
            params,
            None,
            |k, t| {
                customer_managed(k, "tagged")?;
                for (tag, value) in tags {
                    check_tag(tag, value)?;
                }
                let mut next = k.tags.clone();
                next.extend(tags.iter().map(|(a, b)| (a.clone(), b.clone())));
                if next.len() > MAX_KEY_TAGS {
                    return Err(KmsError::Tag {
                        message: format!("A KMS key can have at most {MAX_KEY_TAGS} tags."),
                    });
                }
                k.tags = next;
                t.push(format!(
                    "key `{}` now has the tags {}; policies read them as `aws:ResourceTag/KEY`",
                    k.arn,
                    tag_list(&k.tags)
                ));
                Ok(())
            },
        )
    }

    /// `UntagResource`: removes tags (by key) from a customer managed key; absent keys are
    /// ignored, as KMS does.
    pub fn untag_resource(
        &mut self,
        caller: &Caller,
        key_ref: &str,
        tag_keys: &[String],
    ) -> KmsResponse<()> {
        let params = json!({ "keyId": key_ref, "tagKeys": tag_keys });
        self.key_op(
            KmsOperation::UntagResource,
            caller,
            key_ref,
            None,
            params,
            None,
            |k, t| {
                customer_managed(k, "untagged")?;
                for tag in tag_keys {
                    k.tags.remove(tag);
                }
                t.push(format!(
                    "key `{}` now has the tags {}",
                    k.arn,
                    tag_list(&k.tags)
                ));
                Ok(())
            },
        )
    }

    /// `ListResourceTags`: the key's tags.
    pub fn list_resource_tags(
        &mut self,
        caller: &Caller,
        key_ref: &str,
    ) -> KmsResponse<BTreeMap<String, String>> {
        let params = json!({ "keyId": key_ref });
        self.key_op(
            KmsOperation::ListResourceTags,
            caller,
            key_ref,
            None,
            params,
            None,
            |k, _| Ok(k.tags.clone()),
        )
    }

    /// `CreateAlias`: `alias/NAME` in the caller's account and Region pointing to a key there.
    /// \[SIM\] only the key policy side of the two-sided permission is checked (the alias's IAM
    /// permission is not modelled separately).
    pub fn create_alias(
        &mut self,
        caller: &Caller,
        alias_name: &str,
        target_key_ref: &str,
    ) -> KmsResponse<()> {
        let params = json!({ "aliasName": alias_name, "targetKeyId": target_key_ref });
        let account = caller.account().unwrap_or_default().to_owned();
        let a = alias_arn(&caller.region, &account, alias_name);
        let precheck = check_alias_name(alias_name).and_then(|()| {
            if self.aliases.contains_key(&a) {
                Err(alias_exists(&a))
            } else {
                Ok(())
            }
        });
        if let Err(e) = precheck {
            return respond(
                KmsOperation::CreateAlias,
                caller,
                Err(e),
                None,
                vec![],
                params,
                vec![],
            );
        }
        let region = caller.region.clone();
        let response = self.key_op(
            KmsOperation::CreateAlias,
            caller,
            target_key_ref,
            None,
            params,
            None,
            |k, t| {
                if k.account != account || k.region != region {
                    return Err(not_found_key(&k.arn));
                }
                t.push(format!("`{alias_name}` now points to key `{}`", k.arn));
                Ok(k.arn.clone())
            },
        );
        if let Ok(arn) = &response.result {
            self.aliases.insert(a, arn.clone());
        }
        response.map(|_| ())
    }
}
