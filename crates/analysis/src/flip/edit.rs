//! One candidate change and how it is tried: the edit (add or remove a statement, widen or
//! narrow a condition, switch a setting), its words, and the request the console would send.

use s3pg_sim::acl::{Acl, Grant};
use s3pg_sim::model::ObjectOwnership;
use s3pg_sim::request::{AccessControlPolicy, Operation};
use s3pg_sim::{Request, Timestamp, World};
use serde::Serialize;
use serde_json::Value;

use super::place::{BpaFlag, Place, console};
use crate::props::RequestChange;

/// One candidate change.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase", tag = "edit")]
pub enum Edit {
    /// Change the request itself.
    Request {
        /// The change.
        change: RequestChange,
    },
    /// Remove a statement.
    RemoveStatement {
        /// Where.
        place: Place,
        /// 0-based index.
        index: usize,
        /// Its label.
        label: String,
    },
    /// Remove one action from a statement that lists several.
    RemoveAction {
        /// Where.
        place: Place,
        /// 0-based statement index.
        index: usize,
        /// The statement's label.
        label: String,
        /// The action pattern removed.
        action: String,
    },
    /// Remove one condition (operator and key) from a statement.
    RemoveCondition {
        /// Where.
        place: Place,
        /// 0-based statement index.
        index: usize,
        /// The statement's label.
        label: String,
        /// The operator.
        operator: String,
        /// The key.
        key: String,
    },
    /// Remove one value from a condition that lists several.
    RemoveConditionValue {
        /// Where.
        place: Place,
        /// 0-based statement index.
        index: usize,
        /// The statement's label.
        label: String,
        /// The operator.
        operator: String,
        /// The key.
        key: String,
        /// The value removed.
        value: String,
    },
    /// Add a statement.
    AddStatement {
        /// Where.
        place: Place,
        /// The statement.
        statement: Value,
    },
    /// Turn a bucket's Block Public Access flag on or off (`PutPublicAccessBlock`).
    BucketBpa {
        /// The bucket.
        bucket: String,
        /// The flag.
        flag: BpaFlag,
        /// On or off.
        on: bool,
    },
    /// Turn an account's Block Public Access flag on or off (s3control `PutPublicAccessBlock`).
    AccountBpa {
        /// The account.
        account: String,
        /// The flag.
        flag: BpaFlag,
        /// On or off.
        on: bool,
    },
    /// Change Object Ownership (`PutBucketOwnershipControls`).
    ObjectOwnership {
        /// The bucket.
        bucket: String,
        /// The new setting.
        ownership: ObjectOwnership,
    },
    /// Add a grant to the bucket ACL (`PutBucketAcl`).
    BucketAclGrant {
        /// The bucket.
        bucket: String,
        /// The grant.
        grant: Grant,
    },
    /// Add a grant to an object's ACL (`PutObjectAcl`).
    ObjectAclGrant {
        /// The bucket.
        bucket: String,
        /// The key.
        key: String,
        /// The grant.
        grant: Grant,
    },
}

impl Edit {
    /// The size of the change: 1 for one value (a request property, a flag, a setting, one
    /// condition or one value of it, one action of a list), 2 for a grant or a whole statement
    /// removed, 3 for a new statement (effect, action and resource written). Smaller is first.
    pub fn size(&self) -> u32 {
        match self {
            Edit::Request { .. }
            | Edit::RemoveAction { .. }
            | Edit::RemoveCondition { .. }
            | Edit::RemoveConditionValue { .. }
            | Edit::BucketBpa { .. }
            | Edit::AccountBpa { .. }
            | Edit::ObjectOwnership { .. } => 1,
            Edit::RemoveStatement { .. }
            | Edit::BucketAclGrant { .. }
            | Edit::ObjectAclGrant { .. } => 2,
            Edit::AddStatement { .. } => 3,
        }
    }

