//! The generated bank over real HTTP: every secured route refuses missing and forged
//! credentials, scopes, the partner-key alternative, object-level authorization in the hooks,
//! every kind of contract constraint (400 for parameters, 422 for bodies), the body limit, and
//! responses that carry exactly the contract's fields.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers

mod common;
use common::*;
use specguard::ServerError;
use specguard::auth::Subject;
use specguard::authz::Access;
use specguard::serde_json::{Value, json};
use specguard::server::RouterOptions;
use specguard_example_bank::api::{self, BankApi};
use specguard_example_bank::service::{
    ALICE_EUR, ALICE_TRANSFER, ALICE_USD, BOB_EUR, Bank, StaticAuth,
};

/// A transfer that satisfies every constraint of the contract, with every optional field.
fn transfer_body() -> Value {
    json!({
        "toIban": "FR1420041010050500013M02606",
        "amount": 1500,
        "currency": "EUR",
        "reference": "Invoice 42",
        "executeOn": "2025-01-31",
        "labels": ["rent", "home"],
        "confirmationCode": "123456"
    })
}

fn transfers_of(account: &str) -> String {
    format!("/accounts/{account}/transfers")
}

/// The concrete path of a template, with ids of Alice's objects.
fn concrete(template: &str) -> String {
    template
        .replace("{accountId}", ALICE_EUR)
        .replace("{transferId}", ALICE_TRANSFER)
}

#[tokio::test]
async fn every_secured_route_refuses_missing_and_forged_credentials() {
    let a = bank().await;
    let spec = spec();
    let body = transfer_body().to_string();
    let mut secured = 0;
    for (method, template, security) in operations(&spec) {
        let path = concrete(&template);
        let b = (method == "POST").then_some(body.as_str());
        let public = security.as_array().is_some_and(Vec::is_empty);
        if public {
            let r = req(a, &method, &path, &[], b).await;
            assert_eq!(r.status, 200, "{method} {template} is public: {r:?}");
            continue;
        }
        secured += 1;
        let forged: [&[(&str, &str)]; 6] = [
            &[],
            &[("Authorization", "Bearer forged-token")],
            &[("Authorization", "Bearer alice-token-but-longer")],
            &[("Authorization", "Basic YWxpY2U6YWxpY2UtdG9rZW4=")],
            &[("X-Partner-Key", "forged-partner-key")],
            &[("X-Partner-Key", "")],
        ];
        for creds in forged {
            let mut headers = creds.to_vec();
            if b.is_some() {
                headers.push(JSON);
            }
            let r = req(a, &method, &path, &headers, b).await;
            assert_eq!(r.status, 401, "{method} {template} with {creds:?}: {r:?}");
            assert!(r.is_problem(), "{method} {template}: {r:?}");
            assert!(
                !r.header("www-authenticate").is_empty(),
                "{method} {template}: a 401 names the schemes"
            );
            assert_eq!(r.json()["status"], 401);
            assert!(!r.body.contains("forged"), "input echoed: {}", r.body);
        }
        // A forged bearer token is reported as such.
        let r = req(a, &method, &path, &[("Authorization", "Bearer forged")], b).await;
        assert!(
            r.header("www-authenticate")
                .iter()
                .any(|c| c.contains("invalid_token")),
            "{r:?}"
        );
    }
    assert_eq!(secured, 5, "the contract has five secured operations");
}

#[tokio::test]
async fn authentication_comes_before_parsing() {
    let a = bank().await;
    // Malformed id, query and body without credentials: 401, never 400/413/415/422.
    for (m, p, b) in [
        ("GET", "/accounts/not-a-uuid".to_string(), None),
        ("GET", "/accounts?limit=9999".to_string(), None),
        ("POST", transfers_of(ALICE_EUR), Some("{not json")),
        ("POST", transfers_of(ALICE_EUR), Some(&*"x".repeat(5000))),
    ] {
        let r = req(a, m, &p, &[JSON], b).await;
        assert_eq!(r.status, 401, "{m} {p}: {r:?}");
    }
}

