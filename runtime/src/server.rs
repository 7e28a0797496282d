//! Request plumbing of generated routers: spans, bodies, content negotiation, responses.

use crate::problem::{FieldError, Location, Problem};
use crate::validate::{Errors, Pointer, Validate};
use axum::body::{Body, Bytes};
use axum::response::{IntoResponse, Response};
use http::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE};
use http::request::Parts;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::future::Future;
use tracing::Instrument;

/// The default request body limit (1 MiB); `x-specguard-max-body-bytes` overrides it per
/// operation.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;

/// What the tracing span of a request names.
#[derive(Debug)]
pub struct OperationInfo {
    pub operation_id: &'static str,
    pub method: &'static str,
    /// The path template from the contract (never the request's path, which holds ids).
    pub route: &'static str,
}

/// Run one request inside a span carrying the operation and, at the end, the status.
/// Nothing else is recorded: no headers, no credentials, no bodies, no parameter values.
pub async fn instrument<F>(op: &'static OperationInfo, fut: F) -> Response
where
    F: Future<Output = Response>,
{
    let span = tracing::info_span!(
        "request",
        operation_id = op.operation_id,
        method = op.method,
        route = op.route,
        status = tracing::field::Empty,
    );
    let started = std::time::Instant::now();
    let res = fut.instrument(span.clone()).await;
    let status = res.status().as_u16();
    span.record("status", status);
    tracing::info!(
        parent: &span,
        status,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "request finished"
    );
    res
}

/// Run an operation's steps (`fut`: authentication, input, the handler) inside its tracing
/// span ([`instrument`]); a refusal on the way is its problem response.
pub async fn serve<F>(op: &'static OperationInfo, fut: F) -> Response
where
    F: Future<Output = Result<Response, Problem>>,
{
    instrument(op, async move {
        match fut.await {
            Ok(r) => r,
            Err(p) => p.into_response(),
        }
    })
    .await
}

/// One operation of a generated router: the operation-specific part of each step. The order
/// of the steps, and everything asynchronous (verifying credentials, reading the body), is
/// [`run`]'s, written once here rather than once per operation in generated code: a crate
/// generated from a large contract type-checks one request flow instead of thousands.
///
/// Generated code implements it on one marker type per operation, with plain data
/// ([`Endpoint::SECURITY`], [`Endpoint::BODY`]) and synchronous conversions; only the handler
/// call (and the authorization hooks, when the operation has some) returns a future, the API
/// trait's own.
pub trait Endpoint: 'static {
    /// The router's shared state: it verifies credentials.
    type State: RouterState + crate::auth::Verifier;
    /// What the handler receives from authentication (`()` for a public operation).
    type Principal: Send;
    /// The parameters, parsed and checked (`()` when the operation has none).
    type Params: Send;
    /// The request body, read and checked (`()` when the operation takes none).
    type Body: Send;
    /// The operation's response type.
    type Response: ContractResponse;
    /// Names the operation in traces.
    const INFO: &'static OperationInfo;
    /// Media types the operation produces (406 when `Accept` excludes them all).
    const PRODUCES: &'static [&'static str];
    /// The security requirement, verified before anything else of the request is read.
    const SECURITY: Security = Security::Public;
    /// How the body is read, when the operation takes one.
    const BODY: Option<(BodyKind, &'static BodySpec)> = None;

    /// The principal the handler receives, from what verification found.
    fn principal(
        verified: Verified<<Self::State as crate::auth::Verifier>::Principal>,
    ) -> Result<Self::Principal, Problem>;
    /// Parse and check the path, query, header and cookie parameters (400).
    fn params(parts: &mut Parts) -> Result<Self::Params, Problem>;
    /// Object-level authorization hooks (403 by default); none unless overridden.
    fn authorize(
        state: &Self::State,
        principal: &Self::Principal,
        params: &Self::Params,
    ) -> impl Future<Output = Result<(), Problem>> + Send {
        let _ = (state, principal, params);
        std::future::ready(Ok(()))
    }
    /// The typed body from what [`Endpoint::BODY`] read (400, 422).
    fn body(raw: Option<RawBody>) -> Result<Self::Body, Problem>;
    /// The handler: the API trait's method.
    fn call(
        state: &Self::State,
        principal: Self::Principal,
        params: Self::Params,
        body: Self::Body,
    ) -> impl Future<Output = Result<Self::Response, ServerError>> + Send;
}

/// The shared state of a generated router.
pub trait RouterState: Send + Sync + 'static {
    fn options(&self) -> &RouterOptions;
}

