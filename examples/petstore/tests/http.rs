//! The generated petstore over real HTTP: authentication before parsing, AND/OR, scopes,
//! object-level authorization (owner check, and deny by default), contract validation,
//! limits, and problem+json errors that never echo input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers

use specguard::auth::Subject;
use specguard::authz::Access;
use specguard::{Problem, ServerError};
use specguard_example_petstore::api::{self, PetstoreApi};
use specguard_example_petstore::service::{StaticAuth, Store};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

async fn serve(app: specguard::axum::Router) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        specguard::axum::serve(listener, app).await.unwrap();
    });
    addr
}

#[derive(Debug)]
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Resp {
    fn header(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
    fn json(&self) -> specguard::serde_json::Value {
        specguard::serde_json::from_str(&self.body).unwrap_or(specguard::serde_json::Value::Null)
    }
    fn is_problem(&self) -> bool {
        self.header("content-type") == ["application/problem+json"]
    }
}

/// Send raw HTTP/1.1 (so nothing is normalised on the way) and read the whole answer.
async fn raw(addr: SocketAddr, head: &str, body: &[u8]) -> Resp {
    let fut = async {
        let mut s = TcpStream::connect(addr).await.unwrap();
        let _ = s.write_all(head.as_bytes()).await;
        let _ = s.write_all(body).await;
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf).await;
        buf
    };
    let buf = tokio::time::timeout(Duration::from_secs(20), fut)
        .await
        .expect("response in time");
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Resp {
        status,
        headers,
        body: body.to_string(),
    }
}