#[tokio::test]
async fn a_missing_scope_is_403() {
    let a = bank().await;
    let body = transfer_body().to_string();
    // Carol may read (accounts:read) but not send (transfers:write).
    let r = req(a, "GET", "/accounts", &[CAROL_READ_ONLY], None).await;
    assert_eq!(r.status, 200, "{r:?}");
    let r = req(
        a,
        "POST",
        &transfers_of(ALICE_EUR),
        &[CAROL_READ_ONLY, JSON],
        Some(&body),
    )
    .await;
    assert_eq!(r.status, 403, "{r:?}");
    assert!(r.is_problem());
    assert!(
        r.header("www-authenticate")
            .iter()
            .any(|c| c.contains("insufficient_scope") && c.contains("transfers:write")),
        "{r:?}"
    );
    // The partner key is not an alternative for sending money.
    let r = req(
        a,
        "POST",
        &transfers_of(ALICE_EUR),
        &[PARTNER, JSON],
        Some(&body),
    )
    .await;
    assert_eq!(r.status, 401, "{r:?}");
}

#[tokio::test]
async fn the_partner_key_is_an_alternative_on_shared_reads_only() {
    let a = bank().await;
    let r = req(a, "GET", "/accounts", &[PARTNER], None).await;
    assert_eq!(r.status, 200, "{r:?}");
    let ids: Vec<Value> = r
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].clone())
        .collect();
    assert_eq!(ids, [json!(ALICE_EUR)], "only the account shared with acme");
    let shared = format!("/accounts/{ALICE_EUR}");
    assert_eq!(req(a, "GET", &shared, &[PARTNER], None).await.status, 200);
    assert_eq!(
        req(a, "GET", &transfers_of(ALICE_EUR), &[PARTNER], None)
            .await
            .status,
        200
    );
    let r = req(
        a,
        "GET",
        &format!("/accounts/{ALICE_USD}"),
        &[PARTNER],
        None,
    )
    .await;
    assert_eq!(r.status, 403, "not shared: {r:?}");
    // getTransfer lists only OAuth2.
    let one = format!("/accounts/{ALICE_EUR}/transfers/{ALICE_TRANSFER}");
    assert_eq!(req(a, "GET", &one, &[PARTNER], None).await.status, 401);
}

#[tokio::test]
async fn object_level_hooks_deny_other_customers_objects() {
    let a = bank().await;
    let alice_eur = format!("/accounts/{ALICE_EUR}");
    let before = req(a, "GET", &alice_eur, &[ALICE], None).await;
    assert_eq!(before.status, 200, "{before:?}");
    // Bob is authenticated and holds every scope, but these are Alice's.
    for (m, p) in [
        ("GET", alice_eur.clone()),
        ("GET", transfers_of(ALICE_EUR)),
        (
            "GET",
            format!("/accounts/{ALICE_EUR}/transfers/{ALICE_TRANSFER}"),
        ),
        // Bob's own account in the path does not unlock Alice's transfer.
        (
            "GET",
            format!("/accounts/{BOB_EUR}/transfers/{ALICE_TRANSFER}"),
        ),
    ] {
        let r = req(a, m, &p, &[BOB], None).await;
        assert_eq!(r.status, 403, "{m} {p}: {r:?}");
        assert!(r.is_problem());
        assert!(!r.body.contains(ALICE_EUR), "no data leaks: {}", r.body);
    }
    let body = transfer_body().to_string();
    let r = req(
        a,
        "POST",
        &transfers_of(ALICE_EUR),
        &[BOB, JSON],
        Some(&body),
    )
    .await;
    assert_eq!(r.status, 403, "{r:?}");
    let after = req(a, "GET", &alice_eur, &[ALICE], None).await;
    assert_eq!(after.json()["balance"], before.json()["balance"]);
    // The hook runs before the body is read: Bob's malformed body is never parsed.
    let r = req(
        a,
        "POST",
        &transfers_of(ALICE_EUR),
        &[BOB, JSON],
        Some("{not json"),
    )
    .await;
    assert_eq!(r.status, 403, "{r:?}");
    // Unknown ids pass the hook and the handler says 404.
    let unknown = "/accounts/00000000-0000-4000-8000-000000000000";
    let r = req(a, "GET", unknown, &[ALICE], None).await;
    assert_eq!(r.status, 404, "{r:?}");
    assert!(r.is_problem());
}