/// An operation's security requirement, as [`run`] verifies it (the alternatives of
/// `security`, each a list of schemes that must all pass).
#[derive(Debug, Clone, Copy)]
pub enum Security {
    /// No credentials are read.
    Public,
    /// One scheme per alternative: 401 without a passing alternative.
    Required(&'static [&'static [crate::auth::Requirement]]),
    /// As `Required`, but anonymous access is an alternative too.
    Optional(&'static [&'static [crate::auth::Requirement]]),
    /// Alternatives that AND several schemes: every principal of the passing alternative.
    RequiredAll(&'static [&'static [crate::auth::Requirement]]),
    /// As `RequiredAll`, with anonymous access allowed.
    OptionalAll(&'static [&'static [crate::auth::Requirement]]),
}

/// What verification found, by [`Security`] kind.
#[derive(Debug)]
pub enum Verified<P> {
    Nobody,
    One(P),
    Maybe(Option<P>),
    All(usize, Vec<P>),
    MaybeAll(Option<(usize, Vec<P>)>),
}

impl<P> Verified<P> {
    /// The principal of a `Required` operation.
    pub fn one(self) -> Result<P, Problem> {
        match self {
            Verified::One(p) => Ok(p),
            _ => Err(Problem::internal()),
        }
    }
    /// The principal of an `Optional` operation.
    pub fn maybe(self) -> Result<Option<P>, Problem> {
        match self {
            Verified::Maybe(p) => Ok(p),
            _ => Err(Problem::internal()),
        }
    }
    /// The passing alternative and its principals, of a `RequiredAll` operation.
    pub fn all(self) -> Result<(usize, Vec<P>), Problem> {
        match self {
            Verified::All(a, p) => Ok((a, p)),
            _ => Err(Problem::internal()),
        }
    }
    /// As [`Verified::all`], `None` for anonymous access (`OptionalAll`).
    pub fn maybe_all(self) -> Result<Option<(usize, Vec<P>)>, Problem> {
        match self {
            Verified::MaybeAll(found) => Ok(found),
            _ => Err(Problem::internal()),
        }
    }
}

/// How an operation's body is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    Form,
    Multipart,
    Text,
    Bytes,
}

/// A body as read (size, media type and multipart syntax checked), before it is typed.
#[derive(Debug)]
pub enum RawBody {
    Bytes(Bytes),
    /// The parts of a `multipart/form-data` body, as a form tree.
    Multipart(std::collections::BTreeMap<String, crate::form::FormNode>),
}

/// The axum handler of an [`Endpoint`]: credentials, parameters, authorization hooks,
/// `Accept`, body, handler, response, in that order, inside the operation's span ([`serve`]).
pub fn run<E: Endpoint>(
    axum::extract::State(state): axum::extract::State<std::sync::Arc<E::State>>,
    request: axum::extract::Request,
) -> impl Future<Output = Response> + Send {
    serve(E::INFO, steps::<E>(state, request))
}

