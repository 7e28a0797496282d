use crate::prelude::*;
use regex::Regex;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use specguard_spec::sensitive::Category;
use specguard_spec::tree::KeyFilter;
use specguard_spec::{Kind, Value};
use std::sync::LazyLock;

pub struct SecretInExample;

static META: RuleMeta = RuleMeta {
    code: "SG090",
    name: "secret-in-example",
    severity: Severity::Error,
    owasp: Owasp::Api8,
    cwe: &[798, 540],
    peers: &[],
    summary: "Example or default value contains what looks like a real credential",
    docs: r#"## What it does
Looks at every `example`, `examples`, `x-example(s)` and `default` value — of schemas,
parameters, headers, media types and Example Objects, nested objects and arrays included — and
reports strings that look like real credentials:
- AWS access key ids (`AKIA…`/`ASIA…` + 16 characters),
- private keys in PEM form (`-----BEGIN … PRIVATE KEY-----` followed by key material),
- JSON Web Tokens (three base64url parts whose header decodes to JSON with `alg`, with a
  signature), unless the claims are obvious sample data (`John Doe`, `1234567890`, `example`),
- GitHub tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` + 36 characters, `github_pat_…`),
- Slack tokens (`xoxb-`, `xoxp-`, … followed by numeric ids),
- Stripe live secret and restricted keys (`sk_live_…`, `rk_live_…`),
- values of properties and parameters named like secrets (`password`, `client_secret`,
  `api_key`, `token`, … per the configured sensitive words) that are not placeholders: at least
  8 characters without spaces, several character classes and high entropy, and no placeholder
  word (`example`, `changeme`, `your`, `xxx`, `***`, `<…>`, …).

Token formats are checked for entropy and placeholder words too (`AKIAIOSFODNN7EXAMPLE`,
`ghp_xxxxxxxx…` and GitHub tokens with an all-hex body are documentation values, and a value
shaped like a token but failing these checks is not judged again as a password), so account
numbers and ids that merely look like keys are not reported. Names that end in a secret word
but hold a cursor (`page_token`, `next_token`, `continuation_token`) are not treated as
secrets, nor are URL values.

## Why is this bad?
Published contracts are read by everyone: documentation portals, SDK repositories, API
catalogues and search engines index them. A live key or token pasted as an example — usually
copied from a developer's working request — is a leaked credential that attackers harvest
automatically (CWE-798, CWE-540; OWASP API8:2023 Security Misconfiguration). Use an obvious
placeholder, and revoke any credential that was ever published.

## Example
```yaml
openapi: 3.0.3
info: {title: Storage, version: "1"}
paths:
  /buckets:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                access_key_id:
                  type: string
                  example: AKIA4Q7ZPL2RX8WN3KDV
      responses:
        "201": {description: created}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Storage, version: "1"}
paths:
  /buckets:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                access_key_id:
                  type: string
                  example: AKIAIOSFODNN7EXAMPLE
      responses:
        "201": {description: created}
