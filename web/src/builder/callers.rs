//! Who can send the request: every IAM user, role session and root user of the world, and
//! anonymous callers.

use s3pg_sim::{Caller, World};

/// Who sends a request, as the caller menu offers it.
#[derive(Debug, Clone, PartialEq)]
pub struct CallerChoice {
    /// What the learner reads (`alice — IAM user, 111122223333`).
    pub label: String,
    /// The caller.
    pub caller: Caller,
    /// The access key that signs for this caller (for a pre-signed URL), if it has one.
    pub access_key_id: Option<String>,
}

/// Everyone in the world who can send a request: IAM users, role sessions, root users, and an
/// anonymous caller last.
pub fn callers_of(world: &World) -> Vec<CallerChoice> {
    let mut callers = Vec::new();
    for (id, account) in &world.accounts {
        for (name, user) in &account.users {
            callers.push(CallerChoice {
                label: format!("{name} — IAM user, {id}"),
                caller: Caller::User {
                    name: name.clone(),
                    account: Some(id.clone()),
                },
                access_key_id: user
                    .access_keys
                    .iter()
                    .find(|k| k.active)
                    .map(|k| k.access_key_id.clone()),
            });
        }
        for (role, r) in &account.roles {
            for session in &r.sessions {
                callers.push(CallerChoice {
                    label: format!("{role}/{} — role session, {id}", session.name),
                    caller: Caller::RoleSession {
                        role: role.clone(),
                        session: session.name.clone(),
                        account: Some(id.clone()),
                    },
                    access_key_id: Some(session.access_key_id.clone()).filter(|k| !k.is_empty()),
                });
            }
        }
    }
    for (id, account) in &world.accounts {
        callers.push(CallerChoice {
            label: format!("root user of {id}"),
            caller: Caller::Root {
                account: id.clone(),
            },
            access_key_id: account
                .root
                .access_keys
                .iter()
                .find(|k| k.active)
                .map(|k| k.access_key_id.clone()),
        });
    }
    callers.push(CallerChoice {
        label: "anonymous (unsigned)".to_owned(),
        caller: Caller::Anonymous,
        access_key_id: None,
    });
    callers
}