#[tokio::test]
async fn transfers_move_money_and_never_send_write_only_fields() {
    let a = bank().await;
    let body = transfer_body().to_string();
    let r = req(
        a,
        "POST",
        &transfers_of(ALICE_EUR),
        &[ALICE, JSON],
        Some(&body),
    )
    .await;
    assert_eq!(r.status, 201, "{r:?}");
    let created = r.json();
    assert!(!r.body.contains("confirmationCode"), "{}", r.body);
    assert!(!r.body.contains("123456"), "{}", r.body);
    assert_eq!(created["status"], "pending");
    assert_eq!(created["amount"], 1500);
    let id = created["id"].as_str().unwrap();
    let one = format!("/accounts/{ALICE_EUR}/transfers/{id}");
    // The documented `Location` header names the new transfer.
    assert_eq!(r.header("location"), [one.as_str()], "{r:?}");
    let r = req(a, "GET", &one, &[ALICE], None).await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.json(), created);
    let r = req(a, "GET", &transfers_of(ALICE_EUR), &[ALICE], None).await;
    assert_eq!(r.json()[0]["id"], id, "newest first");
    let r = req(a, "GET", &format!("/accounts/{ALICE_EUR}"), &[ALICE], None).await;
    assert_eq!(r.json()["balance"], 250_000 - 1500);
    // The same transfer id under another of Alice's accounts does not exist.
    let other = format!("/accounts/{ALICE_USD}/transfers/{id}");
    assert_eq!(req(a, "GET", &other, &[ALICE], None).await.status, 404);

    // Business rules: 409 with a problem body.
    let mut too_much = transfer_body();
    too_much["amount"] = json!(999_999_999);
    let r = req(
        a,
        "POST",
        &transfers_of(ALICE_EUR),
        &[ALICE, JSON],
        Some(&too_much.to_string()),
    )
    .await;
    assert_eq!(r.status, 409, "{r:?}");
    assert!(r.is_problem());
    let mut wrong_currency = transfer_body();
    wrong_currency["currency"] = json!("USD");
    let r = req(
        a,
        "POST",
        &transfers_of(ALICE_EUR),
        &[ALICE, JSON],
        Some(&wrong_currency.to_string()),
    )
    .await;
    assert_eq!(r.status, 409, "{r:?}");
}

/// One 400 per kind of parameter constraint, each as problem+json naming the parameter
/// without echoing the value.
#[tokio::test]
async fn parameter_constraints_are_400() {
    let a = bank().await;
    let cases: Vec<(String, &str, &str)> = vec![
        ("/accounts/not-a-uuid".into(), "path", "/accountId"),
        (
            // maxLength 36 and the uuid format
            format!("/accounts/{ALICE_EUR}0"),
            "path",
            "/accountId",
        ),
        ("/accounts?limit=0".into(), "query", "/limit"),
        ("/accounts?limit=51".into(), "query", "/limit"),
        ("/accounts?limit=ten".into(), "query", "/limit"),
        ("/accounts?limit=1.5".into(), "query", "/limit"),
        ("/accounts?limit=1&limit=2".into(), "query", "/limit"),
        ("/accounts?currency=XXX".into(), "query", "/currency"),
        ("/accounts?currency=eur".into(), "query", "/currency"),
        (
            format!("{}?status=lost", transfers_of(ALICE_EUR)),
            "query",
            "/status",
        ),
        (
            format!("/accounts/{ALICE_EUR}/transfers/%3Cscript%3E"),
            "path",
            "/transferId",
        ),
    ];
    for (path, location, pointer) in cases {
        let r = req(a, "GET", &path, &[ALICE], None).await;
        assert_eq!(r.status, 400, "{path}: {r:?}");
        assert!(r.is_problem(), "{path}: {r:?}");
        let e = &r.json()["errors"][0];
        assert_eq!(e["in"], location, "{path}: {}", r.body);
        assert_eq!(e["pointer"], pointer, "{path}: {}", r.body);
        for echoed in ["not-a-uuid", "ten", "XXX", "lost", "script"] {
            assert!(!r.body.contains(echoed), "input echoed: {}", r.body);
        }
    }
    assert_eq!(
        req(a, "GET", "/accounts?limit=50&currency=EUR", &[ALICE], None)
            .await
            .status,
        200
    );
}

