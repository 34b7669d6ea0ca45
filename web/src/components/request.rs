//! The requests view: the request builder for every operation the world simulates — the
//! operation's parameters, the headers that take part in the decision, the network and the
//! caller — with the raw HTTP request it stands for, and "compare": two variants sent to copies
//! of the same world, their answers and traces side by side.

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::PanelProps;
use super::outcome::OutcomeView;
use crate::builder::{CallerChoice, GROUPS, OpKind, RequestForm, SseC, http_text};
use crate::state::Action;
use s3pg_sim::ObjectOwnership;

/// What the builder offers to choose from, taken from the world.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Choices {
    /// Who can send.
    pub callers: Vec<CallerChoice>,
    /// The world's buckets.
    pub buckets: Vec<String>,
    /// The world's VPC endpoints.
    pub vpc_endpoints: Vec<String>,
    /// The world's MFA device serials.
    pub mfa_serials: Vec<String>,
    /// The world's KMS key ARNs.
    pub kms_keys: Vec<String>,
    /// The world's account ids.
    pub accounts: Vec<String>,
}

impl Choices {
    fn of(state: &crate::state::AppState) -> Self {
        let world = &state.world;
        let mut mfa_serials = Vec::new();
        for account in world.accounts.values() {
            mfa_serials.extend(account.root.mfa_devices.iter().map(|d| d.serial.clone()));
            for user in account.users.values() {
                mfa_serials.extend(user.mfa_devices.iter().map(|d| d.serial.clone()));
            }
        }
        Choices {
            callers: state.callers.clone(),
            buckets: world.buckets.keys().cloned().collect(),
            vpc_endpoints: world.vpc_endpoints.keys().cloned().collect(),
            mfa_serials,
            kms_keys: world.kms.keys.keys().cloned().collect(),
            accounts: world.accounts.keys().cloned().collect(),
        }
    }
}

/// The requests view.
#[function_component(RequestsView)]
pub fn requests_view(props: &PanelProps) -> Html {
    let state = &props.state;
    let d = &props.dispatch;
    let choices = Choices::of(state);
    let results = use_node_ref();
    {
        let results = results.clone();
        let outcomes = state.compare.as_ref().and_then(|c| c.outcomes.clone());
        use_effect_with(outcomes, move |outcomes| {
            if outcomes.is_some()
                && let Some(el) = results.cast::<web_sys::HtmlElement>()
            {
                let _ = el.focus();
                el.scroll_into_view();
            }
        });
    }
    let comparing = state.compare.is_some();
    let onsubmit = d.reform(move |e: SubmitEvent| {
        e.prevent_default();
        if comparing {
            Action::SendCompare
        } else {
            Action::Send
        }
    });
    let toggle = d.reform(move |_: MouseEvent| Action::SetCompare(!comparing));
    html! {
        <div class="stack">
            <section class="panel" aria-labelledby="request-h">
                <h2 id="request-h">{ "Request builder" }</h2>
                <p class="hint">{ "Compose any request the simulated S3 answers: who sends it, over which network, with which headers. Send it and S3 decides, gate by gate, in the answer pane." }</p>
                <form class={classes!("request", comparing.then_some("compare-grid"))} {onsubmit}>
                    <div class="variant">
                        if comparing { <h3>{ "Variant A" }</h3> }
                        <RequestBuilder form={state.form.clone()} choices={choices.clone()} on_change={d.reform(Action::SetForm)} id="a" />
                    </div>
                    if let Some(c) = &state.compare {
                        <div class="variant">
                            <h3>{ "Variant B" }</h3>
                            <RequestBuilder form={c.form.clone()} choices={choices.clone()} on_change={d.reform(Action::SetCompareForm)} id="b" />
                        </div>
                    }
                    <div class="actions wrap send-bar">
                        <button type="submit" class="primary">{ if comparing { "Send both" } else { "Send request" } }</button>
                        <button type="button" class="ghost" onclick={toggle} aria-pressed={comparing.to_string()}>
                            { if comparing { "Stop comparing" } else { "Compare two variants" } }
                        </button>
                        if !comparing {
                            <span class="hint"><kbd>{ "Ctrl" }</kbd>{ " + " }<kbd>{ "Enter" }</kbd>{ " sends from anywhere" }</span>
                        } else {
                            <span class="hint">{ "Both go to copies of the world as it is now: neither changes it." }</span>
                        }
                    </div>
                </form>
            </section>
            if let Some((a, b)) = state.compare.as_ref().and_then(|c| c.outcomes.clone()) {
                <section class="panel compare-results" aria-labelledby="compare-h" tabindex="-1" ref={results} aria-live="polite" data-testid="compare-results">
                    <h2 id="compare-h">{ "Variant A and variant B, side by side" }</h2>
                    <div class="compare-grid">
                        { for [("A", a, "cmp-a"), ("B", b, "cmp-b")].into_iter().map(|(name, result, prefix)| html! {
                            <div class="variant" data-testid={format!("variant-{name}")}>
                                <h3>{ format!("Variant {name}") }</h3>
                                { match result {
                                    Ok(o) => html! { <OutcomeView outcome={Some(o)} {prefix} /> },
                                    Err(e) => html! { <p class="import-error" role="alert">{ format!("Not sent: {e}") }</p> },
                                } }
                            </div>
                        }) }
                    </div>
                </section>
            }
        </div>
    }
}

