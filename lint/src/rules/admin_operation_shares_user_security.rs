use crate::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use specguard_spec::sensitive::words;
use specguard_spec::view::SchemeRef;

pub struct AdminOperationSharesUserSecurity;

static META: RuleMeta = RuleMeta {
    code: "SG070",
    name: "admin-operation-shares-user-security",
    severity: Severity::Warning,
    owasp: Owasp::Api5,
    cwe: &[285],
    peers: &["owasp:api5:2023-admin-security-unique"],
    summary: "Administrative operation accepts exactly the security requirement of ordinary operations",
    docs: r#"## What it does
Reports operations under an administrative path — a path segment made of a word such as `admin`,
`administration`, `internal`, `debug`, `management`, `mgmt`, `actuator`, `backoffice` or
`superuser` (`/admin/users`, `/internal-tools/flags`, `/debug/vars`) — whose effective security
requirement is exactly the one ordinary operations use: the document's top-level `security`, or
the requirement most non-administrative operations share. Operations without any security or
marked public are left to `operation-without-security`.

## Why is this bad?
When the contract protects `/admin/...` with the same scheme and the same scopes as `/orders`,
nothing in it says that an ordinary user's token is not enough. Whether the administrative
function checks a role is left to each handler, and one forgotten check hands every user the
administrator's powers (OWASP API5:2023 Broken Function Level Authorization). A separate scheme
or a dedicated scope (`admin`) makes the privilege visible, testable and enforceable by gateways.

Spectral's `admin-security-unique` compares with the top-level `security` only; specguard also
compares with the requirement most other operations share, so a document that repeats the same
`security` on every operation is checked as well.

## Example
```yaml
openapi: 3.0.3
info: {title: Shop, version: "1"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
security:
  - bearer: []
paths:
  /orders:
    get:
      responses:
        "200": {description: the orders}
  /admin/users:
    delete:
      responses:
        "204": {description: deleted}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Shop, version: "1"}
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://auth.shop.example/token
          scopes: {orders: read orders, admin: manage users}
security:
  - oauth: [orders]
paths:
  /orders:
    get:
      responses:
        "200": {description: the orders}
  /admin/users:
    delete:
      security:
        - oauth: [admin]
      responses:
        "204": {description: deleted}
```

## References
- OWASP API5:2023 Broken Function Level Authorization
- CWE-285: Improper Authorization
"#,
};

const ADMIN_WORDS: [&str; 11] = [
    "admin",
    "admins",
    "administrator",
    "administration",
    "internal",
    "debug",
    "management",
    "mgmt",
    "actuator",
    "backoffice",
    "superuser",
];

/// Whether a path has a literal segment made of an administrative word.
fn is_admin_path(path: &str) -> bool {
    path.split('/')
        // `internal.apiserver.k8s.io` is an API group name, not an administrative area.
        .filter(|s| !s.starts_with('{') && !s.contains('.'))
        .any(|seg| words(seg).iter().any(|w| ADMIN_WORDS.contains(&w.as_str())))
}

/// A canonical security requirement: sorted alternatives of sorted (scheme, scopes).
type Signature = Vec<Vec<(String, Vec<String>)>>;

fn signature(any_of: &[Vec<SchemeRef>]) -> Signature {
    let mut alts: Vec<Vec<(String, Vec<String>)>> = any_of
        .iter()
        .map(|alt| {
            let mut a: Vec<(String, Vec<String>)> = alt
                .iter()
                .map(|s| {
                    let mut sc = s.scopes.clone();
                    sc.sort();
                    sc.dedup();
                    (s.scheme.clone(), sc)
                })
                .collect();
            a.sort();
            a
        })
        .collect();
    alts.sort();
    alts.dedup();
    alts
}

impl Rule for AdminOperationSharesUserSecurity {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let ops = cx.operations();
        let mut counts: HashMap<Signature, usize> = HashMap::default();
        for op in ops {
            if is_admin_path(&op.path) {
                continue;
            }
            if let Security::Required { any_of } = &op.security {
                *counts.entry(signature(any_of)).or_default() += 1;
            }
        }
        let mut ordinary: Vec<Signature> = Vec::new();
        if let Some((sig, _)) = counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) {
            ordinary.push(sig.clone());
        }
        if counts.is_empty() {
            // No ordinary operation to compare with.
            return;
        }
        let t = cx.tree();
        let root_sec = t.get(cx.doc.root, "security");
        for op in ops {
            if op.webhook || !is_admin_path(&op.path) {
                continue;
            }
            let Security::Required { any_of } = &op.security else {
                continue;
            };
            let sig = signature(any_of);
            let inherits_root = root_sec.is_some() && op.security_node == root_sec;
            if inherits_root || ordinary.contains(&sig) {
                out.push(Report {
                    node: op.node,
                    message: format!(
                        "administrative operation {} accepts the same security as ordinary operations ({})",
                        op.label(),
                        op.security.display()
                    ),
                    help: "require a dedicated scope (e.g. `admin`) or a separate security scheme for administrative functions".into(),
                });
            }
        }
    }
}
