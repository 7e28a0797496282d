//! Response headers, AND security requirements and the debug-build response check, in a
//! generated crate with hand-written handlers: it builds with `-D warnings` and, over HTTP,
//!
//! - documented headers are sent (required, optional, lists, enums); a value with a line break
//!   is never sent (500);
//! - an operation whose requirement ANDs schemes receives every scheme's principal of the
//!   alternative that passed (and `None` for the anonymous alternative);
//! - a body or header that breaks the contract's bounds becomes a 500 in this debug build;
//! - a pattern with leading lookaheads and a trailing lookbehind is enforced (split into
//!   linear-time parts), and so is lookaround inside a repeated group (the lookaround
//!   automaton);
//! - a form body is read into the contract's types and checked like a JSON one, and so are
//!   `deepObject` query parameters and `multipart/form-data` bodies (binary file parts);
//!
//! and `cargo clippy -- -D warnings` passes on it (regressions from GitHub's API: enum variants
//! sharing a prefix).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers

mod common;
use common::{build_and_serve, clippy, generate_with, header_values, http, http_bytes};
use specguard_generator::Settings;

const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Features, version: "1"}
security: [{token: []}]
paths:
  /items:
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Item"}
      responses:
        "201":
          description: created
          headers:
            Location: {required: true, schema: {type: string, maxLength: 40}}
            X-RateLimit-Remaining: {schema: {type: integer, format: int32, minimum: 0}}
            X-Tags: {schema: {type: array, items: {type: string}}}
            X-Mode: {schema: {type: string, enum: [fast, slow]}}
            X-Ids: {schema: {type: array, items: {type: integer, format: int64}}}
            X-Modes: {schema: {type: array, items: {type: string, enum: [a, b]}}}
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Item"}
        4XX:
          description: refused
          headers:
            Retry-After: {required: true, schema: {type: integer, format: int64}}
  /items/{itemId}:
    delete:
      operationId: deleteItem
      security:
        - token: [items:write]
          key: []
        - basic: []
        - sig: []
      parameters:
        # Leading lookaheads (the commonest lookaround in real specs) and a trailing lookbehind
        # run as split parts.
        - {name: itemId, in: path, required: true, schema: {type: string, maxLength: 8, pattern: '^(?!tmp-)(?=.*\d)[a-z0-9-]+(?<!-)$'}}
        # Lookaround inside a repeated group has no split: the lookaround automaton runs it.
        - {name: label, in: query, schema: {type: string, pattern: '^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$'}}
        # A backreference: the date's two separators are the same (or both absent).
        - {name: day, in: query, schema: {type: string, pattern: '^\d{4}([-/]?)\d{2}\1\d{2}$'}}
        # A count too large for the regex: `^.*$` and the characters counted apart.
        - {name: note, in: query, schema: {type: string, pattern: '^.{2,300000}$'}}
        # AWS FSx's ARN: lookaround the automaton refuses as one union of its 81 distributed
        # alternatives; it runs as several automata, a value matching when one of them does.
        - {name: arn, in: query, schema: {type: string, pattern: '^arn:(?=[^:]+:fsx:[^:]+:\d{12}:)((|(?=[a-z0-9-.]{1,63})(?!\d{1,3}(\.\d{1,3}){3})(?![^:]*-{2})(?![^:]*-\.)(?![^:]*\.-)[a-z0-9].*(?<!-)):){4}(?!/).{0,1024}$'}}
      responses:
        "204":
          description: deleted
          headers:
            X-Who: {required: true, schema: {type: string}}
  /charges:
    post:
      operationId: createCharge
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema: {$ref: "#/components/schemas/Charge"}
      responses:
        "200":
          description: the charge as read
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Charge"}
  /uploads:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [title, file]
              additionalProperties: false
              properties:
                title: {type: string, maxLength: 20}
                file: {type: string, format: binary, maxLength: 16}
                tags: {type: array, items: {type: string}}
      responses:
        "200":
          description: what was received
          content:
            application/json:
              schema:
                type: object
                required: [title, size]
                properties:
                  title: {type: string}
                  size: {type: integer}
                  tags: {type: array, items: {type: string}}
  /feed:
    get:
      operationId: feed
      security:
        - {}
        - token: []
          key: []
      parameters:
        # deepObject (Stripe's `created[gt]=…`, `expand[]=…`): read like a form body.
        - name: filter
          in: query
          style: deepObject
          explode: true
          schema:
            type: object
            additionalProperties: false
            properties:
              status: {type: string, enum: [open, closed]}
              created:
                type: object
                additionalProperties: false
                properties:
                  gt: {type: integer, minimum: 0}
        - name: expand
          in: query
          style: deepObject
          schema: {type: array, maxItems: 2, items: {type: string}}
        # A list of objects: OpenAPI gives it no query serialization; read as brackets.
        - name: tags
          in: query
          schema:
            type: array
            maxItems: 2
            items:
              type: object
              required: [key]
              additionalProperties: false
              properties:
                key: {type: string}
                value: {type: string, maxLength: 3}
        # Described with `content`: the value is JSON text.
        - name: where
          in: query
          content:
            application/json:
              schema:
                type: object
                additionalProperties: false
                properties:
                  limit: {type: integer, maximum: 10}
        - name: versions
          in: query
          style: pipeDelimited
          explode: false
          schema: {type: array, items: {type: integer, minimum: 1}}
        # An object with the default style (form, explode): `?gt=1&lt=5`.
        - name: range
          in: query
          schema:
            type: object
            additionalProperties: false
            properties:
              gt: {type: integer}
              lt: {type: integer, maximum: 100}
      responses:
        "204":
          description: ok
          headers:
            X-Who: {required: true, schema: {type: string}}
  # Equivalent paths (OpenAPI forbids them; Xero's and Google's APIs have them): the first whose
  # parameters fit serves the request.
  /files/{fileId}:
    get:
      operationId: fileById
      security: []
      parameters:
        - {name: fileId, in: path, required: true, schema: {type: string, format: uuid}}
      responses:
        "204":
          description: ok
          headers:
            X-Who: {required: true, schema: {type: string}}
  /files/{fileName}:
    get:
      operationId: fileByName
      security: []
      parameters:
        - {name: fileName, in: path, required: true, schema: {type: string, pattern: '^[a-z]+\.[a-z]+$'}}
        # An object in a header, style simple: `from,1,to,3`.
        - name: X-Range
          in: header
          schema:
            type: object
            additionalProperties: false
            properties:
              from: {type: integer, minimum: 0}
              to: {type: integer}
      responses:
        "204":
          description: ok
          headers:
            X-Who: {required: true, schema: {type: string}}
  # A query string in the path key (Flickr's `/rest?method=…`): the fixed value tells the
  # operations apart.
  /rpc?method=ping:
    get:
      operationId: ping
      security: []
      responses:
        "204":
          description: ok
          headers:
            X-Who: {required: true, schema: {type: string}}
  /rpc?method=echo&text={text}:
    get:
      operationId: echo
      security: []
      responses:
        "204":
          description: ok
          headers:
            X-Who: {required: true, schema: {type: string}}
