//! The bucket page's Permissions tab: Block Public Access, the bucket policy, Object Ownership
//! and the ACL, each change sent as the request the S3 console would send.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html>
//! and <https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html>.

use s3pg_sim::{Bucket, ObjectOwnership, PublicAccessBlock};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::fields::{on_off, select_value};
use crate::components::PanelProps;
use crate::components::editor::PolicyEditor;
use crate::state::{Action, Setting};

/// Block Public Access, the bucket policy, Object Ownership and the ACL.
#[function_component(PermissionsTab)]
pub(super) fn permissions_tab(props: &PanelProps) -> Html {
    let state = &props.state;
    let d = &props.dispatch;
    let Some(bucket) = state.world.buckets.get(&state.bucket) else {
        return html! {};
    };
    let account_bpa = state
        .world
        .accounts
        .get(&bucket.owner)
        .and_then(|a| a.public_access_block);
    html! {
        <div class="tab-body cards">
            <BpaCard key={format!("{:?}", bucket.public_access_block)} current={bucket.public_access_block} account={account_bpa} dispatch={d.clone()} />
            <section class="card wide" aria-labelledby="policy-card-h">
                <h3 id="policy-card-h">{ "Bucket policy" }</h3>
                <PolicyEditor
                    bucket={state.bucket.clone()}
                    text={state.policy_text.clone()}
                    diagnostics={state.diagnostics.clone()}
                    draft={state.policy_is_draft()}
                    on_edit={d.reform(Action::EditPolicy)}
                    on_save={d.reform(|()| Action::SavePolicy)}
                    on_discard={d.reform(|()| Action::DiscardPolicyDraft)}
                    hints={std::rc::Rc::new(crate::editor::hints_from_world(&state.world, &state.bucket))}
                />
            </section>
            <OwnershipCard key={bucket.object_ownership.as_str()} current={bucket.object_ownership} dispatch={d.clone()} />
            <AclCard bucket={bucket.clone()} dispatch={d.clone()} />
        </div>
    }
}

/// The four flags in AWS's order, with what each does.
pub(super) const BPA_FLAGS: [(&str, &str); 4] = [
    (
        "BlockPublicAcls",
        "Refuse requests that would add a public ACL (PutBucketAcl, PutObjectAcl, uploads with a public canned ACL).",
    ),
    (
        "IgnorePublicAcls",
        "Ignore every public ACL grant when deciding; the ACLs stay as they are.",
    ),
    (
        "BlockPublicPolicy",
        "Refuse a PutBucketPolicy whose policy grants public access.",
    ),
    (
        "RestrictPublicBuckets",
        "While the bucket policy is public, only AWS services and the owner's account get what it grants.",
    ),
];

#[derive(Properties, PartialEq)]
pub(super) struct BpaProps {
    current: Option<PublicAccessBlock>,
    account: Option<PublicAccessBlock>,
    dispatch: Callback<Action>,
}

pub(super) fn flags(p: Option<PublicAccessBlock>) -> [bool; 4] {
    p.map_or([false; 4], |p| {
        [
            p.block_public_acls,
            p.ignore_public_acls,
            p.block_public_policy,
            p.restrict_public_buckets,
        ]
    })
}

