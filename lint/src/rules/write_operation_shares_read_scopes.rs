use crate::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use specguard_spec::sensitive::words;

pub struct WriteOperationSharesReadScopes;

static META: RuleMeta = RuleMeta {
    code: "SG071",
    name: "write-operation-shares-read-scopes",
    severity: Severity::Warning,
    owasp: Owasp::Api5,
    cwe: &[285],
    peers: &[],
    summary: "Write operation is allowed with read-only OAuth2 scopes or the same scopes as reads",
    docs: r#"## What it does
For OAuth2 schemes that define scopes, reports write operations (`post`, `put`, `patch`,
`delete`) that one of their security alternatives lets through with scopes that grant no write
privilege:
- every scope in the alternative reads as read-only (`read:pets`, `pets.read`, `User.Read`,
  `files.readonly`), or
- the alternative is the very one a `get`/`head` of the same path accepts, and the scheme does
  define write-type scopes (`write`, `manage`, `admin`, `edit`, `ReadWrite`, ...) that the
  alternative does not use.

An alternative that includes a write-type scope is fine even when reads ask for it too.

## Why is this bad?
Scopes exist so that a token issued for reading cannot change anything. When a `DELETE` is
satisfied by the scope that lets a dashboard list records, every read-only integration — and
every attacker who steals its token — can modify or destroy data (OWASP API5:2023 Broken Function
Level Authorization).

## Example
```yaml
openapi: 3.0.3
info: {title: Pets, version: "1"}
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://auth.pets.example/token
          scopes: {"read:pets": read pets, "write:pets": change pets}
paths:
  /pets/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
    get:
      security:
        - oauth: ["read:pets"]
      responses:
        "200": {description: a pet}
    delete:
      security:
        - oauth: ["read:pets"]
      responses:
        "204": {description: deleted}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Pets, version: "1"}
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://auth.pets.example/token
          scopes: {"read:pets": read pets, "write:pets": change pets}
paths:
  /pets/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
    get:
      security:
        - oauth: ["read:pets"]
      responses:
        "200": {description: a pet}
    delete:
      security:
        - oauth: ["write:pets"]
      responses:
        "204": {description: deleted}
```

## References
- OWASP API5:2023 Broken Function Level Authorization
- CWE-285: Improper Authorization
"#,
};

fn scope_words(scope: &str) -> Vec<String> {
    let s: String = scope
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    words(&s).to_vec()
}

fn is_write_scope(scope: &str) -> bool {
    scope_words(scope).iter().any(|w| {
        matches!(
            w.as_str(),
            "write"
                | "writes"
                | "readwrite"
                | "manage"
                | "admin"
                | "modify"
                | "edit"
                | "full"
                | "delete"
                | "create"
                | "update"
        )
    })
}

fn is_read_scope(scope: &str) -> bool {
    let ws = scope_words(scope);
    !is_write_scope(scope)
        && ws
            .iter()
            .any(|w| matches!(w.as_str(), "read" | "readonly" | "reads" | "view"))
}

impl Rule for WriteOperationSharesReadScopes {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        // OAuth2 schemes with their defined scopes.
        let mut schemes: HashMap<String, Vec<String>> = HashMap::default();
        for (name, node) in cx.security_schemes() {
            if t.get_str(node, "type") != Some("oauth2") {
                continue;
            }
            let mut scopes = Vec::new();
            if let Some(flows) = t.get(node, "flows") {
                for f in t.members(flows) {
                    if let Some(s) = t.get(f.value, "scopes") {
                        scopes.extend(t.members(s).iter().map(|m| m.key.to_string()));
                    }
                }
            }
            if !scopes.is_empty() {
                schemes.insert(name, scopes);
            }
        }
        if schemes.is_empty() {
            return;
        }
        let ops = cx.operations();
        for op in ops {
            if op.webhook || !op.is_write() {
                continue;
            }
            let Security::Required { any_of } = &op.security else {
                continue;
            };
            let reads: Vec<&Operation> = ops
                .iter()
                .filter(|o| o.path_item == op.path_item && matches!(o.method, "get" | "head"))
                .collect();
            for alt in any_of {
                let scoped: Vec<_> = alt
                    .iter()
                    .filter(|s| schemes.contains_key(&s.scheme) && !s.scopes.is_empty())
                    .collect();
                if scoped.is_empty() {
                    continue;
                }
                let all_scopes: Vec<&String> = scoped.iter().flat_map(|s| &s.scopes).collect();
                if all_scopes.iter().any(|s| is_write_scope(s)) {
                    continue;
                }
                let shown = all_scopes
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let message = if all_scopes.iter().all(|s| is_read_scope(s)) {
                    format!("{} can be called with read-only scope {shown}", op.label())
                } else {
                    let scheme_has_write = scoped.iter().any(|s| {
                        schemes
                            .get(&s.scheme)
                            .is_some_and(|d| d.iter().any(|x| is_write_scope(x)))
                    });
                    let mut sorted = alt.clone();
                    sorted.sort_by(|a, b| a.scheme.cmp(&b.scheme));
                    let same_as_read = reads.iter().find(|r| match &r.security {
                        Security::Required { any_of: ra } => ra.iter().any(|x| {
                            let mut x = x.clone();
                            x.sort_by(|a, b| a.scheme.cmp(&b.scheme));
                            x == sorted
                        }),
                        _ => false,
                    });
                    match same_as_read {
                        Some(r) if scheme_has_write => format!(
                            "{} accepts the same scopes as {} ({shown})",
                            op.label(),
                            r.label()
                        ),
                        _ => continue,
                    }
                };
                out.push(Report {
                    node: op.security_node.filter(|_| t.get(op.node, "security").is_some()).unwrap_or(op.node),
                    message,
                    help: "require a scope that grants write access (e.g. `write:...`) for operations that change data".into(),
                });
                break;
            }
        }
    }
}
