//! Shared test helpers: serve the bank on a free loopback port, raw HTTP/1.1 requests, and the
//! contract as JSON.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers

use specguard::serde_json::{self, Value};
use specguard_example_bank::api;
use specguard_example_bank::service::{Bank, StaticAuth};
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub const ALICE: (&str, &str) = ("Authorization", "Bearer alice-token");
pub const BOB: (&str, &str) = ("Authorization", "Bearer bob-token");
pub const CAROL_READ_ONLY: (&str, &str) = ("Authorization", "Bearer carol-readonly-token");
pub const PARTNER: (&str, &str) = ("X-Partner-Key", "acme-partner-key");
pub const JSON: (&str, &str) = ("Content-Type", "application/json");

/// The demo bank on 127.0.0.1 with an OS-chosen port.
pub async fn bank() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = api::router(Bank::demo(), StaticAuth);
    tokio::spawn(async move {
        specguard::axum::serve(listener, app).await.unwrap();
    });
    addr
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
    pub fn is_problem(&self) -> bool {
        self.header("content-type") == ["application/problem+json"]
    }
}

/// Send raw HTTP/1.1 (nothing is normalised on the way) and read the whole answer.
pub async fn raw(addr: SocketAddr, head: &str, body: &[u8]) -> Resp {
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

pub async fn req(
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

/// The path of the contract.
pub fn spec_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi.yaml")
}

/// The contract as JSON (loaded by specguard's own loader; `$ref`s are left in place).
pub fn spec() -> Value {
    let input = specguard_spec::Input::Path(spec_path());
    let doc = specguard_spec::load(&input, &specguard_spec::LoadOptions::default())
        .unwrap_or_else(|e| panic!("the contract does not load: {e}"));
    doc.tree.to_json(doc.root)
}

/// Follow a local `$ref` (once per level, until the node is not a reference).
pub fn resolve<'a>(spec: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..16 {
        let Some(r) = node.get("$ref").and_then(Value::as_str) else {
            return node;
        };
        let pointer = r
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("non-local $ref {r}"));
        node = spec
            .pointer(pointer)
            .unwrap_or_else(|| panic!("dangling $ref {r}"));
    }
    panic!("$ref chain too long")
}

/// The properties a response of `components.schemas.<name>` may carry (writeOnly ones
/// excluded), and those it must carry (required, writeOnly excluded).
pub fn response_fields(spec: &Value, name: &str) -> (Vec<String>, Vec<String>) {
    let schema = &spec["components"]["schemas"][name];
    let props = schema["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("{name} has no properties"));
    let write_only = |k: &str| {
        let p = &props[k];
        p["writeOnly"] == true || resolve(spec, p)["writeOnly"] == true
    };
    let mut allowed: Vec<String> = props.keys().filter(|k| !write_only(k)).cloned().collect();
    allowed.sort();
    let mut required: Vec<String> = schema["required"]
        .as_array()
        .map(|r| {
            r.iter()
                .filter_map(Value::as_str)
                .filter(|k| !write_only(k))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    required.sort();
    (allowed, required)
}

/// The sorted keys of a JSON object.
pub fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .cloned()
        .collect();
    k.sort();
    k
}

/// Every operation of the contract: (method, path template, effective security).
pub fn operations(spec: &Value) -> Vec<(String, String, Value)> {
    let root_security = spec["security"].clone();
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if !["get", "put", "post", "delete", "patch"].contains(&method.as_str()) {
                continue;
            }
            let security = op.get("security").cloned().unwrap_or(root_security.clone());
            out.push((method.to_ascii_uppercase(), path.clone(), security));
        }
    }
    out
}
