//! The JSON Schemas in `course/` against the content: every built-in file and example pack must
//! validate, so an instructor's editor completes and checks exactly what the loader accepts.
//! A small validator for the keywords the schemas use (`$ref` into this schema or the scenario
//! schema, `type`, `properties`, `required`, `additionalProperties`, `items`, `oneOf`, `enum`,
//! `const`, `pattern`, `propertyNames`, `minimum`, sizes); it stops at nothing silently.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions"
)]

use regex::Regex;
use serde_json::Value;

const COURSE: &str = include_str!("../../../course/course.schema.json");
const SCENARIO: &str = include_str!("../../../tests/scenario.schema.json");

#[derive(Clone, Copy, PartialEq)]
enum Doc {
    Course,
    Scenario,
}

struct Validator {
    course: Value,
    scenario: Value,
    regexes: std::cell::RefCell<std::collections::HashMap<String, Regex>>,
}

impl Validator {
    fn new() -> Self {
        Validator {
            course: serde_json::from_str(COURSE).expect("course schema is JSON"),
            scenario: serde_json::from_str(SCENARIO).expect("scenario schema is JSON"),
            regexes: Default::default(),
        }
    }

    fn is_match(&self, pattern: &str, text: &str) -> bool {
        self.regexes
            .borrow_mut()
            .entry(pattern.to_owned())
            .or_insert_with(|| Regex::new(pattern).unwrap())
            .is_match(text)
    }

    fn root(&self, doc: Doc) -> &Value {
        match doc {
            Doc::Course => &self.course,
            Doc::Scenario => &self.scenario,
        }
    }

    fn resolve(&self, r: &str, doc: Doc) -> (&Value, Doc) {
        let (file, pointer) = r.split_once('#').unwrap_or((r, ""));
        let target = match file {
            "" => doc,
            f if f.ends_with("scenario.schema.json") => Doc::Scenario,
            f if f.ends_with("course.schema.json") => Doc::Course,
            f => panic!("unknown schema file `{f}` in $ref"),
        };
        let v = self
            .root(target)
            .pointer(pointer)
            .unwrap_or_else(|| panic!("dangling $ref `{r}`"));
        (v, target)
    }

    fn matches(&self, schema: &Value, doc: Doc, value: &Value) -> bool {
        let mut errors = Vec::new();
        self.check(schema, doc, value, "", &mut errors);
        errors.is_empty()
    }