async fn steps<E: Endpoint>(
    state: std::sync::Arc<E::State>,
    request: axum::extract::Request,
) -> Result<Response, Problem> {
    use crate::auth;
    let (mut parts, body) = request.into_parts();
    let verifier: &E::State = &state;
    let verified = match E::SECURITY {
        Security::Public => Verified::Nobody,
        Security::Required(s) => Verified::One(auth::require(verifier, &parts, s).await?),
        Security::Optional(s) => Verified::Maybe(auth::optional(verifier, &parts, s).await?),
        Security::RequiredAll(s) => {
            let (alternative, principals) = auth::require_all(verifier, &parts, s).await?;
            Verified::All(alternative, principals)
        }
        Security::OptionalAll(s) => {
            Verified::MaybeAll(auth::optional_all(verifier, &parts, s).await?)
        }
    };
    let principal = E::principal(verified)?;
    let params = E::params(&mut parts)?;
    E::authorize(&state, &principal, &params).await?;
    check_accept(&parts.headers, E::PRODUCES)?;
    let raw = match E::BODY {
        None => None,
        Some((kind, spec)) => read_raw(&parts, body, kind, spec).await?,
    };
    let body = E::body(raw)?;
    let result = E::call(&state, principal, params, body).await;
    Ok(respond(E::INFO, state.options().check_responses, result))
}

/// Read a body for its kind: the bytes, or for multipart the parts as a form tree.
async fn read_raw(
    parts: &Parts,
    body: Body,
    kind: BodyKind,
    spec: &BodySpec,
) -> Result<Option<RawBody>, Problem> {
    let Some(bytes) = read_body(parts, body, spec).await? else {
        return Ok(None);
    };
    if kind != BodyKind::Multipart {
        return Ok(Some(RawBody::Bytes(bytes)));
    }
    multipart_tree(parts, bytes)
        .await
        .map(|t| Some(RawBody::Multipart(t)))
}

/// `first`, then the step `next` makes, only when `first` allowed (authorization hooks run
/// one after the other).
pub async fn then<F: Future<Output = Result<(), Problem>>>(
    first: impl Future<Output = Result<(), Problem>>,
    next: impl FnOnce() -> F,
) -> Result<(), Problem> {
    first.await?;
    next().await
}

/// A JSON body, parsed and checked against the contract's bounds (400, 422).
pub fn json_value<T: DeserializeOwned + Validate>(
    raw: Option<RawBody>,
    spec: &BodySpec,
) -> Result<Option<T>, Problem> {
    typed_bytes(raw, spec, parse_json::<T>)
}

/// The octets of a body parsed by `parse` and checked against the contract's bounds.
fn typed_bytes<T: Validate>(
    raw: Option<RawBody>,
    spec: &BodySpec,
    parse: fn(&[u8], &'static [&'static str]) -> Result<T, Problem>,
) -> Result<Option<T>, Problem> {
    bytes_value(raw)?
        .map(|b| checked(parse(&b, spec.known_names)?))
        .transpose()
}

/// An `application/x-www-form-urlencoded` body, parsed and checked.
pub fn form_value<T: DeserializeOwned + Validate>(
    raw: Option<RawBody>,
    spec: &BodySpec,
) -> Result<Option<T>, Problem> {
    typed_bytes(raw, spec, parse_form::<T>)
}

/// A `multipart/form-data` body, typed and checked.
pub fn multipart_value<T: DeserializeOwned + Validate>(
    raw: Option<RawBody>,
    spec: &BodySpec,
) -> Result<Option<T>, Problem> {
    match raw {
        Some(RawBody::Multipart(tree)) => checked(multipart_typed::<T>(tree, spec)?).map(Some),
        Some(RawBody::Bytes(_)) => Err(Problem::internal()),
        None => Ok(None),
    }
}

/// A text body (UTF-8).
pub fn text_value(raw: Option<RawBody>) -> Result<Option<String>, Problem> {
    bytes_value(raw)?.map(text).transpose()
}

/// A body of octets (every body but multipart is read as octets first).
pub fn bytes_value(raw: Option<RawBody>) -> Result<Option<Bytes>, Problem> {
    match raw {
        Some(RawBody::Bytes(b)) => Ok(Some(b)),
        Some(RawBody::Multipart(_)) => Err(Problem::internal()),
        None => Ok(None),
    }
}

