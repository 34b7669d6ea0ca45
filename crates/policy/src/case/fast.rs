//! The fast reader of evaluation cases: no positions, no tree, each recurring policy parsed once.
//!
//! A batch is read with a small strict scanner: the case fields are taken as they are written
//! (strings without escapes), and each policy's text is located and handed to [`Policy::parse`],
//! which reads it in full. The reader accepts only what it can read exactly as [`super::build`]
//! would — the same request, the same context keys in the same order, the same policy texts
//! under the same names — and answers `None` for anything else (an escape, a number, a
//! duplicate field, an invalid principal or date, a policy that does not parse), so that
//! [`super::build`] reads the case again with positions and says where the problem is. Case
//! format: see [`super::FIELDS`].

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher as _, BuildHasherDefault, Hasher};
use std::rc::Rc;

use crate::json::{self, JsonKind};
use crate::{ContextValue, Layers, Policy, PolicyRef, Principal, RequestContext};

/// One case as written: its strings, its context keys in order, its policies as raw text.
#[derive(Default)]
pub(super) struct Case<'a> {
    principal: Option<&'a str>,
    action: Option<&'a str>,
    resource: Option<&'a str>,
    resource_account: Option<&'a str>,
    canonical_user_id: Option<&'a str>,
    context: Vec<(&'a str, ContextValue)>,
    identity_policies: Option<List<'a>>,
    resource_policy: Option<&'a str>,
    permissions_boundary: Option<&'a str>,
    scps: Option<List<'a>>,
    rcps: Option<List<'a>>,
    session_policy: Option<&'a str>,
    vpc_endpoint_policy: Option<&'a str>,
}