/// Props for [`RequestBuilder`].
#[derive(Properties, PartialEq)]
pub struct BuilderProps {
    /// The form.
    pub form: RequestForm,
    /// What to choose from.
    pub choices: Choices,
    /// Called with the changed form.
    pub on_change: Callback<RequestForm>,
    /// Distinguishes two builders' element ids.
    pub id: AttrValue,
}

fn text_of(e: &InputEvent) -> String {
    if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
        return i.value();
    }
    e.target_dyn_into::<HtmlTextAreaElement>()
        .map(|t| t.value())
        .unwrap_or_default()
}

fn select_of(e: &Event) -> String {
    e.target_dyn_into::<HtmlSelectElement>()
        .map(|s| s.value())
        .unwrap_or_default()
}

fn checked_of(e: &Event) -> bool {
    e.target_dyn_into::<HtmlInputElement>()
        .is_some_and(|i| i.checked())
}

/// One builder form.
#[function_component(RequestBuilder)]
pub fn request_builder(props: &BuilderProps) -> Html {
    let form = &props.form;
    let fields = form.op.fields();
    let id = |name: &str| format!("{}-{name}", props.id);
    let on_text = |f: fn(&mut RequestForm, String)| {
        let (form, cb) = (props.form.clone(), props.on_change.clone());
        Callback::from(move |e: InputEvent| {
            let mut next = form.clone();
            f(&mut next, text_of(&e));
            cb.emit(next);
        })
    };
    let on_select = |f: fn(&mut RequestForm, String)| {
        let (form, cb) = (props.form.clone(), props.on_change.clone());
        Callback::from(move |e: Event| {
            let mut next = form.clone();
            f(&mut next, select_of(&e));
            cb.emit(next);
        })
    };
    let on_check = |f: fn(&mut RequestForm, bool)| {
        let (form, cb) = (props.form.clone(), props.on_change.clone());
        Callback::from(move |e: Event| {
            let mut next = form.clone();
            f(&mut next, checked_of(&e));
            cb.emit(next);
        })
    };
    let text_field = |label: &str, name: &str, value: &str, f: fn(&mut RequestForm, String)| {
        html! {
            <label class="field" for={id(name)}>{ label.to_owned() }
                <input id={id(name)} type="text" value={value.to_owned()} oninput={on_text(f)} spellcheck="false" autocomplete="off" />
            </label>
        }
    };
    let built = form.build(&props.choices.callers);
    html! {
        <div class="builder" data-testid={format!("builder-{}", props.id)}>
            <div class="row2">
                <label class="field" for={id("caller")}>{ "Who sends it" }
                    <select id={id("caller")} aria-label="Who sends the request" onchange={on_select(|f, v| f.caller = v.parse().unwrap_or(0))}>
                        { for props.choices.callers.iter().enumerate().map(|(i, c)| html! {
                            <option value={i.to_string()} selected={i == form.caller}>{ &c.label }</option>
                        }) }
                    </select>
                </label>
                <label class="field" for={id("op")}>{ "Operation" }
                    <select id={id("op")} onchange={on_select(|f, v| f.op = OpKind::from_name(&v).unwrap_or(OpKind::PutObject))} data-testid={format!("operation-{}", props.id)}>
                        { for GROUPS.iter().map(|(group, ops)| html! {
                            <optgroup label={*group}>
                                { for ops.iter().map(|k| html! { <option value={k.name()} selected={*k == form.op}>{ k.name() }</option> }) }
                            </optgroup>
                        }) }
                    </select>
                </label>
            </div>
            <div class="row2">
                if fields.bucket {
                    <label class="field" for={id("bucket")}>{ "Bucket" }
                        <input id={id("bucket")} type="text" list={id("buckets")} value={form.bucket.clone()} oninput={on_text(|f, v| f.bucket = v)} spellcheck="false" autocomplete="off" />
                        <datalist id={id("buckets")}>{ for props.choices.buckets.iter().map(|b| html! { <option value={b.clone()} /> }) }</datalist>
                    </label>
                }
                if fields.key { { text_field("Object key", "key", &form.key, |f, v| f.key = v) } }
                if fields.account {
                    <label class="field" for={id("account")}>{ "Account" }
                        <input id={id("account")} type="text" list={id("accounts")} value={form.account.clone()} oninput={on_text(|f, v| f.account = v)} />
                        <datalist id={id("accounts")}>{ for props.choices.accounts.iter().map(|a| html! { <option value={a.clone()} /> }) }</datalist>
                    </label>
                }
            </div>
            if fields.version_id { { text_field("Version ID (empty: the current version)", "version", &form.version_id, |f, v| f.version_id = v) } }
            if fields.prefix { { text_field("Prefix", "prefix", &form.prefix, |f, v| f.prefix = v) } }
            if fields.upload_id { { text_field("Upload ID (from CreateMultipartUpload)", "upload-id", &form.upload_id, |f, v| f.upload_id = v) } }
            if fields.part_number { { text_field("Part number (1–10000)", "part-number", &form.part_number, |f, v| f.part_number = v) } }
            if fields.copy_source {
                <fieldset class="group"><legend>{ "Copy source (x-amz-copy-source)" }</legend>
                    <div class="row2">
                        { text_field("Source bucket (empty: same bucket)", "src-bucket", &form.source_bucket, |f, v| f.source_bucket = v) }
                        { text_field("Source key", "src-key", &form.source_key, |f, v| f.source_key = v) }
                    </div>
                    { text_field("Source version ID", "src-version", &form.source_version_id, |f, v| f.source_version_id = v) }
                </fieldset>
            }
            if fields.body {
                <label class="field" for={id("body")}>{ "Body" }
                    <textarea id={id("body")} class="small" value={form.body.clone()} oninput={on_text(|f, v| f.body = v)} />
                </label>
            }
            if fields.keys {
                <label class="field" for={id("keys")}>{ "Keys to delete — one per line, optionally a space and a version ID" }
                    <textarea id={id("keys")} class="small" value={form.keys.clone()} oninput={on_text(|f, v| f.keys = v)} spellcheck="false" />
                </label>
            }
            if fields.document {
                <label class="field" for={id("document")}>{ match form.op {
                    OpKind::PutObjectTagging => "Tag set (JSON), e.g. {\"team\": \"blue\"}",
                    OpKind::Iam => "IAM request (JSON), e.g. {\"PutUserPolicy\": {\"userName\": …, \"policyName\": …, \"policyDocument\": {…}}}",
                    OpKind::Sts => "STS request (JSON), e.g. {\"AssumeRole\": {\"roleArn\": …, \"roleSessionName\": …}}",
                    OpKind::Kms => "KMS request (JSON), e.g. {\"DescribeKey\": {\"keyId\": \"alias/…\"}}",
                    OpKind::Glacier => "S3 Glacier request (JSON): {\"region\": …, \"request\": {\"operation\": …}}",
                    OpKind::CompleteMultipartUpload => "Parts (JSON), e.g. [{\"PartNumber\": 1, \"ETag\": \"…\"}]",
                    OpKind::PostObject => "POST form (JSON): {\"fields\": {\"key\": …}, \"file\": …, \"sign\": {\"accessKeyId\": …, \"policy\": {\"expiration\": …, \"conditions\": […]}}}",
                    OpKind::PutObjectLockConfiguration => "ObjectLockConfiguration (JSON), e.g. {\"ObjectLockEnabled\": \"Enabled\", \"Rule\": {\"DefaultRetention\": {\"Mode\": \"GOVERNANCE\", \"Days\": 30}}}",
                    OpKind::PutObjectRetention => "Retention (JSON), e.g. {\"Mode\": \"GOVERNANCE\", \"RetainUntilDate\": \"2027-01-01T00:00:00Z\"}",
                    OpKind::PutObjectLegalHold => "LegalHold (JSON): {\"Status\": \"ON\"} or {\"Status\": \"OFF\"}",
                    OpKind::PutBucketLifecycleConfiguration => "LifecycleConfiguration (JSON), e.g. {\"Rules\": [{\"ID\": \"expire-logs\", \"Status\": \"Enabled\", \"Filter\": {\"Prefix\": \"logs/\"}, \"Expiration\": {\"Days\": 30}}]}",
                    _ => "Bucket policy (JSON)",
                } }
                    <textarea id={id("document")} class="code-input" value={form.document.clone()} oninput={on_text(|f, v| f.document = v)} spellcheck="false" />
                </label>
            }
            if fields.bpa {
                <fieldset class="group"><legend>{ "PublicAccessBlockConfiguration" }</legend>
                    { for ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"].iter().enumerate().map(|(i, name)| {
                        let (form2, cb) = (props.form.clone(), props.on_change.clone());
                        html! {
                            <label class="switch"><input type="checkbox" checked={form.bpa.get(i).copied().unwrap_or(false)}
                                onchange={Callback::from(move |e: Event| { let mut n = form2.clone(); if let Some(b) = n.bpa.get_mut(i) { *b = checked_of(&e); } cb.emit(n); })} />
                                <code>{ *name }</code></label>
                        }
                    }) }
                </fieldset>
            }
            if fields.ownership {
                <label class="field" for={id("ownership")}>{ "Object Ownership" }
                    <select id={id("ownership")} onchange={on_select(|f, v| f.ownership = match v.as_str() {
                        "BucketOwnerPreferred" => ObjectOwnership::BucketOwnerPreferred,
                        "ObjectWriter" => ObjectOwnership::ObjectWriter,
                        _ => ObjectOwnership::BucketOwnerEnforced,
                    })}>
                        { for [ObjectOwnership::BucketOwnerEnforced, ObjectOwnership::BucketOwnerPreferred, ObjectOwnership::ObjectWriter].iter().map(|o| html! {
                            <option value={o.as_str()} selected={*o == form.ownership}>{ o.as_str() }</option>
                        }) }
                    </select>
                </label>
            }
            if fields.versioning {
                <div class="row2">
                    <label class="field" for={id("versioning")}>{ "Status" }
                        <select id={id("versioning")} onchange={on_select(|f, v| f.versioning_enabled = v == "Enabled")}>
                            <option value="Enabled" selected={form.versioning_enabled}>{ "Enabled" }</option>
                            <option value="Suspended" selected={!form.versioning_enabled}>{ "Suspended" }</option>
                        </select>
                    </label>
                    <label class="field" for={id("mfa-delete")}>{ "MfaDelete" }
                        <select id={id("mfa-delete")} onchange={on_select(|f, v| f.mfa_delete = match v.as_str() { "Enabled" => Some(true), "Disabled" => Some(false), _ => None })}>
                            <option value="" selected={form.mfa_delete.is_none()}>{ "(leave as is)" }</option>
                            <option value="Enabled" selected={form.mfa_delete == Some(true)}>{ "Enabled" }</option>
                            <option value="Disabled" selected={form.mfa_delete == Some(false)}>{ "Disabled" }</option>
                        </select>
                    </label>
                </div>
            }
            if fields.encryption {
                <div class="row2">
                    <label class="field" for={id("enc-alg")}>{ "SSEAlgorithm" }
                        <select id={id("enc-alg")} onchange={on_select(|f, v| f.encryption_algorithm = v)}>
                            { for ["AES256", "aws:kms", "aws:kms:dsse"].iter().map(|a| html! { <option value={*a} selected={form.encryption_algorithm == *a}>{ *a }</option> }) }
                        </select>
                    </label>
                    { text_field("KMSMasterKeyID", "enc-key", &form.encryption_kms_key, |f, v| f.encryption_kms_key = v) }
                </div>
                <label class="switch"><input type="checkbox" checked={form.bucket_key} onchange={on_check(|f, v| f.bucket_key = v)} />{ " BucketKeyEnabled" }</label>
            }
            if fields.logging {
                <div class="row2">
                    { text_field("TargetBucket (empty: turn logging off)", "log-target", &form.logging_target, |f, v| f.logging_target = v) }
                    { text_field("TargetPrefix", "log-prefix", &form.logging_prefix, |f, v| f.logging_prefix = v) }
                </div>
            }
            if fields.object_lock || fields.bypass_governance || fields.lock_at_creation {
                <fieldset class="group"><legend>{ "Object Lock headers" }</legend>
                    if fields.lock_at_creation {
                        <label class="switch"><input type="checkbox" data-testid={format!("lock-at-creation-{}", props.id)} checked={form.lock_at_creation} onchange={on_check(|f, v| f.lock_at_creation = v)} />{ " x-amz-bucket-object-lock-enabled: true (turns versioning on for good)" }</label>
                    }
                    if fields.object_lock {
                        <div class="row2">
                            <label class="field" for={id("lock-mode")}>{ "x-amz-object-lock-mode" }
                                <select id={id("lock-mode")} onchange={on_select(|f, v| f.lock_mode = v)}>
                                    <option value="" selected={form.lock_mode.is_empty()}>{ "(none)" }</option>
                                    <option value="GOVERNANCE" selected={form.lock_mode == "GOVERNANCE"}>{ "GOVERNANCE" }</option>
                                    <option value="COMPLIANCE" selected={form.lock_mode == "COMPLIANCE"}>{ "COMPLIANCE" }</option>
                                </select>
                            </label>
                            { text_field("x-amz-object-lock-retain-until-date", "lock-until", &form.lock_until, |f, v| f.lock_until = v) }
                        </div>
                        <label class="field" for={id("legal-hold")}>{ "x-amz-object-lock-legal-hold" }
                            <select id={id("legal-hold")} onchange={on_select(|f, v| f.legal_hold = v)}>
                                <option value="" selected={form.legal_hold.is_empty()}>{ "(none)" }</option>
                                <option value="ON" selected={form.legal_hold == "ON"}>{ "ON" }</option>
                                <option value="OFF" selected={form.legal_hold == "OFF"}>{ "OFF" }</option>
                            </select>
                        </label>
                    }
                    if fields.bypass_governance {
                        <label class="switch"><input type="checkbox" data-testid={format!("bypass-{}", props.id)} checked={form.bypass_governance} onchange={on_check(|f, v| f.bypass_governance = v)} />{ " x-amz-bypass-governance-retention: true" }</label>
                    }
                </fieldset>
            }
            if fields.canned_acl || fields.sse || fields.ssec || fields.mfa {
                <fieldset class="group"><legend>{ "Headers" }</legend>
                    if fields.canned_acl {
                        <label class="field" for={id("acl")}>{ "x-amz-acl" }
                            <select id={id("acl")} onchange={on_select(|f, v| f.canned_acl = v)}>
                                <option value="" selected={form.canned_acl.is_empty()}>{ "(none)" }</option>
                                { for ["private", "public-read", "public-read-write", "authenticated-read", "bucket-owner-read", "bucket-owner-full-control", "log-delivery-write"].iter().map(|a| html! {
                                    <option value={*a} selected={form.canned_acl == *a}>{ *a }</option>
                                }) }
                            </select>
                        </label>
                    }
                    if fields.sse {
                        <div class="row2">
                            <label class="field" for={id("sse")}>{ "x-amz-server-side-encryption" }
                                <select id={id("sse")} onchange={on_select(|f, v| f.sse = v)} data-testid={format!("sse-{}", props.id)}>
                                    <option value="" selected={form.sse.is_empty()}>{ "(none)" }</option>
                                    <option value="AES256" selected={form.sse == "AES256"}>{ "AES256 (SSE-S3)" }</option>
                                    <option value="aws:kms" selected={form.sse == "aws:kms"}>{ "aws:kms (SSE-KMS)" }</option>
                                    <option value="aws:kms:dsse" selected={form.sse == "aws:kms:dsse"}>{ "aws:kms:dsse (DSSE-KMS)" }</option>
                                </select>
                            </label>
                            if form.sse.starts_with("aws:kms") {
                                <label class="field" for={id("sse-kms")}>{ "x-amz-server-side-encryption-aws-kms-key-id" }
                                    <input id={id("sse-kms")} type="text" list={id("kms-keys")} value={form.sse_kms_key.clone()} oninput={on_text(|f, v| f.sse_kms_key = v)} spellcheck="false" />
                                    <datalist id={id("kms-keys")}>{ for props.choices.kms_keys.iter().map(|k| html! { <option value={k.clone()} /> }) }</datalist>
                                </label>
                            }
                        </div>
                    }
                    if fields.ssec {
                        <label class="field" for={id("ssec")}>{ "SSE-C (customer-provided key: algorithm, key, key MD5)" }
                            <select id={id("ssec")} onchange={on_select(|f, v| f.ssec = match v.as_str() { "a" => SseC::KeyA, "b" => SseC::KeyB, _ => SseC::None })}>
                                <option value="" selected={form.ssec == SseC::None}>{ "(none)" }</option>
                                <option value="a" selected={form.ssec == SseC::KeyA}>{ "my key A" }</option>
                                <option value="b" selected={form.ssec == SseC::KeyB}>{ "another key B" }</option>
                            </select>
                        </label>
                    }
                    if fields.mfa {
                        <div class="row2">
                            <label class="field" for={id("mfa-serial")}>{ "x-amz-mfa: device serial" }
                                <input id={id("mfa-serial")} type="text" list={id("mfa-serials")} value={form.mfa_serial.clone()} oninput={on_text(|f, v| f.mfa_serial = v)} spellcheck="false" />
                                <datalist id={id("mfa-serials")}>{ for props.choices.mfa_serials.iter().map(|s| html! { <option value={s.clone()} /> }) }</datalist>
                            </label>
                            { text_field("x-amz-mfa: code (empty: no header)", "mfa-code", &form.mfa_code, |f, v| f.mfa_code = v) }
                        </div>
                    }
                </fieldset>
            }
            <fieldset class="group"><legend>{ "Network" }</legend>
                <div class="row2">
                    <label class="switch"><input type="checkbox" checked={form.https} onchange={on_check(|f, v| f.https = v)} />
                        <span>{ "Use HTTPS" }<small>{ "Sets aws:SecureTransport; plain HTTP sets it to false." }</small></span></label>
                    <label class="field" for={id("vpce")}>{ "VPC endpoint (aws:SourceVpce)" }
                        <select id={id("vpce")} onchange={on_select(|f, v| f.vpc_endpoint = v)}>
                            <option value="" selected={form.vpc_endpoint.is_empty()}>{ "(none: the public internet)" }</option>
                            { for props.choices.vpc_endpoints.iter().map(|v| html! { <option value={v.clone()} selected={form.vpc_endpoint == *v}>{ v }</option> }) }
                        </select>
                    </label>
                </div>
                if form.vpc_endpoint.is_empty() {
                    { text_field("Source IP (aws:SourceIp)", "ip", &form.source_ip, |f, v| f.source_ip = v) }
                }
            </fieldset>
            if fields.presignable {
                <fieldset class="group"><legend>{ "Pre-signed URL" }</legend>
                    <label class="switch"><input type="checkbox" checked={form.presigned} onchange={on_check(|f, v| f.presigned = v)} />
                        <span>{ "Send as a pre-signed URL" }<small>{ "Signed with the caller's access key; whoever holds the URL sends it, and S3 authorizes the signer." }</small></span></label>
                    if form.presigned {
                        <label class="field" for={id("expires")}>{ "X-Amz-Expires (seconds)" }
                            <input id={id("expires")} type="number" min="1" max="604800" value={form.expires_in.to_string()} oninput={on_text(|f, v| f.expires_in = v.parse().unwrap_or(3600))} />
                        </label>
                    }
                </fieldset>
            }
            { match &built {
                Ok(request) => html! {
                    <div class="http">
                        <div class="http-label" id={id("http-label")}>{ "The HTTP request" }</div>
                        <pre class="http-line" aria-labelledby={id("http-label")} data-testid={format!("http-{}", props.id)}>{ http_text(request) }</pre>
                    </div>
                },
                Err(e) => html! { <p class="import-error" role="status">{ format!("Not ready to send: {e}") }</p> },
            } }
        </div>
    }
}
