//! Authentication: what users implement, and how generated routers enforce it.
//!
//! Users implement [`Authenticator`] (which fixes the principal type) and one small trait per
//! scheme *kind* the contract uses: [`ApiKeyAuth`], [`BasicAuth`], [`BearerAuth`], [`OAuth2Auth`],
//! [`OpenIdConnectAuth`]. Each method receives the scheme's name from the contract (a type can
//! serve several schemes of one kind) and the credential, and returns the verified principal or
//! an [`AuthError`]. The generated API trait's methods receive that principal, so an operation
//! that requires authentication cannot be implemented without one.
//!
//! The generated router calls [`require`] (or [`optional`] for operations that also allow
//! anonymous access) with the operation's requirements, before it reads anything else from the
//! request:
//!
//! - the requirements are alternatives (OR), each a set of schemes that must all pass (AND);
//!   every scheme is verified at most once per request;
//! - a credential that is absent or malformed fails its alternative; nothing is guessed;
//! - required scopes are checked against [`Principal::scopes`] of the principal each scheme
//!   returned (for every scheme kind: OpenAPI 3.1 allows role names there);
//! - no alternative passes: 403 when one was authenticated but lacked a scope, otherwise 401
//!   with a `WWW-Authenticate` challenge per scheme; a verifier's [`AuthError::Internal`] is 500.
//!
//! [`require`] and [`optional`] return one principal (for an AND alternative, its first
//! scheme's); [`require_all`] and [`optional_all`] return the satisfied alternative's index and
//! every scheme's principal, which generated code gives the handlers of operations whose
//! requirement ANDs schemes.

use crate::problem::Problem;
use base64::Engine;
use http::HeaderMap;
use http::header::{AUTHORIZATION, COOKIE};
use http::request::Parts;
use std::borrow::Cow;
use std::future::Future;

/// A verified caller.
pub trait Principal: Clone + Send + Sync + 'static {
    /// A stable identifier of the caller (for logs and object-level authorization).
    fn id(&self) -> &str;
    /// The scopes (or roles) granted to the caller.
    fn scopes(&self) -> &[String];
    fn has_scope(&self, scope: &str) -> bool {
        self.scopes().iter().any(|s| s == scope)
    }
}

/// A ready-made principal: an id and granted scopes.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Subject {
    pub id: String,
    pub scopes: Vec<String>,
}

impl Subject {
    pub fn new(id: impl Into<String>) -> Subject {
        Subject {
            id: id.into(),
            scopes: Vec::new(),
        }
    }
    pub fn with_scopes<I, S>(mut self, scopes: I) -> Subject
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }
}

impl Principal for Subject {
    fn id(&self) -> &str {
        &self.id
    }
    fn scopes(&self) -> &[String] {
        &self.scopes
    }
}

/// Why a credential was not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthError {
    /// Unknown, expired, revoked or otherwise invalid: 401.
    Invalid,
    /// The verifier could not decide (its backend failed): 500, never a pass.
    Internal,
}

impl std::fmt::Display for AuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AuthError::Invalid => "invalid credentials",
            AuthError::Internal => "credentials could not be verified",
        })
    }
}

impl std::error::Error for AuthError {}

/// Fixes the principal type every scheme trait returns.
pub trait Authenticator: Send + Sync + 'static {
    type Principal: Principal;
}

/// `type: apiKey` schemes (header, query or cookie). Compare static keys with
/// [`constant_time_eq`].
pub trait ApiKeyAuth: Authenticator {
    fn verify_api_key(
        &self,
        scheme: &str,
        key: &str,
    ) -> impl Future<Output = Result<Self::Principal, AuthError>> + Send;
}

/// `type: http, scheme: basic`. Compare static secrets with [`constant_time_eq`]; store
/// password hashes, not passwords.
pub trait BasicAuth: Authenticator {
    fn verify_basic(
        &self,
        scheme: &str,
        user: &str,
        password: &str,
    ) -> impl Future<Output = Result<Self::Principal, AuthError>> + Send;
}

/// `type: http, scheme: bearer` (any `bearerFormat`: verify the token's signature, issuer,
/// audience and expiry yourself).
pub trait BearerAuth: Authenticator {
    fn verify_bearer(
        &self,
        scheme: &str,
        token: &str,
    ) -> impl Future<Output = Result<Self::Principal, AuthError>> + Send;
}