/// A list field as written: the items of an array (raw), or one value (a policy object).
enum List<'a> {
    Items(Vec<&'a str>),
    One(&'a str),
}

/// Reads a batch (a JSON array of cases) or one case; the flag says whether it was a batch.
/// `None` when the document is not one the scanner reads whole.
pub(super) fn read(text: &str) -> Option<(Vec<Case<'_>>, bool)> {
    let mut s = Scan { text, pos: 0 };
    s.ws();
    let out = match s.peek()? {
        b'[' => {
            s.pos += 1;
            let mut cases = Vec::new();
            s.ws();
            if s.peek() == Some(b']') {
                s.pos += 1;
            } else {
                loop {
                    cases.push(s.case()?);
                    s.ws();
                    match s.peek()? {
                        b',' => s.pos += 1,
                        b']' => {
                            s.pos += 1;
                            break;
                        }
                        _ => return None,
                    }
                }
            }
            (cases, true)
        }
        b'{' => (vec![s.case()?], false),
        _ => return None,
    };
    s.ws();
    (s.pos == text.len()).then_some(out)
}

/// A strict cursor over JSON text.
struct Scan<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Scan<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn ws(&mut self) {
        let bytes = self.text.as_bytes();
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        self.ws();
        (self.peek() == Some(b)).then(|| self.pos += 1)
    }

    fn literal(&mut self, word: &str) -> bool {
        let found = self
            .text
            .as_bytes()
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(word.as_bytes()));
        if found {
            self.pos += word.len();
        }
        found
    }

    /// A string written without escapes (a string with one is left to the positioned reader).
    fn string(&mut self) -> Option<&'a str> {
        self.ws();
        if self.peek() != Some(b'"') {
            return None;
        }
        let start = self.pos + 1;
        let len = self
            .text
            .as_bytes()
            .get(start..)?
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        if self.text.as_bytes().get(start + len) != Some(&b'"') {
            return None;
        }
        self.pos = start + len + 1;
        self.text.get(start..start + len)
    }

    /// A string, or `null` (absent, as [`super::build`] reads it).
    fn string_or_null(&mut self) -> Option<Option<&'a str>> {
        self.ws();
        if self.literal("null") {
            return Some(None);
        }
        self.string().map(Some)
    }

    /// The text of one value, located without reading it: strings and brackets are matched,
    /// nothing else is checked (whoever reads the text reads it strictly).
    fn raw(&mut self) -> Option<&'a str> {
        self.ws();
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let mut i = start;
        let mut depth = 0usize;
        loop {
            match *bytes.get(i)? {
                b'"' => {
                    // To the closing quote, over escaped characters.
                    i += 1;
                    loop {
                        i += bytes
                            .get(i..)?
                            .iter()
                            .position(|&c| c == b'"' || c == b'\\')?;
                        if bytes.get(i) == Some(&b'"') {
                            i += 1;
                            break;
                        }
                        i += 2;
                    }
                    if depth == 0 {
                        break;
                    }
                    i = next_structural(bytes, i)?;
                }
                b'{' | b'[' => {
                    depth += 1;
                    // Inside brackets only quotes and brackets matter.
                    i = next_structural(bytes, i + 1)?;
                }
                b'}' | b']' if depth == 0 => break,
                b'}' | b']' => {
                    depth -= 1;
                    i += 1;
                    if depth == 0 {
                        break;
                    }
                    i = next_structural(bytes, i)?;
                }
                b',' | b' ' | b'\n' | b'\r' | b'\t' if depth == 0 => break,
                _ => i += 1,
            }
        }
        self.pos = i;
        (i > start).then(|| self.text.get(start..i)).flatten()
    }

    /// A value that may be `null`, raw.
    fn raw_or_null(&mut self) -> Option<Option<&'a str>> {
        self.raw().map(|r| (r != "null").then_some(r))
    }

    /// A list field: an array's items, or one value; `null` is none.
    fn list_or_null(&mut self) -> Option<Option<List<'a>>> {
        self.ws();
        if self.peek() != Some(b'[') {
            return Some(self.raw_or_null()?.map(List::One));
        }
        self.pos += 1;
        let mut out = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Some(Some(List::Items(out)));
        }
        loop {
            out.push(self.raw()?);
            self.ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(Some(List::Items(out)));
                }
                _ => return None,
            }
        }
    }

    /// One case object.
    fn case(&mut self) -> Option<Case<'a>> {
        self.eat(b'{')?;
        let mut case = Case::default();
        // A field written twice is left to the positioned reader (it reads the first).
        let mut seen: u16 = 0;
        self.ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Some(case);
        }
        loop {
            let key = self.string()?;
            self.eat(b':')?;
            let bit = match key {
                "principal" => {
                    case.principal = self.string_or_null()?;
                    1
                }
                "action" => {
                    case.action = self.string_or_null()?;
                    2
                }
                "resource" => {
                    case.resource = self.string_or_null()?;
                    4
                }
                "resource_account" => {
                    case.resource_account = self.string_or_null()?;
                    8
                }
                "canonical_user_id" => {
                    case.canonical_user_id = self.string_or_null()?;
                    16
                }
                "name" => {
                    self.string_or_null()?;
                    32
                }
                "context" => {
                    self.context(&mut case.context)?;
                    64
                }
                "identity_policies" => {
                    case.identity_policies = self.list_or_null()?;
                    128
                }
                "resource_policy" => {
                    case.resource_policy = self.raw_or_null()?;
                    256
                }
                "permissions_boundary" => {
                    case.permissions_boundary = self.raw_or_null()?;
                    512
                }
                "scps" => {
                    case.scps = self.list_or_null()?;
                    1024
                }
                "rcps" => {
                    case.rcps = self.list_or_null()?;
                    2048
                }
                "session_policy" => {
                    case.session_policy = self.raw_or_null()?;
                    4096
                }
                "vpc_endpoint_policy" => {
                    case.vpc_endpoint_policy = self.raw_or_null()?;
                    8192
                }
                _ => return None,
            };
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            self.ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(case);
                }
                _ => return None,
            }
        }
    }

    /// `context`: an object whose values are strings, booleans or lists of them; `null` is none.
    fn context(&mut self, out: &mut Vec<(&'a str, ContextValue)>) -> Option<()> {
        self.ws();
        if self.literal("null") {
            return Some(());
        }
        self.eat(b'{')?;
        self.ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Some(());
        }
        loop {
            let key = self.string()?;
            self.eat(b':')?;
            self.ws();
            let value = if self.peek() == Some(b'[') {
                self.pos += 1;
                let mut values = Vec::new();
                self.ws();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                } else {
                    loop {
                        values.push(self.text_value()?);
                        self.ws();
                        match self.peek()? {
                            b',' => self.pos += 1,
                            b']' => {
                                self.pos += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
                ContextValue::from(values)
            } else {
                ContextValue::from(self.text_value()?)
            };
            out.push((key, value));
            self.ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// One context value: a string, or a boolean read as `true`/`false`.
    fn text_value(&mut self) -> Option<String> {
        self.ws();
        for word in ["true", "false"] {
            if self.literal(word) {
                return Some(word.to_owned());
            }
        }
        self.string().map(str::to_owned)
    }
}

/// Inside brackets only quotes and brackets matter: the next one at or after `i`.
fn next_structural(bytes: &[u8], i: usize) -> Option<usize> {
    let n = bytes
        .get(i..)?
        .iter()
        .position(|&c| matches!(c, b'"' | b'{' | b'}' | b'[' | b']'))?;
    Some(i + n)
}

/// The items of a JSON array, raw; `None` when `raw` is not exactly an array.
fn items(raw: &str) -> Option<Vec<&str>> {
    let mut s = Scan { text: raw, pos: 0 };
    s.eat(b'[')?;
    let mut out = Vec::new();
    s.ws();
    if s.peek() == Some(b']') {
        s.pos += 1;
    } else {
        loop {
            out.push(s.raw()?);
            s.ws();
            match s.peek()? {
                b',' => s.pos += 1,
                b']' => {
                    s.pos += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    s.ws();
    (s.pos == raw.len()).then_some(out)
}

fn is_array(raw: &str) -> bool {
    raw.starts_with('[')
}

/// Policies already parsed, by text: batches repeat some policies (an SCP every case shares),
/// and a parse costs more than an evaluation. A policy is kept once its text has been seen a
/// second time; one seen once is dropped after its case, so its memory serves the next case.
#[derive(Default)]
pub(super) struct Policies<'a> {
    parsed: HashMap<Cow<'a, str>, Rc<Policy>, BuildHasherDefault<TextHasher>>,
    seen: HashSet<u64, BuildHasherDefault<TextHasher>>,
}

impl<'a> Policies<'a> {
    /// The policy a case field holds (an object, or a string holding the policy text).
    fn get(&mut self, raw: &'a str) -> Option<Rc<Policy>> {
        let text: Cow<'a, str> = match raw.as_bytes().first() {
            Some(b'{') => Cow::Borrowed(raw),
            // A string holding the policy text.
            Some(b'"') => match json::parse(raw).ok()?.kind {
                JsonKind::String(s) => Cow::Owned(s),
                _ => return None,
            },
            _ => return None,
        };
        if let Some(p) = self.parsed.get(&text) {
            return Some(Rc::clone(p));
        }
        let policy = Rc::new(Policy::parse(&text).ok()?);
        let hash = BuildHasherDefault::<TextHasher>::default().hash_one(&text);
        if !self.seen.insert(hash) {
            self.parsed.insert(text, Rc::clone(&policy));
        }
        Some(policy)
    }
}

/// A quick hash of policy texts, eight bytes at a time (FxHash's step): the keys are texts of a
/// kilobyte or so, on which SipHash spends more than the cache saves. The input is the user's
/// own file, so there is no adversary to resist.
#[derive(Default)]
struct TextHasher(u64);

impl TextHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for TextHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.add(u64::from_le_bytes(
                <[u8; 8]>::try_from(w).unwrap_or_default(),
            ));
        }
        for &b in words.remainder() {
            self.add(u64::from(b));
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A policy with the name the trace shows.
type Named = (String, Rc<Policy>);

/// A case's policies, layer by layer, each with the name the trace shows.
#[derive(Default)]
pub(super) struct CasePolicies {
    identity: Vec<Named>,
    boundary: Option<Named>,
    scps: Vec<Named>,
    scp_levels: Vec<Vec<Named>>,
    rcps: Vec<Named>,
    session: Option<Named>,
    resource: Option<Named>,
    vpc_endpoint: Option<Named>,
}

fn lend(p: &Named) -> PolicyRef<'_> {
    PolicyRef::new(&p.0, &p.1)
}

impl CasePolicies {
    /// The policies, borrowed for evaluation.
    pub(super) fn layers(&self) -> Layers<'_> {
        Layers {
            identity_policies: self.identity.iter().map(lend).collect(),
            permissions_boundary: self.boundary.as_ref().map(lend),
            scps: self.scps.iter().map(lend).collect(),
            scp_levels: self
                .scp_levels
                .iter()
                .map(|l| l.iter().map(lend).collect())
                .collect(),
            rcps: self.rcps.iter().map(lend).collect(),
            session_policy: self.session.as_ref().map(lend),
            resource_policy: self.resource.as_ref().map(lend),
            vpc_endpoint_policy: self.vpc_endpoint.as_ref().map(lend),
        }
    }
}

impl<'a> Case<'a> {
    /// The request and its policies, or `None` when [`super::build`] must read the case (it
    /// then reports what is wrong). `date_ok` says whether a context value is acceptable where
    /// dates are concerned.
    pub(super) fn build(
        &self,
        cache: &mut Policies<'a>,
        date_ok: impl Fn(&str, &ContextValue) -> bool,
    ) -> Option<(RequestContext, CasePolicies)> {
        let principal = Principal::from_arn(self.principal?).ok()?;
        let mut request = RequestContext::new(principal, self.action?, self.resource?);
        request.resource_account = self.resource_account.map(str::to_owned);
        request.canonical_user_id = self.canonical_user_id.map(str::to_owned);
        for (key, value) in &self.context {
            if !date_ok(key, value) {
                return None;
            }
            request.context.insert(*key, value.clone());
        }
        let mut out = CasePolicies::default();
        let mut one = |field: &str, raw: &'a str| -> Option<Named> {
            Some((field.to_owned(), cache.get(raw)?))
        };
        // A list field: an array of policies, or one policy object.
        let list = |field: &str,
                    list: Option<&List<'a>>,
                    one: &mut dyn FnMut(&str, &'a str) -> Option<Named>|
         -> Option<Vec<Named>> {
            match list {
                None => Some(Vec::new()),
                Some(List::One(raw)) if raw.starts_with('{') => Some(vec![one(field, raw)?]),
                Some(List::One(_)) => None,
                Some(List::Items(items)) => items
                    .iter()
                    .enumerate()
                    .map(|(i, p)| one(&format!("{field}[{i}]"), p))
                    .collect(),
            }
        };
        out.identity = list(
            "identity_policies",
            self.identity_policies.as_ref(),
            &mut one,
        )?;
        // `scps`: policies (the account's own level) and/or arrays of policies (levels above).
        match &self.scps {
            Some(List::Items(written)) if written.iter().any(|i| is_array(i)) => {
                for (i, &item) in written.iter().enumerate() {
                    if is_array(item) {
                        let level = items(item)?
                            .into_iter()
                            .enumerate()
                            .map(|(j, p)| one(&format!("scps[{i}][{j}]"), p))
                            .collect::<Option<Vec<_>>>()?;
                        out.scp_levels.push(level);
                    } else {
                        out.scps.push(one(&format!("scps[{i}]"), item)?);
                    }
                }
            }
            scps => out.scps = list("scps", scps.as_ref(), &mut one)?,
        }
        out.rcps = list("rcps", self.rcps.as_ref(), &mut one)?;
        let mut named = |raw: Option<&'a str>, name: &str| match raw {
            None => Some(None),
            Some(raw) => one(name, raw).map(Some),
        };
        out.boundary = named(self.permissions_boundary, "permissions boundary")?;
        out.session = named(self.session_policy, "session policy")?;
        out.resource = named(self.resource_policy, "bucket policy")?;
        out.vpc_endpoint = named(self.vpc_endpoint_policy, "VPC endpoint policy")?;
        Some((request, out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASE: &str = r#"{"name": "n", "principal": "arn:aws:iam::111122223333:user/alice",
        "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resource_account": null,
        "context": {"aws:SecureTransport": true, "aws:TagKeys": ["a", "b"], "s3:prefix": "x/"},
        "identity_policies": [{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
            "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"k": ["a\"b", "]}"]}}}}],
        "scps": [[{"Statement": []}], {"Statement": []}]}"#;

    #[test]
    fn reads_a_batch_as_written() {
        let text = format!("[{CASE},\n {CASE}]\n");
        let (cases, batch) = read(&text).unwrap();
        assert!(batch);
        assert_eq!(cases.len(), 2);
        let c = &cases[0];
        assert_eq!(c.principal, Some("arn:aws:iam::111122223333:user/alice"));
        assert_eq!(c.resource_account, None);
        assert_eq!(
            c.context,
            [
                ("aws:SecureTransport", ContextValue::from("true")),
                ("aws:TagKeys", ContextValue::from(vec!["a", "b"])),
                ("s3:prefix", ContextValue::from("x/")),
            ]
        );
        let Some(List::Items(identity)) = &c.identity_policies else {
            panic!("identity policies are a list")
        };
        assert!(
            identity.len() == 1 && identity[0].starts_with('{') && identity[0].ends_with("}}}}")
        );
        let Some(List::Items(scps)) = &c.scps else {
            panic!("scps are a list")
        };
        assert_eq!(scps, &[r#"[{"Statement": []}]"#, r#"{"Statement": []}"#]);
        assert!(read(CASE).is_some_and(|(cases, batch)| cases.len() == 1 && !batch));
        assert!(read("[]").is_some_and(|(cases, _)| cases.is_empty()));
    }

    /// What the scanner does not read exactly is left to the positioned reader.
    #[test]
    fn leaves_anything_unusual_to_the_positioned_reader() {
        for text in [
            format!("[{CASE},]"),
            format!("[{CASE}] x"),
            format!("[{CASE}"),
            CASE.replace(
                r#""action": "s3:GetObject","#,
                r#""action": "s3:GetObject", "action": "s3:PutObject","#,
            ),
            CASE.replace("s3:GetObject", r"s3:Get\u004fbject"),
            CASE.replace(r#""name": "n""#, r#""name": 7"#),
            CASE.replace(r#""s3:prefix": "x/""#, r#""s3:prefix": 5"#),
            CASE.replace(r#""principal""#, r#""principle""#),
            CASE.replace("\"resource_account\": null,", "\"resource_account\": null"),
        ] {
            assert!(read(&text).is_none(), "{text}");
        }
    }
}
