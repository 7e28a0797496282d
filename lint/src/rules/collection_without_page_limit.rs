use crate::prelude::*;
use crate::rules::input_schemas::{has_type, is_enumerated};
use specguard_spec::sensitive::words;
use specguard_spec::view::media_schemas;

pub struct CollectionWithoutPageLimit;

static META: RuleMeta = RuleMeta {
    code: "SG050",
    name: "collection-without-page-limit",
    severity: Severity::Warning,
    owasp: Owasp::Api4,
    cwe: &[770],
    peers: &[],
    summary: "Collection GET is not paginated, or its page-size parameter has no maximum",
    docs: r#"## What it does
Looks at `GET` operations whose success response is a collection: a JSON array, or an object
holding an array under `data`, `items`, `results`, `records`, `entries`, `values`, `list`,
`nodes`, `edges`, `hits`, `rows`, `resources` or the path's last segment (`/users` →
`users`). It reports
- a collection with no sign of pagination: no page-size parameter (`limit`, `per_page`,
  `page_size`, `pageSize`, `size`, `max_results`, `top`/`$top`, `take`, `first`, ...), no paging
  parameter (`page`, `offset`, `cursor`, `after`, `starting_after`, `page_token`, ...), no `Link`
  response header, no `next`/`has_more`-style field, and no `maxItems` on the array;
- a page-size parameter whose schema has no `maximum` (or `enum`), once per parameter.

## Why is this bad?
A list endpoint without a page size returns the whole table, and a page-size parameter without
a maximum lets the client ask for it: `?limit=10000000` costs the server memory, database time
and bandwidth with one cheap request (OWASP API4:2023 Unrestricted Resource Consumption). A
maximum in the contract becomes validation in generated code. Paging by `page` or `cursor`
alone is accepted: the server then fixes the page size.

## Example
```yaml
openapi: 3.0.3
info: {title: Users, version: "1"}
paths:
  /users:
    get:
      parameters:
        - name: limit
          in: query
          schema: {type: integer, minimum: 1}
      responses:
        "200":
          description: the users
          content:
            application/json:
              schema:
                type: array
                items: {type: object, properties: {name: {type: string}}}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Users, version: "1"}
paths:
  /users:
    get:
      parameters:
        - name: limit
          in: query
          schema: {type: integer, minimum: 1, maximum: 100, default: 20}
      responses:
        "200":
          description: the users
          content:
            application/json:
              schema:
                type: array
                items: {type: object, properties: {name: {type: string}}}
```

## References
- OWASP API4:2023 Unrestricted Resource Consumption
- CWE-770: Allocation of Resources Without Limits or Throttling
"#,
};

/// Page-size parameter names, lower case without punctuation (`per_page` → `perpage`,
/// `$top` → `top`, `page[size]` → `pagesize`).
const PAGE_SIZE: &[&str] = &[
    "limit",
    "perpage",
    "pagesize",
    "size",
    "maxresults",
    "top",
    "maxitems",
    "take",
    "first",
    "last",
    "pagelimit",
    "maxpagesize",
    "count",
    "maxcount",
    "numresults",
    "resultsperpage",
    "itemsperpage",
    "max",
];

/// Paging parameter names (the server fixes the page size).
const PAGING: &[&str] = &[
    "page",
    "pagenumber",
    "offset",
    "skip",
    "cursor",
    "after",
    "before",
    "startingafter",
    "endingbefore",
    "pagetoken",
    "nextpagetoken",
    "continuationtoken",
    "continue",
    "marker",
    "startafter",
    "since",
    "from",
    "start",
    "nexttoken",
    "pagecursor",
    "skiptoken",
];

/// Response fields that say there is a next page.
const NEXT_FIELDS: &[&str] = &[
    "hasmore",
    "next",
    "nextcursor",
    "nextpage",
    "nextpagetoken",
    "nextlink",
    "odatanextlink",
    "nexttoken",
    "continuationtoken",
    "cursor",
    "pagination",
    "paging",
    "links",
    "meta",
    "pageinfo",
];

const WRAPPERS: &[&str] = &[
    "data",
    "items",
    "results",
    "records",
    "entries",
    "elements",
    "values",
    "list",
    "objects",
    "nodes",
    "edges",
    "hits",
    "rows",
    "resources",
    "content",
];

fn squash(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

fn is_array(t: &specguard_spec::Tree, s: NodeId) -> bool {
    has_type(t, s, "array") || (t.get(s, "type").is_none() && t.get(s, "items").is_some())
}

/// The array a success response returns as a collection, and whether the response says
/// there is a next page.
fn collection(cx: &Context<'_>, op: &Operation) -> Option<(NodeId, bool)> {
    let t = cx.tree();
    let last = op
        .path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|s| !s.starts_with('{'))
        .map(|s| words(s).join("_"));
    for (code, resp) in &op.responses {
        if !code.starts_with('2') {
            continue;
        }
        let link = t.get(*resp, "headers").is_some_and(|h| {
            t.members(cx.resolve(h))
                .iter()
                .any(|m| m.key.eq_ignore_ascii_case("link"))
        });
        for (_, s) in media_schemas(cx.doc, *resp) {
            if is_array(t, s) {
                return Some((s, link));
            }
            let Some(props) = t.get(s, "properties").map(|p| cx.resolve(p)) else {
                continue;
            };
            let members = t.members(props);
            let next = link
                || members
                    .iter()
                    .any(|m| NEXT_FIELDS.contains(&squash(&m.key).as_str()));
            for m in members {
                let ps = cx.resolve(m.value);
                let wrapped = WRAPPERS.contains(&&*m.key)
                    || last.as_deref() == Some(words(&m.key).join("_").as_str());
                if wrapped && is_array(t, ps) {
                    return Some((ps, next));
                }
            }
        }
    }
    None
}

impl Rule for CollectionWithoutPageLimit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        for op in cx.operations() {
            if op.webhook || op.method != "get" {
                continue;
            }
            let Some((array, next)) = collection(cx, op) else {
                continue;
            };
            let query = || {
                op.parameters
                    .iter()
                    .filter(|p| matches!(p.location, ParamIn::Query | ParamIn::Header))
            };
            let size = query().find(|p| PAGE_SIZE.contains(&squash(&p.name).as_str()));
            if let Some(p) = size {
                let bounded = p.schema.is_none_or(|s| {
                    is_enumerated(t, s)
                        || t.get_number(s, "maximum").is_some()
                        || t.get_number(s, "exclusiveMaximum").is_some()
                        || !(has_type(t, s, "integer") || has_type(t, s, "number"))
                });
                if !bounded {
                    out.push(Report {
                        node: p.node,
                        message: format!("page-size parameter `{}` has no maximum", p.name),
                        help: "add `maximum` to the parameter's schema (and a `default`)".into(),
                    });
                }
                continue;
            }
            let paged = next || query().any(|p| PAGING.contains(&squash(&p.name).as_str()));
            if paged || t.get_number(array, "maxItems").is_some() {
                continue;
            }
            out.push(Report {
                node: op.node,
                message: format!("{} returns a collection without pagination", op.label()),
                help: "add a page-size parameter with a `maximum` (e.g. `limit`, 1..100), or `maxItems` on the returned array".into(),
            });
        }
    }
}