/// An operation's response type: one variant per documented status. Generated response types
/// implement it; in debug builds `contract_errors` lists what in a value breaks the contract's
/// bounds (see [`respond`]).
pub trait ContractResponse: IntoResponse {
    /// What in this response breaks the contract's bounds (empty: nothing, or not checked).
    fn contract_errors(&self) -> Errors {
        Errors::new()
    }
}

/// The HTTP response for what a handler returned. In debug builds with `check` (the router's
/// `RouterOptions::check_responses`, on by default), a documented response that breaks the
/// contract's bounds is logged and replaced by a 500 ([`contract_violation`]).
pub fn respond<R: ContractResponse>(
    op: &'static OperationInfo,
    check: bool,
    result: Result<R, ServerError>,
) -> Response {
    match result {
        Ok(r) => {
            if cfg!(debug_assertions) && check {
                let errors = r.contract_errors();
                if !errors.is_empty() {
                    return contract_violation(op, r.into_response(), errors);
                }
            }
            r.into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// A body the operation requires: absent is 400.
pub fn required_body<T>(body: Option<T>) -> Result<T, Problem> {
    body.ok_or_else(|| Problem::bad_request("a request body is required", Vec::new()))
}

/// How an operation takes its body.
#[derive(Debug)]
pub struct BodySpec {
    pub required: bool,
    /// Largest body accepted, in bytes (413 above it).
    pub limit: usize,
    /// The media types (or ranges) the contract lists for this parser.
    pub media_types: &'static [&'static str],
    /// Every property name in the contract: a body pointer shows only these (other keys, being
    /// request input, show as `*`).
    pub known_names: &'static [&'static str],
}

fn essence(v: &str) -> String {
    v.split(';')
        .next()
        .unwrap_or("")
        .trim_matches(' ')
        .to_ascii_lowercase()
}

fn media_matches(range: &str, actual: &str) -> bool {
    let range = range.to_ascii_lowercase();
    if range == "*/*" || range == actual {
        return true;
    }
    match (range.split_once('/'), actual.split_once('/')) {
        (Some((rt, "*")), Some((at, _))) => rt == at,
        _ => false,
    }
}

/// Read the body: 413 over the limit, 415 for another `Content-Type`, `None` when empty.
pub async fn read_body(
    parts: &Parts,
    body: Body,
    spec: &BodySpec,
) -> Result<Option<Bytes>, Problem> {
    if let Some(len) = parts.headers.get(CONTENT_LENGTH)
        && let Some(len) = len.to_str().ok().and_then(|s| s.parse::<u64>().ok())
        && len > spec.limit as u64
    {
        return Err(Problem::payload_too_large());
    }
    let content_type = match parts.headers.get(CONTENT_TYPE) {
        Some(v) => Some(
            v.to_str()
                .map(essence)
                .map_err(|_| Problem::unsupported_media_type())?,
        ),
        None => None,
    };
    if let Some(ct) = &content_type
        && !spec.media_types.iter().any(|m| media_matches(m, ct))
    {
        return Err(Problem::unsupported_media_type());
    }
    let bytes = match Limited::new(body, spec.limit).collect().await {
        Ok(c) => c.to_bytes(),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => {
            return Err(Problem::payload_too_large());
        }
        Err(_) => {
            return Err(Problem::bad_request(
                "the request body could not be read",
                Vec::new(),
            ));
        }
    };
    if bytes.is_empty() {
        if spec.required {
            return Err(Problem::bad_request(
                "a request body is required",
                Vec::new(),
            ));
        }
        return Ok(None);
    }
    if content_type.is_none() {
        return Err(Problem::unsupported_media_type());
    }
    Ok(Some(bytes))
}

/// A JSON body: 400 when it is not JSON, 422 when it does not fit the contract's types or
/// bounds.
pub async fn json_body<T>(parts: &Parts, body: Body, spec: &BodySpec) -> Result<Option<T>, Problem>
where
    T: DeserializeOwned + Validate,
{
    let Some(bytes) = read_body(parts, body, spec).await? else {
        return Ok(None);
    };
    checked(parse_json::<T>(&bytes, spec.known_names)?).map(Some)
}

/// A body value that parsed: 422 when it breaks the contract's bounds.
fn checked<T: Validate>(value: T) -> Result<T, Problem> {
    let mut errors = Errors::new();
    value.validate(&mut Pointer::body(), &mut errors);
    if !errors.is_empty() {
        return Err(Problem::unprocessable(errors.into_vec()));
    }
    Ok(value)
}

/// Parse JSON into `T`, mapping failures to problems that do not echo the input.
pub fn parse_json<T: DeserializeOwned>(
    bytes: &[u8],
    known_names: &'static [&'static str],
) -> Result<T, Problem> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(v) => v,
        Err(e) => {
            // A type error can come before a syntax error later in the input (`[1, 2`):
            // input that is not JSON at all is 400 whichever error serde met first.
            if e.inner().classify() != serde_json::error::Category::Data
                || serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_err()
            {
                return Err(Problem::bad_request(
                    "the request body is not valid JSON",
                    Vec::new(),
                ));
            }
            return Err(does_not_fit(e.path(), known_names));
        }
    };
    if de.end().is_err() {
        return Err(Problem::bad_request(
            "the request body is not valid JSON",
            Vec::new(),
        ));
    }
    Ok(value)
}

