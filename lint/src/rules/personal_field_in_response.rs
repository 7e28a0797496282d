use crate::prelude::*;
use crate::rules::input_schemas::{is_non_text_scalar, property_flag};
use specguard_spec::sensitive::Category;

pub struct PersonalFieldInResponse;

static META: RuleMeta = RuleMeta {
    code: "SG044",
    name: "personal-field-in-response",
    severity: Severity::Info,
    owasp: Owasp::Api3,
    cwe: &[359],
    peers: &[],
    summary: "Response schema returns personal data (email, phone, address, date of birth, ...)",
    docs: r#"## What it does
Reports fields whose names look like personal data (`email`, `phone`, `address`,
`date_of_birth`, `ssn`, `iban`, `card_number`, ...: the `personal` words of the configured
sensitive-word list) declared in schemas used in responses and not marked `writeOnly: true`.
Flags and counts (`email_verified`, `phone_count`) are not reported. Each field is reported
once, where its schema declares it. It is informational: an inventory of the personal data the
API hands out, to review against who may call each operation.

## Why is this bad?
Personal data is often returned because the database row has it, not because the client needs
it: a list of users with everyone's email and phone number is the typical excessive data
exposure (OWASP API3:2023 Broken Object Property Level Authorization, CWE-359). Each such field
should be returned only to callers entitled to it.

## Example
```yaml
openapi: 3.0.3
info: {title: Forum, version: "1"}
paths:
  /posts/{id}/author:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
      responses:
        "200":
          description: the post's author
          content:
            application/json:
              schema:
                type: object
                properties:
                  display_name: {type: string}
                  email: {type: string, format: email}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Forum, version: "1"}
paths:
  /posts/{id}/author:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
      responses:
        "200":
          description: the post's author
          content:
            application/json:
              schema:
                type: object
                properties:
                  display_name: {type: string}
                  avatar_url: {type: string, format: uri}
```

## References
- OWASP API3:2023 Broken Object Property Level Authorization
- CWE-359: Exposure of Private Personal Information to an Unauthorized Actor
"#,
};

impl Rule for PersonalFieldInResponse {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        for &s in &cx.views.schemas {
            if !cx.views.schema_sides.get(&s).is_some_and(|x| x.response) {
                continue;
            }
            let Some(props) = t.get(s, "properties").map(|p| cx.resolve(p)) else {
                continue;
            };
            for m in t.members(props) {
                if cx.sensitive.classify(&m.key) != Some(Category::Personal)
                    || property_flag(cx, m.value, "writeOnly")
                    || is_non_text_scalar(t, cx.resolve(m.value))
                {
                    continue;
                }
                out.push(Report {
                    node: m.value,
                    message: format!("response returns personal data `{}`", m.key),
                    help: "return it only to callers entitled to it; drop it from responses that do not need it".into(),
                });
            }
        }
    }
}