components:
  securitySchemes:
    token: {type: http, scheme: bearer}
    key: {type: apiKey, in: header, name: X-Key}
    basic: {type: http, scheme: basic}
    # Another HTTP scheme: the credentials go to `HttpAuth` as sent.
    sig: {type: http, scheme: Signature}
  schemas:
    Item:
      type: object
      required: [name]
      additionalProperties: false
      properties:
        name: {type: string, maxLength: 10}
        stock: {type: integer, format: int32, minimum: 0, maximum: 100}
        rule: {$ref: "#/components/schemas/Rule"}
        sort: {type: string, enum: [created_at, updated_at, pushed_at]}
        # Schemas named like the prelude's items, which generated code names unqualified.
        extra: {$ref: "#/components/schemas/Result"}
    Result:
      type: object
      additionalProperties: false
      properties:
        some: {$ref: "#/components/schemas/Option"}
        text: {$ref: "#/components/schemas/String"}
        list: {type: array, items: {$ref: "#/components/schemas/Vec"}}
    Option: {type: string, enum: [Some, None, Ok, Err]}
    String: {type: object, properties: {v: {type: string}}}
    Vec: {type: integer, format: int32}
    # A form body (Stripe's style): nested objects, lists, maps, typed leaves.
    Charge:
      type: object
      required: [amount]
      additionalProperties: false
      properties:
        amount: {type: integer, minimum: 1}
        capture: {type: boolean}
        card:
          type: object
          required: [number]
          additionalProperties: false
          properties:
            number: {type: string, pattern: '^[0-9]{4}$'}
            exp_month: {type: integer, minimum: 1, maximum: 12}
        expand: {type: array, maxItems: 3, items: {type: string}}
        metadata: {type: object, additionalProperties: {type: string, maxLength: 20}}
    # Variant names sharing a prefix (GitHub's RepositoryRule*): clippy's enum_variant_names.
    Rule:
      oneOf:
        - {$ref: "#/components/schemas/RuleCreation"}
        - {$ref: "#/components/schemas/RuleUpdate"}
        - {$ref: "#/components/schemas/RuleDeletion"}
    RuleCreation: {type: object, properties: {creation: {type: boolean}}}
    RuleUpdate: {type: object, properties: {update: {type: boolean}}}
    RuleDeletion: {type: object, properties: {deletion: {type: boolean}}}
