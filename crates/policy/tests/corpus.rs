//! The eval-case corpus: `tests/cases/*.json`, each file citing the AWS documentation page whose
//! behaviour its cases encode. Every case runs through the same reader as `s3pg eval`.

use s3pg_policy::Decision;
use s3pg_policy::case::{Answer, run};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    source: String,
    cases: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    name: String,
    expect: Decision,
    #[serde(default)]
    expect_sid: Option<String>,
    #[serde(default)]
    summary_contains: Option<String>,
    case: serde_json::Value,
}

#[test]
fn corpus_cases_decide_as_documented() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut total = 0;
    let mut failures = Vec::new();
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let file: File = serde_json::from_str(&std::fs::read_to_string(path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            file.source.starts_with("https://docs.aws.amazon.com/"),
            "{}: cite the AWS page",
            path.display()
        );
        for entry in file.cases {
            total += 1;
            let (answers, _) = run(&entry.case.to_string());
            let Some(Answer::Evaluated(e)) = answers.first() else {
                failures.push(format!("{}: {}: invalid case", path.display(), entry.name));
                continue;
            };
            if e.decision != entry.expect {
                failures.push(format!(
                    "{}: {}: got {:?}, want {:?} — {}",
                    path.display(),
                    entry.name,
                    e.decision,
                    entry.expect,
                    e.summary
                ));
            }
            if let Some(sid) = &entry.expect_sid
                && !e.determining.iter().any(|r| r.sid.as_ref() == Some(sid))
            {
                {
                    failures.push(format!(
                        "{}: {}: `{sid}` not among the determining statements",
                        path.display(),
                        entry.name
                    ));
                }
            }
            if let Some(text) = &entry.summary_contains
                && !e.summary.contains(text.as_str())
            {
                {
                    failures.push(format!(
                        "{}: {}: summary `{}` lacks `{text}`",
                        path.display(),
                        entry.name,
                        e.summary
                    ));
                }
            }
        }
    }
    assert!(total >= 80, "corpus shrank to {total} cases");
    assert!(
        failures.is_empty(),
        "{} of {total} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
