//! The buckets view and a bucket's page, with the S3 console's tabs: Objects (with versions and
//! delete markers), Properties (versioning, MFA Delete, default encryption, server access
//! logging) and Permissions (Block Public Access, the bucket policy, Object Ownership, the ACL).
//!
//! Nothing here writes the world: every change is the request the S3 console would send
//! (`PutPublicAccessBlock`, `PutBucketPolicy`, `PutBucketVersioning`, …), signed by whoever is
//! signed in, so S3's own checks apply and the answer appears, traced, in the decision pane.
//! Follows the S3 User Guide's console pages, e.g.
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-block-public-access-bucket.html>.
//! The Permissions tab is in [`permissions`].

mod fields;
mod permissions;

use s3pg_sim::{Bucket, PublicAccessBlock, Versioning, World};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use self::fields::{input_value, select_value};
use self::permissions::PermissionsTab;
use super::PanelProps;
use crate::state::{Action, BucketTab, Setting, View};

/// One line on a bucket's public-access settings, for the bucket list.
fn access_summary(bucket: &Bucket) -> (&'static str, &'static str) {
    match &bucket.public_access_block {
        Some(p) if *p == PublicAccessBlock::ALL => ("Block all public access", "ok"),
        Some(p)
            if p.block_public_acls
                || p.ignore_public_acls
                || p.block_public_policy
                || p.restrict_public_buckets =>
        {
            ("Some public access blocked", "warn")
        }
        _ => ("Public access not blocked", "error"),
    }
}

fn versioning_text(v: Versioning) -> &'static str {
    match v {
        Versioning::Unversioned => "Never enabled",
        Versioning::Enabled => "Enabled",
        Versioning::Suspended => "Suspended",
    }
}

