use crate::prelude::*;
use crate::rules::input_schemas::has_type;
use specguard_spec::Tree;

pub struct UploadWithoutSizeLimit;

static META: RuleMeta = RuleMeta {
    code: "SG051",
    name: "upload-without-size-limit",
    severity: Severity::Warning,
    owasp: Owasp::Api4,
    cwe: &[400, 770],
    peers: &[],
    summary: "File upload request body documents no size limit",
    docs: r#"## What it does
Reports request bodies that upload files — `application/octet-stream`, `image/*`, `audio/*`,
`video/*`, archives and PDF (unless the schema is structured), `*/*` with no schema or a binary
one, or `multipart/form-data` with a binary part (`format: binary`, or a 3.1 `contentMediaType`)
or no schema — when no size limit is documented. A size limit is any
of: `maxLength` on the binary string (every binary part, for multipart), an
`x-specguard-max-body-bytes: <bytes>` extension on the operation, the request body or the
media type, or a `413` response on the operation. A shared request body is reported once.

## Why is this bad?
Uploads are the cheapest way to make a server spend memory, disk and CPU: one request with a
few gigabytes — or a small archive that expands to many — fills a disk or starves a worker
(OWASP API4:2023 Unrestricted Resource Consumption). A documented limit tells implementers to
enforce it before buffering the body, and tells clients what will be refused.

## Example
```yaml
openapi: 3.0.3
info: {title: Avatars, version: "1"}
paths:
  /me/avatar:
    put:
      requestBody:
        content:
          image/png:
            schema: {type: string, format: binary}
      responses:
        "204": {description: stored}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Avatars, version: "1"}
paths:
  /me/avatar:
    put:
      requestBody:
        content:
          image/png:
            schema: {type: string, format: binary, maxLength: 2097152}
      responses:
        "204": {description: stored}
        "413": {description: larger than 2 MiB}
```

## References
- OWASP API4:2023 Unrestricted Resource Consumption
- CWE-400: Uncontrolled Resource Consumption
- CWE-770: Allocation of Resources Without Limits or Throttling
"#,
};

pub const MAX_BODY_EXTENSION: &str = "x-specguard-max-body-bytes";

fn is_binary_media(media: &str) -> bool {
    let m = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    m == "application/octet-stream"
        || m.starts_with("image/")
        || m.starts_with("audio/")
        || m.starts_with("video/")
        || matches!(
            m.as_str(),
            "application/pdf"
                | "application/zip"
                | "application/gzip"
                | "application/x-gzip"
                | "application/x-tar"
                | "application/x-7z-compressed"
                | "application/vnd.rar"
        )
}

fn is_binary_string(t: &Tree, s: NodeId) -> bool {
    (has_type(t, s, "string") || t.get(s, "type").is_none())
        && (t.get_str(s, "format") == Some("binary") || t.get(s, "contentMediaType").is_some())
}

/// The binary parts of a multipart schema (top-level properties, or items of an array
/// property) and whether each has a `maxLength`.
fn binary_parts(cx: &Context<'_>, s: NodeId) -> Vec<bool> {
    let t = cx.tree();
    let mut out = Vec::new();
    let mut schemas = vec![s];
    if let Some(all) = t.get(s, "allOf") {
        schemas.extend(t.items(all).iter().map(|&x| cx.resolve(x)));
    }
    for s in schemas {
        let Some(props) = t.get(s, "properties").map(|p| cx.resolve(p)) else {
            continue;
        };
        for m in t.members(props) {
            let mut p = cx.resolve(m.value);
            if has_type(t, p, "array")
                && let Some(i) = t.get(p, "items")
            {
                p = cx.resolve(i);
            }
            if is_binary_string(t, p) {
                out.push(t.get_number(p, "maxLength").is_some());
            }
        }
    }
    out
}

impl Rule for UploadWithoutSizeLimit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        let declared = |n: NodeId| t.get(n, MAX_BODY_EXTENSION).is_some();
        for op in cx.operations() {
            let Some(body) = op.request_body.filter(|_| !op.webhook) else {
                continue;
            };
            if declared(op.node) || declared(body) || op.responses.iter().any(|(c, _)| c == "413") {
                continue;
            }
            let Some(content) = t.get(body, "content").map(|c| cx.resolve(c)) else {
                continue;
            };
            for m in t.members(content) {
                if declared(m.value) {
                    continue;
                }
                let schema = t.get(m.value, "schema").map(|s| cx.resolve(s));
                let media = m.key.to_ascii_lowercase();
                let no_max = |s: NodeId| t.get_number(s, "maxLength").is_none();
                let unbounded = if is_binary_media(&media) {
                    // A structured schema under a binary type is not a file.
                    schema.is_none_or(|s| {
                        (has_type(t, s, "string") || t.get(s, "type").is_none())
                            && t.get(s, "properties").is_none()
                            && no_max(s)
                    })
                } else if media == "*/*" || media == "application/*" {
                    // Anything goes: a file only when the schema says so (or says nothing).
                    schema.is_none_or(|s| is_binary_string(t, s) && no_max(s))
                } else if media.starts_with("multipart/") {
                    match schema {
                        None => true,
                        Some(s) => binary_parts(cx, s).iter().any(|bounded| !bounded),
                    }
                } else {
                    false
                };
                if unbounded {
                    out.push(Report {
                        node: m.value,
                        message: format!("upload `{}` documents no size limit", m.key),
                        help: format!(
                            "add `maxLength` (bytes) to the binary schema, a `413` response, or `{MAX_BODY_EXTENSION}` on the operation"
                        ),
                    });
                }
            }
        }
    }
}