/// Block Public Access for the bucket: a draft of four flags until Save sends
/// `PutPublicAccessBlock`.
#[function_component(BpaCard)]
pub(super) fn bpa_card(props: &BpaProps) -> Html {
    let current = flags(props.current);
    let draft = use_state(|| current);
    let changed = *draft != current;
    let save = {
        let draft = draft.clone();
        props
            .dispatch
            .reform(move |_: MouseEvent| Action::Apply(Setting::BlockPublicAccess(*draft)))
    };
    let all_on = draft.iter().all(|f| *f);
    let toggle_all = {
        let draft = draft.clone();
        Callback::from(move |_: Event| draft.set([!all_on; 4]))
    };
    html! {
        <section class="card" aria-labelledby="bpa-h" data-testid="bpa-card">
            <h3 id="bpa-h">{ "Block public access (bucket settings)" }</h3>
            <p class="hint">{ "Turned on, these override any policy or ACL that would make the bucket or its objects public." }
                if let Some(a) = props.account {
                    { format!(" The account's own settings also apply: {}.", if a == PublicAccessBlock::ALL { "all four on".to_owned() } else { BPA_FLAGS.iter().zip(flags(Some(a))).filter(|(_, on)| *on).map(|((n, _), _)| *n).collect::<Vec<_>>().join(", ") }) }
                }
            </p>
            <label class="switch strong"><input type="checkbox" checked={all_on} onchange={toggle_all} />{ " Block all public access" }</label>
            <ul class="flags">
                { for BPA_FLAGS.iter().enumerate().map(|(i, (name, what))| {
                    let draft = draft.clone();
                    let on = draft.get(i).copied().unwrap_or(false);
                    let onchange = Callback::from(move |e: Event| {
                        let mut next = *draft;
                        if let Some(f) = next.get_mut(i) {
                            *f = e.target_dyn_into::<HtmlInputElement>().is_some_and(|x| x.checked());
                        }
                        draft.set(next);
                    });
                    html! {
                        <li><label class="switch">
                            <input type="checkbox" checked={on} {onchange} data-flag={*name} />
                            <span><code>{ *name }</code>{ format!(" — {}", on_off(on)) }<small>{ *what }</small></span>
                        </label></li>
                    }
                }) }
            </ul>
            <div class="actions">
                <button type="button" class="primary" disabled={!changed} onclick={save}>{ "Save changes" }</button>
                if changed { <span class="pill warn">{ "Unsaved — Save sends PutPublicAccessBlock" }</span> }
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub(super) struct OwnershipProps {
    current: ObjectOwnership,
    dispatch: Callback<Action>,
}

/// Object Ownership, sent with `PutBucketOwnershipControls`.
#[function_component(OwnershipCard)]
pub(super) fn ownership_card(props: &OwnershipProps) -> Html {
    let draft = use_state(|| props.current);
    let options = [
        (
            ObjectOwnership::BucketOwnerEnforced,
            "ACLs disabled (recommended): the bucket owner owns every object and ACLs no longer affect access.",
        ),
        (
            ObjectOwnership::BucketOwnerPreferred,
            "ACLs enabled: the bucket owner owns uploads that carry bucket-owner-full-control.",
        ),
        (
            ObjectOwnership::ObjectWriter,
            "ACLs enabled: the account that uploads an object owns it.",
        ),
    ];
    let save = {
        let draft = draft.clone();
        props
            .dispatch
            .reform(move |_: MouseEvent| Action::Apply(Setting::ObjectOwnership(*draft)))
    };
    html! {
        <section class="card" aria-labelledby="ownership-h">
            <h3 id="ownership-h">{ "Object Ownership" }</h3>
            <fieldset class="radios">
                <legend class="visually-hidden">{ "Object Ownership" }</legend>
                { for options.iter().map(|(o, what)| {
                    let o = *o;
                    let draft = draft.clone();
                    html! {
                        <label class="switch">
                            <input type="radio" name="ownership" checked={*draft == o} onchange={Callback::from(move |_: Event| draft.set(o))} />
                            <span><code>{ o.as_str() }</code><small>{ *what }</small></span>
                        </label>
                    }
                }) }
            </fieldset>
            <div class="actions">
                <button type="button" class="primary" disabled={*draft == props.current} onclick={save}>{ "Save changes" }</button>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub(super) struct AclProps {
    bucket: Bucket,
    dispatch: Callback<Action>,
}

/// The bucket ACL's grants, and a canned ACL sent with `PutBucketAcl`.
#[function_component(AclCard)]
pub(super) fn acl_card(props: &AclProps) -> Html {
    let canned = use_state(|| "private".to_owned());
    let grants = props
        .bucket
        .acl
        .as_ref()
        .map(|a| a.grants.clone())
        .unwrap_or_default();
    let save = {
        let canned = canned.clone();
        props
            .dispatch
            .reform(move |_: MouseEvent| Action::Apply(Setting::BucketAcl((*canned).clone())))
    };
    let disabled = !props.bucket.acls_enabled();
    html! {
        <section class="card" aria-labelledby="acl-h">
            <h3 id="acl-h">{ "Access control list (ACL)" }</h3>
            if disabled {
                <p class="hint">{ "ACLs are disabled (BucketOwnerEnforced): they do not affect access, and S3 refuses requests that set an ACL other than the owner's full control." }</p>
            }
            <div class="table-scroll">
                <table class="list">
                    <thead><tr><th scope="col">{ "Grantee" }</th><th scope="col">{ "Permission" }</th></tr></thead>
                    <tbody>
                        if grants.is_empty() {
                            <tr><td>{ format!("account {} (owner)", props.bucket.owner) }</td><td><code>{ "FULL_CONTROL" }</code></td></tr>
                        }
                        { for grants.iter().map(|g| html! {
                            <tr><td>{ crate::components::editor::render_ticks(&g.grantee.to_string()) }</td><td><code>{ g.permission.as_str() }</code></td></tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <label class="field">{ "Canned ACL (x-amz-acl)" }
                <select onchange={{ let canned = canned.clone(); Callback::from(move |e: Event| canned.set(select_value(&e))) }}>
                    { for ["private", "public-read", "public-read-write", "authenticated-read", "log-delivery-write", "bucket-owner-full-control"].iter().map(|c| html! {
                        <option value={*c} selected={*canned == *c}>{ *c }</option>
                    }) }
                </select>
            </label>
            <div class="actions"><button type="button" class="primary" onclick={save}>{ "Send PutBucketAcl" }</button></div>
        </section>
    }
}