```

## References
- OWASP API8:2023 Security Misconfiguration
- CWE-798: Use of Hard-coded Credentials
- CWE-540: Inclusion of Sensitive Information in Source Code
"#,
};

static AWS: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\b(?:AKIA|ASIA|ABIA|ACCA)([0-9A-Z]{16})\b").ok());
static PEM: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"-----BEGIN ((RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----").ok()
});
static JWT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"\b(eyJ[A-Za-z0-9_-]{8,})\.(eyJ[A-Za-z0-9_-]{8,})\.([A-Za-z0-9_-]{16,})").ok()
});
static GITHUB: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"\b(?:gh[pousr]_([A-Za-z0-9]{36})|github_pat_([A-Za-z0-9_]{82}))\b").ok()
});
static SLACK: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\bxox[abposr]-[0-9]{6,}-([0-9A-Za-z-]{8,})").ok());
static STRIPE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\b[sr]k_live_([0-9A-Za-z]{20,})\b").ok());

const PLACEHOLDER_WORDS: [&str; 28] = [
    "example",
    "sample",
    "test",
    "dummy",
    "fake",
    "placeholder",
    "your",
    "changeme",
    "change_me",
    "redacted",
    "hidden",
    "masked",
    "secret",
    "password",
    "passw",
    "token",
    "xxxx",
    "****",
    "...",
    "0000",
    "1234",
    "abcd",
    "qwerty",
    "foo",
    "bar",
    "lorem",
    "demo",
    "string",
];

/// Shannon entropy in bits per character.
fn entropy(s: &str) -> f64 {
    let mut counts: HashMap<char, usize> = HashMap::default();
    let mut n = 0usize;
    for c in s.chars() {
        *counts.entry(c).or_default() += 1;
        n += 1;
    }
    if n == 0 {
        return 0.0;
    }
    counts
        .values()
        .map(|&k| {
            let p = k as f64 / n as f64;
            -p * p.log2()
        })
        .sum()
}

fn placeholder(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    PLACEHOLDER_WORDS.iter().any(|w| l.contains(w))
        || l.contains(['<', '>', '{', '}', '$'])
        || has_run(&l)
}

/// A run of 6 consecutive ascending characters (`123456`, `abcdef`).
fn has_run(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(6)
        .any(|w| w.windows(2).all(|p| p[1] == p[0].wrapping_add(1)))
}

/// Token material: not a placeholder and random-looking.
fn random_body(body: &str, min_entropy: f64) -> bool {
    !placeholder(body) && entropy(body) >= min_entropy
}

fn b64url_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        buf = (buf << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    Some(out)
}

fn char_classes(s: &str) -> usize {
    [
        s.chars().any(|c| c.is_ascii_lowercase()),
        s.chars().any(|c| c.is_ascii_uppercase()),
        s.chars().any(|c| c.is_ascii_digit()),
        s.chars().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|x| **x)
    .count()
}

/// What a string holds: a credential of some kind, a documentation value shaped like one
/// (`ghp_xxxx…`, `AKIAIOSFODNN7EXAMPLE`), or neither.
enum Token {
    Real(&'static str),
    Placeholder,
}

/// Any of the token shapes above, as one search: the literal prefixes (`AKIA`, `-----BEGIN`,
/// `eyJ`, `gh`, `xox`, `k_live_`) let the engine skip the vast majority of example strings
/// without running the six patterns one by one.
static ANY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let parts: Vec<&str> = [&AWS, &PEM, &JWT, &GITHUB, &SLACK, &STRIPE]
        .iter()
        .filter_map(|re| re.as_ref().map(Regex::as_str))
        .collect();
    Regex::new(&parts.join("|")).ok()
});

/// The shortest text any of the token patterns matches (an AWS key id or a Slack token: 20
/// ASCII characters). Most example strings are shorter: they skip the regex altogether.
const SHORTEST_TOKEN: usize = 20;

/// A literal that every match of a token pattern contains (each pattern's fixed prefix, all
/// its spellings; `k_live_` for both Stripe prefixes): a string without any of them cannot match [`ANY`]. The screen reads a
/// string at memory speed; `ANY` itself, whose leading `\b` keeps the regex engine from
/// skipping ahead on its own prefilter, ran its lazy DFA over every string of 20 bytes or
/// more (about 1 100 instructions each, 17 000 strings on GitHub's spec).
const TOKEN_LITERALS: [&str; 19] = [
    "AKIA",
    "ASIA",
    "ABIA",
    "ACCA",
    "-----BEGIN ",
    "eyJ",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "xoxa-",
    "xoxb-",
    "xoxp-",
    "xoxo-",
    "xoxs-",
    "xoxr-",
    "k_live_",
];

/// A DFA without prefilter: the strings are short (a prefilter's set-up cost more than the
/// scan it saves: 920 instructions a string with one, on GitHub's examples).
static LITERALS: LazyLock<Option<aho_corasick::AhoCorasick>> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .prefilter(false)
        .build(TOKEN_LITERALS)
        .ok()
});

/// Whether `s` contains one of [`TOKEN_LITERALS`] (no screen: yes).
fn may_hold_token(s: &str) -> bool {
    LITERALS.as_ref().is_none_or(|ac| ac.is_match(s))
}

fn classify_token(s: &str) -> Option<Token> {
    if s.len() < SHORTEST_TOKEN
        || !may_hold_token(s)
        || ANY.as_ref().is_some_and(|any| !any.is_match(s))
    {
        return None;
    }
    if let Some(kind) = token_kind(s) {
        return Some(Token::Real(kind));
    }
    let shaped = [&AWS, &PEM, &JWT, &GITHUB, &SLACK, &STRIPE]
        .iter()
        .any(|re| re.as_ref().is_some_and(|r| r.is_match(s)));
    shaped.then_some(Token::Placeholder)
}

/// What kind of credential a string looks like, if any.
fn token_kind(s: &str) -> Option<&'static str> {
    if let Some(re) = AWS.as_ref()
        && re
            .captures_iter(s)
            .any(|c| c.get(1).is_some_and(|b| random_body(b.as_str(), 3.0)))
    {
        return Some("an AWS access key id");
    }
    if let Some(re) = PEM.as_ref()
        && let Some(m) = re.find(s)
    {
        let rest = &s[m.end()..];
        let body: String = rest
            .split("-----END")
            .next()
            .unwrap_or("")
            .replace("\\n", "")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '+' || *c == '/')
            .collect();
        if body.len() >= 64 && random_body(&body, 4.0) {
            return Some("a private key");
        }
    }
    if let Some(re) = GITHUB.as_ref()
        && re.captures_iter(s).any(|c| {
            // Real tokens are base62; an all-hex body is a documentation value.
            c.get(1).or_else(|| c.get(2)).is_some_and(|b| {
                random_body(b.as_str(), 3.5)
                    && !b
                        .as_str()
                        .chars()
                        .all(|ch| ch.is_ascii_hexdigit() || ch == '_')
            })
        })
    {
        return Some("a GitHub token");
    }
    if let Some(re) = SLACK.as_ref()
        && re
            .captures_iter(s)
            .any(|c| c.get(1).is_some_and(|b| random_body(b.as_str(), 3.0)))
    {
        return Some("a Slack token");
    }
    if let Some(re) = STRIPE.as_ref()
        && re
            .captures_iter(s)
            .any(|c| c.get(1).is_some_and(|b| random_body(b.as_str(), 3.5)))
    {
        return Some("a Stripe live key");
    }
    if let Some(re) = JWT.as_ref() {
        for c in re.captures_iter(s) {
            let (Some(h), Some(p)) = (c.get(1), c.get(2)) else {
                continue;
            };
            let Some(header) = b64url_decode(h.as_str())
                .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            else {
                continue;
            };
            let alg = header.get("alg").and_then(|a| a.as_str()).unwrap_or("");
            if alg.is_empty() || alg.eq_ignore_ascii_case("none") {
                continue;
            }
            let payload = b64url_decode(p.as_str())
                .map(|b| String::from_utf8_lossy(&b).to_string())
                .unwrap_or_default();
            let l = payload.to_ascii_lowercase();
            let sample = l.contains("john doe")
                || l.contains("1234567890")
                || PLACEHOLDER_WORDS[..12].iter().any(|w| l.contains(w))
                || l.contains("acme");
            if !sample {
                return Some("a JSON Web Token");
            }
        }
    }
    None
}

/// Names that end in a secret word but hold something else (`page_token` is a cursor).
fn not_a_secret_name(name: &str) -> bool {
    specguard_spec::sensitive::words(name).iter().any(|w| {
        matches!(
            w.as_str(),
            "page"
                | "pagination"
                | "next"
                | "previous"
                | "prev"
                | "continuation"
                | "cursor"
                | "sync"
                | "idempotency"
        )
    })
}

/// Whether the value of a secret-named field looks like a real secret, given that it passed
/// [`could_be_secret`]: no placeholder word, several character classes, high entropy.
fn looks_random(s: &str) -> bool {
    !placeholder(s) && char_classes(s) >= 3 && entropy(s) >= 3.0
}

/// The cheap part of the test for a real secret: its length and no space or URL. Checked
/// before the field's name is looked at, which most example strings then never need.
fn could_be_secret(s: &str) -> bool {
    // At most 4 bytes a character: longer texts have more than 200 characters.
    if s.len() < 8 || s.len() > 800 {
        return false;
    }
    // One pass over the bytes: most long example strings are prose (rejected at the first
    // ASCII space) or URLs; characters are counted as the bytes that do not continue one.
    let mut chars = 0;
    let mut ascii = true;
    for &b in s.as_bytes() {
        if b.is_ascii_whitespace() {
            return false;
        }
        ascii &= b.is_ascii();
        chars += usize::from((b & 0xC0) != 0x80);
    }
    (8..=200).contains(&chars)
        && (ascii || !s.contains(char::is_whitespace))
        && memchr::memmem::find(s.as_bytes(), b"://").is_none()
}

impl Rule for SecretInExample {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        check(cx, cx.tree(), out);
    }
}

fn check<'t>(cx: &Context<'_>, t: &'t specguard_spec::Tree, out: &mut Vec<Report>) {
    {
        // Example values with the name of the field they document, when known.
        let mut values: Vec<(NodeId, Option<&str>)> = Vec::new();
        let schema_keys = ["example", "examples", "default", "x-example", "x-examples"];
        // Most schemas have none of these: their key filter says so without five lookups.
        let example_keys = KeyFilter::new(&schema_keys);
        let push_examples =
            |holder: NodeId, name: Option<&'t str>, v: &mut Vec<(NodeId, Option<&'t str>)>| {
                if let Some(e) = t.get(holder, "example") {
                    v.push((e, name));
                }
                if let Some(ex) = t.get(holder, "examples") {
                    let ex = cx.resolve(ex);
                    for m in t.members(ex) {
                        if let Some(val) = t.get(cx.resolve(m.value), "value") {
                            v.push((val, name));
                        }
                    }
                    for &i in t.items(ex) {
                        v.push((i, name));
                    }
                }
            };
        for &(id, kind) in &cx.doc.objects {
            match kind {
                Kind::Schema => {
                    if t.may_have_any(id, example_keys) {
                        let own = t.node(id).parent().and_then(|(p, _)| {
                            (t.key_of(p) == Some("properties"))
                                .then(|| t.key_of(id))
                                .flatten()
                        });
                        for k in schema_keys {
                            if let Some(v) = t.get(id, k) {
                                values.push((v, own));
                            }
                        }
                    }
                    // Properties that are `$ref`s: the referenced schema's examples under the
                    // property's name.
                    if let Some(props) = t.get(id, "properties") {
                        for m in t.members(cx.resolve(props)) {
                            let r = cx.resolve(m.value);
                            if r == m.value || !t.may_have_any(r, example_keys) {
                                continue;
                            }
                            for k in schema_keys {
                                if let Some(v) = t.get(r, k) {
                                    values.push((v, Some(&*m.key)));
                                }
                            }
                        }
                    }
                }
                Kind::Parameter | Kind::Header => {
                    let name = t.get_str(id, "name").or_else(|| t.key_of(id));
                    push_examples(id, name, &mut values);
                }
                Kind::MediaType => push_examples(id, None, &mut values),
                Kind::Example => {
                    if let Some(v) = t.get(id, "value") {
                        values.push((v, None));
                    }
                }
                _ => {}
            }
        }
        // Prefer the entry that knows the field's name.
        values.sort_by_key(|(n, name)| (*n, name.is_none()));
        values.dedup_by_key(|(n, _)| *n);
        let mut reported = HashSet::default();
        let mut secret_names: HashMap<&str, bool> = HashMap::default();
        for (v, name) in values {
            let mut stack = vec![(v, name, 0usize)];
            while let Some((n, name, depth)) = stack.pop() {
                if depth > 32 {
                    continue;
                }
                match t.value(n) {
                    Value::String(s) => {
                        let kind = match classify_token(s) {
                            Some(Token::Real(k)) => Some(k),
                            Some(Token::Placeholder) => None,
                            None => {
                                // Examples repeat the same field names thousands of times.
                                let secret_named = could_be_secret(s)
                                    && name.is_some_and(|nm| {
                                        *secret_names.entry(nm).or_insert_with(|| {
                                            cx.sensitive.classify(nm) == Some(Category::Secret)
                                                && !not_a_secret_name(nm)
                                        })
                                    });
                                (secret_named && looks_random(s)).then_some("a real secret")
                            }
                        };
                        if let Some(kind) = kind
                            && reported.insert(n)
                        {
                            let field = name.map(|x| format!(" of `{x}`")).unwrap_or_default();
                            out.push(Report {
                                node: n,
                                message: format!("example value{field} looks like {kind}"),
                                help: "replace it with an obvious placeholder (`<your-token>`, `AKIAIOSFODNN7EXAMPLE`) and revoke the credential if it was ever real".into(),
                            });
                        }
                    }
                    Value::Object(members) => {
                        for m in members {
                            stack.push((m.value, Some(&*m.key), depth + 1));
                        }
                    }
                    Value::Array(items) => {
                        for &i in items {
                            stack.push((i, name, depth + 1));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_token_shape_passes_the_literal_screen() {
        // One sample of each spelling each pattern accepts: the screen must never hide a
        // string the regex would match (it only spares the regex the strings it cannot).
        let mut samples = vec![
            "-----BEGIN PRIVATE KEY-----".to_string(),
            "-----BEGIN RSA PRIVATE KEY BLOCK-----".to_string(),
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl".to_string(),
            format!("github_pat_{}", "A1b2".repeat(20) + "zz"),
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc".to_string(),
            "rk_live_4eC39HqLyjWDarjtT1zdp7dc".to_string(),
        ];
        for p in ["AKIA", "ASIA", "ABIA", "ACCA"] {
            samples.push(format!("{p}Q7ZPL2RX8WN3KDVB"));
        }
        for c in ['p', 'o', 'u', 's', 'r'] {
            samples.push(format!("gh{c}_{}", "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6"));
        }
        for c in ['a', 'b', 'p', 'o', 's', 'r'] {
            samples.push(format!("xox{c}-123456-ab12CD34"));
        }
        for s in &samples {
            let any = ANY.as_ref().is_some_and(|re| re.is_match(s));
            assert!(any, "the sample {s} should match the token patterns");
            assert!(may_hold_token(s), "the screen hides {s}");
            // Embedded in text as well.
            assert!(may_hold_token(&format!("key: {s} (copy)")));
        }
        // What the screen is for: long strings with none of the literals.
        for s in [
            "https://api.github.com/repos/octocat/Hello-World/pulls/1347",
            "2011-01-26T19:01:12Z and more text",
            "a3f1c9e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a3f2",
        ] {
            assert!(!may_hold_token(s), "{s}");
        }
    }

    #[test]
    fn the_one_pass_shape_check_reads_characters_not_bytes() {
        assert!(could_be_secret("s3cr3t-Pa55"));
        assert!(!could_be_secret("short"));
        assert!(!could_be_secret("has a space in it"));
        assert!(!could_be_secret("tab\there-and-more"));
        assert!(!could_be_secret("https://example.com/x"));
        // Eight characters in 16 bytes pass; a non-ASCII space fails.
        assert!(could_be_secret("ééééééé1"));
        assert!(!could_be_secret("ééé\u{2003}éééé1"));
        // Over 200 characters, even when fewer than 800 bytes.
        assert!(!could_be_secret(&"é".repeat(201)));
        assert!(could_be_secret(&"é".repeat(200)));
    }

    #[test]
    fn the_shortest_token_shapes_are_as_long_as_the_length_filter() {
        // The two shortest shapes the patterns accept, exactly SHORTEST_TOKEN bytes long: still
        // read as tokens; any shorter string never reaches the patterns.
        for shortest in ["AKIAQ7ZPL2RX8WN3KDVB", "xoxb-123456-ab12CD34"] {
            assert_eq!(shortest.len(), SHORTEST_TOKEN);
            assert!(
                ANY.as_ref().is_some_and(|re| re.is_match(shortest)),
                "{shortest}"
            );
            assert!(classify_token(shortest).is_some(), "{shortest}");
            assert!(classify_token(&shortest[..SHORTEST_TOKEN - 1]).is_none());
        }
    }
}
