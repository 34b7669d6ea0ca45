//! Analysis in the page: who can access a resource (an access matrix with filters), the S3
//! console's access verdict and Access Analyzer-style findings per bucket, the access a saved
//! change gained or lost, and "what would flip this?" under a decision.
//!
//! Every answer comes from `s3pg-analysis`, whose rows are dry runs of the world
//! (`World::authorize`), so each row opens the very trace the learner would see by sending that
//! request. Nothing here changes the world: "try it" puts a change in the request builder or the
//! policy editor as a draft, or sends the request the S3 console would send, in plain view.
//! Follows S3's authorization workflow
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html>)
//! and IAM Access Analyzer for S3
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-analyzer.html>).
//!
//! The views live in this module alone (plus `web/analysis.css`), so they could be loaded apart
//! from the rest of the app.

pub mod changes;
pub mod findings;
pub mod flip;
pub mod who_can;

use s3pg_analysis::Subject;
use s3pg_analysis::principals::with_class_callers;
use s3pg_analysis::props::RequestChange;
use s3pg_analysis::resource::Resource;
use s3pg_sim::{Outcome, Timestamp, World};
use yew::prelude::*;

use crate::builder::RequestForm;
use crate::components::PanelProps;
use crate::components::outcome::OutcomeView;

pub use changes::ChangeDiff;
pub use findings::{FindingsPanel, verdict_badge};
pub use flip::FlipPanel;
pub use who_can::WhoCanPanel;

/// The Analysis view: who can access what, then findings for every bucket.
#[function_component(AnalysisView)]
pub fn analysis_view(props: &PanelProps) -> Html {
    html! {
        <div class="stack analysis">
            <WhoCanPanel state={props.state.clone()} dispatch={props.dispatch.clone()} />
            <FindingsPanel state={props.state.clone()} dispatch={props.dispatch.clone()} />
        </div>
    }
}

/// What the decision pane shows under S3's answer: the access a saved change gained or lost,
/// and "what would flip this?".
#[function_component(AfterDecision)]
pub fn after_decision(props: &PanelProps) -> Html {
    html! {
        <>
            <ChangeDiff state={props.state.clone()} dispatch={props.dispatch.clone()} />
            <FlipPanel state={props.state.clone()} dispatch={props.dispatch.clone()} />
        </>
    }
}

/// Runs `f`; in the browser it also leaves a performance measure named `name` (from marks
/// `name:start` and `name:end`), which `tests/bench/analysis.mjs` reads to time each analysis on
/// release wasm. Nothing on the page reads it.
pub fn measured<T>(name: &str, f: impl FnOnce() -> T) -> T {
    #[cfg(target_arch = "wasm32")]
    {
        let perf = web_sys::window().and_then(|w| w.performance());
        let (start, end) = (format!("{name}:start"), format!("{name}:end"));
        if let Some(p) = &perf {
            let _ = p.mark(&start);
        }
        let out = f();
        if let Some(p) = &perf {
            let _ = p.mark(&end);
            let _ = p.measure_with_start_mark_and_end_mark(name, &start, &end);
        }
        out
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = name;
        f()
    }
}

/// The resources of a world analysis can be asked about, in the order a learner meets them:
/// each bucket, then its objects (and, in a bucket with versions, each object's versions), then
/// KMS keys and Glacier vaults.
pub fn resource_choices(world: &World) -> Vec<Resource> {
    let mut out = Vec::new();
    for (name, bucket) in &world.buckets {
        out.push(Resource::Bucket {
            bucket: name.clone(),
        });
        for (key, entry) in &bucket.objects {
            out.push(Resource::Object {
                bucket: name.clone(),
                key: key.clone(),
            });
            if entry.versions.len() > 1 {
                for v in entry.versions.iter().filter(|v| !v.delete_marker) {
                    out.push(Resource::Version {
                        bucket: name.clone(),
                        key: key.clone(),
                        version_id: v.version_id.clone(),
                    });
                }
            }
        }
    }
    for key in world.kms.keys.values() {
        out.push(Resource::KmsKey {
            arn: key.arn.clone(),
        });
    }
    for vault in world.glacier.vaults() {
        out.push(Resource::Vault {
            region: vault.region.clone(),
            account: vault.account.clone(),
            name: vault.name.clone(),
        });
    }
    out
}

/// How a resource is named in a menu: its kind, then itself.
pub fn resource_label(resource: &Resource) -> String {
    match resource {
        Resource::Bucket { bucket } => format!("Bucket {bucket}"),
        Resource::Object { bucket, key } => format!("Object {bucket}/{key}"),
        Resource::Version {
            bucket,
            key,
            version_id,
        } => format!("Version {bucket}/{key} ({version_id})"),
        Resource::KmsKey { arn } => format!("KMS key {arn}"),
        Resource::Vault { name, account, .. } => format!("Glacier vault {name} ({account})"),
    }
}

/// The dry run behind a row: `subject` asking `action` on `resource` in `world` at `now` (a class
/// of principals asks as its hypothetical caller). `None` for service principals, which send no
/// request the world could replay, and for actions that do not apply.
pub fn replay(
    world: &World,
    subject: &Subject,
    action: &str,
    resource: &Resource,
    now: Timestamp,
) -> Option<Outcome> {
    let caller = subject.caller()?;
    if subject.is_concrete() {
        let request = resource.request(world, caller, action)?;
        Some(s3pg_analysis::dry_run(world, &request, now))
    } else {
        let hypothetical = with_class_callers(world);
        let request = resource.request(&hypothetical, caller, action)?;
        Some(s3pg_analysis::dry_run(&hypothetical, &request, now))
    }
}