/// `type: oauth2`: verify the access token (introspection or a signed JWT) and return the
/// principal with the scopes the token grants; the router checks the operation's scopes.
pub trait OAuth2Auth: Authenticator {
    fn verify_oauth2(
        &self,
        scheme: &str,
        token: &str,
    ) -> impl Future<Output = Result<Self::Principal, AuthError>> + Send;
}

/// `type: openIdConnect`: verify the bearer token against the provider (issuer, audience,
/// signature, expiry) and return the principal with its granted scopes.
pub trait OpenIdConnectAuth: Authenticator {
    fn verify_openid_connect(
        &self,
        scheme: &str,
        token: &str,
    ) -> impl Future<Output = Result<Self::Principal, AuthError>> + Send;
}

/// `type: http` with any other `scheme` (a vendor's signature scheme, `Digest`, `Mutual`, …):
/// the credentials are what follows the scheme's name in the `Authorization` header, unparsed
/// (`auth_scheme` is that name as the contract spells it). Verify them completely, including
/// any signature over the request you need.
///
/// Challenge-response schemes run over several requests: each request is verified on its own,
/// and a 401 carries the scheme's challenge from [`HttpAuth::challenge`] (a `Digest` nonce
/// your implementation can check later, e.g. a timestamp with its HMAC; a `Mutual` key
/// exchange step computed from what the client `presented`). Whatever state the exchange needs
/// lives in your implementation.
pub trait HttpAuth: Authenticator {
    fn verify_http(
        &self,
        scheme: &str,
        auth_scheme: &str,
        credentials: &str,
    ) -> impl Future<Output = Result<Self::Principal, AuthError>> + Send;

    /// The `WWW-Authenticate` value a 401 carries for this scheme; `presented`: the credentials
    /// the request carried for it (`None` when it carried none). By default (`None`)
    /// `<auth_scheme> realm="api"`. A value that is not a valid header value is replaced by
    /// the default.
    fn challenge(
        &self,
        scheme: &str,
        auth_scheme: &str,
        presented: Option<&str>,
    ) -> Option<String> {
        let _ = (scheme, auth_scheme, presented);
        None
    }
}

/// Where an API key travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiKeyIn {
    Header,
    Query,
    Cookie,
}

/// The kind of a security scheme, with what extraction needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemeKind {
    ApiKey {
        location: ApiKeyIn,
        name: &'static str,
    },
    Basic,
    Bearer,
    OAuth2,
    OpenIdConnect,
    /// `type: http` with another scheme: `Authorization: <scheme> <credentials>`.
    Http {
        scheme: &'static str,
    },
}

/// A security scheme of the contract.
#[derive(Debug)]
pub struct Scheme {
    /// Its name in `components.securitySchemes`.
    pub name: &'static str,
    pub kind: SchemeKind,
}

/// One scheme of an AND set, with the scopes it must grant.
#[derive(Debug)]
pub struct Requirement {
    pub scheme: &'static Scheme,
    pub scopes: &'static [&'static str],
}

/// A credential taken from the request. `Debug` never shows the secret.
pub enum Credential<'a> {
    ApiKey(Cow<'a, str>),
    Basic {
        user: String,
        password: String,
    },
    Bearer(&'a str),
    /// The credentials of another HTTP scheme, as sent.
    Http(&'a str),
}

impl std::fmt::Debug for Credential<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Credential::ApiKey(_) => "ApiKey(<redacted>)",
            Credential::Basic { .. } => "Basic(<redacted>)",
            Credential::Bearer(_) => "Bearer(<redacted>)",
            Credential::Http(_) => "Http(<redacted>)",
        })
    }
}

/// What the request holds for one scheme.
#[derive(Debug)]
pub enum Extracted<'a> {
    Absent,
    /// Present but unusable (two values, bad encoding, empty): fails like an invalid one.
    Malformed,
    Present(Credential<'a>),
}

/// Calls the user's scheme traits; implemented by generated code for the kinds a contract uses.
pub trait Verifier: Sync {
    type Principal: Principal;
    fn verify(
        &self,
        scheme: &'static Scheme,
        credential: &Credential<'_>,
    ) -> impl Future<Output = Result<Self::Principal, AuthError>> + Send;

