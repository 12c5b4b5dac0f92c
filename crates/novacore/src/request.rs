//! One API request (method, path segments, query, body) and the mapping of error responses.

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use std::time::Duration;

use crate::error::{snippet, Error, FieldError};

/// A request to the Novacore REST API, relative to the client's base URL.
#[derive(Debug, Clone)]
pub(crate) struct Req {
    pub method: Method,
    pub segments: Vec<String>,
    pub query: Vec<(String, String)>,
    pub body: Option<serde_json::Value>,
    /// Sends the bearer token (and re-authenticates) when true.
    pub auth: bool,
    /// May be retried on transient failures.
    pub retry: bool,
}

impl Req {
    fn new(method: Method, segments: &[&str]) -> Self {
        let retry = method != Method::POST;
        Self {
            method,
            segments: segments.iter().map(|s| s.to_string()).collect(),
            query: Vec::new(),
            body: None,
            auth: true,
            retry,
        }
    }
    pub fn get(segments: &[&str]) -> Self {
        Self::new(Method::GET, segments)
    }
    pub fn delete(segments: &[&str]) -> Self {
        Self::new(Method::DELETE, segments)
    }
    pub fn post(segments: &[&str], body: impl serde::Serialize) -> Self {
        Self::new(Method::POST, segments).body(body)
    }
    pub fn put(segments: &[&str], body: impl serde::Serialize) -> Self {
        Self::new(Method::PUT, segments).body(body)
    }
    fn body(mut self, body: impl serde::Serialize) -> Self {
        // Serializing our own request types cannot fail (no maps with non-string keys).
        self.body = serde_json::to_value(body).ok();
        self
    }
    pub fn query(mut self, k: &str, v: impl ToString) -> Self {
        self.query.push((k.to_string(), v.to_string()));
        self
    }
    pub fn query_opt(self, k: &str, v: Option<impl ToString>) -> Self {
        match v {
            Some(v) => self.query(k, v),
            None => self,
        }
    }
    /// No bearer token (public endpoints).
    pub fn public(mut self) -> Self {
        self.auth = false;
        self
    }
    /// Allows retrying a POST the platform documents as idempotent.
    pub fn idempotent(mut self) -> Self {
        self.retry = true;
        self
    }
}

/// Error envelope: `{error, message, details}`; `code`/`detail` accepted as alternatives.
struct ErrorBody {
    error: Option<String>,
    message: Option<String>,
    details: Vec<FieldError>,
}

fn parse_error_body(body: &[u8]) -> Option<ErrorBody> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    let obj = v.as_object()?;
    let text = |k: &str| obj.get(k).and_then(|x| x.as_str()).map(str::to_string);
    Some(ErrorBody {
        error: text("error").or_else(|| text("code")),
        message: text("message").or_else(|| text("detail")),
        details: obj
            .get("details")
            .and_then(|d| serde_json::from_value(d.clone()).ok())
            .unwrap_or_default(),
    })
}

/// Parses `Retry-After` (delta-seconds form; HTTP dates are rare enough to ignore).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    let secs: f64 = v.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(3600.0)))
}

/// Maps a non-success response to the typed error, keeping status, server code, message and details.
pub(crate) fn error_from_response(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Error {
    let parsed = parse_error_body(body);
    let (code, message, fields) = match parsed {
        Some(b) => (
            b.error.unwrap_or_else(|| "unknown".into()),
            b.message.unwrap_or_default(),
            b.details,
        ),
        // A proxy's HTML page or plain text: keep a snippet so the cause is visible.
        None => ("unknown".into(), snippet(body), Vec::new()),
    };
    match status.as_u16() {
        401 => Error::Unauthorized { message },
        403 => Error::Forbidden { message },
        404 => Error::NotFound { message },
        409 => Error::Conflict { message },
        400 | 422 => Error::Validation {
            code,
            message,
            fields,
        },
        429 => Error::RateLimited {
            retry_after: retry_after(headers),
        },
        s => Error::Server {
            status: s,
            code,
            message,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn maps_documented_envelope() {
        let e = error_from_response(
            StatusCode::NOT_FOUND,
            &HeaderMap::new(),
            br#"{"error":"not_found","message":"Organization not found"}"#,
        );
        assert!(
            matches!(e, Error::NotFound { ref message } if message == "Organization not found")
        );
        let e = error_from_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            &HeaderMap::new(),
            br#"{"error":"validation_error","message":"bad","details":[{"field":"name","message":"too long"}]}"#,
        );
        assert_eq!(e.field_errors(), &[FieldError::new("name", "too long")]);
    }

    #[test]
    fn maps_429_and_html_page() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("2"));
        let e = error_from_response(StatusCode::TOO_MANY_REQUESTS, &h, b"{}");
        assert!(
            matches!(e, Error::RateLimited { retry_after: Some(d) } if d == Duration::from_secs(2))
        );
        let e = error_from_response(
            StatusCode::BAD_GATEWAY,
            &HeaderMap::new(),
            b"<html><body>502 Bad Gateway</body></html>",
        );
        match e {
            Error::Server {
                status,
                code,
                message,
            } => {
                assert_eq!(status, 502);
                assert_eq!(code, "unknown");
                assert!(message.contains("Bad Gateway"));
            }
            other => panic!("{other:?}"),
        }
    }
}
