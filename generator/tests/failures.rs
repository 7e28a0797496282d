//! Generation fails closed, naming the place and the fix.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers

mod common;
use common::{generate, generate_with};
use specguard_generator::{RULE_OPERATION_WITHOUT_SECURITY, Settings};

const UNAUTHENTICATED: &str = r##"
openapi: 3.0.3
info: {title: Open, version: "1"}
paths:
  /users/{id}:
    get:
      operationId: getUser
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "200": {description: ok}
  /ping:
    get:
      responses:
        "204": {description: ok}
"##;

#[test]
fn unauthenticated_operations_fail_with_the_rule() {
    let e = generate_with(UNAUTHENTICATED, Settings::default()).unwrap_err();
    assert_eq!(e.problems.len(), 2, "{e}");
    let first = &e.problems[0];
    assert_eq!(first.rule, Some(RULE_OPERATION_WITHOUT_SECURITY));
    assert!(first.message.contains("`getUser`"), "{first}");
    assert!(first.message.contains("GET /users/{id}"), "{first}");
    assert!(
        first.message.contains("operation-without-security"),
        "{first}"
    );
    assert_eq!(
        first.location, "openapi.yaml:6:5",
        "points at the operation"
    );
    assert!(first.help.as_deref().unwrap_or("").contains("security: []"));
    assert!(
        e.problems[1].message.contains("GET /ping"),
        "{}",
        e.problems[1]
    );
    let text = e.to_string();
    assert!(text.contains("2 problems"), "{text}");
}

#[test]
fn allow_unauthenticated_turns_them_into_warnings() {
    let settings = Settings {
        allow_unauthenticated: true,
        ..Settings::default()
    };
    let g = generate_with(UNAUTHENTICATED, settings).unwrap();
    assert_eq!(g.warnings.len(), 2);
    assert_eq!(g.warnings[0].rule, Some(RULE_OPERATION_WITHOUT_SECURITY));
    assert!(
        g.module
            .contains("fn get_user(\n        &self,\n        params: GetUserParams")
    );
    // The object hook still guards `{id}` (called with no principal), denying by default.
    assert!(g.module.contains("fn authorize_users("), "{}", g.module);
}

fn scheme_spec(scheme: &str) -> String {
    format!(
        r##"
openapi: 3.1.0
info: {{title: S, version: "1"}}
security: [{{s: []}}]
paths:
  /x:
    get:
      responses:
        "204": {{description: ok}}
components:
  securitySchemes:
    s: {scheme}
"##
    )
}

#[test]
fn unsupported_schemes_fail() {
    for (scheme, expect) in [
        ("{type: mutualTLS}", "mutualTLS"),
        (
            "{type: http, scheme: 'two words'}",
            "not an HTTP authentication scheme name",
        ),
    ] {
        let e = generate_with(&scheme_spec(scheme), Settings::default()).unwrap_err();
        assert_eq!(e.problems.len(), 1, "{e}");
        let p = &e.problems[0];
        assert!(p.message.contains(expect), "{scheme}: {p}");
        assert!(p.message.contains("`s`"), "names the scheme: {p}");
        assert!(p.location == "openapi.yaml:12:5", "{p}");
        assert!(p.help.is_some());
    }
    // Every supported kind generates.
    for ok in [
        "{type: http, scheme: Bearer}",
        "{type: http, scheme: basic}",
        // Single-request schemes: the credentials go to `HttpAuth` as sent.
        "{type: http, scheme: payone-hmac-sha256}",
        "{type: http, scheme: AWS4-HMAC-SHA256}",
        // Challenge-response schemes: `HttpAuth::challenge` gives each 401's challenge.
        "{type: http, scheme: digest}",
        "{type: http, scheme: Mutual}",
        "{type: http, scheme: negotiate}",
        "{type: apiKey, in: cookie, name: sid}",
        "{type: apiKey, in: query, name: key}",
        "{type: openIdConnect, openIdConnectUrl: 'https://x/.well-known/openid-configuration'}",
        "{type: oauth2, flows: {implicit: {authorizationUrl: 'https://x/a', scopes: {}}}}",
    ] {
        generate(&scheme_spec(ok));
    }
}

#[test]
fn undeclared_scheme_fails() {
    let spec = r##"
openapi: 3.0.3
info: {title: S, version: "1"}
paths:
  /x:
    get:
      security: [{nope: []}]
      responses:
        "204": {description: ok}
"##;
    let e = generate_with(spec, Settings::default()).unwrap_err();
    assert!(
        e.problems[0].message.contains("`nope` is not declared"),
        "{e}"
    );
}

#[test]
fn patterns_a_linear_engine_cannot_run_fail() {
    let spec = r##"
openapi: 3.0.3
info: {title: S, version: "1"}
security: [{k: []}]
paths:
  /x:
    get:
      parameters:
        # A positive lookahead inside an unbounded repetition: neither split into
        # linear-time parts nor run by the lookaround automaton.
        - {name: q, in: query, schema: {type: string, pattern: '^[a-z]((?=[a-z]-)[a-z-])+$'}}
      responses:
        "204": {description: ok}
components:
  securitySchemes:
    k: {type: apiKey, in: header, name: X-Key}
"##;
    let e = generate_with(spec, Settings::default()).unwrap_err();
    assert!(e.problems[0].message.contains("lookaround"), "{e}");
    assert!(
        e.problems[0].location.starts_with("openapi.yaml:11:"),
        "{e}"
    );
}