    /// The change in one sentence.
    pub fn describe(&self) -> String {
        let onoff = |on: bool| if on { "on" } else { "off" };
        match self {
            Edit::Request { change } => format!("send the request {change}"),
            Edit::RemoveStatement { place, label, .. } => {
                format!("remove statement {label} from {place}")
            }
            Edit::RemoveAction {
                place,
                label,
                action,
                ..
            } => format!("remove `{action}` from statement {label} of {place}"),
            Edit::RemoveCondition {
                place,
                label,
                operator,
                key,
                ..
            } => format!(
                "remove the `{operator}` condition on `{key}` from statement {label} of {place}"
            ),
            Edit::RemoveConditionValue {
                place,
                label,
                operator,
                key,
                value,
                ..
            } => format!(
                "drop `{value}` from the `{operator}` `{key}` values of statement {label} of {place}"
            ),
            Edit::AddStatement { place, statement } => {
                let effect = statement
                    .get("Effect")
                    .and_then(Value::as_str)
                    .unwrap_or("Allow");
                let action = statement
                    .get("Action")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let resource = statement
                    .get("Resource")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let principal = match statement.get("Principal") {
                    Some(Value::String(s)) => format!(" `{s}`"),
                    Some(Value::Object(m)) => m
                        .values()
                        .next()
                        .and_then(Value::as_str)
                        .map(|p| format!(" `{p}`"))
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                let verb = if effect == "Deny" { "denies" } else { "allows" };
                format!(
                    "add to {place} a statement that {verb}{principal} `{action}` on `{resource}`"
                )
            }
            Edit::BucketBpa { bucket, flag, on } => format!(
                "turn Block Public Access `{flag:?}` {} for bucket `{bucket}`",
                onoff(*on)
            ),
            Edit::AccountBpa { account, flag, on } => format!(
                "turn Block Public Access `{flag:?}` {} for account `{account}`",
                onoff(*on)
            ),
            Edit::ObjectOwnership { bucket, ownership } => format!(
                "set Object Ownership of `{bucket}` to `{}`",
                ownership.as_str()
            ),
            Edit::BucketAclGrant { bucket, grant } => format!(
                "grant `{}` to {} in the ACL of bucket `{bucket}`",
                grant.permission.as_str(),
                grant.grantee
            ),
            Edit::ObjectAclGrant { bucket, key, grant } => format!(
                "grant `{}` to {} in the ACL of `{bucket}/{key}`",
                grant.permission.as_str(),
                grant.grantee
            ),
        }
    }

    /// Applies the change to a copy of the world and the request; `None` when S3 (or the world)
    /// refuses it.
    pub fn apply(
        &self,
        world: &World,
        request: &Request,
        now: Timestamp,
    ) -> Option<(World, Request)> {
        let mut req = request.clone();
        if let Edit::Request { change } = self {
            change.apply(&mut req);
            return Some((world.clone(), req));
        }
        let mut w = world.clone();
        let ok = match self {
            Edit::Request { .. } => true,
            Edit::RemoveStatement { .. }
            | Edit::RemoveAction { .. }
            | Edit::RemoveCondition { .. }
            | Edit::RemoveConditionValue { .. }
            | Edit::AddStatement { .. } => self.edit_policy(&mut w, now)?,
            Edit::BucketBpa { .. }
            | Edit::AccountBpa { .. }
            | Edit::ObjectOwnership { .. }
            | Edit::BucketAclGrant { .. }
            | Edit::ObjectAclGrant { .. } => self.change_setting(&mut w, now)?,
        };
        ok.then_some((w, req))
    }

    /// A change to a policy document, written back through its place (the request the console
    /// would send); `None` when the place or statement is gone.
    fn edit_policy(&self, w: &mut World, now: Timestamp) -> Option<bool> {
        Some(match self {
            Edit::RemoveStatement { place, index, .. } => {
                let doc = place.get(w)?;
                let mut statements = statements_of(&doc);
                if *index >= statements.len() {
                    return None;
                }
                statements.remove(*index);
                let new = if statements.is_empty() {
                    None
                } else {
                    Some(with_statements(&doc, statements))
                };
                place.set(w, new, now)
            }
            Edit::RemoveAction {
                place,
                index,
                action,
                ..
            } => edit_statement(w, place, *index, now, |st| {
                let list = st.get_mut("Action")?.as_array_mut()?;
                list.retain(|a| a.as_str() != Some(action));
                Some(())
            }),
            Edit::RemoveCondition {
                place,
                index,
                operator,
                key,
                ..
            } => edit_statement(w, place, *index, now, |st| {
                let cond = st.get_mut("Condition")?.as_object_mut()?;
                let block = cond.get_mut(operator)?.as_object_mut()?;
                block.remove(key)?;
                if block.is_empty() {
                    cond.remove(operator);
                }
                if cond.is_empty()
                    && let Some(o) = st.as_object_mut()
                {
                    o.remove("Condition");
                }
                Some(())
            }),
            Edit::RemoveConditionValue {
                place,
                index,
                operator,
                key,
                value,
                ..
            } => edit_statement(w, place, *index, now, |st| {
                let list = st
                    .get_mut("Condition")?
                    .get_mut(operator)?
                    .get_mut(key)?
                    .as_array_mut()?;
                list.retain(|v| v.as_str() != Some(value));
                Some(())
            }),
            Edit::AddStatement { place, statement } => {
                let doc = place.get(w).unwrap_or_else(
                    || serde_json::json!({"Version": "2012-10-17", "Statement": []}),
                );
                let mut statements = statements_of(&doc);
                statements.push(statement.clone());
                place.set(w, Some(with_statements(&doc, statements)), now)
            }
            _ => return None,
        })
    }

    /// A change to a bucket's or account's setting, sent as the console's request; `None` when
    /// the bucket, object or account is gone.
    fn change_setting(&self, w: &mut World, now: Timestamp) -> Option<bool> {
        Some(match self {
            Edit::BucketBpa { bucket, flag, on } => {
                let b = w.buckets.get(bucket)?;
                let owner = b.owner.clone();
                let mut config = b.public_access_block.unwrap_or_default();
                flag.set(&mut config, *on);
                console(
                    w,
                    &owner,
                    Operation::PutPublicAccessBlock {
                        bucket: bucket.clone(),
                        configuration: config,
                    },
                    now,
                )
            }
            Edit::AccountBpa { account, flag, on } => {
                let mut config = w
                    .accounts
                    .get(account)?
                    .public_access_block
                    .unwrap_or_default();
                flag.set(&mut config, *on);
                console(
                    w,
                    account,
                    Operation::PutAccountPublicAccessBlock {
                        account: account.clone(),
                        configuration: config,
                    },
                    now,
                )
            }
            Edit::ObjectOwnership { bucket, ownership } => {
                let owner = w.buckets.get(bucket)?.owner.clone();
                console(
                    w,
                    &owner,
                    Operation::PutBucketOwnershipControls {
                        bucket: bucket.clone(),
                        object_ownership: *ownership,
                    },
                    now,
                )
            }
            Edit::BucketAclGrant { bucket, grant } => {
                let b = w.buckets.get(bucket)?;
                let owner = b.owner.clone();
                let mut acl = b.acl.clone().unwrap_or_else(|| Acl::private(&owner));
                acl.grants.push(grant.clone());
                console(
                    w,
                    &owner,
                    Operation::PutBucketAcl {
                        bucket: bucket.clone(),
                        access_control_policy: Some(AccessControlPolicy { grants: acl.grants }),
                    },
                    now,
                )
            }
            Edit::ObjectAclGrant { bucket, key, grant } => {
                let b = w.buckets.get(bucket)?;
                let v = b.objects.get(key)?.current()?;
                let owner = v.owner.clone();
                let mut acl = v.acl.clone().unwrap_or_else(|| Acl::private(&owner));
                acl.grants.push(grant.clone());
                console(
                    w,
                    &owner,
                    Operation::PutObjectAcl {
                        bucket: bucket.clone(),
                        key: key.clone(),
                        version_id: None,
                        access_control_policy: Some(AccessControlPolicy { grants: acl.grants }),
                    },
                    now,
                )
            }
            _ => return None,
        })
    }
}

pub(super) fn statements_of(doc: &Value) -> Vec<Value> {
    match doc.get("Statement") {
        Some(Value::Array(items)) => items.clone(),
        Some(one) => vec![one.clone()],
        None => Vec::new(),
    }
}

pub(super) fn with_statements(doc: &Value, statements: Vec<Value>) -> Value {
    let mut d = doc.clone();
    if let Some(o) = d.as_object_mut() {
        o.insert("Statement".to_owned(), Value::Array(statements));
    }
    d
}

pub(super) fn edit_statement(
    w: &mut World,
    place: &Place,
    index: usize,
    now: Timestamp,
    f: impl FnOnce(&mut Value) -> Option<()>,
) -> bool {
    let Some(doc) = place.get(w) else {
        return false;
    };
    let mut statements = statements_of(&doc);
    let Some(st) = statements.get_mut(index) else {
        return false;
    };
    if f(st).is_none() {
        return false;
    }
    place.set(w, Some(with_statements(&doc, statements)), now)
}