"##;

const HANDLERS: &str = r##"
use crate::api::{
    Charge, CreateChargeResponse, CreateItemCreatedHeaders, CreateItemCreatedXMode, CreateItemResponse,
    CreateItemStatus4xxHeaders, DeleteItemNoContentHeaders, DeleteItemParams,
    DeleteItemPrincipals, DeleteItemResponse, FeaturesApi, FeedNoContentHeaders, FeedParams,
    FeedPrincipals, UploadBody, UploadOkBody, UploadResponse,
    FeedResponse, FileByIdNoContentHeaders, FileByIdParams, FileByIdResponse,
    FileByNameNoContentHeaders, FileByNameParams, FileByNameResponse, Item,
    EchoNoContentHeaders, EchoParams, EchoResponse, PingNoContentHeaders, PingParams,
    PingResponse,
};
use specguard::ServerError;
use specguard::auth::{
    ApiKeyAuth, AuthError, Authenticator, BasicAuth, BearerAuth, HttpAuth, Subject,
};

#[derive(Debug, Clone, Default)]
pub struct Service;

impl FeaturesApi for Service {
    type Principal = Subject;

    async fn create_item(
        &self,
        _principal: Subject,
        body: Item,
    ) -> Result<CreateItemResponse, ServerError> {
        let headers = |location: &str| CreateItemCreatedHeaders {
            location: location.to_string(),
            x_rate_limit_remaining: Some(7),
            x_tags: Some(vec!["a".into(), "b".into()]),
            x_mode: Some(CreateItemCreatedXMode::Fast),
            x_ids: Some(vec![1, 2]),
            x_modes: None,
        };
        Ok(match body.name.as_str() {
            "refuse" => CreateItemResponse::Status4xx(
                specguard::http::StatusCode::TOO_MANY_REQUESTS,
                CreateItemStatus4xxHeaders { retry_after: 30 },
            ),
            // Out of the contract's bounds: the debug build answers 500 instead.
            "overstock" => CreateItemResponse::Created(
                Item { name: body.name, stock: Some(1000), rule: None, sort: None, extra: None },
                headers("/items/1"),
            ),
            "longloc" => CreateItemResponse::Created(
                Item { name: body.name, stock: None, rule: None, sort: None, extra: None },
                headers(&"/x".repeat(30)),
            ),
            // A line break cannot be sent in a header.
            "split" => CreateItemResponse::Created(
                Item { name: body.name, stock: None, rule: None, sort: None, extra: None },
                headers("/items/1\r\nSet-Cookie: a=b"),
            ),
            _ => CreateItemResponse::Created(
                Item { name: body.name, stock: Some(3), rule: None, sort: None, extra: None },
                headers("/items/1"),
            ),
        })
    }

    async fn create_charge(
        &self,
        _principal: Subject,
        body: Charge,
    ) -> Result<CreateChargeResponse, ServerError> {
        Ok(CreateChargeResponse::Ok(body))
    }

