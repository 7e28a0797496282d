use crate::prelude::*;
use crate::rules::input_schemas::{input_schemas_pruned, property_flag};
use rustc_hash::FxHashSet as HashSet;
use specguard_spec::sensitive::words;
use specguard_spec::view::media_schemas;

pub struct ServerOwnedFieldWritable;

static META: RuleMeta = RuleMeta {
    code: "SG045",
    name: "server-owned-field-writable",
    severity: Severity::Warning,
    owasp: Owasp::Api3,
    cwe: &[915],
    peers: &[],
    summary: "Server-owned field (id, role, isAdmin, balance, status, created_at ...) is writable in a request body",
    docs: r##"## What it does
Reports fields the server should own — `id`, `role`, `roles`, `is_admin`, `admin`,
`is_superuser`, `permissions`, `owner`, `owner_id`, `balance`, `credit`, `status`, `verified`,
`is_verified`, `email_verified`, `approved`, `created_at`, `updated_at`, `deleted_at`,
`created_by`, `updated_by` (in any casing: `isAdmin`, `createdAt`) — that are not `readOnly: true`
in a schema used both for input (request body, parameter) and in responses. When such a schema
marks no property `readOnly` at all, it is reported once, at the schema; otherwise each
server-owned field without `readOnly` is reported. `id` counts only at the top level of a
request body (a nested `{id}` usually refers to another resource). Fields fixed to one value
(`const`, a one-value `enum`) are not reported; fields under a reported one are not reported
again.

Options (`[options.server-owned-field-writable]` in `specguard.toml`):
- `fields` (list of names): replaces the default list.
- `extra-fields` (list of names): added to the list.
- `request-only` (default false): also check schemas used only for input. Off by default
  because a request-only schema is usually written for input on purpose: inviting a member
  `role`, setting a check run's `status` (on GitHub's and Stripe's specs every such hit was a
  legitimate input).

## Why is this bad?
One schema for a resource on both sides invites mass assignment: the handler binds the whole
request to the record, and a client that adds `"role": "admin"`, `"balance": 1000000` or
`"status": "approved"` to a profile update sets them (OWASP API3:2023 Broken Object Property
Level Authorization, CWE-915). `readOnly: true` says the server owns the field; generated servers
then drop it from input.

## Example
```yaml
openapi: 3.0.3
info: {title: Accounts, version: "1"}
paths:
  /me:
    put:
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Account"}
      responses:
        "200":
          description: updated
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Account"}
components:
  schemas:
    Account:
      type: object
      properties:
        id: {type: string, format: uuid}
        name: {type: string, maxLength: 100}
        isAdmin: {type: boolean}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Accounts, version: "1"}
paths:
  /me:
    put:
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Account"}
      responses:
        "200":
          description: updated
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Account"}
components:
  schemas:
    Account:
      type: object
      properties:
        id: {type: string, format: uuid, readOnly: true}
        name: {type: string, maxLength: 100}
        isAdmin: {type: boolean, readOnly: true}
```

## References
- OWASP API3:2023 Broken Object Property Level Authorization
- CWE-915: Improperly Controlled Modification of Dynamically-Determined Object Attributes
"##,
};

const DEFAULT_FIELDS: &[&str] = &[
    "id",
    "role",
    "roles",
    "is_admin",
    "admin",
    "is_superuser",
    "superuser",
    "permissions",
    "owner",
    "owner_id",
    "balance",
    "credit",
    "status",
    "verified",
    "is_verified",
    "email_verified",
    "approved",
    "is_approved",
    "created_at",
    "updated_at",
    "deleted_at",
    "created_by",
    "updated_by",
];

fn normalise(name: &str) -> String {
    words(name).join("_")
}

/// A field that can hold one value only (`const`, a one-value `enum`) cannot be abused.
fn is_fixed(cx: &Context<'_>, prop: NodeId) -> bool {
    let t = cx.tree();
    let s = cx.resolve(prop);
    t.get(s, "const").is_some() || t.get(s, "enum").is_some_and(|e| t.items(e).len() == 1)
}

fn option_list(cx: &Context<'_>, key: &str) -> Option<Vec<String>> {
    let list = cx.options.get(META.name)?.get(key)?.as_array()?;
    Some(
        list.iter()
            .filter_map(|v| v.as_str().map(normalise))
            .collect(),
    )
}

impl Rule for ServerOwnedFieldWritable {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        let mut fields: HashSet<String> = match option_list(cx, "fields") {
            Some(l) => l.into_iter().collect(),
            None => DEFAULT_FIELDS.iter().map(|f| f.to_string()).collect(),
        };
        fields.extend(option_list(cx, "extra-fields").unwrap_or_default());
        let request_only = cx.option_bool(META.name, "request-only", false);
        let owned = |name: &str| fields.contains(&normalise(name));

        // Top-level request body schemas (and their allOf parts): where `id` names the record.
        let mut body_roots = HashSet::default();
        for op in cx.operations() {
            let Some(b) = op.request_body.filter(|_| !op.webhook) else {
                continue;
            };
            for (_, s) in media_schemas(cx.doc, b) {
                body_roots.insert(s);
                if let Some(all) = t.get(s, "allOf") {
                    body_roots.extend(t.items(all).iter().map(|&x| cx.resolve(x)));
                }
            }
        }

        for s in input_schemas_pruned(cx, owned) {
            let shared = cx.views.schema_sides.get(&s).is_some_and(|x| x.response);
            if !shared && !request_only {
                continue;
            }
            let Some(props) = t.get(s, "properties").map(|p| cx.resolve(p)) else {
                continue;
            };
            let members = t.members(props);
            let writable: Vec<_> = members
                .iter()
                .filter(|m| owned(&m.key))
                .filter(|m| normalise(&m.key) != "id" || body_roots.contains(&s))
                .filter(|m| !property_flag(cx, m.value, "readOnly") && !is_fixed(cx, m.value))
                .collect();
            if writable.is_empty() {
                continue;
            }
            let any_read_only = members
                .iter()
                .any(|m| property_flag(cx, m.value, "readOnly"));
            if shared && !any_read_only {
                let names = writable
                    .iter()
                    .map(|m| format!("`{}`", m.key))
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(Report {
                    node: s,
                    message: format!(
                        "schema is used for input and in responses but marks no property readOnly: clients can set {names}"
                    ),
                    help: "mark the fields the server owns `readOnly: true` (or use a separate input schema)".into(),
                });
                continue;
            }
            for m in writable {
                let place = if shared {
                    "in a schema also used for input"
                } else {
                    "in an input schema"
                };
                out.push(Report {
                    node: m.value,
                    message: format!("server-owned field `{}` is writable {place}", m.key),
                    help: "mark it `readOnly: true`, or leave it out of input schemas".into(),
                });
            }
        }
    }
}
