//! RFC 9457 problem details (`application/problem+json`).
//!
//! Every error the generated router produces is a [`Problem`]. Its texts are fixed strings or
//! built from the contract (a bound, a parameter name); request input (a value, an unknown field
//! name, a map key, a header) is never echoed back.

use axum::response::{IntoResponse, Response};
use http::header::{ALLOW, CACHE_CONTROL, CONTENT_TYPE, WWW_AUTHENTICATE};
use http::{HeaderValue, StatusCode};
use serde::Serialize;
use std::borrow::Cow;

/// The media type of every problem body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Most field errors reported in one problem (bounds the response size).
pub const MAX_FIELD_ERRORS: usize = 50;

/// What a value that does not fit its contract type is told (it never echoes the value).
pub(crate) const DOES_NOT_FIT: &str = "does not fit the contract (a wrong type, a missing required property, \
     an unknown property or a value that is not allowed)";

/// Where a failing value was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
    Body,
}

/// One failing value: where (a JSON pointer into the body, or a parameter name) and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    #[serde(rename = "in")]
    pub location: Location,
    /// For the body: an RFC 6901 pointer built from the contract's property names and item
    /// indices (a map entry, whose key is request input, shows as `*`). For parameters: `/` + the
    /// parameter name from the contract.
    pub pointer: String,
    pub detail: Cow<'static, str>,
}

/// An RFC 9457 problem.
#[derive(Clone, Debug)]
pub struct Problem {
    status: StatusCode,
    title: Cow<'static, str>,
    detail: Option<Cow<'static, str>>,
    errors: Vec<FieldError>,
    www_authenticate: Vec<String>,
    allow: Option<&'static str>,
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'a str,
    status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [FieldError],
}

impl Problem {
    /// A problem with the status's standard title.
    pub fn new(status: StatusCode) -> Problem {
        Problem {
            status,
            title: Cow::Borrowed(status.canonical_reason().unwrap_or("Error")),
            detail: None,
            errors: Vec::new(),
            www_authenticate: Vec::new(),
            allow: None,
        }
    }

    /// Add a human-readable explanation. Never put request input here.
    pub fn with_detail(mut self, detail: impl Into<Cow<'static, str>>) -> Problem {
        self.detail = Some(detail.into());
        self
    }

