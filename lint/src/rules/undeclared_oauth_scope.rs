use super::undefined_security_scheme::requirement_lists;
use crate::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

pub struct UndeclaredOauthScope;

static META: RuleMeta = RuleMeta {
    code: "SG023",
    name: "undeclared-oauth-scope",
    severity: Severity::Warning,
    owasp: Owasp::Api2,
    cwe: &[285],
    peers: &[],
    summary: "Security requirement asks for an OAuth2 scope that the scheme's flows do not declare",
    docs: r#"## What it does
Reports scopes listed in `security` requirements (top level and per operation) for an `oauth2`
scheme when none of the scheme's flows declares that scope under `scopes`. `openIdConnect`
schemes publish their scopes in the discovery document, outside the contract, and are not
checked.

## Why is this bad?
A scope nobody declared is usually a typo (`orders:wirte`) or a leftover. Either no token ever
carries it, and the operation is unusable, or the authorization code compares against a
different list than the one reviewers read, and the scope model the contract documents is not
the one enforced (OWASP API2:2023 Broken Authentication, CWE-285).

## Example
```yaml
openapi: 3.0.3
info: {title: Orders, version: "1"}
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        authorizationCode:
          authorizationUrl: https://auth.example/authorize
          tokenUrl: https://auth.example/token
          scopes: {orders:read: read orders}
paths:
  /orders:
    get:
      security:
        - oauth: [orders:list]
      responses:
        "200": {description: the orders}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Orders, version: "1"}
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        authorizationCode:
          authorizationUrl: https://auth.example/authorize
          tokenUrl: https://auth.example/token
          scopes: {orders:read: read orders}
paths:
  /orders:
    get:
      security:
        - oauth: [orders:read]
      responses:
        "200": {description: the orders}
```

## References
- OWASP API2:2023 Broken Authentication
- CWE-285: Improper Authorization
"#,
};

impl Rule for UndeclaredOauthScope {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        let mut scopes: HashMap<String, HashSet<&str>> = HashMap::default();
        for (name, node) in cx.security_schemes() {
            if t.get_str(node, "type") != Some("oauth2") {
                continue;
            }
            let mut set = HashSet::default();
            if let Some(flows) = t.get(node, "flows") {
                for f in t.members(flows) {
                    if let Some(s) = t.get(f.value, "scopes") {
                        set.extend(t.members(s).iter().map(|m| &*m.key));
                    }
                }
            }
            scopes.insert(name, set);
        }
        for list in requirement_lists(cx) {
            for &alt in t.items(list) {
                for m in t.members(alt) {
                    let Some(declared) = scopes.get(&*m.key) else {
                        continue;
                    };
                    for &s in t.items(m.value) {
                        let Some(scope) = t.str(s) else { continue };
                        if declared.contains(scope) {
                            continue;
                        }
                        out.push(Report {
                            node: s,
                            message: format!(
                                "scope `{scope}` is not declared by any flow of oauth2 scheme `{}`",
                                m.key
                            ),
                            help: "declare the scope under the `scopes` of the scheme's flows, or fix its spelling".into(),
                        });
                    }
                }
            }
        }
    }
}