/// The 422 for a body that parsed but does not fit the type: a pointer to where, in which
/// only the contract's own property names appear (other keys are request input: `*`).
fn does_not_fit(path: &serde_path_to_error::Path, known_names: &[&str]) -> Problem {
    let mut pointer = String::new();
    for seg in path.iter() {
        pointer.push('/');
        match seg {
            serde_path_to_error::Segment::Seq { index } => {
                pointer.push_str(&index.to_string());
            }
            serde_path_to_error::Segment::Map { key } if known_names.contains(&key.as_str()) => {
                for c in key.chars() {
                    match c {
                        '~' => pointer.push_str("~0"),
                        '/' => pointer.push_str("~1"),
                        c => pointer.push(c),
                    }
                }
            }
            _ => pointer.push('*'),
        }
    }
    Problem::unprocessable(vec![FieldError {
        location: Location::Body,
        pointer,
        detail: crate::problem::DOES_NOT_FIT.into(),
    }])
}

/// An `application/x-www-form-urlencoded` body ([`crate::form`]): 400 when it is not a
/// well-formed form, 422 when it does not fit the contract's types or bounds.
pub async fn form_body<T>(parts: &Parts, body: Body, spec: &BodySpec) -> Result<Option<T>, Problem>
where
    T: DeserializeOwned + Validate,
{
    let Some(bytes) = read_body(parts, body, spec).await? else {
        return Ok(None);
    };
    checked(parse_form::<T>(&bytes, spec.known_names)?).map(Some)
}

/// Parse a form into `T`, mapping failures to problems that do not echo the input.
pub fn parse_form<T: DeserializeOwned>(
    bytes: &[u8],
    known_names: &'static [&'static str],
) -> Result<T, Problem> {
    let tree = crate::form::parse(bytes).map_err(|_| {
        Problem::bad_request("the request body is not a well-formed form", Vec::new())
    })?;
    serde_path_to_error::deserialize::<_, T>(crate::form::deserializer(tree))
        .map_err(|e| does_not_fit(e.path(), known_names))
}