/// The buckets list and the open bucket's page.
#[function_component(BucketsView)]
pub fn buckets_view(props: &PanelProps) -> Html {
    let state = &props.state;
    let d = &props.dispatch;
    let Some(bucket) = state.world.buckets.get(&state.bucket) else {
        return html! {
            <section class="panel"><h2>{ "Buckets" }</h2><p class="empty">{ "This world has no buckets. Create one from the Requests view (CreateBucket)." }</p></section>
        };
    };
    let tab = state.bucket_tab;
    // Left and Right move between tabs, as in the WAI-ARIA tabs pattern.
    let on_tab_key = {
        let d = d.clone();
        Callback::from(move |e: KeyboardEvent| {
            let i = BucketTab::ALL.iter().position(|t| *t == tab).unwrap_or(0);
            let n = BucketTab::ALL.len();
            let next = match e.key().as_str() {
                "ArrowRight" => (i + 1) % n,
                "ArrowLeft" => (i + n - 1) % n,
                _ => return,
            };
            e.prevent_default();
            if let Some(t) = BucketTab::ALL.get(next) {
                d.emit(Action::SetBucketTab(*t));
                if let Some(el) = gloo::utils::document()
                    .get_element_by_id(&format!("tab-{}", t.label()))
                    .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok())
                {
                    let _ = el.focus();
                }
            }
        })
    };
    let (access, access_class) = access_summary(bucket);
    html! {
        <div class="stack">
            <section class="panel" aria-labelledby="buckets-h">
                <h2 id="buckets-h">{ "Buckets" }<span class="count">{ state.world.buckets.len() }</span></h2>
                <div class="table-scroll">
                    <table class="list" data-testid="bucket-list">
                        <thead><tr><th scope="col">{ "Name" }</th><th scope="col">{ "Owner" }</th><th scope="col">{ "Region" }</th><th scope="col">{ "Access" }</th><th scope="col">{ "Block Public Access" }</th><th scope="col">{ "Versioning" }</th></tr></thead>
                        <tbody>
                            { for state.world.buckets.iter().map(|(name, b)| {
                                let open = *name == state.bucket;
                                let n = name.clone();
                                let (text, class) = access_summary(b);
                                html! {
                                    <tr class={classes!(open.then_some("open"))}>
                                        <th scope="row"><button type="button" class="link" aria-current={open.then_some("true")}
                                            onclick={d.reform(move |_: MouseEvent| Action::SelectBucket(n.clone()))}>{ name }</button></th>
                                        <td><code>{ &b.owner }</code></td>
                                        <td>{ &b.region }</td>
                                        <td>{ crate::analysis::verdict_badge(&state.world, name) }</td>
                                        <td><span class={classes!("pill", class)}>{ text }</span></td>
                                        <td>{ versioning_text(b.versioning) }</td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                </div>
            </section>
            <section class="panel bucket-page" aria-labelledby="bucket-h">
                <div class="bucket-title">
                    <h2 id="bucket-h"><code>{ &state.bucket }</code></h2>
                    <span class={classes!("pill", access_class)}>{ access }</span>
                    { crate::analysis::verdict_badge(&state.world, &state.bucket) }
                </div>
                <p class="hint">{ format!("Owned by account {} in {}. Object Ownership: {}.", bucket.owner, bucket.region, bucket.object_ownership.as_str()) }</p>
                <div class="tabs" role="tablist" aria-label="Bucket settings" onkeydown={on_tab_key}>
                    { for BucketTab::ALL.iter().map(|t| {
                        let t = *t;
                        let selected = t == tab;
                        html! {
                            <button type="button" role="tab" id={format!("tab-{}", t.label())} aria-selected={selected.to_string()}
                                aria-controls="bucket-tabpanel" tabindex={if selected { "0" } else { "-1" }}
                                class={classes!("tab", selected.then_some("selected"))}
                                onclick={d.reform(move |_: MouseEvent| Action::SetBucketTab(t))}>{ t.label() }</button>
                        }
                    }) }
                </div>
                <div class="tabpanel" role="tabpanel" id="bucket-tabpanel" aria-labelledby={format!("tab-{}", tab.label())}>
                    { match tab {
                        BucketTab::Objects => html! { <ObjectsTab state={state.clone()} dispatch={d.clone()} /> },
                        BucketTab::Properties => html! { <PropertiesTab state={state.clone()} dispatch={d.clone()} /> },
                        BucketTab::Permissions => html! { <PermissionsTab state={state.clone()} dispatch={d.clone()} /> },
                    } }
                </div>
            </section>
        </div>
    }
}

/// The root users' MFA devices of the world: `(serial, current code)`.
fn root_devices(world: &World, now: u64) -> Vec<(String, String)> {
    world
        .accounts
        .values()
        .flat_map(|a| a.root.mfa_devices.iter())
        .map(|d| {
            (
                d.serial.clone(),
                s3pg_sim::mfa::current_code(&d.secret_base32, now).unwrap_or_default(),
            )
        })
        .collect()
}

/// An MFA serial picker and code box, for the requests S3 wants `x-amz-mfa` on.
#[derive(Properties, PartialEq)]
struct MfaProps {
    devices: Vec<(String, String)>,
    serial: UseStateHandle<String>,
    code: UseStateHandle<String>,
    id: AttrValue,
}

#[function_component(MfaFields)]
fn mfa_fields(props: &MfaProps) -> Html {
    let serial = props.serial.clone();
    let code = props.code.clone();
    let shown = props
        .devices
        .iter()
        .find(|(s, _)| *s == *serial)
        .map(|(_, c)| c.clone());
    html! {
        <div class="mfa-fields">
            <label class="field">{ "MFA device (x-amz-mfa serial)" }
                <select id={format!("{}-serial", props.id)} onchange={Callback::from(move |e: Event| serial.set(select_value(&e)))}>
                    <option value="" selected={props.serial.is_empty()}>{ "— no MFA —" }</option>
                    { for props.devices.iter().map(|(s, _)| html! { <option value={s.clone()} selected={*s == *props.serial}>{ s }</option> }) }
                </select>
            </label>
            <label class="field">{ "Code" }
                <input id={format!("{}-code", props.id)} type="text" inputmode="numeric" maxlength="6" value={(*props.code).clone()}
                    oninput={Callback::from(move |e: InputEvent| code.set(input_value(&e)))} placeholder="123456" />
            </label>
            if let Some(c) = shown {
                <p class="hint">{ "The device shows " }<code data-testid="device-code">{ c }</code>{ " now." }</p>
            }
        </div>
    }
}

fn mfa_header(serial: &str, code: &str) -> Option<String> {
    (!serial.is_empty() && !code.trim().is_empty()).then(|| format!("{serial} {}", code.trim()))
}

/// Objects, with versions and delete markers when asked.
#[function_component(ObjectsTab)]
fn objects_tab(props: &PanelProps) -> Html {
    let state = &props.state;
    let d = &props.dispatch;
    let show_versions = use_state(|| false);
    let devices = root_devices(&state.world, state.now.epoch_seconds());
    let serial = use_state(|| devices.first().map(|(s, _)| s.clone()).unwrap_or_default());
    let code = use_state(String::new);
    let Some(bucket) = state.world.buckets.get(&state.bucket) else {
        return html! {};
    };
    let toggle = {
        let show_versions = show_versions.clone();
        Callback::from(move |e: Event| {
            show_versions.set(
                e.target_dyn_into::<HtmlInputElement>()
                    .is_some_and(|i| i.checked()),
            );
        })
    };
    let upload = {
        let mut form = state.form.clone();
        form.op = crate::builder::OpKind::PutObject;
        form.bucket.clone_from(&state.bucket);
        d.reform(move |_: MouseEvent| Action::SetForm(form.clone()))
    };
    let go_requests = d.reform(|_: MouseEvent| Action::Navigate(View::Requests));
    let mut rows = Vec::new();
    for (key, entry) in &bucket.objects {
        let versions: Vec<_> = entry.versions.iter().rev().collect();
        for (i, v) in versions.iter().enumerate() {
            let latest = i == 0;
            if !*show_versions && (!latest || v.delete_marker) {
                continue;
            }
            let version_id = (*show_versions).then(|| v.version_id.clone());
            let open = {
                let (key, version_id) = (key.clone(), version_id.clone());
                d.reform(move |_: MouseEvent| {
                    Action::Apply(Setting::GetObject {
                        key: key.clone(),
                        version_id: version_id.clone(),
                    })
                })
            };
            let delete = {
                let (key, version_id) = (key.clone(), version_id.clone());
                let (serial, code) = ((*serial).clone(), (*code).clone());
                d.reform(move |_: MouseEvent| {
                    Action::Apply(Setting::DeleteObject {
                        key: key.clone(),
                        version_id: version_id.clone(),
                        mfa: mfa_header(&serial, &code).filter(|_| version_id.is_some()),
                    })
                })
            };
            rows.push(html! {
                <tr class={classes!(v.delete_marker.then_some("marker"))}>
                    <th scope="row"><code>{ key }</code></th>
                    if *show_versions {
                        <td><code class="version">{ &v.version_id }</code>
                            if latest { <span class="tag">{ "latest" }</span> }</td>
                        <td>{ if v.delete_marker { "Delete marker" } else { "Object" } }</td>
                    }
                    <td>{ if v.delete_marker { "—".to_owned() } else { format!("{} B", v.body.len()) } }</td>
                    <td>{ v.encryption.clone().unwrap_or_else(|| "none".to_owned()) }</td>
                    <td><code>{ &v.owner }</code></td>
                    <td class="row-actions">
                        if !v.delete_marker {
                            <button type="button" class="ghost small" onclick={open}
                                aria-label={format!("Get {key}{}", version_id.as_ref().map(|v| format!(" version {v}")).unwrap_or_default())}>{ "Get" }</button>
                        }
                        <button type="button" class="ghost small danger" onclick={delete}
                            aria-label={format!("Delete {key}{}", version_id.as_ref().map(|v| format!(" version {v}")).unwrap_or_default())}>{ "Delete" }</button>
                    </td>
                </tr>
            });
        }
    }
    let versioned = bucket.versioning != Versioning::Unversioned;
    html! {
        <div class="tab-body">
            <p class="hint">
                { match (bucket.versioning, *show_versions) {
                    (Versioning::Unversioned, _) => "Versioning has never been enabled: a Delete removes the object for good.",
                    (_, false) => "Versioning is on: Delete without a version adds a delete marker, and the object seems gone. Show versions to see what is kept.",
                    (_, true) => "Each row is a version. Deleting a version (not a marker) removes it for good — with MFA Delete on, S3 wants the root user's MFA code for that.",
                } }
            </p>
            <div class="actions wrap">
                if versioned {
                    <label class="switch"><input type="checkbox" checked={*show_versions} onchange={toggle} />{ " Show versions" }</label>
                }
                <span class="spacer" />
                <button type="button" class="ghost" onclick={Callback::from(move |e: MouseEvent| { upload.emit(e.clone()); go_requests.emit(e); })}>{ "Upload with the request builder…" }</button>
            </div>
            if *show_versions && bucket.mfa_delete {
                <MfaFields devices={devices.clone()} serial={serial.clone()} code={code.clone()} id="objects-mfa" />
            }
            if rows.is_empty() {
                <p class="empty" data-testid="objects-empty">{ "No objects. Upload one with PutObject from the Requests view." }</p>
            } else {
                <div class="table-scroll">
                    <table class="list objects" data-testid="objects">
                        <thead><tr>
                            <th scope="col">{ "Key" }</th>
                            if *show_versions { <th scope="col">{ "Version ID" }</th><th scope="col">{ "Type" }</th> }
                            <th scope="col">{ "Size" }</th><th scope="col">{ "Encryption" }</th><th scope="col">{ "Owner" }</th><th scope="col">{ "Actions" }</th>
                        </tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
            }
        </div>
    }
}

/// Versioning, MFA Delete, default encryption and server access logging.
#[function_component(PropertiesTab)]
fn properties_tab(props: &PanelProps) -> Html {
    let state = &props.state;
    let d = &props.dispatch;
    let devices = root_devices(&state.world, state.now.epoch_seconds());
    let serial = use_state(|| devices.first().map(|(s, _)| s.clone()).unwrap_or_default());
    let code = use_state(String::new);
    let Some(bucket) = state.world.buckets.get(&state.bucket) else {
        return html! {};
    };
    let enabled = bucket.versioning == Versioning::Enabled;
    let set_versioning = |on: bool| {
        d.reform(move |_: MouseEvent| {
            Action::Apply(Setting::Versioning {
                enabled: on,
                mfa_delete: None,
                mfa: None,
            })
        })
    };
    let set_mfa_delete = |on: bool| {
        let (serial, code) = ((*serial).clone(), (*code).clone());
        d.reform(move |_: MouseEvent| {
            Action::Apply(Setting::Versioning {
                enabled: true,
                mfa_delete: Some(on),
                mfa: mfa_header(&serial, &code),
            })
        })
    };
    let encryption = bucket
        .encryption
        .clone()
        .unwrap_or_else(s3pg_sim::encryption::BucketEncryption::sse_s3);
    let kms_keys: Vec<String> = state.world.kms.keys.keys().cloned().collect();
    html! {
        <div class="tab-body cards">
            <section class="card" aria-labelledby="versioning-h">
                <h3 id="versioning-h">{ "Bucket Versioning" }</h3>
                <p class="state">{ versioning_text(bucket.versioning) }</p>
                <p class="hint">{ "Keeps every version of every object, so an overwrite or a delete can be undone. Once enabled, versioning can only be suspended, never turned off." }</p>
                <div class="actions wrap">
                    <button type="button" class="ghost" disabled={enabled} onclick={set_versioning(true)}>{ "Enable" }</button>
                    <button type="button" class="ghost" disabled={!enabled} onclick={set_versioning(false)}>{ "Suspend" }</button>
                </div>
            </section>
            <section class="card" aria-labelledby="mfa-delete-h">
                <h3 id="mfa-delete-h">{ "MFA Delete" }</h3>
                <p class="state" data-testid="mfa-delete-state">{ if bucket.mfa_delete { "Enabled" } else { "Disabled" } }</p>
                <p class="hint">{ "Only the bucket owner's root user can change it, only through the API or CLI (the AWS console cannot), and the request must carry " }<code>{ "x-amz-mfa" }</code>{ ": the device's serial, a space, and its current code." }</p>
                <MfaFields devices={devices.clone()} serial={serial.clone()} code={code.clone()} id="versioning-mfa" />
                <div class="actions wrap">
                    <button type="button" class="ghost" onclick={set_mfa_delete(true)}>{ "Send: enable MFA Delete" }</button>
                    <button type="button" class="ghost" onclick={set_mfa_delete(false)}>{ "Send: disable MFA Delete" }</button>
                </div>
            </section>
            <ObjectLockCard key={format!("{:?}", bucket.object_lock)} current={bucket.object_lock.clone()}
                versioned={enabled} dispatch={d.clone()} />
            <section class="card" aria-labelledby="lifecycle-h">
                <h3 id="lifecycle-h">{ "Lifecycle rules" }</h3>
                <p class="state" data-testid="lifecycle-state">{ match &bucket.lifecycle {
                    Some(c) => format!("{} rule(s)", c.rules.len()),
                    None => "No lifecycle configuration".to_owned(),
                } }</p>
                <p class="hint">{ "Rules expire objects a number of days after they were created (or became noncurrent), rounded up to the next midnight UTC; they never remove a version under Object Lock. Write them with PutBucketLifecycleConfiguration in the request builder." }</p>
                <div class="actions wrap">
                    <button type="button" class="ghost" disabled={bucket.lifecycle.is_none()}
                        onclick={d.reform(|_: MouseEvent| Action::Apply(Setting::DeleteLifecycle))}>{ "Send: delete lifecycle configuration" }</button>
                </div>
            </section>
            <EncryptionCard key={format!("{encryption:?}")} current={encryption.clone()} {kms_keys} dispatch={d.clone()} />
            <LoggingCard key={format!("{:?}", bucket.logging)} current={bucket.logging.clone()}
                buckets={state.world.buckets.keys().cloned().collect::<Vec<_>>()} dispatch={d.clone()} />
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ObjectLockProps {
    current: Option<s3pg_sim::object_lock::ObjectLockConfiguration>,
    versioned: bool,
    dispatch: Callback<Action>,
}

/// Object Lock: the state, and a default retention that Save sends as
/// `PutObjectLockConfiguration` (which also turns Object Lock on, for good).
#[function_component(ObjectLockCard)]
fn object_lock_card(props: &ObjectLockProps) -> Html {
    use s3pg_sim::object_lock::{
        DefaultRetention, ObjectLockConfiguration, ObjectLockRule, RetentionMode,
    };
    let current = props
        .current
        .as_ref()
        .and_then(ObjectLockConfiguration::default_retention);
    let mode = use_state(|| current.map_or("GOVERNANCE", |d| d.mode.as_str()).to_owned());
    let days = use_state(|| {
        current
            .and_then(DefaultRetention::period_days)
            .map_or_else(String::new, |d| d.to_string())
    });
    let on_mode = {
        let mode = mode.clone();
        Callback::from(move |e: Event| mode.set(select_value(&e)))
    };
    let on_days = {
        let days = days.clone();
        Callback::from(move |e: InputEvent| days.set(input_value(&e)))
    };
    let save = {
        let (mode, days) = ((*mode).clone(), (*days).clone());
        props.dispatch.reform(move |_: MouseEvent| {
            let rule = days.trim().parse::<i64>().ok().map(|d| ObjectLockRule {
                default_retention: DefaultRetention {
                    mode: RetentionMode::parse(&mode).unwrap_or(RetentionMode::Governance),
                    days: Some(d),
                    years: None,
                },
            });
            Action::Apply(Setting::ObjectLock(ObjectLockConfiguration {
                object_lock_enabled: Some("Enabled".to_owned()),
                rule,
            }))
        })
    };
    let state = match (&props.current, current) {
        (None, _) => "Disabled".to_owned(),
        (Some(_), None) => "Enabled, no default retention".to_owned(),
        (Some(_), Some(d)) => format!(
            "Enabled, default retention {} for {} day(s)",
            d.mode.as_str(),
            d.period_days().unwrap_or(0)
        ),
    };
    html! {
        <section class="card" aria-labelledby="object-lock-h">
            <h3 id="object-lock-h">{ "Object Lock" }</h3>
            <p class="state" data-testid="object-lock-state">{ state }</p>
            <p class="hint">{ "Write-once-read-many protection per object version: GOVERNANCE can be bypassed with s3:BypassGovernanceRetention, COMPLIANCE by no one, not even the root user. Needs versioning, which can then never be suspended; Object Lock can never be turned off." }
                if !props.versioned && props.current.is_none() { { " Enable versioning first." } }</p>
            <div class="row2">
                <label class="field" for="lock-default-mode">{ "Default retention mode" }
                    <select id="lock-default-mode" onchange={on_mode}>
                        <option value="GOVERNANCE" selected={*mode == "GOVERNANCE"}>{ "GOVERNANCE" }</option>
                        <option value="COMPLIANCE" selected={*mode == "COMPLIANCE"}>{ "COMPLIANCE" }</option>
                    </select>
                </label>
                <label class="field" for="lock-default-days">{ "Default retention days (empty: none)" }
                    <input id="lock-default-days" type="text" inputmode="numeric" value={(*days).clone()} oninput={on_days} />
                </label>
            </div>
            <div class="actions wrap">
                <button type="button" class="ghost" data-testid="object-lock-save" onclick={save}>{ "Send: PutObjectLockConfiguration" }</button>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct EncryptionProps {
    current: s3pg_sim::encryption::BucketEncryption,
    kms_keys: Vec<String>,
    dispatch: Callback<Action>,
}

/// Default encryption: a draft until Save sends `PutBucketEncryption`.
#[function_component(EncryptionCard)]
fn encryption_card(props: &EncryptionProps) -> Html {
    let draft = use_state(|| props.current.clone());
    let changed = *draft != props.current;
    let on_algorithm = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let mut next = (*draft).clone();
            next.sse_algorithm = select_value(&e);
            draft.set(next);
        })
    };
    let on_key = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let mut next = (*draft).clone();
            let v = input_value(&e);
            next.kms_master_key_id = (!v.trim().is_empty()).then_some(v);
            draft.set(next);
        })
    };
    let on_bucket_key = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let mut next = (*draft).clone();
            next.bucket_key_enabled = e
                .target_dyn_into::<HtmlInputElement>()
                .is_some_and(|i| i.checked());
            draft.set(next);
        })
    };
    let save = {
        let draft = draft.clone();
        props
            .dispatch
            .reform(move |_: MouseEvent| Action::Apply(Setting::Encryption((*draft).clone())))
    };
    let kms = draft.sse_algorithm.starts_with("aws:kms");
    html! {
        <section class="card" aria-labelledby="encryption-h">
            <h3 id="encryption-h">{ "Default encryption" }</h3>
            <p class="state">{ match props.current.sse_algorithm.as_str() {
                "aws:kms" => "SSE-KMS",
                "aws:kms:dsse" => "DSSE-KMS",
                _ => "SSE-S3 (Amazon S3 managed keys)",
            } }</p>
            <p class="hint">{ "Applies to uploads that carry no encryption header — after the bucket policy has been evaluated, so a policy that demands the header still refuses them." }</p>
            <label class="field">{ "Encryption type" }
                <select onchange={on_algorithm}>
                    <option value="AES256" selected={draft.sse_algorithm == "AES256"}>{ "SSE-S3" }</option>
                    <option value="aws:kms" selected={draft.sse_algorithm == "aws:kms"}>{ "SSE-KMS" }</option>
                    <option value="aws:kms:dsse" selected={draft.sse_algorithm == "aws:kms:dsse"}>{ "DSSE-KMS" }</option>
                </select>
            </label>
            if kms {
                <label class="field">{ "KMS key (ARN, key id or alias)" }
                    <input type="text" list="kms-keys" value={draft.kms_master_key_id.clone().unwrap_or_default()} oninput={on_key} spellcheck="false" />
                    <datalist id="kms-keys">{ for props.kms_keys.iter().map(|k| html! { <option value={k.clone()} /> }) }</datalist>
                </label>
                <label class="switch"><input type="checkbox" checked={draft.bucket_key_enabled} onchange={on_bucket_key} />{ " S3 Bucket Key" }</label>
            }
            <div class="actions"><button type="button" class="primary" disabled={!changed} onclick={save}>{ "Save changes" }</button>
                if changed { <span class="pill warn">{ "Unsaved" }</span> }</div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct LoggingProps {
    current: Option<s3pg_sim::audit::BucketLogging>,
    buckets: Vec<String>,
    dispatch: Callback<Action>,
}

/// Server access logging: target bucket and prefix, sent with `PutBucketLogging`.
#[function_component(LoggingCard)]
fn logging_card(props: &LoggingProps) -> Html {
    let target = use_state(|| {
        props
            .current
            .as_ref()
            .map(|l| l.target_bucket.clone())
            .or_else(|| props.buckets.first().cloned())
            .unwrap_or_default()
    });
    let prefix = use_state(|| {
        props
            .current
            .as_ref()
            .map_or_else(|| "logs/".to_owned(), |l| l.target_prefix.clone())
    });
    let save = {
        let (target, prefix) = (target.clone(), prefix.clone());
        props.dispatch.reform(move |_: MouseEvent| {
            Action::Apply(Setting::Logging(Some(s3pg_sim::audit::BucketLogging {
                target_bucket: (*target).clone(),
                target_prefix: (*prefix).clone(),
            })))
        })
    };
    let disable = props
        .dispatch
        .reform(|_: MouseEvent| Action::Apply(Setting::Logging(None)));
    html! {
        <section class="card" aria-labelledby="logging-h">
            <h3 id="logging-h">{ "Server access logging" }</h3>
            <p class="state">{ match &props.current {
                Some(l) => format!("Enabled → s3://{}/{}", l.target_bucket, l.target_prefix),
                None => "Disabled".to_owned(),
            } }</p>
            <p class="hint">{ "S3 delivers log records best effort, some time later, as the logging service — which the target bucket's policy must allow to write." }</p>
            <label class="field">{ "Target bucket" }
                <select onchange={{ let target = target.clone(); Callback::from(move |e: Event| target.set(select_value(&e))) }}>
                    { for props.buckets.iter().map(|b| html! { <option value={b.clone()} selected={*b == *target}>{ b }</option> }) }
                </select>
            </label>
            <label class="field">{ "Target prefix" }
                <input type="text" value={(*prefix).clone()} oninput={{ let prefix = prefix.clone(); Callback::from(move |e: InputEvent| prefix.set(input_value(&e))) }} />
            </label>
            <div class="actions wrap">
                <button type="button" class="primary" onclick={save}>{ "Save changes" }</button>
                if props.current.is_some() { <button type="button" class="ghost" onclick={disable}>{ "Disable" }</button> }
            </div>
        </section>
    }
}