/// One 422 per kind of body constraint (and 400 for what is not JSON at all), each naming
/// the property by the contract's name without echoing the value.
#[tokio::test]
async fn body_constraints_are_422() {
    let a = bank().await;
    let path = transfers_of(ALICE_EUR);
    let with = |key: &str, value: Value| {
        let mut b = transfer_body();
        b[key] = value;
        b
    };
    let without = |key: &str| {
        let mut b = transfer_body();
        b.as_object_mut().unwrap().remove(key);
        b
    };
    let cases: Vec<(&str, Value, &str)> = vec![
        // A missing property cannot be pointed at: the pointer is the body's root.
        ("required", without("amount"), ""),
        ("required writeOnly", without("confirmationCode"), ""),
        ("type", with("amount", json!("1500")), "/amount"),
        ("integer type", with("amount", json!(15.5)), "/amount"),
        ("minimum", with("amount", json!(0)), "/amount"),
        (
            "maximum",
            with("amount", json!(1_000_000_001_i64)),
            "/amount",
        ),
        (
            "pattern",
            with("toIban", json!("fr1420041010050500013m02606")),
            "/toIban",
        ),
        ("minLength", with("toIban", json!("DE89")), "/toIban"),
        (
            "maxLength",
            with("reference", json!("r".repeat(141))),
            "/reference",
        ),
        ("minLength 1", with("reference", json!("")), "/reference"),
        (
            "pattern (markup)",
            with("reference", json!("<script>x</script>")),
            "/reference",
        ),
        ("enum", with("currency", json!("XBT")), "/currency"),
        (
            "format date",
            with("executeOn", json!("2025-02-30x")),
            "/executeOn",
        ),
        (
            "maxItems",
            with("labels", json!(["a", "b", "c", "d", "e", "f"])),
            "/labels",
        ),
        ("uniqueItems", with("labels", json!(["a", "a"])), "/labels"),
        (
            "item maxLength",
            with("labels", json!(["l".repeat(21)])),
            "/labels/0",
        ),
        (
            "writeOnly pattern",
            with("confirmationCode", json!("12ab56")),
            "/confirmationCode",
        ),
        ("not nullable", with("reference", Value::Null), "/reference"),
        // Mass assignment: server-owned (readOnly) and unknown properties are refused.
        (
            "readOnly id",
            with("id", json!("9f1e2d3c-4b5a-4000-8000-000000000001")),
            "/id",
        ),
        (
            "readOnly status",
            with("status", json!("completed")),
            "/status",
        ),
        (
            "readOnly createdAt",
            with("createdAt", json!("2020-01-01T00:00:00Z")),
            "/createdAt",
        ),
        // A key the contract does not know is never shown.
        ("unknown property", with("isAdmin", json!(true)), "/*"),
    ];
    for (kind, body, pointer) in cases {
        let r = req(a, "POST", &path, &[ALICE, JSON], Some(&body.to_string())).await;
        assert_eq!(r.status, 422, "{kind}: {r:?}");
        assert!(r.is_problem(), "{kind}: {r:?}");
        let e = &r.json()["errors"][0];
        assert_eq!(e["in"], "body", "{kind}: {}", r.body);
        assert_eq!(e["pointer"], pointer, "{kind}: {}", r.body);
        for echoed in ["script", "XBT", "isAdmin", "12ab56", "rrrr", "llll"] {
            assert!(!r.body.contains(echoed), "{kind}: input echoed: {}", r.body);
        }
    }
    // Not JSON at all, or no body: 400.
    for body in ["{not json", "[1, 2", "\"unterminated"] {
        let r = req(a, "POST", &path, &[ALICE, JSON], Some(body)).await;
        assert_eq!(r.status, 400, "{body:?}: {r:?}");
        assert!(r.is_problem());
    }
    let r = req(a, "POST", &path, &[ALICE, JSON], None).await;
    assert_eq!(r.status, 400, "required body: {r:?}");
    // Nothing was sent by any of the refused requests.
    let r = req(a, "GET", &format!("/accounts/{ALICE_EUR}"), &[ALICE], None).await;
    assert_eq!(r.json()["balance"], 250_000);
}