/// A `multipart/form-data` body: each part's name is a form key (`card[number]`, `files[]`),
/// its content the value — text, or the octets of a file part (`format: binary` fields are
/// [`crate::Binary`]). 400 when it is not well-formed multipart, 422 when it does not fit.
pub async fn multipart_body<T>(
    parts: &Parts,
    body: Body,
    spec: &BodySpec,
) -> Result<Option<T>, Problem>
where
    T: DeserializeOwned + Validate,
{
    let Some(bytes) = read_body(parts, body, spec).await? else {
        return Ok(None);
    };
    let tree = multipart_tree(parts, bytes).await?;
    checked(multipart_typed::<T>(tree, spec)?).map(Some)
}

/// The parts of a `multipart/form-data` body as a form tree (file parts as octets).
async fn multipart_tree(
    parts: &Parts,
    bytes: Bytes,
) -> Result<std::collections::BTreeMap<String, crate::form::FormNode>, Problem> {
    let malformed =
        || Problem::bad_request("the request body is not well-formed multipart", Vec::new());
    let boundary = parts
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| multer::parse_boundary(ct).ok())
        .ok_or_else(malformed)?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(bytes) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut tree = std::collections::BTreeMap::new();
    while let Some(field) = multipart.next_field().await.map_err(|_| malformed())? {
        let Some(name) = field.name().map(str::to_owned) else {
            return Err(malformed());
        };
        let file = field.file_name().is_some();
        let data = field.bytes().await.map_err(|_| malformed())?;
        let leaf = match (file, std::str::from_utf8(&data)) {
            (false, Ok(text)) => crate::form::Leaf::Text(text.to_owned()),
            _ => crate::form::Leaf::Bytes(data.to_vec()),
        };
        crate::form::insert_leaf(&mut tree, &name, leaf).map_err(|_| malformed())?;
    }
    Ok(tree)
}

/// A multipart form tree as the operation's type.
fn multipart_typed<T: DeserializeOwned>(
    tree: std::collections::BTreeMap<String, crate::form::FormNode>,
    spec: &BodySpec,
) -> Result<T, Problem> {
    serde_path_to_error::deserialize::<_, T>(crate::form::deserializer(tree))
        .map_err(|e| does_not_fit(e.path(), spec.known_names))
}

/// A `text/*` body.
pub async fn text_body(
    parts: &Parts,
    body: Body,
    spec: &BodySpec,
) -> Result<Option<String>, Problem> {
    let Some(bytes) = read_body(parts, body, spec).await? else {
        return Ok(None);
    };
    text(bytes).map(Some)
}

fn text(bytes: Bytes) -> Result<String, Problem> {
    String::from_utf8(bytes.to_vec())
        .map_err(|_| Problem::bad_request("the request body is not valid UTF-8", Vec::new()))
}

/// A binary body (`application/octet-stream` and the like).
pub async fn bytes_body(
    parts: &Parts,
    body: Body,
    spec: &BodySpec,
) -> Result<Option<Bytes>, Problem> {
    read_body(parts, body, spec).await
}