#[test]
fn unsupported_inputs_fail_instead_of_being_dropped() {
    let spec = r##"
openapi: 3.0.3
info: {title: S, version: "1"}
security: [{k: []}]
paths:
  /files/{name}{ext}:
    post:
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}}
        - {name: ext, in: path, required: true, schema: {type: string}}
        - {name: filter, in: query, style: pipeDelimited, schema: {type: object}}
      requestBody:
        content:
          multipart/mixed:
            schema: {type: object}
      responses:
        "204": {description: ok}
        "600": {description: nope}
components:
  securitySchemes:
    k: {type: apiKey, in: header, name: X-Key}
"##;
    let e = generate_with(spec, Settings::default()).unwrap_err();
    let all = e.to_string();
    assert!(
        all.contains("`{name}{ext}` is not a valid template"),
        "adjacent parameters cannot be split: {all}"
    );
    assert!(all.contains("pipeDelimited"), "{all}");
    assert!(all.contains("multipart/mixed"), "{all}");
    assert!(all.contains("`600` is not a response status"), "{all}");
}

/// Defects whose meaning is unambiguous are read with a warning instead of failing: a query
/// string in a path key, template variables no parameter declares, a declared path parameter
/// the template does not name, Java's POSIX classes in a pattern, equivalent paths.
#[test]
fn unambiguous_defects_are_read_with_warnings() {
    let spec = r##"
openapi: 3.0.3
info: {title: S, version: "1"}
security: []
paths:
  /export?format=csv&filename={filename}&page={page}:
    get:
      parameters:
        - {name: filename, in: path, required: true, schema: {type: string, pattern: '^\p{Print}+$'}}
        - {name: ghost, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: ok}
  /profiles/{id}{ext}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: ext, in: path, required: true, schema: {type: string, enum: [.json]}}
      responses:
        "204": {description: ok}
  /items/{itemId}/parts/{part}:
    get:
      parameters:
        - {name: itemId, in: path, required: true, schema: {type: string, format: uuid}}
      responses:
        "204": {description: ok}
  /items/{name}/parts/{part}:
    get:
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}}
        - {name: part, in: path, required: true, schema: {type: integer}}
      responses:
        "204": {description: ok}
  /reports(kind='{kind}'):
    get:
      parameters:
        - name: kind
          in: path
          required: true
          schema:
            anyOf:
              - {type: string, enum: [member, guest]}
              - {nullable: true, type: object}
      responses:
        "204": {description: ok}
"##;
    let g = generate_with(spec, Settings::default()).unwrap_or_else(|e| panic!("{e}"));
    let warnings: Vec<String> = g.warnings.iter().map(ToString::to_string).collect();
    let has = |s: &str| warnings.iter().any(|w| w.contains(s));
    assert!(has("carries a query string"), "{warnings:#?}");
    assert!(has("`format` always `csv`"), "{warnings:#?}");
    assert!(
        has("query parameter `page` of the path's query string is not defined"),
        "{warnings:#?}"
    );
    assert!(
        has("`ghost` does not appear in the path template"),
        "{warnings:#?}"
    );
    assert!(has("`\\p{Print}`, a Java POSIX class"), "{warnings:#?}");
    assert!(
        has(
            "parameter `kind`: an alternative that is an object with no properties cannot be a path value"
        ),
        "{warnings:#?}"
    );
    assert!(
        has("path parameter `part` is not defined in `parameters`: it is read as a string"),
        "{warnings:#?}"
    );
    assert!(
        has("GET /items/{itemId}/parts/{part} serves this method on an equivalent path"),
        "{warnings:#?}"
    );
    // The query string's parameters are read from the query, the rest as declared.
    let code = &g.module;
    assert!(
        code.contains(
            r#".scalar::<String>(specguard::Location::Query, "filename", "", true, errors)"#
        ),
        "{code}"
    );
    assert!(
        code.contains(r#".scalar::<String>(specguard::Location::Query, "page", "", true, errors)"#),
        "{code}"
    );
    assert!(
        !code.contains("ghost"),
        "a parameter no request carries is left out"
    );
    // Two parameters side by side, one with a single value: that value is the path's text.
    assert!(
        has("`ext` can only be `.json`, so the segment is read as `{id}.json`"),
        "{warnings:#?}"
    );
    assert!(
        code.contains(r#"input.split_segment("p0", &["", ".json"], &["p0_0"])"#),
        "{code}"
    );
    // A pattern with a defect of its own still fails, naming it.
    let bad = spec.replace(r"^\p{Print}+$", r"^\p{LD}+$");
    let e = generate_with(&bad, Settings::default()).unwrap_err();
    assert!(e.to_string().contains("`\\p{LD}`"), "{e}");
}

/// Objects in path and header are read in `simple` style, which has no syntax for nested
/// objects or arrays: generation warns about such properties (and only those).
#[test]
fn simple_style_objects_with_structured_properties_warn() {
    let spec = r##"
openapi: 3.0.3
info: {title: S, version: "1"}
security: []
paths:
  /x:
    get:
      parameters:
        - name: X-Flat
          in: header
          schema: {type: object, properties: {a: {type: integer}, b: {type: string, enum: [x, y]}}}
        - name: X-Nested
          in: header
          schema:
            type: object
            properties:
              a: {type: integer}
              inner: {type: object, properties: {c: {type: string}}}
              list: {type: array, items: {type: string}}
      responses:
        "204": {description: ok}
"##;
    let g = generate_with(spec, Settings::default()).unwrap_or_else(|e| panic!("{e}"));
    let warnings: Vec<String> = g.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(
        warnings[0].contains(
            "parameter `X-Nested`: style `simple` cannot carry the structured properties `inner`, `list`"
        ),
        "{warnings:#?}"
    );
}
