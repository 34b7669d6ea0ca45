//! Findings as the S3 console shows them: the access verdict of each bucket as a badge ("Public",
//! "Objects can be public", "Only authorized users of this account", "Bucket and objects not
//! public") on the bucket list and the bucket's page, and, in the Analysis view, IAM Access
//! Analyzer-style findings — each bucket-policy statement or ACL grant that lets in someone from
//! outside the owner's account, whether it reaches outside the organization, and whether Block
//! Public Access neutralises it.
//!
//! Follows the S3 User Guide's "The meaning of public"
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html>)
//! and IAM Access Analyzer for S3
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-analyzer.html>).

use s3pg_analysis::findings::{
    BucketFindings, External, Source, Verdict, bucket_findings, findings,
};
use s3pg_sim::World;
use s3pg_sim::model::PublicAccessBlock;
use yew::prelude::*;

use crate::components::PanelProps;
use crate::state::{Action, BucketTab, View};
use crate::text::render_ticks;

/// The badge's class for a verdict: red for public, amber where objects can be made public or a
/// public policy is restricted to the account, green otherwise.
pub fn verdict_class(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Public => "error",
        Verdict::ObjectsCanBePublic => "warn",
        Verdict::OnlyAuthorizedUsersOfThisAccount => "warn",
        Verdict::BucketAndObjectsNotPublic => "ok",
    }
}

/// The console's access verdict for one bucket, as a badge (empty when there is no such bucket).
pub fn verdict_badge(world: &World, bucket: &str) -> Html {
    let Some(b) = world.buckets.get(bucket) else {
        return html! {};
    };
    let f = bucket_findings(world, bucket, b);
    let count = f
        .findings
        .iter()
        .filter(|x| x.neutralised_by.is_none())
        .count();
    let title = if count == 0 {
        "The S3 console's access verdict; no access from outside the account is left open"
            .to_owned()
    } else {
        format!(
            "The S3 console's access verdict; {count} finding(s) for access from outside the account (see Analysis)"
        )
    };
    html! {
        <span class={classes!("pill", "access-verdict", verdict_class(f.verdict))} data-testid="access-verdict" title={title}>
            { &f.label }
        </span>
    }
}

/// One sentence over every bucket: how many are public, how many could be, how many findings
/// are open and how many Block Public Access neutralises.
pub fn summary(all: &[BucketFindings]) -> String {
    let with = |v: Verdict| {
        all.iter()
            .filter(|b| b.verdict == v)
            .map(|b| format!("`{}`", b.bucket))
            .collect::<Vec<_>>()
    };
    let public = with(Verdict::Public);
    let open: usize = all
        .iter()
        .map(|b| {
            b.findings
                .iter()
                .filter(|f| f.neutralised_by.is_none())
                .count()
        })
        .sum();
    let neutralised: usize = all
        .iter()
        .map(|b| {
            b.findings
                .iter()
                .filter(|f| f.neutralised_by.is_some())
                .count()
        })
        .sum();
    let head = if public.is_empty() {
        format!("None of the {} buckets is public.", all.len())
    } else {
        format!(
            "{} of the {} buckets {} public: {}.",
            public.len(),
            all.len(),
            if public.len() == 1 { "is" } else { "are" },
            public.join(", ")
        )
    };
    format!(
        "{head} {open} finding(s) give access from outside the owner's account; Block Public Access neutralises {neutralised} more."
    )
}

fn bpa_text(bpa: &PublicAccessBlock) -> String {
    let on: Vec<&str> = [
        (bpa.block_public_acls, "BlockPublicAcls"),
        (bpa.ignore_public_acls, "IgnorePublicAcls"),
        (bpa.block_public_policy, "BlockPublicPolicy"),
        (bpa.restrict_public_buckets, "RestrictPublicBuckets"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, n)| *n)
    .collect();
    if on.is_empty() {
        "Block Public Access in effect: none (account and bucket).".to_owned()
    } else {
        format!(
            "Block Public Access in effect (account or bucket): `{}`.",
            on.join("`, `")
        )
    }
}