#[tokio::test]
async fn bodies_over_the_limit_are_413_and_media_types_are_checked() {
    let a = bank().await;
    let path = transfers_of(ALICE_EUR);
    // x-specguard-max-body-bytes: 2048
    let mut big = transfer_body();
    big["reference"] = json!("x".repeat(3000));
    let r = req(a, "POST", &path, &[ALICE, JSON], Some(&big.to_string())).await;
    assert_eq!(r.status, 413, "{r:?}");
    assert!(r.is_problem());
    // Chunked, without Content-Length: the limit holds while reading.
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\nAuthorization: Bearer alice-token\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    let mut chunked = Vec::new();
    for _ in 0..5 {
        chunked.extend_from_slice(format!("200\r\n{}\r\n", " ".repeat(512)).as_bytes());
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    assert_eq!(raw(a, &head, &chunked).await.status, 413);
    // Just under the limit is read (and then judged on its content).
    let mut fits = transfer_body();
    fits["labels"] = json!([]);
    let pad = 2048 - fits.to_string().len();
    let padded = format!("{}{}", fits, " ".repeat(pad));
    assert_eq!(padded.len(), 2048);
    let r = req(a, "POST", &path, &[ALICE, JSON], Some(&padded)).await;
    assert_eq!(r.status, 201, "{r:?}");

    let body = transfer_body().to_string();
    let r = req(
        a,
        "POST",
        &path,
        &[ALICE, ("Content-Type", "text/plain")],
        Some(&body),
    )
    .await;
    assert_eq!(r.status, 415, "{r:?}");
    let r = req(
        a,
        "GET",
        "/accounts",
        &[ALICE, ("Accept", "text/html")],
        None,
    )
    .await;
    assert_eq!(r.status, 406, "{r:?}");
    let r = req(
        a,
        "DELETE",
        &format!("/accounts/{ALICE_EUR}"),
        &[ALICE],
        None,
    )
    .await;
    assert_eq!(r.status, 405, "{r:?}");
    assert_eq!(r.header("allow"), ["GET, HEAD"]);
}

/// Every JSON response carries the properties its schema lists (writeOnly excluded) and
/// nothing else: no field the contract does not know can leak.
#[tokio::test]
async fn responses_carry_exactly_the_schema_fields() {
    let a = bank().await;
    let spec = spec();
    let exact = |v: &Value, schema: &str| {
        let (allowed, _) = response_fields(&spec, schema);
        assert_eq!(keys(v), allowed, "{schema}: {v}");
    };
    let within = |v: &Value, schema: &str| {
        let (allowed, required) = response_fields(&spec, schema);
        let k = keys(v);
        assert!(
            k.iter().all(|x| allowed.contains(x)),
            "{schema}: {k:?} ⊄ {allowed:?}"
        );
        assert!(
            required.iter().all(|x| k.contains(x)),
            "{schema}: {required:?} ⊄ {k:?}"
        );
    };

    let r = req(a, "GET", "/health", &[], None).await;
    exact(&r.json(), "Health");

    let r = req(a, "GET", "/accounts", &[ALICE], None).await;
    let accounts = r.json();
    assert_eq!(accounts.as_array().unwrap().len(), 2);
    for acc in accounts.as_array().unwrap() {
        exact(acc, "Account");
    }
    let r = req(a, "GET", &format!("/accounts/{ALICE_EUR}"), &[ALICE], None).await;
    exact(&r.json(), "Account");

    let body = transfer_body().to_string();
    let r = req(
        a,
        "POST",
        &transfers_of(ALICE_EUR),
        &[ALICE, JSON],
        Some(&body),
    )
    .await;
    assert_eq!(r.status, 201);
    // Every optional property was given, so every response property is present.
    exact(&r.json(), "Transfer");
    let mut minimal = transfer_body();
    for k in ["reference", "executeOn", "labels"] {
        minimal.as_object_mut().unwrap().remove(k);
    }
    let r = req(
        a,
        "POST",
        &transfers_of(ALICE_EUR),
        &[ALICE, JSON],
        Some(&minimal.to_string()),
    )
    .await;
    assert_eq!(r.status, 201);
    within(&r.json(), "Transfer");
    let r = req(a, "GET", &transfers_of(ALICE_EUR), &[ALICE], None).await;
    for t in r.json().as_array().unwrap() {
        within(t, "Transfer");
    }

    // Errors: problem bodies as the contract describes them.
    for (m, p, h) in [
        ("GET", "/accounts".to_string(), vec![]),
        ("GET", "/accounts?limit=0".to_string(), vec![ALICE]),
        ("GET", format!("/accounts/{ALICE_EUR}"), vec![BOB]),
        (
            "GET",
            "/accounts/00000000-0000-4000-8000-000000000000".to_string(),
            vec![ALICE],
        ),
    ] {
        let r = req(a, m, &p, &h, None).await;
        assert!(r.is_problem(), "{p}: {r:?}");
        within(&r.json(), "Problem");
    }
}

#[tokio::test]
async fn documented_response_headers_are_sent() {
    let a = bank().await;
    let r = req(a, "GET", &format!("/accounts/{ALICE_EUR}"), &[ALICE], None).await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.header("cache-control"), ["no-store"], "{r:?}");
    // Only the documented response carries it.
    let r = req(a, "GET", "/accounts", &[ALICE], None).await;
    assert!(r.header("cache-control").is_empty(), "{r:?}");
}