    /// The challenge of a `type: http` scheme with another `scheme` ([`HttpAuth::challenge`]);
    /// `None` for the default one.
    fn challenge(&self, scheme: &'static Scheme, presented: Option<&str>) -> Option<String> {
        let _ = (scheme, presented);
        None
    }
}

/// Compare two secrets in time independent of where they differ (the length is not hidden).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.ct_eq(b).into()
}

/// RFC 6750 `b64token`.
fn is_token68(s: &str) -> bool {
    let body = s.trim_end_matches('=');
    !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b))
}

/// The single `Authorization` header, split into scheme and the rest.
fn authorization(headers: &HeaderMap) -> Result<Option<(&str, &str)>, ()> {
    let mut values = headers.get_all(AUTHORIZATION).iter();
    let Some(v) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(());
    }
    let v = v.to_str().map_err(|_| ())?;
    match v.split_once(' ') {
        Some((scheme, rest)) => Ok(Some((scheme, rest.trim_start_matches(' ')))),
        None => Ok(Some((v, ""))),
    }
}

/// One value of a cookie, from every `Cookie` header.
fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Result<Option<&'a str>, ()> {
    let mut found = None;
    for h in headers.get_all(COOKIE) {
        let h = h.to_str().map_err(|_| ())?;
        for pair in h.split(';') {
            let pair = pair.trim_matches(' ');
            if let Some((k, v)) = pair.split_once('=')
                && k == name
            {
                if found.is_some() {
                    return Err(());
                }
                found = Some(v.trim_matches('"'));
            }
        }
    }
    Ok(found)
}

/// Take the credential for `scheme` from the request, without verifying it.
pub fn extract<'a>(parts: &'a Parts, scheme: &Scheme) -> Extracted<'a> {
    let headers = &parts.headers;
    let bearer = |name: &str| match authorization(headers) {
        Err(()) => Extracted::Malformed,
        Ok(Some((s, token))) if s.eq_ignore_ascii_case(name) => {
            if is_token68(token) {
                Extracted::Present(Credential::Bearer(token))
            } else {
                Extracted::Malformed
            }
        }
        Ok(_) => Extracted::Absent,
    };
    match scheme.kind {
        SchemeKind::Bearer | SchemeKind::OAuth2 | SchemeKind::OpenIdConnect => bearer("bearer"),
        SchemeKind::Basic => match authorization(headers) {
            Err(()) => Extracted::Malformed,
            Ok(Some((s, encoded))) if s.eq_ignore_ascii_case("basic") => {
                let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(encoded) else {
                    return Extracted::Malformed;
                };
                let Ok(text) = String::from_utf8(bytes) else {
                    return Extracted::Malformed;
                };
                match text.split_once(':') {
                    Some((user, password)) => Extracted::Present(Credential::Basic {
                        user: user.to_string(),
                        password: password.to_string(),
                    }),
                    None => Extracted::Malformed,
                }
            }
            Ok(_) => Extracted::Absent,
        },
        SchemeKind::Http { scheme } => match authorization(headers) {
            Err(()) => Extracted::Malformed,
            Ok(Some((s, credentials))) if s.eq_ignore_ascii_case(scheme) => {
                if credentials.is_empty() {
                    Extracted::Malformed
                } else {
                    Extracted::Present(Credential::Http(credentials))
                }
            }
            Ok(_) => Extracted::Absent,
        },
        SchemeKind::ApiKey { location, name } => {
            let value: Result<Option<Cow<'a, str>>, ()> = match location {
                ApiKeyIn::Header => {
                    let mut values = headers.get_all(name).iter();
                    match (values.next(), values.next()) {
                        (None, _) => Ok(None),
                        (Some(_), Some(_)) => Err(()),
                        (Some(v), None) => {
                            v.to_str().map(|s| Some(Cow::Borrowed(s))).map_err(|_| ())
                        }
                    }
                }
                ApiKeyIn::Cookie => cookie(headers, name).map(|v| v.map(Cow::Borrowed)),
                ApiKeyIn::Query => {
                    let mut found = None;
                    let mut dup = false;
                    for (k, v) in form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes())
                    {
                        if k == name {
                            dup |= found.is_some();
                            found = Some(v);
                        }
                    }
                    if dup { Err(()) } else { Ok(found) }
                }
            };
            match value {
                Err(()) => Extracted::Malformed,
                Ok(None) => Extracted::Absent,
                Ok(Some(v)) if v.is_empty() => Extracted::Malformed,
                Ok(Some(v)) => Extracted::Present(Credential::ApiKey(v)),
            }
        }
    }
}