fn source_text(source: &Source) -> String {
    match source {
        Source::BucketPolicy { statement, .. } => format!("Bucket policy statement `{statement}`"),
        Source::BucketAcl {
            grantee,
            permission,
        } => format!("Bucket ACL grant `{permission}` to {grantee}"),
        Source::ObjectAcl {
            key,
            grantee,
            permission,
        } => format!("ACL of `{key}`: `{permission}` to {grantee}"),
    }
}

fn external_text(external: &External) -> String {
    match external {
        External::Public => "Public (anyone)".to_owned(),
        External::AnyAwsAccount => "Any AWS account".to_owned(),
        External::Account { account } => format!("Account `{account}`"),
        External::Conditional { condition } => format!("Callers the condition admits: {condition}"),
    }
}

/// The findings of every bucket.
#[function_component(FindingsPanel)]
pub fn findings_panel(props: &PanelProps) -> Html {
    let state = &props.state;
    let all = use_memo(state.world.clone(), |w| {
        super::measured("s3pg:findings", || findings(w))
    });
    let d = &props.dispatch;
    html! {
        <section class="panel findings" aria-labelledby="findings-h" data-testid="findings">
            <h2 id="findings-h">{ "Findings" }</h2>
            <p class="summary-line" data-testid="findings-summary">{ render_ticks(&summary(&all)) }</p>
            <p class="hint">{ "The access verdict is the one the S3 console shows in its bucket list; each finding is what IAM Access Analyzer for S3 would report: access from outside the bucket owner's account." }</p>
            { for all.iter().map(|b| {
                let name = b.bucket.clone();
                let open = d.reform(move |_: MouseEvent| Action::SelectBucket(name.clone()));
                let d2 = d.clone();
                let go = Callback::from(move |e: MouseEvent| {
                    open.emit(e);
                    d2.emit(Action::SetBucketTab(BucketTab::Permissions));
                    d2.emit(Action::Navigate(View::Buckets));
                });
                html! {
                    <article class="finding-bucket" data-bucket={b.bucket.clone()}>
                        <div class="finding-head">
                            <h3><code>{ &b.bucket }</code></h3>
                            <span class={classes!("pill", verdict_class(b.verdict))} data-testid="access-verdict">{ &b.label }</span>
                            <button type="button" class="ghost small" onclick={go}
                                aria-label={format!("Open the permissions of {}", b.bucket)}>{ "Permissions" }</button>
                        </div>
                        <p class="hint">{ format!("Owner {}. ", b.owner) }{ render_ticks(&bpa_text(&b.block_public_access)) }</p>
                        if b.findings.is_empty() {
                            <p class="none">{ format!("No access from outside account {}.", b.owner) }</p>
                        } else {
                            <ul class="finding-list">
                                { for b.findings.iter().map(|f| html! {
                                    <li class={classes!("finding", f.neutralised_by.is_some().then_some("neutralised"))} data-testid="finding">
                                        <div class="finding-source">
                                            <span>{ render_ticks(&source_text(&f.source)) }</span>
                                            <span class="pill">{ render_ticks(&external_text(&f.external)) }</span>
                                            if f.outside_organization {
                                                <span class="pill warn">{ "outside the organization" }</span>
                                            }
                                            { match &f.neutralised_by {
                                                Some(flag) => html! { <span class="pill ok">{ format!("neutralised by {flag}") }</span> },
                                                None => html! { <span class="pill error">{ "active" }</span> },
                                            } }
                                        </div>
                                        <p class="sentence">{ render_ticks(&f.explanation) }</p>
                                    </li>
                                }) }
                            </ul>
                        }
                    </article>
                }
            }) }
        </section>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::state::{AppState, DEFAULT_SCENARIO};

    #[test]
    fn the_summary_names_public_buckets_and_counts_findings() {
        let s = AppState::from_scenario_text(DEFAULT_SCENARIO);
        let all = findings(&s.world);
        let text = summary(&all);
        assert!(text.contains(&format!("{} buckets", all.len())), "{text}");
        assert!(text.contains("finding(s)"), "{text}");
    }

    #[test]
    fn a_public_bucket_gets_a_red_badge() {
        assert_eq!(verdict_class(Verdict::Public), "error");
        assert_eq!(verdict_class(Verdict::BucketAndObjectsNotPublic), "ok");
    }
}