/// The request builder's form with one request change made, when the form can express it
/// (the scheme, the source IP, the VPC endpoint, and the headers the form has fields for).
pub fn form_with_change(form: &RequestForm, change: &RequestChange) -> Option<RequestForm> {
    let mut f = form.clone();
    match change {
        RequestChange::Scheme { https } => f.https = *https,
        RequestChange::SourceIp { ip } => {
            f.source_ip.clone_from(ip);
            f.vpc_endpoint.clear();
        }
        RequestChange::VpcEndpoint { endpoint, .. } => f.vpc_endpoint.clone_from(endpoint),
        RequestChange::NoVpcEndpoint => f.vpc_endpoint.clear(),
        RequestChange::SetHeader { name, value } => match name.as_str() {
            "x-amz-server-side-encryption" => f.sse.clone_from(value),
            "x-amz-server-side-encryption-aws-kms-key-id" => f.sse_kms_key.clone_from(value),
            "x-amz-acl" => f.canned_acl.clone_from(value),
            "x-amz-mfa" => {
                let (serial, code) = value.split_once(' ')?;
                f.mfa_serial = serial.to_owned();
                f.mfa_code = code.to_owned();
            }
            _ => return None,
        },
        RequestChange::RemoveHeader { name } => match name.as_str() {
            "x-amz-server-side-encryption" => f.sse.clear(),
            "x-amz-server-side-encryption-aws-kms-key-id" => f.sse_kms_key.clear(),
            "x-amz-acl" => f.canned_acl.clear(),
            "x-amz-mfa" => f.mfa_code.clear(),
            _ => return None,
        },
    }
    Some(f)
}

/// Props of [`TraceDrawer`].
#[derive(Properties, PartialEq)]
pub struct TraceDrawerProps {
    /// What the trace is of, in words.
    pub title: AttrValue,
    /// The dry run.
    pub outcome: Outcome,
    /// The prefix of the trace cards' ids.
    pub prefix: AttrValue,
    /// Closes the drawer.
    pub on_close: Callback<()>,
}

/// A row's trace, opened below the table it belongs to: the decision card and every gate, as the
/// decision pane draws them.
#[function_component(TraceDrawer)]
pub fn trace_drawer(props: &TraceDrawerProps) -> Html {
    let heading = use_node_ref();
    {
        // Opening a row's trace moves focus to it, so a keyboard user lands where it appeared.
        let heading = heading.clone();
        use_effect_with(props.title.clone(), move |_| {
            if let Some(el) = heading.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    let close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <div class="trace-drawer" data-testid="analysis-trace">
            <div class="drawer-bar">
                <h3 tabindex="-1" ref={heading}>{ crate::text::render_ticks(&props.title) }</h3>
                <button type="button" class="ghost small" onclick={close}>{ "Close trace" }</button>
            </div>
            <OutcomeView outcome={Some(props.outcome.clone())} prefix={props.prefix.clone()} />
        </div>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::state::{AppState, DEFAULT_SCENARIO};

    fn state() -> AppState {
        AppState::from_scenario_text(DEFAULT_SCENARIO)
    }

    #[test]
    fn every_bucket_and_object_of_the_world_can_be_chosen() {
        let s = state();
        let choices = resource_choices(&s.world);
        for (name, bucket) in &s.world.buckets {
            assert!(choices.contains(&Resource::Bucket {
                bucket: name.clone()
            }));
            for key in bucket.objects.keys() {
                assert!(choices.contains(&Resource::Object {
                    bucket: name.clone(),
                    key: key.clone()
                }));
            }
        }
    }

    #[test]
    fn a_request_change_reaches_the_form_field_that_sends_it() {
        let form = RequestForm::default();
        let f = form_with_change(
            &form,
            &RequestChange::SetHeader {
                name: "x-amz-server-side-encryption".into(),
                value: "AES256".into(),
            },
        )
        .unwrap();
        assert_eq!(f.sse, "AES256");
        let f = form_with_change(&form, &RequestChange::Scheme { https: false }).unwrap();
        assert!(!f.https);
        let f = form_with_change(
            &form,
            &RequestChange::VpcEndpoint {
                endpoint: "vpce-1".into(),
                vpc: None,
            },
        )
        .unwrap();
        assert_eq!(f.vpc_endpoint, "vpce-1");
        // A header the form has no field for is not offered.
        assert!(
            form_with_change(
                &form,
                &RequestChange::SetHeader {
                    name: "x-amz-unknown".into(),
                    value: "1".into()
                }
            )
            .is_none()
        );
    }

    #[test]
    fn a_replayed_row_is_the_dry_run_of_that_principal() {
        let s = state();
        let resource = Resource::Bucket {
            bucket: s.bucket.clone(),
        };
        let anonymous = replay(
            &s.world,
            &Subject::Anonymous,
            "s3:ListBucket",
            &resource,
            s.now,
        )
        .expect("anonymous callers send requests");
        assert_ne!(anonymous.decision, Some(s3pg_sim::Decision::Allow));
        let service = Subject::Service {
            service: s3pg_analysis::ServicePrincipal::LogDelivery,
        };
        assert!(replay(&s.world, &service, "s3:PutObject", &resource, s.now).is_none());
    }
}
