use crate::prelude::*;

pub struct InvalidPattern;

static META: RuleMeta = RuleMeta {
    code: "SG091",
    name: "invalid-pattern",
    severity: Severity::Warning,
    owasp: Owasp::Api8,
    cwe: &[185],
    peers: &[],
    summary: "Schema pattern is not a valid ECMA-262 regular expression",
    docs: r#"## What it does
Compiles every `pattern` (and every `patternProperties` key) of every schema as an ECMA-262
regular expression — the dialect OpenAPI and JSON Schema prescribe — and reports those that do
not compile, with the parser's reason. Syntax of other engines that JavaScript rejects is
reported too: inline flags (`(?i)`), `\A`/`\Z`, possessive quantifiers (`a++`), atomic groups,
unbalanced parentheses. Patterns are only compiled, never run.

## Why is this bad?
A pattern that does not compile is handled differently by every tool: JavaScript validators
throw, some validators skip the check silently, code generators emit code that fails at start-up
or drop the constraint. Either the API rejects everything or — worse — validates nothing, and
the input the pattern was meant to keep out reaches the application (CWE-185 Incorrect Regular
Expression; OWASP API8:2023 Security Misconfiguration).

## Example
```yaml
openapi: 3.0.3
info: {title: Users, version: "1"}
paths:
  /users:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                login: {type: string, maxLength: 30, pattern: '(?i)^[a-z0-9_]+$'}
      responses:
        "201": {description: created}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Users, version: "1"}
paths:
  /users:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                login: {type: string, maxLength: 30, pattern: '^[A-Za-z0-9_]+$'}
      responses:
        "201": {description: created}
```

## References
- OWASP API8:2023 Security Misconfiguration
- CWE-185: Incorrect Regular Expression
- ECMA-262, RegExp pattern syntax
"#,
};

fn compile_error(p: &str) -> Option<String> {
    regress::Regex::new(p).err().map(|e| e.to_string())
}

impl Rule for InvalidPattern {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        for &s in &cx.views.schemas {
            if let Some(pn) = t.get(s, "pattern")
                && let Some(p) = t.str(pn)
                && let Some(err) = compile_error(p)
            {
                out.push(Report {
                    node: pn,
                    message: format!("pattern `{p}` is not a valid ECMA-262 regular expression: {err}"),
                    help: "write the pattern in JavaScript (ECMA-262) syntax; drop inline flags such as `(?i)` and spell out the character classes".into(),
                });
            }
            if let Some(pp) = t.get(s, "patternProperties") {
                for m in t.members(pp) {
                    if let Some(err) = compile_error(&m.key) {
                        out.push(Report {
                            node: m.value,
                            message: format!(
                                "patternProperties key `{}` is not a valid ECMA-262 regular expression: {err}",
                                m.key
                            ),
                            help: "write the pattern in JavaScript (ECMA-262) syntax".into(),
                        });
                    }
                }
            }
        }
    }
}