/// 406 when an `Accept` header excludes every media type the operation produces.
pub fn check_accept(headers: &HeaderMap, produces: &[&str]) -> Result<(), Problem> {
    if produces.is_empty() {
        return Ok(());
    }
    let mut any_header = false;
    for v in headers.get_all(ACCEPT) {
        any_header = true;
        let Ok(v) = v.to_str() else { continue };
        for range in v.split(',') {
            let mut parts = range.split(';');
            let media = parts
                .next()
                .unwrap_or("")
                .trim_matches(' ')
                .to_ascii_lowercase();
            let refused = parts.any(|p| {
                let p = p.trim_matches(' ');
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            if refused || media.is_empty() {
                continue;
            }
            if produces.iter().any(|p| {
                let p = p.to_ascii_lowercase();
                media_matches(&media, &p) || media_matches(&p, &media)
            }) {
                return Ok(());
            }
        }
    }
    if any_header {
        Err(Problem::not_acceptable())
    } else {
        Ok(())
    }
}

/// A status code the generator has checked to be in 100..=599.
pub fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// A status a handler chose for a range (`4XX`) or `default` response: outside the range, or
/// not a valid code, it becomes 500 (an undocumented status is never sent).
pub fn status_in(status: StatusCode, range: Option<u16>) -> StatusCode {
    match range {
        Some(r) if status.as_u16() / 100 != r => {
            tracing::error!(
                status = status.as_u16(),
                "handler returned a status outside its documented range"
            );
            StatusCode::INTERNAL_SERVER_ERROR
        }
        _ => status,
    }
}

/// A `Content-Type` value (the generator only emits visible ASCII; anything else falls back).
fn content_type_value(content_type: &str) -> HeaderValue {
    HeaderValue::from_str(content_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"))
}

fn with_type(status: StatusCode, content_type: &str, body: Vec<u8>) -> Response {
    let mut res = (status, body).into_response();
    res.headers_mut()
        .insert(CONTENT_TYPE, content_type_value(content_type));
    res
}

/// A JSON response body (500 if it cannot be serialized).
pub fn json_response<T: Serialize>(
    status: StatusCode,
    content_type: &'static str,
    body: &T,
) -> Response {
    match serde_json::to_vec(body) {
        Ok(b) => with_type(status, content_type, b),
        Err(_) => {
            tracing::error!("response body could not be serialized");
            Problem::internal().into_response()
        }
    }
}

pub fn text_response(status: StatusCode, content_type: &'static str, body: String) -> Response {
    with_type(status, content_type, body.into_bytes())
}

pub fn bytes_response(status: StatusCode, content_type: &'static str, body: Bytes) -> Response {
    let mut res = (status, body).into_response();
    res.headers_mut()
        .insert(CONTENT_TYPE, content_type_value(content_type));
    res
}

pub fn empty_response(status: StatusCode) -> Response {
    status.into_response()
}

/// A response header value a handler set that cannot be sent (not visible ASCII, or a line
/// break: never written, so a value cannot split the response).
#[derive(Debug)]
pub struct InvalidHeader {
    /// The header's name in the contract.
    pub name: &'static str,
}

/// Set a documented response header (generated code calls it with the contract's name, lower
/// case, and the value as text).
pub fn set_header(
    headers: &mut HeaderMap,
    name: &'static str,
    value: &str,
) -> Result<(), InvalidHeader> {
    let key = HeaderName::from_bytes(name.as_bytes()).map_err(|_| InvalidHeader { name })?;
    let value = HeaderValue::from_str(value).map_err(|_| InvalidHeader { name })?;
    headers.insert(key, value);
    Ok(())
}

/// Add the documented headers to a response; a value that cannot be sent makes it a 500 (the
/// header's name is logged, never its value).
pub fn with_headers(
    mut response: Response,
    write: impl FnOnce(&mut HeaderMap) -> Result<(), InvalidHeader>,
) -> Response {
    match write(response.headers_mut()) {
        Ok(()) => response,
        Err(e) => {
            tracing::error!(
                header = e.name,
                "response header value is not a valid header value"
            );
            Problem::internal().into_response()
        }
    }
}

/// How a generated router behaves beyond the contract (`router_with_options`).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RouterOptions {
    /// Debug builds only (`cfg(debug_assertions)`; release builds do not contain the check):
    /// validate every typed response body and header against the contract's bounds before it
    /// is sent, and answer 500 instead of a body that does not conform (logging the operation,
    /// the status and the JSON pointer, never the value). On by default.
    pub check_responses: bool,
}

impl Default for RouterOptions {
    fn default() -> Self {
        RouterOptions {
            check_responses: true,
        }
    }
}

impl RouterOptions {
    /// Turn the debug-build response check on or off.
    pub fn check_responses(mut self, on: bool) -> Self {
        self.check_responses = on;
        self
    }
}

/// A typed response that does not satisfy the contract (found by the debug-build check):
/// each violation is logged with the operation, the status and its JSON pointer (never the
/// value), and the client gets a 500 problem instead of the non-conforming response.
pub fn contract_violation(
    op: &'static OperationInfo,
    response: Response,
    errors: Errors,
) -> Response {
    let status = response.status().as_u16();
    for e in errors.into_vec() {
        tracing::error!(
            operation_id = op.operation_id,
            status,
            location = ?e.location,
            pointer = %e.pointer,
            violation = %e.detail,
            "response does not satisfy the contract; sending 500 instead"
        );
    }
    Problem::internal().into_response()
}

/// The fallback for paths no operation serves.
pub async fn not_found() -> Problem {
    Problem::not_found()
}

/// What a handler returns besides its documented responses: 500 (the cause is logged, never
/// sent) or 501 for operations not implemented yet.
#[derive(Debug)]
pub enum ServerError {
    NotImplemented,
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

impl<E: std::error::Error + Send + Sync + 'static> From<E> for ServerError {
    fn from(e: E) -> ServerError {
        ServerError::Internal(Box::new(e))
    }
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        match self {
            ServerError::NotImplemented => Problem::not_implemented().into_response(),
            ServerError::Internal(e) => {
                tracing::error!(error = %e, "handler failed");
                Problem::internal().into_response()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct T {
        #[allow(dead_code)]
        name: String,
        #[allow(dead_code)]
        tags: std::collections::BTreeMap<String, u8>,
    }

    #[test]
    fn json_errors_do_not_echo() {
        let e = parse_json::<T>(br#"{"name": 1, "tags": {}}"#, &["name", "tags"]).unwrap_err();
        assert_eq!(e.status(), 422);
        assert_eq!(e.errors()[0].pointer, "/name");
        let e = parse_json::<T>(
            br#"{"name": "a", "tags": {"<evil>": 300}}"#,
            &["name", "tags"],
        )
        .unwrap_err();
        assert_eq!(e.errors()[0].pointer, "/tags/*");
        let e = parse_json::<T>(
            br#"{"name": "a", "tags": {}, "<evil>": 1}"#,
            &["name", "tags"],
        )
        .unwrap_err();
        assert!(!String::from_utf8(e.to_json()).unwrap().contains("evil"));
        let e = parse_json::<T>(br#"{"name": "a""#, &[]).unwrap_err();
        assert_eq!(e.status(), 400);
        let e = parse_json::<T>(br#"{"name": "a", "tags": {}} x"#, &[]).unwrap_err();
        assert_eq!(e.status(), 400);
        // A type error met before the syntax error: still not JSON, still 400.
        let e = parse_json::<T>(br#"[1, 2"#, &[]).unwrap_err();
        assert_eq!(e.status(), 400);
        let e = parse_json::<T>(br#"{"name": 7, "tags": "#, &["name"]).unwrap_err();
        assert_eq!(e.status(), 400);
    }

    #[test]
    fn accept() {
        let mut h = HeaderMap::new();
        assert!(check_accept(&h, &["application/json"]).is_ok());
        h.insert(ACCEPT, HeaderValue::from_static("text/html"));
        assert_eq!(
            check_accept(&h, &["application/json"])
                .unwrap_err()
                .status(),
            406
        );
        h.insert(
            ACCEPT,
            HeaderValue::from_static("text/html, application/*;q=0.5"),
        );
        assert!(check_accept(&h, &["application/json"]).is_ok());
        h.insert(ACCEPT, HeaderValue::from_static("application/json;q=0"));
        assert!(check_accept(&h, &["application/json"]).is_err());
    }

    #[test]
    fn media_ranges() {
        assert!(media_matches("application/*", "application/json"));
        assert!(media_matches("*/*", "text/plain"));
        assert!(!media_matches("application/json", "text/json"));
        assert_eq!(
            essence("Application/JSON; charset=utf-8"),
            "application/json"
        );
    }
}