async fn req(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Resp {
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    let body = body.unwrap_or("");
    if !body.is_empty() || method == "POST" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    raw(addr, &head, body.as_bytes()).await
}

const ALICE: (&str, &str) = ("Authorization", "Bearer alice-token");
const BOB: (&str, &str) = ("Authorization", "Bearer bob-token");
const ALICE_KEY: (&str, &str) = ("X-API-Key", "alice-key");
const JSON: (&str, &str) = ("Content-Type", "application/json");

async fn petstore() -> SocketAddr {
    serve(api::router(Store::default(), StaticAuth)).await
}

#[tokio::test]
async fn public_operation_needs_no_credentials() {
    let a = petstore().await;
    let r = req(a, "GET", "/health", &[], None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, "ok");
}

#[tokio::test]
async fn missing_or_forged_credentials_get_401_with_challenges() {
    let a = petstore().await;
    let r = req(a, "GET", "/pets", &[], None).await;
    assert_eq!(r.status, 401, "{r:?}");
    assert!(r.is_problem());
    let challenges = r.header("www-authenticate");
    assert!(
        challenges.iter().any(|c| c.starts_with("Bearer")),
        "{challenges:?}"
    );
    assert!(
        challenges.iter().any(|c| c.starts_with("ApiKey")),
        "{challenges:?}"
    );
    assert_eq!(r.json()["status"], 401);

    let r = req(
        a,
        "GET",
        "/pets",
        &[("Authorization", "Bearer forged")],
        None,
    )
    .await;
    assert_eq!(r.status, 401);
    assert!(
        r.header("www-authenticate")
            .iter()
            .any(|c| c.contains("invalid_token"))
    );
    let r = req(a, "GET", "/pets", &[("X-API-Key", "forged")], None).await;
    assert_eq!(r.status, 401);
    let r = req(
        a,
        "GET",
        "/pets",
        &[("Authorization", "Basic YWxpY2U6eA==")],
        None,
    )
    .await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn authentication_comes_before_any_parsing() {
    let a = petstore().await;
    // A malformed query, path and body without credentials: 401, never 400/415/413.
    assert_eq!(
        req(a, "GET", "/pets?limit=abc", &[], None).await.status,
        401
    );
    assert_eq!(
        req(a, "GET", "/pets/not-a-number", &[], None).await.status,
        401
    );
    assert_eq!(
        req(a, "POST", "/pets", &[JSON], Some("{not json"))
            .await
            .status,
        401
    );
    assert_eq!(
        req(
            a,
            "POST",
            "/pets",
            &[("Content-Type", "text/plain")],
            Some("x")
        )
        .await
        .status,
        401
    );
    let big = "x".repeat(5000);
    assert_eq!(
        req(a, "POST", "/pets", &[JSON], Some(&big)).await.status,
        401
    );
}

#[tokio::test]
async fn alternatives_and_scopes() {
    let a = petstore().await;
    // OR: bearer or API key.
    assert_eq!(req(a, "GET", "/pets", &[ALICE], None).await.status, 200);
    assert_eq!(req(a, "GET", "/pets", &[ALICE_KEY], None).await.status, 200);
    assert_eq!(req(a, "GET", "/pets", &[BOB], None).await.status, 200);
    // Scope: bob has pets:read only.
    let body = r#"{"name": "Rex", "kind": "dog"}"#;
    let r = req(a, "POST", "/pets", &[BOB, JSON], Some(body)).await;
    assert_eq!(r.status, 403, "{r:?}");
    assert!(r.is_problem());
    assert!(r.header("www-authenticate")[0].contains("insufficient_scope"));
    // AND: delete needs the oauth token (pets:write) and the API key.
    let r = req(a, "POST", "/pets", &[ALICE, JSON], Some(body)).await;
    assert_eq!(r.status, 201, "{r:?}");
    let id = r.json()["id"].as_i64().unwrap();
    let path = format!("/pets/{id}");
    assert_eq!(req(a, "DELETE", &path, &[ALICE], None).await.status, 401);
    assert_eq!(
        req(a, "DELETE", &path, &[ALICE_KEY], None).await.status,
        401
    );
    assert_eq!(
        req(a, "DELETE", &path, &[ALICE, ALICE_KEY], None)
            .await
            .status,
        204
    );
}

#[tokio::test]
async fn object_level_authorization() {
    let a = petstore().await;
    let r = req(
        a,
        "POST",
        "/pets",
        &[ALICE, JSON],
        Some(r#"{"name": "Rex", "kind": "dog", "adoptionSecret": "s3cret"}"#),
    )
    .await;
    assert_eq!(r.status, 201, "{r:?}");
    assert!(
        !r.body.contains("s3cret"),
        "writeOnly never sent: {}",
        r.body
    );
    let id = r.json()["id"].as_i64().unwrap();
    let path = format!("/pets/{id}");
    assert_eq!(req(a, "GET", &path, &[ALICE], None).await.status, 200);
    // bob is authenticated and has the scope, but does not own the pet.
    let r = req(a, "GET", &path, &[BOB], None).await;
    assert_eq!(r.status, 403);
    assert!(r.is_problem());
    assert_eq!(req(a, "GET", "/pets/999", &[ALICE], None).await.status, 404);
}

/// A service that does not override `authorize_pet`: every object access is denied.
struct Forgetful(Store);

impl PetstoreApi for Forgetful {
    type Principal = Subject;
    async fn health(&self) -> Result<api::HealthResponse, ServerError> {
        self.0.health().await
    }
    async fn list_pets(
        &self,
        p: Subject,
        q: api::ListPetsParams,
    ) -> Result<api::ListPetsResponse, ServerError> {
        self.0.list_pets(p, q).await
    }
    async fn create_pet(
        &self,
        p: Subject,
        b: api::PetInput,
    ) -> Result<api::CreatePetResponse, ServerError> {
        self.0.create_pet(p, b).await
    }
    async fn show_pet_by_id(
        &self,
        p: Subject,
        q: api::ShowPetByIdParams,
    ) -> Result<api::ShowPetByIdResponse, ServerError> {
        self.0.show_pet_by_id(p, q).await
    }
    async fn delete_pet(
        &self,
        p: api::DeletePetPrincipals<Subject>,
        q: api::DeletePetParams,
    ) -> Result<api::DeletePetResponse, ServerError> {
        self.0.delete_pet(p, q).await
    }
}

#[tokio::test]
async fn object_hooks_deny_by_default() {
    let a = serve(api::router(Forgetful(Store::default()), StaticAuth)).await;
    let r = req(
        a,
        "POST",
        "/pets",
        &[ALICE, JSON],
        Some(r#"{"name": "Rex", "kind": "dog"}"#),
    )
    .await;
    assert_eq!(r.status, 201);
    let r = req(a, "GET", "/pets/1", &[ALICE], None).await;
    assert_eq!(r.status, 403, "{r:?}");
    assert!(r.is_problem());
    let r = req(a, "DELETE", "/pets/1", &[ALICE, ALICE_KEY], None).await;
    assert_eq!(r.status, 403);
    // The unused `Access` import documents what hooks receive.
    let _ = Access {
        operation_id: "",
        method: "",
        write: false,
    };
    let _ = Problem::forbidden();
}

#[tokio::test]
async fn parameters_are_validated_with_400() {
    let a = petstore().await;
    let r = req(a, "GET", "/pets?limit=0", &[ALICE], None).await;
    assert_eq!(r.status, 400);
    assert!(r.is_problem());
    let e = &r.json()["errors"][0];
    assert_eq!(e["in"], "query");
    assert_eq!(e["pointer"], "/limit");
    let r = req(a, "GET", "/pets?limit=%3Cscript%3E", &[ALICE], None).await;
    assert_eq!(r.status, 400);
    assert!(!r.body.contains("script"), "input echoed: {}", r.body);
    let r = req(a, "GET", "/pets?limit=1&limit=2", &[ALICE], None).await;
    assert_eq!(r.status, 400);
    let long = format!("/pets?tag={}", "a".repeat(21));
    assert_eq!(req(a, "GET", &long, &[ALICE], None).await.status, 400);
    assert_eq!(
        req(a, "GET", "/pets?tag=a&tag=b", &[ALICE], None)
            .await
            .status,
        200
    );
    assert_eq!(req(a, "GET", "/pets/0", &[ALICE], None).await.status, 400);
    assert_eq!(req(a, "GET", "/pets/abc", &[ALICE], None).await.status, 400);
}

#[tokio::test]
async fn bodies_are_validated_with_400_and_422() {
    let a = petstore().await;
    let post = |body: &'static str| async move {
        req(a, "POST", "/pets", &[ALICE, JSON], Some(body)).await
    };
    let r = post("{not json").await;
    assert_eq!(r.status, 400);
    assert!(r.is_problem());
    let r = post(r#"{"name": "", "kind": "dog"}"#).await;
    assert_eq!(r.status, 422, "{r:?}");
    assert_eq!(r.json()["errors"][0]["pointer"], "/name");
    let r = post(r#"{"name": "Rex!", "kind": "dog"}"#).await;
    assert_eq!(r.status, 422, "pattern");
    // Mass assignment: unknown and readOnly properties are refused.
    let r = post(r#"{"name": "Rex", "kind": "dog", "isAdmin": true}"#).await;
    assert_eq!(r.status, 422);
    assert!(!r.body.contains("isAdmin"), "input echoed: {}", r.body);
    assert_eq!(
        post(r#"{"id": 7, "name": "Rex", "kind": "dog"}"#)
            .await
            .status,
        422
    );
    let r = post(r#"{"name": "Rex", "kind": "<dragon>"}"#).await;
    assert_eq!(r.status, 422);
    assert!(!r.body.contains("dragon"), "input echoed: {}", r.body);
    let r = post(r#"{"name": "Rex", "kind": "dog", "weightKg": 0}"#).await;
    assert_eq!(r.status, 422, "exclusive minimum");
    let r = post(r#"{"name": "Rex", "kind": "dog", "tags": ["a", "a"]}"#).await;
    assert_eq!(r.status, 422, "uniqueItems");
    let r = post(r#"{"name": "Rex", "kind": "dog", "microchip": "nope"}"#).await;
    assert_eq!(r.status, 422, "uuid format");
    let r = post(r#"{"name": "Rex", "kind": "dog", "nickname": null}"#).await;
    assert_eq!(r.status, 201, "nullable: {r:?}");
    let r = post(r#"{"name": "Rex", "kind": "dog", "microchip": null}"#).await;
    assert_eq!(r.status, 422, "optional but not nullable");
    let r = req(a, "POST", "/pets", &[ALICE, JSON], None).await;
    assert_eq!(r.status, 400, "required body");
    // JSON types are kept apart: serde's derives alone would take the fields of an object as
    // an array in order, and a string enum's value as an object naming it.
    let r = post(r#"["Rex", "dog"]"#).await;
    assert_eq!(r.status, 422, "array for an object: {r:?}");
    assert_eq!(r.json()["errors"][0]["pointer"], "");
    let r = post(r#"{"name": "Rex", "kind": {"dog": null}}"#).await;
    assert_eq!(r.status, 422, "object for a string enum: {r:?}");
    assert_eq!(r.json()["errors"][0]["pointer"], "/kind");
}

#[tokio::test]
async fn limits_media_types_and_routing() {
    let a = petstore().await;
    let big = format!(r#"{{"name": "{}", "kind": "dog"}}"#, "a".repeat(2000));
    let r = req(a, "POST", "/pets", &[ALICE, JSON], Some(&big)).await;
    assert_eq!(r.status, 413);
    assert!(r.is_problem());
    // Chunked, without Content-Length: the limit holds while reading.
    let head = "POST /pets HTTP/1.1\r\nHost: t\r\nConnection: close\r\nAuthorization: Bearer alice-token\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    let mut chunked = Vec::new();
    for _ in 0..4 {
        chunked.extend_from_slice(format!("200\r\n{}\r\n", "a".repeat(512)).as_bytes());
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    assert_eq!(raw(a, head, &chunked).await.status, 413);
    let r = req(
        a,
        "POST",
        "/pets",
        &[ALICE, ("Content-Type", "text/plain")],
        Some("x"),
    )
    .await;
    assert_eq!(r.status, 415);
    assert!(r.is_problem());
    let r = req(a, "GET", "/pets", &[ALICE, ("Accept", "text/html")], None).await;
    assert_eq!(r.status, 406);
    let r = req(a, "GET", "/nope", &[], None).await;
    assert_eq!(r.status, 404);
    assert!(r.is_problem());
    let r = req(a, "PUT", "/pets", &[ALICE], None).await;
    assert_eq!(r.status, 405);
    assert!(r.is_problem());
    assert_eq!(r.header("allow"), ["GET, POST, HEAD"]);
}

#[tokio::test]
async fn the_domain_record_is_sent_as_the_generated_pet() {
    let a = petstore().await;
    let body = r#"{"name": "Rex", "kind": "guinea-pig", "nickname": "R", "tags": ["b", "a"],
        "adoptionSecret": "s3cret", "weightKg": 1.5}"#;
    let r = req(a, "POST", "/pets", &[ALICE, JSON], Some(body)).await;
    assert_eq!(r.status, 201, "{r:?}");
    let created = r.json();
    let id = created["id"].as_i64().unwrap();
    let r = req(a, "GET", &format!("/pets/{id}"), &[ALICE], None).await;
    assert_eq!(r.status, 200);
    // `PetRecord` → `api::Pet`: the owner stays behind, absent options are left out, the
    // writeOnly secret was never stored.
    let expected = specguard::serde_json::json!({
        "id": id, "name": "Rex", "kind": "guinea-pig", "nickname": "R",
        "weightKg": 1.5, "tags": ["b", "a"]
    });
    assert_eq!(r.json(), expected);
    assert_eq!(created, expected);
    let r = req(a, "GET", "/pets", &[ALICE], None).await;
    assert_eq!(r.json(), specguard::serde_json::json!([expected]));
    let record = specguard_example_petstore::service::PetRecord {
        id: 1,
        name: "Rex".into(),
        kind: api::Kind::Dog,
        nickname: None,
        microchip: None,
        weight_kg: None,
        tags: None,
        owner: "alice".into(),
    };
    let pet: api::Pet = record.into();
    assert_eq!(pet.nickname, None);
    assert_eq!(pet.owner_email, None);
}