    /// Add field errors (at most [`MAX_FIELD_ERRORS`] are kept).
    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Problem {
        self.errors = errors;
        self.errors.truncate(MAX_FIELD_ERRORS);
        self
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }
    pub fn title(&self) -> &str {
        &self.title
    }
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }
    pub fn errors(&self) -> &[FieldError] {
        &self.errors
    }
    /// The `WWW-Authenticate` challenges of a 401 (or a 403 for a missing scope).
    pub fn challenges(&self) -> &[String] {
        &self.www_authenticate
    }

    /// 400: a parameter or the body could not be read as the contract says.
    pub fn bad_request(detail: &'static str, errors: Vec<FieldError>) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST)
            .with_detail(detail)
            .with_errors(errors)
    }

    /// 401 with one `WWW-Authenticate` challenge per scheme that could have authenticated.
    pub fn unauthorized(challenges: Vec<String>) -> Problem {
        let mut p = Problem::new(StatusCode::UNAUTHORIZED)
            .with_detail("valid credentials are required for this operation");
        p.www_authenticate = if challenges.is_empty() {
            vec![r#"Bearer realm="api""#.to_string()]
        } else {
            challenges
        };
        p
    }

    /// 403: authenticated, but not allowed.
    pub fn forbidden() -> Problem {
        Problem::new(StatusCode::FORBIDDEN).with_detail("access to this resource is not allowed")
    }

    /// 403 for a token that lacks a required scope (RFC 6750 `insufficient_scope`).
    pub fn insufficient_scope(challenges: Vec<String>) -> Problem {
        let mut p = Problem::new(StatusCode::FORBIDDEN)
            .with_detail("the credentials lack a scope this operation requires");
        p.www_authenticate = challenges;
        p
    }

    /// 404 for a path no operation serves.
    pub fn not_found() -> Problem {
        Problem::new(StatusCode::NOT_FOUND).with_detail("no operation is served at this path")
    }

    /// 405 with the methods the path does serve.
    pub fn method_not_allowed(allow: &'static str) -> Problem {
        let mut p = Problem::new(StatusCode::METHOD_NOT_ALLOWED)
            .with_detail("this path does not serve this method");
        p.allow = Some(allow);
        p
    }

    /// 406: the client accepts none of the media types the operation produces.
    pub fn not_acceptable() -> Problem {
        Problem::new(StatusCode::NOT_ACCEPTABLE)
            .with_detail("the Accept header excludes every media type this operation produces")
    }

    /// 413: the body is larger than the operation accepts.
    pub fn payload_too_large() -> Problem {
        Problem::new(StatusCode::PAYLOAD_TOO_LARGE)
            .with_detail("the request body is larger than this operation accepts")
    }

    /// 415: the body's `Content-Type` is not one the operation accepts.
    pub fn unsupported_media_type() -> Problem {
        Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE)
            .with_detail("the Content-Type is not one this operation accepts")
    }

    /// 422: a well-formed body that breaks the contract's constraints.
    pub fn unprocessable(errors: Vec<FieldError>) -> Problem {
        Problem::new(StatusCode::UNPROCESSABLE_ENTITY)
            .with_detail("the request body does not satisfy the contract")
            .with_errors(errors)
    }

    /// 500 without any detail of the cause.
    pub fn internal() -> Problem {
        Problem::new(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// 501: the operation is not implemented yet.
    pub fn not_implemented() -> Problem {
        Problem::new(StatusCode::NOT_IMPLEMENTED)
            .with_detail("this operation is not implemented yet")
    }

    /// The JSON body.
    pub fn to_json(&self) -> Vec<u8> {
        let body = Body {
            kind: "about:blank",
            title: &self.title,
            status: self.status.as_u16(),
            detail: self.detail.as_deref(),
            errors: &self.errors,
        };
        // Serializing this struct of strings cannot fail; an empty object is a safe fallback.
        serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec())
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status.as_u16(), self.title)?;
        if let Some(d) = &self.detail {
            write!(f, ": {d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problem {}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut res = (self.status, self.to_json()).into_response();
        let h = res.headers_mut();
        h.insert(CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        for c in &self.www_authenticate {
            if let Ok(v) = HeaderValue::from_str(c) {
                h.append(WWW_AUTHENTICATE, v);
            }
        }
        if let Some(a) = self.allow
            && let Ok(v) = HeaderValue::from_str(a)
        {
            h.insert(ALLOW, v);
        }
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_shape() {
        let p = Problem::unprocessable(vec![FieldError {
            location: Location::Body,
            pointer: "/name".into(),
            detail: "must be at most 3 characters".into(),
        }]);
        let v: serde_json::Value = serde_json::from_slice(&p.to_json()).unwrap();
        assert_eq!(v["status"], 422);
        assert_eq!(v["type"], "about:blank");
        assert_eq!(v["errors"][0]["in"], "body");
        assert_eq!(v["errors"][0]["pointer"], "/name");
        let r = Problem::unauthorized(vec!["Basic realm=\"api\"".into()]).into_response();
        assert_eq!(r.status(), 401);
        assert_eq!(r.headers()[CONTENT_TYPE], PROBLEM_JSON);
        assert_eq!(r.headers()[WWW_AUTHENTICATE], "Basic realm=\"api\"");
    }

    #[test]
    fn errors_are_capped() {
        let errs = (0..200)
            .map(|i| FieldError {
                location: Location::Body,
                pointer: format!("/{i}"),
                detail: "x".into(),
            })
            .collect();
        assert_eq!(
            Problem::unprocessable(errs).errors().len(),
            MAX_FIELD_ERRORS
        );
    }
}