enum Outcome<P> {
    Absent,
    Invalid,
    Verified(P),
}

/// RFC 6750 `scope-token` characters (anything else is left out of a challenge).
fn is_scope_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b == 0x21 || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b))
}

fn challenge(scheme: &Scheme, invalid: bool, missing_scopes: &[&str]) -> String {
    match scheme.kind {
        SchemeKind::Basic => r#"Basic realm="api", charset="UTF-8""#.to_string(),
        SchemeKind::ApiKey { .. } => r#"ApiKey realm="api""#.to_string(),
        SchemeKind::Http { scheme } => format!(r#"{scheme} realm="api""#),
        SchemeKind::Bearer | SchemeKind::OAuth2 | SchemeKind::OpenIdConnect => {
            if !missing_scopes.is_empty() {
                let scopes: Vec<&str> = missing_scopes
                    .iter()
                    .copied()
                    .filter(|s| is_scope_token(s))
                    .collect();
                format!(
                    r#"Bearer realm="api", error="insufficient_scope", scope="{}""#,
                    scopes.join(" ")
                )
            } else if invalid {
                r#"Bearer realm="api", error="invalid_token""#.to_string()
            } else {
                r#"Bearer realm="api""#.to_string()
            }
        }
    }
}

/// Evaluate an operation's requirements. `Ok(None)` only when an alternative is empty
/// (anonymous access allowed) and no other alternative passed first. For an AND alternative
/// this is the principal of its first scheme; [`optional_all`] gives every one.
pub async fn optional<V: Verifier>(
    verifier: &V,
    parts: &Parts,
    alternatives: &'static [&'static [Requirement]],
) -> Result<Option<V::Principal>, Problem> {
    Ok(optional_all(verifier, parts, alternatives)
        .await?
        .and_then(|(_, principals)| principals.into_iter().next()))
}

/// Like [`require`], with every principal of the satisfied alternative: its index in
/// `alternatives` and one principal per requirement, in the alternative's order.
pub async fn require_all<V: Verifier>(
    verifier: &V,
    parts: &Parts,
    alternatives: &'static [&'static [Requirement]],
) -> Result<(usize, Vec<V::Principal>), Problem> {
    match optional_all(verifier, parts, alternatives).await? {
        Some(found) => Ok(found),
        None => Err(Problem::unauthorized(Vec::new())),
    }
}