/// A service that returns an account whose balance is beyond the contract's `maximum`.
struct Overdrawn(Bank);

impl BankApi for Overdrawn {
    type Principal = Subject;
    async fn health(&self) -> Result<api::HealthResponse, ServerError> {
        self.0.health().await
    }
    async fn list_accounts(
        &self,
        principal: Subject,
        params: api::ListAccountsParams,
    ) -> Result<api::ListAccountsResponse, ServerError> {
        self.0.list_accounts(principal, params).await
    }
    async fn get_account(
        &self,
        principal: Subject,
        params: api::GetAccountParams,
    ) -> Result<api::GetAccountResponse, ServerError> {
        Ok(match self.0.get_account(principal, params).await? {
            api::GetAccountResponse::Ok(mut account, headers) => {
                account.balance = 100_000_000_001;
                api::GetAccountResponse::Ok(account, headers)
            }
            other => other,
        })
    }
    async fn list_transfers(
        &self,
        principal: Subject,
        params: api::ListTransfersParams,
    ) -> Result<api::ListTransfersResponse, ServerError> {
        self.0.list_transfers(principal, params).await
    }
    async fn create_transfer(
        &self,
        principal: Subject,
        params: api::CreateTransferParams,
        body: api::TransferInput,
    ) -> Result<api::CreateTransferResponse, ServerError> {
        self.0.create_transfer(principal, params, body).await
    }
    async fn get_transfer(
        &self,
        principal: Subject,
        params: api::GetTransferParams,
    ) -> Result<api::GetTransferResponse, ServerError> {
        self.0.get_transfer(principal, params).await
    }
    async fn authorize_account(
        &self,
        principal: Option<&Subject>,
        id: &str,
        access: Access,
    ) -> Result<(), specguard::Problem> {
        self.0.authorize_account(principal, id, access).await
    }
    async fn authorize_transfer(
        &self,
        principal: Option<&Subject>,
        id: &str,
        access: Access,
    ) -> Result<(), specguard::Problem> {
        self.0.authorize_transfer(principal, id, access).await
    }
}

async fn serve(app: specguard::axum::Router) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        specguard::axum::serve(listener, app).await.unwrap();
    });
    addr
}

#[cfg(debug_assertions)]
#[tokio::test]
async fn debug_builds_never_send_a_body_that_breaks_the_contract() {
    let path = format!("/accounts/{ALICE_EUR}");
    let a = serve(api::router(Overdrawn(Bank::demo()), StaticAuth)).await;
    let r = req(a, "GET", &path, &[ALICE], None).await;
    assert_eq!(r.status, 500, "{r:?}");
    assert!(r.is_problem(), "{r:?}");
    assert!(!r.body.contains("100000000001"), "{}", r.body);
    // Conforming responses of the same service pass.
    let r = req(a, "GET", "/accounts", &[ALICE], None).await;
    assert_eq!(r.status, 200, "{r:?}");

    // The check can be turned off.
    let options = RouterOptions::default().check_responses(false);
    let a = serve(api::router_with_options(
        Overdrawn(Bank::demo()),
        StaticAuth,
        options,
    ))
    .await;
    let r = req(a, "GET", &path, &[ALICE], None).await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.json()["balance"], 100_000_000_001_i64);
}
