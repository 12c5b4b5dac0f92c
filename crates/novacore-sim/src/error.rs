//! The crate's one error type. Every variant that can reach an HTTP client renders as the
//! Novacore error envelope `{"error": code, "message": …}` (reference §7.1, contracts.md).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Result alias used across the crate.
pub type Result<T> = std::result::Result<T, Error>;

/// One field-level validation problem (the `details` entries of a 422).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldError {
    /// The offending request field, e.g. `name` or `ders[1].type`.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

/// Everything that can go wrong in the sandbox.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Malformed request (syntax, bad query parameter, bad proof format).
    #[error("{0}")]
    BadRequest(String),
    /// Missing, invalid or expired bearer token, or a failed signature check at login.
    #[error("{0}")]
    Unauthorized(String),
    /// Authenticated but the role or identity type is not enough.
    #[error("{0}")]
    Forbidden(String),
    /// The resource does not exist or the caller may not know it exists.
    #[error("{0}")]
    NotFound(String),
    /// Known path, wrong HTTP method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The resource already exists or conflicts with current state.
    #[error("{0}")]
    Conflict(String),
    /// Well-formed JSON whose fields fail validation.
    #[error("{message}")]
    Validation {
        /// Summary.
        message: String,
        /// Per-field problems.
        details: Vec<FieldError>,
    },
    /// Body larger than the configured limit.
    #[error("request body too large")]
    PayloadTooLarge,
    /// Token bucket empty (or an injected 429 fault).
    #[error("rate limited, retry after {retry_after_secs} s")]
    RateLimited {
        /// Value of the `Retry-After` header.
        retry_after_secs: u64,
    },
    /// The service is (simulated to be) unreachable.
    #[error("{0}")]
    Unavailable(String),
    /// A bug or an injected 5xx fault.
    #[error("{0}")]
    Internal(String),
    /// The listener could not be bound.
    #[error("cannot bind {addr}: {source}")]
    Bind {
        /// Requested address.
        addr: String,
        /// OS error.
        source: std::io::Error,
    },
    /// Invalid builder/CLI configuration (e.g. a bad `--faults` spec).
    #[error("invalid configuration: {0}")]
    Config(String),
}

impl Error {
    /// Shorthand for a single-field 422.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Error::Validation {
            message: format!("{field}: {message}"),
            details: vec![FieldError {
                field: field.to_string(),
                message,
            }],
        }
    }

    /// HTTP status and machine code of this error.
    pub fn status_code(&self) -> (StatusCode, &'static str) {
        match self {
            Error::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            Error::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            Error::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            Error::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            Error::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            Error::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            Error::Validation { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "validation_error"),
            Error::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            Error::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            Error::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            Error::Internal(_) | Error::Bind { .. } | Error::Config(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "internal_error")
            }
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (status, code) = self.status_code();
        let mut body = serde_json::json!({"error": code, "message": self.to_string()});
        if let Error::Validation { details, .. } = &self {
            body["details"] = serde_json::to_value(details).unwrap_or_default();
        }
        let mut resp = (status, axum::Json(body)).into_response();
        if let Error::RateLimited { retry_after_secs } = self {
            if let Ok(v) = HeaderValue::from_str(&retry_after_secs.max(1).to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        resp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_maps_to_422_with_details() {
        let e = Error::field("name", "must not be empty");
        assert_eq!(e.status_code().0, StatusCode::UNPROCESSABLE_ENTITY);
        let r = e.into_response();
        assert_eq!(r.status(), 422);
    }

    #[test]
    fn rate_limited_sets_retry_after() {
        let r = Error::RateLimited {
            retry_after_secs: 3,
        }
        .into_response();
        assert_eq!(r.headers()[header::RETRY_AFTER], "3");
    }
}