/// Like [`optional`], with every principal of the satisfied alternative: its index in
/// `alternatives` and one principal per requirement, in the alternative's order.
pub async fn optional_all<V: Verifier>(
    verifier: &V,
    parts: &Parts,
    alternatives: &'static [&'static [Requirement]],
) -> Result<Option<(usize, Vec<V::Principal>)>, Problem> {
    // One outcome per scheme name: every scheme is verified at most once.
    let mut cache: Vec<(&'static str, Outcome<V::Principal>)> = Vec::new();
    let mut scope_failures: Vec<String> = Vec::new();
    let mut anonymous = false;
    for (index, alternative) in alternatives.iter().enumerate() {
        if alternative.is_empty() {
            anonymous = true;
            continue;
        }
        let mut principals: Vec<V::Principal> = Vec::with_capacity(alternative.len());
        let mut passed = true;
        for req in alternative.iter() {
            let idx = match cache.iter().position(|(n, _)| *n == req.scheme.name) {
                Some(i) => i,
                None => {
                    let outcome = match extract(parts, req.scheme) {
                        Extracted::Absent => Outcome::Absent,
                        Extracted::Malformed => Outcome::Invalid,
                        Extracted::Present(c) => match verifier.verify(req.scheme, &c).await {
                            Ok(p) => Outcome::Verified(p),
                            Err(AuthError::Invalid) => Outcome::Invalid,
                            Err(AuthError::Internal) => {
                                tracing::error!(
                                    scheme = req.scheme.name,
                                    "credential verifier failed"
                                );
                                return Err(Problem::internal());
                            }
                        },
                    };
                    cache.push((req.scheme.name, outcome));
                    cache.len() - 1
                }
            };
            match &cache[idx].1 {
                Outcome::Verified(p) => {
                    let missing: Vec<&str> = req
                        .scopes
                        .iter()
                        .copied()
                        .filter(|s| !p.has_scope(s))
                        .collect();
                    if !missing.is_empty() {
                        scope_failures.push(challenge(req.scheme, false, &missing));
                        passed = false;
                        break;
                    }
                    principals.push(p.clone());
                }
                Outcome::Absent | Outcome::Invalid => {
                    passed = false;
                    break;
                }
            }
        }
        if passed && !principals.is_empty() {
            return Ok(Some((index, principals)));
        }
    }
    // A presented credential that fails is an error even where anonymous access is allowed:
    // the client believes it is authenticated.
    let presented_invalid = cache.iter().any(|(_, o)| matches!(o, Outcome::Invalid));
    if anonymous && !presented_invalid {
        return Ok(None);
    }
    if !scope_failures.is_empty() && !presented_invalid {
        return Err(Problem::insufficient_scope(scope_failures));
    }
    let mut challenges: Vec<String> = Vec::new();
    for alternative in alternatives {
        for req in alternative.iter() {
            let invalid = cache
                .iter()
                .any(|(n, o)| *n == req.scheme.name && matches!(o, Outcome::Invalid));
            let own = match req.scheme.kind {
                SchemeKind::Http { .. } => {
                    let presented = match extract(parts, req.scheme) {
                        Extracted::Present(Credential::Http(c)) => Some(c),
                        _ => None,
                    };
                    verifier
                        .challenge(req.scheme, presented)
                        .filter(|c| http::HeaderValue::from_str(c).is_ok())
                }
                _ => None,
            };
            let c = own.unwrap_or_else(|| challenge(req.scheme, invalid, &[]));
            if !challenges.contains(&c) {
                challenges.push(c);
            }
        }
    }
    Err(Problem::unauthorized(challenges))
}

/// Like [`optional`], for operations without an anonymous alternative: a principal or a problem.
pub async fn require<V: Verifier>(
    verifier: &V,
    parts: &Parts,
    alternatives: &'static [&'static [Requirement]],
) -> Result<V::Principal, Problem> {
    match optional(verifier, parts, alternatives).await? {
        Some(p) => Ok(p),
        None => Err(Problem::unauthorized(Vec::new())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::Request;

    static KEY: Scheme = Scheme {
        name: "key",
        kind: SchemeKind::ApiKey {
            location: ApiKeyIn::Header,
            name: "x-api-key",
        },
    };
    static QKEY: Scheme = Scheme {
        name: "qkey",
        kind: SchemeKind::ApiKey {
            location: ApiKeyIn::Query,
            name: "api_key",
        },
    };
    static CKEY: Scheme = Scheme {
        name: "ckey",
        kind: SchemeKind::ApiKey {
            location: ApiKeyIn::Cookie,
            name: "sid",
        },
    };
    static BEARER: Scheme = Scheme {
        name: "bearer",
        kind: SchemeKind::Bearer,
    };
    static BASIC: Scheme = Scheme {
        name: "basic",
        kind: SchemeKind::Basic,
    };

    struct V;
    impl Verifier for V {
        type Principal = Subject;
        async fn verify(
            &self,
            scheme: &'static Scheme,
            c: &Credential<'_>,
        ) -> Result<Subject, AuthError> {
            match c {
                Credential::ApiKey(k) if constant_time_eq(k.as_bytes(), b"k1") => {
                    Ok(Subject::new(scheme.name))
                }
                Credential::Bearer("admin") => Ok(Subject::new("a").with_scopes(["read", "write"])),
                Credential::Bearer("reader") => Ok(Subject::new("r").with_scopes(["read"])),
                Credential::Bearer("boom") => Err(AuthError::Internal),
                Credential::Basic { user, password } if user == "u" && password == "p:w" => {
                    Ok(Subject::new("u"))
                }
                _ => Err(AuthError::Invalid),
            }
        }
    }

    fn parts(uri: &str, headers: &[(&str, &str)]) -> Parts {
        let mut b = Request::builder().uri(uri);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(()).unwrap().into_parts().0
    }

    fn block<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    static AND: &[&[Requirement]] = &[&[
        Requirement {
            scheme: &KEY,
            scopes: &[],
        },
        Requirement {
            scheme: &BEARER,
            scopes: &["read"],
        },
    ]];
    static OR: &[&[Requirement]] = &[
        &[Requirement {
            scheme: &BEARER,
            scopes: &["write"],
        }],
        &[Requirement {
            scheme: &KEY,
            scopes: &[],
        }],
    ];

    static ONLY_KEY: &[&[Requirement]] = &[&[Requirement {
        scheme: &KEY,
        scopes: &[],
    }]];
    static ONLY_BASIC: &[&[Requirement]] = &[&[Requirement {
        scheme: &BASIC,
        scopes: &[],
    }]];

    static MUTUAL: Scheme = Scheme {
        name: "mutual",
        kind: SchemeKind::Http { scheme: "Mutual" },
    };
    static ONLY_MUTUAL: &[&[Requirement]] = &[&[Requirement {
        scheme: &MUTUAL,
        scopes: &[],
    }]];

    /// A two-step exchange (RFC 8120's shape): the first request presents a key share, the 401
    /// answers with the server's step computed from it, the second request presents the proof.
    struct Exchange;
    impl Verifier for Exchange {
        type Principal = Subject;
        async fn verify(
            &self,
            _: &'static Scheme,
            c: &Credential<'_>,
        ) -> Result<Subject, AuthError> {
            match c {
                Credential::Http(r#"sid="s1", proof="ok""#) => Ok(Subject::new("m")),
                _ => Err(AuthError::Invalid),
            }
        }
        fn challenge(&self, scheme: &'static Scheme, presented: Option<&str>) -> Option<String> {
            assert_eq!(scheme.name, "mutual");
            Some(match presented {
                None => {
                    r#"Mutual realm="api", version=1, algorithm=iso-kam3-dl-2048-sha256"#.into()
                }
                Some(r#"kc1="k""#) => r#"Mutual sid="s1", ks1="server-step""#.into(),
                Some(_) => "bad\nvalue".into(),
            })
        }
    }

    #[test]
    fn challenge_response_schemes_answer_with_their_own_step() {
        let first = block(require(&Exchange, &parts("/", &[]), ONLY_MUTUAL)).unwrap_err();
        assert_eq!(first.status(), 401);
        assert_eq!(
            first.challenges(),
            [r#"Mutual realm="api", version=1, algorithm=iso-kam3-dl-2048-sha256"#]
        );
        let kex = parts("/", &[("authorization", r#"Mutual kc1="k""#)]);
        let second = block(require(&Exchange, &kex, ONLY_MUTUAL)).unwrap_err();
        assert_eq!(
            second.challenges(),
            [r#"Mutual sid="s1", ks1="server-step""#]
        );
        let proof = parts("/", &[("authorization", r#"mutual sid="s1", proof="ok""#)]);
        assert_eq!(
            block(require(&Exchange, &proof, ONLY_MUTUAL)).unwrap().id,
            "m"
        );
        // A challenge that is not a header value falls back to the scheme's plain one.
        let odd = parts("/", &[("authorization", "Mutual x")]);
        let e = block(require(&Exchange, &odd, ONLY_MUTUAL)).unwrap_err();
        assert_eq!(e.challenges(), [r#"Mutual realm="api""#]);
        // Without an own challenge, the plain one.
        let e = block(require(&V, &parts("/", &[]), ONLY_MUTUAL)).unwrap_err();
        assert_eq!(e.challenges(), [r#"Mutual realm="api""#]);
    }

    #[test]
    fn and_needs_both() {
        let p = parts("/", &[("x-api-key", "k1")]);
        let e = block(require(&V, &p, AND)).unwrap_err();
        assert_eq!(e.status(), 401);
        assert!(e.challenges().iter().any(|c| c.starts_with("Bearer")));
        assert!(e.challenges().iter().any(|c| c.starts_with("ApiKey")));
        let p = parts(
            "/",
            &[("x-api-key", "k1"), ("authorization", "Bearer reader")],
        );
        let ok = block(require(&V, &p, AND)).unwrap();
        assert_eq!(ok.id, "key", "the first scheme's principal");
        let (alternative, all) = block(require_all(&V, &p, AND)).unwrap();
        assert_eq!(alternative, 0);
        let ids: Vec<&str> = all.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["key", "r"], "every scheme's principal, in order");
    }

    #[test]
    fn or_takes_any_and_scope_failures_are_403() {
        let p = parts("/", &[("x-api-key", "k1")]);
        assert_eq!(block(require(&V, &p, OR)).unwrap().id, "key");
        let p = parts("/", &[("authorization", "Bearer admin")]);
        assert_eq!(block(require(&V, &p, OR)).unwrap().id, "a");
        let (alternative, all) = block(require_all(&V, &p, OR)).unwrap();
        assert_eq!((alternative, all.len()), (0, 1));
        let p = parts("/", &[("x-api-key", "k1")]);
        assert_eq!(block(require_all(&V, &p, OR)).unwrap().0, 1);
        let p = parts("/", &[("authorization", "Bearer reader")]);
        let e = block(require(&V, &p, OR)).unwrap_err();
        assert_eq!(e.status(), 403);
        assert!(e.challenges()[0].contains("insufficient_scope"));
        let p = parts("/", &[("authorization", "Bearer forged")]);
        let e = block(require(&V, &p, OR)).unwrap_err();
        assert_eq!(e.status(), 401);
        assert!(e.challenges().iter().any(|c| c.contains("invalid_token")));
        let p = parts("/", &[("authorization", "Bearer boom")]);
        assert_eq!(block(require(&V, &p, OR)).unwrap_err().status(), 500);
    }

    #[test]
    fn malformed_credentials_fail() {
        for h in [
            vec![("x-api-key", "k1"), ("x-api-key", "k1")],
            vec![("x-api-key", "")],
        ] {
            let p = parts("/", &h);
            assert_eq!(block(require(&V, &p, ONLY_KEY)).unwrap_err().status(), 401);
        }
        let p = parts("/", &[("authorization", "Bearer a b")]);
        assert!(matches!(extract(&p, &BEARER), Extracted::Malformed));
        let p = parts(
            "/",
            &[("authorization", "Bearer x"), ("authorization", "Bearer y")],
        );
        assert!(matches!(extract(&p, &BEARER), Extracted::Malformed));
        let p = parts("/", &[("authorization", "Basic dTpwOnc=")]);
        assert!(matches!(extract(&p, &BEARER), Extracted::Absent));
        assert!(matches!(
            extract(&p, &BASIC),
            Extracted::Present(Credential::Basic { .. })
        ));
        assert_eq!(block(require(&V, &p, ONLY_BASIC)).unwrap().id, "u");
        let p = parts("/", &[("authorization", "Basic !!!")]);
        assert!(matches!(extract(&p, &BASIC), Extracted::Malformed));
    }

    #[test]
    fn query_and_cookie_keys() {
        let p = parts("/x?api_key=k1", &[]);
        assert!(matches!(
            extract(&p, &QKEY),
            Extracted::Present(Credential::ApiKey(_))
        ));
        let p = parts("/x?api_key=k1&api_key=k2", &[]);
        assert!(matches!(extract(&p, &QKEY), Extracted::Malformed));
        let p = parts("/", &[("cookie", "a=1; sid=k1")]);
        assert!(matches!(
            extract(&p, &CKEY),
            Extracted::Present(Credential::ApiKey(_))
        ));
        let p = parts("/", &[("cookie", "sid=1"), ("cookie", "sid=2")]);
        assert!(matches!(extract(&p, &CKEY), Extracted::Malformed));
    }

    #[test]
    fn anonymous_alternative() {
        static OPT: &[&[Requirement]] = &[
            &[Requirement {
                scheme: &BEARER,
                scopes: &[],
            }],
            &[],
        ];
        let p = parts("/", &[]);
        assert!(block(optional(&V, &p, OPT)).unwrap().is_none());
        let p = parts("/", &[("authorization", "Bearer reader")]);
        assert!(block(optional(&V, &p, OPT)).unwrap().is_some());
        let p = parts("/", &[("authorization", "Bearer forged")]);
        assert_eq!(block(optional(&V, &p, OPT)).unwrap_err().status(), 401);
        assert!(format!("{:?}", Credential::Bearer("secret")).contains("redacted"));
    }
}