    async fn upload(
        &self,
        _principal: Subject,
        body: UploadBody,
    ) -> Result<UploadResponse, ServerError> {
        Ok(UploadResponse::Ok(UploadOkBody {
            title: body.title,
            size: body.file.len() as i64,
            tags: body.tags,
        }))
    }

    async fn delete_item(
        &self,
        principal: DeleteItemPrincipals<Subject>,
        _params: DeleteItemParams,
    ) -> Result<DeleteItemResponse, ServerError> {
        let who = match principal {
            DeleteItemPrincipals::TokenAndKey { token, key } => format!("{}+{}", token.id, key.id),
            DeleteItemPrincipals::Basic { basic } => basic.id,
            DeleteItemPrincipals::Sig { sig } => sig.id,
        };
        Ok(DeleteItemResponse::NoContent(DeleteItemNoContentHeaders { x_who: who }))
    }

    async fn feed(
        &self,
        principal: Option<FeedPrincipals<Subject>>,
        params: FeedParams,
    ) -> Result<FeedResponse, ServerError> {
        let mut who = match principal {
            None => "anonymous".to_string(),
            Some(FeedPrincipals::TokenAndKey { token, key }) => format!("{}+{}", token.id, key.id),
        };
        if let Some(f) = &params.filter {
            let status = f.status.map(|s| s.as_str()).unwrap_or("-");
            let gt = f.created.as_ref().and_then(|c| c.gt).map(|g| g.to_string());
            who.push_str(&format!(";status={status};gt={}", gt.unwrap_or_default()));
        }
        if let Some(e) = &params.expand {
            who.push_str(&format!(";expand={}", e.join(",")));
        }
        if let Some(t) = &params.tags {
            let t: Vec<String> = t
                .iter()
                .map(|t| format!("{}={}", t.key, t.value.as_deref().unwrap_or("")))
                .collect();
            who.push_str(&format!(";tags={}", t.join(",")));
        }
        if let Some(w) = &params.r#where {
            who.push_str(&format!(";where={:?}", w.limit));
        }
        if let Some(v) = &params.versions {
            who.push_str(&format!(";versions={v:?}"));
        }
        if let Some(r) = &params.range {
            who.push_str(&format!(";range={:?}..{:?}", r.gt, r.lt));
        }
        Ok(FeedResponse::NoContent(FeedNoContentHeaders { x_who: who }))
    }

    async fn authorize_item(
        &self,
        principal: Option<&Subject>,
        _id: &str,
        _access: specguard::authz::Access,
    ) -> Result<(), specguard::Problem> {
        // The first scheme's principal of the alternative that passed.
        match principal {
            Some(p) if ["alice", "bob", "signer"].contains(&p.id.as_str()) => Ok(()),
            _ => specguard::authz::deny(),
        }
    }

    async fn ping(&self, _params: PingParams) -> Result<PingResponse, ServerError> {
        Ok(PingResponse::NoContent(PingNoContentHeaders {
            x_who: "pong".into(),
        }))
    }

    async fn echo(&self, params: EchoParams) -> Result<EchoResponse, ServerError> {
        Ok(EchoResponse::NoContent(EchoNoContentHeaders {
            x_who: format!("{}:{}", params.method, params.text),
        }))
    }

    async fn authorize_file(
        &self,
        _principal: Option<&Subject>,
        _id: &str,
        _access: specguard::authz::Access,
    ) -> Result<(), specguard::Problem> {
        // Public files.
        Ok(())
    }

    async fn file_by_id(&self, params: FileByIdParams) -> Result<FileByIdResponse, ServerError> {
        Ok(FileByIdResponse::NoContent(FileByIdNoContentHeaders {
            x_who: format!("id:{}", params.file_id),
        }))
    }

    async fn file_by_name(
        &self,
        params: FileByNameParams,
    ) -> Result<FileByNameResponse, ServerError> {
        Ok(FileByNameResponse::NoContent(FileByNameNoContentHeaders {
            x_who: match &params.x_range {
                Some(r) => format!("name:{};{:?}..{:?}", params.file_name, r.from, r.to),
                None => format!("name:{}", params.file_name),
            },
        }))
    }
}

#[derive(Debug, Clone, Default)]
pub struct Auth;