    fn check(&self, schema: &Value, doc: Doc, value: &Value, at: &str, errors: &mut Vec<String>) {
        let Some(s) = schema.as_object() else { return };
        if let Some(Value::String(r)) = s.get("$ref") {
            let (target, doc) = self.resolve(r, doc);
            self.check(target, doc, value, at, errors);
        }
        if let Some(t) = s.get("type") {
            let types: Vec<&str> = match t {
                Value::String(one) => vec![one.as_str()],
                Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            let ok = types.iter().any(|t| match *t {
                "object" => value.is_object(),
                "array" => value.is_array(),
                "string" => value.is_string(),
                "integer" => value.is_i64() || value.is_u64(),
                "number" => value.is_number(),
                "boolean" => value.is_boolean(),
                "null" => value.is_null(),
                other => panic!("unknown type `{other}`"),
            });
            if !ok {
                errors.push(format!("{at}: expected {types:?}, got {value}"));
                return;
            }
        }
        if let Some(Value::Array(options)) = s.get("enum")
            && !options.contains(value)
        {
            errors.push(format!("{at}: {value} is not one of {options:?}"));
        }
        if let Some(c) = s.get("const")
            && c != value
        {
            errors.push(format!("{at}: expected {c}, got {value}"));
        }
        if let (Some(Value::String(p)), Value::String(text)) = (s.get("pattern"), value)
            && !self.is_match(p, text)
        {
            errors.push(format!("{at}: `{text}` does not match `{p}`"));
        }
        if let (Some(min), Some(n)) = (s.get("minimum").and_then(Value::as_f64), value.as_f64())
            && n < min
        {
            errors.push(format!("{at}: {n} < {min}"));
        }
        if let Some(Value::Array(options)) = s.get("oneOf") {
            let n = options
                .iter()
                .filter(|o| self.matches(o, doc, value))
                .count();
            if n != 1 {
                // Report the closest option's errors to make the failure readable.
                let mut best: Option<Vec<String>> = None;
                for o in options {
                    let mut e = Vec::new();
                    self.check(o, doc, value, at, &mut e);
                    if best.as_ref().is_none_or(|b| e.len() < b.len()) {
                        best = Some(e);
                    }
                }
                errors.push(format!("{at}: matches {n} of the oneOf options, not one"));
                errors.extend(best.unwrap_or_default());
            }
        }
        if let Value::Array(items) = value {
            if let Some(min) = s.get("minItems").and_then(Value::as_u64)
                && (items.len() as u64) < min
            {
                errors.push(format!("{at}: fewer than {min} items"));
            }
            if let Some(max) = s.get("maxItems").and_then(Value::as_u64)
                && (items.len() as u64) > max
            {
                errors.push(format!("{at}: more than {max} items"));
            }
            if let Some(item) = s.get("items") {
                for (i, v) in items.iter().enumerate() {
                    self.check(item, doc, v, &format!("{at}[{i}]"), errors);
                }
            }
        }
        if let Value::Object(map) = value {
            let props = s.get("properties").and_then(Value::as_object);
            if let Some(Value::Array(required)) = s.get("required") {
                for r in required.iter().filter_map(Value::as_str) {
                    if !map.contains_key(r) {
                        errors.push(format!("{at}: missing `{r}`"));
                    }
                }
            }
            if let Some(min) = s.get("minProperties").and_then(Value::as_u64)
                && (map.len() as u64) < min
            {
                errors.push(format!("{at}: fewer than {min} properties"));
            }
            if let Some(max) = s.get("maxProperties").and_then(Value::as_u64)
                && (map.len() as u64) > max
            {
                errors.push(format!("{at}: more than {max} properties"));
            }
            for (k, v) in map {
                if let Some(Value::String(p)) =
                    s.get("propertyNames").and_then(|n| n.get("pattern"))
                    && !self.is_match(p, k)
                {
                    errors.push(format!("{at}: property name `{k}` does not match `{p}`"));
                }
                let here = format!("{at}.{k}");
                match props.and_then(|p| p.get(k)) {
                    Some(ps) => self.check(ps, doc, v, &here, errors),
                    None => match s.get("additionalProperties") {
                        Some(Value::Bool(false)) => {
                            errors.push(format!("{here}: not allowed by the schema"))
                        }
                        Some(extra @ Value::Object(_)) => self.check(extra, doc, v, &here, errors),
                        _ => {}
                    },
                }
            }
        }
    }
}

fn content() -> Vec<(String, Value)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../course/packs");
    let packs = std::fs::read_dir(dir).unwrap().map(|e| {
        let p = e.unwrap().path();
        (
            p.display().to_string(),
            std::fs::read_to_string(&p).unwrap(),
        )
    });
    s3pg_course::builtin::FILES
        .iter()
        .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
        .chain(packs)
        .map(|(p, t)| (p, serde_json::from_str(&t).unwrap()))
        .collect()
}

#[test]
fn every_course_file_validates_against_the_course_schema() {
    let v = Validator::new();
    let root = v.course.clone();
    let mut problems = Vec::new();
    for (path, value) in content() {
        let mut errors = Vec::new();
        v.check(&root, Doc::Course, &value, "", &mut errors);
        if !errors.is_empty() {
            problems.push(format!("{path}:\n  {}", errors.join("\n  ")));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_schema_refuses_what_the_loader_refuses() {
    let v = Validator::new();
    let root = v.course.clone();
    let lesson: Value = serde_json::from_str(
        s3pg_course::builtin::file("lessons/04-deny-encryption.json").unwrap(),
    )
    .unwrap();
    for (field, bad) in [
        ("minutez", Value::from(8)),
        ("topic", Value::from("deny-encrypton")),
        ("id", Value::from("Has Spaces")),
    ] {
        let mut doc = lesson.clone();
        doc[field] = bad;
        assert!(
            !v.matches(&root, Doc::Course, &doc),
            "schema accepts a lesson with {field} = {}",
            doc[field]
        );
        assert!(
            s3pg_course::Document::from_json(&doc.to_string()).is_err(),
            "loader accepts {field}"
        );
    }
}

#[test]
fn the_schema_lists_every_topic_the_loader_knows() {
    let v = Validator::new();
    let topics: Vec<&str> = v.course["$defs"]["topic"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let known: Vec<&str> = s3pg_course::TOPICS.iter().map(|t| t.id).collect();
    assert_eq!(topics, known);
}