impl Authenticator for Auth {
    type Principal = Subject;
}

impl BearerAuth for Auth {
    async fn verify_bearer(&self, _scheme: &str, token: &str) -> Result<Subject, AuthError> {
        match token {
            "alice" => Ok(Subject::new("alice").with_scopes(["items:write"])),
            _ => Err(AuthError::Invalid),
        }
    }
}

impl ApiKeyAuth for Auth {
    async fn verify_api_key(&self, _scheme: &str, key: &str) -> Result<Subject, AuthError> {
        match key {
            "k1" => Ok(Subject::new("device1")),
            _ => Err(AuthError::Invalid),
        }
    }
}

impl HttpAuth for Auth {
    async fn verify_http(&self, scheme: &str, auth_scheme: &str, credentials: &str) -> Result<Subject, AuthError> {
        match (scheme, auth_scheme, credentials) {
            ("sig", "Signature", r#"keyId="k1",signature="ok""#) => Ok(Subject::new("signer")),
            _ => Err(AuthError::Invalid),
        }
    }

    fn challenge(&self, scheme: &str, auth_scheme: &str, presented: Option<&str>) -> Option<String> {
        // The scheme's own first challenge; after a failed attempt, the plain one.
        (scheme == "sig" && presented.is_none())
            .then(|| format!(r#"{auth_scheme} realm="api", headers="(request-target) date""#))
    }
}

impl BasicAuth for Auth {
    async fn verify_basic(&self, _scheme: &str, user: &str, password: &str) -> Result<Subject, AuthError> {
        match (user, password) {
            ("bob", "pw") => Ok(Subject::new("bob")),
            _ => Err(AuthError::Invalid),
        }
    }
}
"##;

/// A request that must succeed with 204 (no body): the `x-who` values the handler set.
fn who(a: &str, method: &str, path: &str, headers: &[(&str, &str)]) -> Vec<String> {
    let (status, raw) = http(a, method, path, headers, "");
    assert_eq!(status, 204, "{raw}");
    header_values(&raw, "x-who")
        .into_iter()
        .map(String::from)
        .collect()
}

#[test]
fn headers_and_principals_and_response_checks_over_http() {
    let settings = Settings {
        runtime_path: Some(common::workspace().join("runtime")),
        crate_name: Some("features".into()),
        ..Settings::default()
    };
    let g = generate_with(SPEC, settings).unwrap();
    let s = build_and_serve(&g, "features", &[("src/handlers.rs", HANDLERS)]);
    // The generated module (and these handlers) pass clippy's default lints.
    clippy(&s.dir);
    let a = s.addr.as_str();
    let json = ("Content-Type", "application/json");
    let alice = ("Authorization", "Bearer alice");
    let post = |name: &str| {
        http(
            a,
            "POST",
            "/items",
            &[alice, json],
            &format!(r#"{{"name": "{name}"}}"#),
        )
    };

    let (status, raw) = post("ok");
    assert_eq!(status, 201, "{raw}");
    assert_eq!(header_values(&raw, "location"), ["/items/1"]);
    assert_eq!(header_values(&raw, "x-ratelimit-remaining"), ["7"]);
    assert_eq!(header_values(&raw, "x-tags"), ["a,b"]);
    assert_eq!(header_values(&raw, "x-mode"), ["fast"]);
    assert_eq!(header_values(&raw, "x-ids"), ["1,2"]);
    assert!(header_values(&raw, "x-modes").is_empty(), "{raw}");
    let (status, raw) = post("refuse");
    assert_eq!(status, 429, "{raw}");
    assert_eq!(header_values(&raw, "retry-after"), ["30"]);

    // Debug build: a body or header out of the contract's bounds is never sent.
    for name in ["overstock", "longloc"] {
        let (status, raw) = post(name);
        assert_eq!(status, 500, "{name}: {raw}");
        assert!(raw.contains("application/problem+json"), "{raw}");
        assert!(header_values(&raw, "location").is_empty(), "{raw}");
        assert!(!raw.contains("1000"), "the value is not echoed: {raw}");
    }
    let (status, raw) = post("split");
    assert_eq!(status, 500, "{raw}");
    assert!(header_values(&raw, "set-cookie").is_empty(), "{raw}");

    // Form bodies: brackets nest, text takes the contract's types, bounds are checked.
    let form = ("Content-Type", "application/x-www-form-urlencoded");
    let charge = |body: &str| http(a, "POST", "/charges", &[alice, form], body);
    let (status, raw) = charge(
        "amount=2000&capture=true&card[number]=4242&card[exp_month]=12\
         &expand[]=customer&expand[]=invoice&metadata[order]=A%2B1",
    );
    assert_eq!(status, 200, "{raw}");
    let body = raw.split("\r\n\r\n").nth(1).unwrap_or("");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(body).unwrap(),
        serde_json::json!({
            "amount": 2000, "capture": true, "card": {"number": "4242", "exp_month": 12},
            "expand": ["customer", "invoice"], "metadata": {"order": "A+1"}
        })
    );
    for bad in [
        "amount=0",
        "amount=lots",
        "amount=1&capture=yes",
        "amount=1&card[number]=42",
        "amount=1&card[number]=4242&card[exp_month]=13",
        "amount=1&expand=a&expand=b&expand=c&expand=d",
        "amount=1&isAdmin=true",
        "amount=1&card=4242",
    ] {
        let (status, raw) = charge(bad);
        assert_eq!(status, 422, "{bad}: {raw}");
    }
    assert_eq!(
        charge("amount=1&card=1&card[number]=2").0,
        400,
        "value and object"
    );
    assert_eq!(
        http(a, "POST", "/charges", &[alice, json], r#"{"amount": 1}"#).0,
        415,
        "JSON where the contract takes a form"
    );

    // Multipart: text parts, a binary file part (not UTF-8), repeated parts as a list.
    let multipart = |parts: &[(&str, Option<&str>, &[u8])]| {
        let mut body = Vec::new();
        for (name, file, data) in parts {
            body.extend_from_slice(b"--XyZ\r\n");
            let disposition = match file {
                Some(f) => format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                ),
                None => format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n"),
            };
            body.extend_from_slice(disposition.as_bytes());
            body.extend_from_slice(data);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(b"--XyZ--\r\n");
        body
    };
    let upload = |body: Vec<u8>| {
        http_bytes(
            a,
            "POST",
            "/uploads",
            &[alice, ("Content-Type", "multipart/form-data; boundary=XyZ")],
            &body,
        )
    };
    let (status, raw) = upload(multipart(&[
        ("title", None, b"cat"),
        (
            "file",
            Some("cat.png"),
            &[0x89, b'P', b'N', b'G', 0xff, 0x00],
        ),
        ("tags[]", None, b"a"),
        ("tags[]", None, b"b"),
    ]));
    assert_eq!(status, 200, "{raw}");
    let body = raw.split("\r\n\r\n").nth(1).unwrap_or("");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(body).unwrap(),
        serde_json::json!({"title": "cat", "size": 6, "tags": ["a", "b"]})
    );
    let (status, raw) = upload(multipart(&[
        ("title", None, b"cat"),
        ("file", Some("big.bin"), &[0u8; 17]),
    ]));
    assert_eq!(status, 422, "maxLength counts bytes: {raw}");
    let (status, raw) = upload(multipart(&[("file", Some("a.bin"), b"x")]));
    assert_eq!(status, 422, "title is required: {raw}");
    let (status, raw) = upload(multipart(&[
        ("title", None, b"cat"),
        ("file", Some("a.bin"), b"x"),
        ("owner", None, b"mallory"),
    ]));
    assert_eq!(status, 422, "unknown part: {raw}");
    let (status, raw) = upload(b"--XyZ\r\nnot a part".to_vec());
    assert_eq!(status, 400, "malformed: {raw}");

    // deepObject query parameters.
    assert_eq!(
        who(
            a,
            "GET",
            "/feed?filter[status]=open&filter[created][gt]=5&expand[]=a&expand[]=b&gt=1&lt=5",
            &[]
        ),
        ["anonymous;status=open;gt=5;expand=a,b;range=Some(1)..Some(5)"]
    );
    // A list of objects in brackets, a JSON parameter, a pipe-delimited list.
    assert_eq!(
        who(
            a,
            "GET",
            "/feed?tags[1][key]=b&tags[0][key]=a&tags[0][value]=x&where=%7B%22limit%22%3A3%7D&versions=1%7C2",
            &[],
        ),
        ["anonymous;tags=a=x,b=;where=Some(3);versions=[1, 2]"]
    );
    for bad in [
        "tags[0][value]=x",
        "tags[0][key]=a&tags[0][value]=lengthy",
        "tags[0][key]=a&tags[0][color]=red",
        "tags[0][key]=a&tags[1][key]=b&tags[2][key]=c",
        "where=pending",
        "where=%7B%22limit%22%3A11%7D",
        "where=%7B%22color%22%3A%22soon%22%7D",
        "versions=1%7Csoon",
        "versions=0",
    ] {
        let (status, raw) = http(a, "GET", &format!("/feed?{bad}"), &[], "");
        assert_eq!(status, 400, "{bad}: {raw}");
        let name = &bad[..bad.find(['[', '=']).unwrap_or(0)];
        assert!(
            raw.contains(&format!(r#""in":"query","pointer":"/{name}"#)),
            "{bad}: {raw}"
        );
        assert!(
            !raw.contains("pending") && !raw.contains("soon") && !raw.contains("lengthy"),
            "echoed: {raw}"
        );
    }
    for bad in [
        "filter[status]=pending",
        "filter[created][gt]=-1",
        "filter[created][gt]=soon",
        "filter[color]=red",
        "filter=open",
        "expand[]=a&expand[]=b&expand[]=c",
        "filter[status]=open&filter[status][x]=1",
        // `range` (form, explode): the keys no other parameter claims.
        "lt=101",
        "gt=soon",
        "color=red",
    ] {
        let (status, raw) = http(a, "GET", &format!("/feed?{bad}"), &[], "");
        assert_eq!(status, 400, "{bad}: {raw}");
        let name = match &bad[..bad.find(['[', '=']).unwrap_or(0)] {
            "lt" | "gt" | "color" => "range",
            n => n,
        };
        assert!(
            raw.contains(&format!(r#""in":"query","pointer":"/{name}"#)),
            "{bad}: {raw}"
        );
        assert!(
            !raw.contains("pending") && !raw.contains("soon"),
            "echoed: {raw}"
        );
    }

    // AND: every scheme's principal of the alternative that passed.
    assert_eq!(
        who(a, "DELETE", "/items/x1", &[alice, ("X-Key", "k1")]),
        ["alice+device1"]
    );
    assert_eq!(
        who(
            a,
            "DELETE",
            "/items/x1",
            &[("Authorization", "Basic Ym9iOnB3")]
        ),
        ["bob"]
    );
    let (status, raw) = http(a, "DELETE", "/items/x1", &[alice], "");
    assert_eq!(status, 401, "one scheme of an AND is not enough: {raw}");
    assert!(
        header_values(&raw, "www-authenticate")
            .contains(&r#"Signature realm="api", headers="(request-target) date""#),
        "the scheme's own challenge: {raw}"
    );
    // Another HTTP scheme: the credentials as sent, the scheme's name case-insensitive.
    let sig = ("Authorization", r#"signature keyId="k1",signature="ok""#);
    assert_eq!(who(a, "DELETE", "/items/x1", &[sig]), ["signer"]);
    let forged = ("Authorization", r#"Signature keyId="k1",signature="no""#);
    let (status, raw) = http(a, "DELETE", "/items/x1", &[forged], "");
    assert_eq!(status, 401, "{raw}");
    assert!(
        header_values(&raw, "www-authenticate").contains(&r#"Signature realm="api""#),
        "{raw}"
    );
    let (status, raw) = http(
        a,
        "DELETE",
        "/items/x1",
        &[("Authorization", "Signature")],
        "",
    );
    assert_eq!(status, 401, "no credentials: {raw}");
    // The pattern's lookarounds: `tmp-` is refused, a digit is required, no `-` at the end.
    let key = [alice, ("X-Key", "k1")];
    assert_eq!(http(a, "DELETE", "/items/tmp-1", &key, "").0, 400);
    assert_eq!(http(a, "DELETE", "/items/xy", &key, "").0, 400);
    assert_eq!(http(a, "DELETE", "/items/tmp1", &key, "").0, 204);
    assert_eq!(http(a, "DELETE", "/items/tmp1-", &key, "").0, 400);
    // The automaton's lookahead: no `--` inside a label.
    assert_eq!(http(a, "DELETE", "/items/tmp1?label=a-b", &key, "").0, 204);
    assert_eq!(http(a, "DELETE", "/items/tmp1?label=a--b", &key, "").0, 400);
    assert_eq!(http(a, "DELETE", "/items/tmp1?label=-ab", &key, "").0, 400);
    // The expanded backreference: both separators alike. The ARN's automata: the service
    // must be `fsx`, no `--` or trailing `-` in a part.
    for (param, value, status) in [
        ("day", "2026-12-03", 204),
        ("day", "2026/12/03", 204),
        ("day", "20261203", 204),
        ("day", "2026-12/03", 400),
        ("day", "2026-1203", 400),
        ("day", "202612-03", 400),
        (
            "arn",
            "arn:aws:fsx:us-east-1:123456789012:file-system/fs-0123",
            204,
        ),
        (
            "arn",
            "arn:aws:s3:us-east-1:123456789012:file-system/fs-0123",
            400,
        ),
        ("arn", "arn:a--b:fsx:us-east-1:123456789012:x", 400),
        ("arn", "arn:aws-:fsx:us-east-1:123456789012:x", 400),
        ("arn", "arn:aws:fsx:us-east-1:123456789012:/x", 400),
    ] {
        let uri = format!("/items/tmp1?{param}={}", value.replace('/', "%2F"));
        assert_eq!(
            http(a, "DELETE", &uri, &key, "").0,
            status,
            "{param}={value}"
        );
    }
    // The counted pattern: two characters at least, no line break.
    assert_eq!(http(a, "DELETE", "/items/tmp1?note=ab", &key, "").0, 204);
    assert_eq!(http(a, "DELETE", "/items/tmp1?note=a", &key, "").0, 400);
    assert_eq!(http(a, "DELETE", "/items/tmp1?note=a%0Ab", &key, "").0, 400);

    // Equivalent paths: a uuid goes to the first operation, a file name to the second, and
    // what neither accepts to the last, which refuses it.
    let uuid = "0b0e6c5e-8a8d-4d3b-9f39-5c1a4e0c2a11";
    assert_eq!(
        who(a, "GET", &format!("/files/{uuid}"), &[]),
        [format!("id:{uuid}")]
    );
    assert_eq!(who(a, "GET", "/files/notes.txt", &[]), ["name:notes.txt"]);
    assert_eq!(
        who(a, "GET", "/files/notes.txt", &[("X-Range", "from,1,to,3")]),
        ["name:notes.txt;Some(1)..Some(3)"]
    );
    for bad in ["from,-1", "from,1,to", "from,1,size,2"] {
        let (status, raw) = http(a, "GET", "/files/notes.txt", &[("X-Range", bad)], "");
        assert_eq!(status, 400, "{bad}: {raw}");
    }
    let (status, raw) = http(a, "GET", "/files/NOTES", &[], "");
    assert_eq!(status, 400, "{raw}");
    assert!(
        raw.contains("fileName"),
        "the last operation's problem: {raw}"
    );

    // Fixed query values from the path key choose the operation.
    assert_eq!(who(a, "GET", "/rpc?method=ping", &[]), ["pong"]);
    assert_eq!(who(a, "GET", "/rpc?method=echo&text=hi", &[]), ["echo:hi"]);
    let (status, raw) = http(a, "GET", "/rpc?method=other", &[], "");
    assert_eq!(status, 400, "neither value: {raw}");

    // The anonymous alternative gives `None`; a presented AND gives both principals.
    assert_eq!(who(a, "GET", "/feed", &[]), ["anonymous"]);
    assert_eq!(
        who(a, "GET", "/feed", &[alice, ("X-Key", "k1")]),
        ["alice+device1"]
    );
    let (status, raw) = http(a, "GET", "/feed", &[("Authorization", "Bearer forged")], "");
    assert_eq!(
        status, 401,
        "a presented credential that fails is refused: {raw}"
    );
}
