//! The one error type of the SDK.

use std::time::Duration;

/// A field-level validation problem (from the server's 422 `details`, or found locally before sending).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldError {
    /// Dotted path of the offending field, e.g. `ders[1].name`.
    pub field: String,
    /// Human-readable reason.
    pub message: String,
}

impl FieldError {
    /// Builds a field error.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Everything that can go wrong talking to Novacore or a Zap.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 401: missing, expired or rejected token (after one re-authentication attempt).
    #[error("unauthorized: {message}")]
    Unauthorized {
        /// Server message.
        message: String,
    },
    /// 403: authenticated but not allowed.
    #[error("forbidden: {message}")]
    Forbidden {
        /// Server message.
        message: String,
    },
    /// 404: the resource does not exist (or is not visible to the caller).
    #[error("not found: {message}")]
    NotFound {
        /// Server message.
        message: String,
    },
    /// 409: conflict / already exists.
    #[error("conflict: {message}")]
    Conflict {
        /// Server message.
        message: String,
    },
    /// 400 or 422: the request was rejected; `fields` lists per-field reasons when known.
    #[error("validation failed: {message}")]
    Validation {
        /// Server code (`bad_request`, `validation_error`, …) or `local` when found before sending.
        code: String,
        /// Server message.
        message: String,
        /// Per-field details.
        fields: Vec<FieldError>,
    },
    /// 429: slow down; `retry_after` from the `Retry-After` header when present.
    #[error("rate limited (retry after {retry_after:?})")]
    RateLimited {
        /// Server-requested wait.
        retry_after: Option<Duration>,
    },
    /// Any other non-success status.
    #[error("server error {status} {code}: {message}")]
    Server {
        /// HTTP status.
        status: u16,
        /// Server error code (`internal_error`, `unavailable`, … or `unknown` for a non-JSON page).
        code: String,
        /// Server message (or a snippet of a non-JSON body).
        message: String,
    },
    /// The body could not be decoded into the expected shape.
    #[error("could not decode response: {reason} (body starts: {body_snippet:?})")]
    Decode {
        /// Why decoding failed.
        reason: String,
        /// The first bytes of the body, for diagnosis.
        body_snippet: String,
    },
    /// Connection-level failure (DNS, refused, reset, TLS, truncated body).
    #[error("transport error: {0}")]
    Transport(String),
    /// The request or connection took too long.
    #[error("timed out")]
    Timeout,
    /// Day-ahead prices for the requested day are not published yet (404 from the price service).
    #[error("prices not published yet")]
    NotPublished,
    /// The caller passed something unusable (bad URL, bad key encoding, …).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// An operation that needs an identity was called on a client without one.
    #[error("no identity configured")]
    NoIdentity,
    /// A Zap on the LAN could not be used (nothing answers, a web page answers, a stall, bad JSON).
    #[error(transparent)]
    Zap(#[from] crate::zap::ZapError),
}

impl Error {
    /// True when the failure means "cannot reach the service right now" (show an offline banner).
    pub fn is_offline(&self) -> bool {
        matches!(self, Error::Transport(_) | Error::Timeout)
    }

    /// True when the service answers but says it cannot serve now (HTTP 502, 503, 504: a gateway
    /// in front of it, maintenance, an outage): as good as unreachable until it is back.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, Error::Server { status, .. } if matches!(status, 502..=504))
    }

    /// True when the service cannot serve now, whether unreachable ([`Error::is_offline`]) or
    /// answering 502–504 ([`Error::is_unavailable`]): what the app treats as "offline" (serve
    /// the cache, queue the step, say so).
    pub fn is_unreachable(&self) -> bool {
        self.is_offline() || self.is_unavailable()
    }

    /// True when retrying later may succeed (offline, rate limited, 5xx).
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Transport(_) | Error::Timeout | Error::RateLimited { .. } => true,
            Error::Server { status, .. } => *status >= 500,
            Error::Zap(z) => z.is_transient(),
            _ => false,
        }
    }

    /// True when the user has to sign in again.
    pub fn is_auth(&self) -> bool {
        matches!(self, Error::Unauthorized { .. } | Error::NoIdentity)
    }

    /// The per-field errors of a validation failure (empty otherwise).
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Error::Validation { fields, .. } => fields,
            _ => &[],
        }
    }

    /// Local validation failure built before any request is sent.
    pub fn local_validation(fields: Vec<FieldError>) -> Self {
        let message = fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("; ");
        Error::Validation {
            code: "local".into(),
            message,
            fields,
        }
    }

    pub(crate) fn decode(reason: impl std::fmt::Display, body: &[u8]) -> Self {
        Error::Decode {
            reason: reason.to_string(),
            body_snippet: snippet(body),
        }
    }
}

impl From<reqwest::Error> for Error {
    fn from(e: reqwest::Error) -> Self {
        if e.is_timeout() {
            Error::Timeout
        } else if e.is_builder() {
            Error::InvalidInput(e.to_string())
        } else {
            // Print the source chain: reqwest's top-level message alone is rarely informative.
            let mut msg = e.to_string();
            let mut src = std::error::Error::source(&e);
            while let Some(s) = src {
                msg.push_str(": ");
                msg.push_str(&s.to_string());
                src = s.source();
            }
            Error::Transport(msg)
        }
    }
}

/// First 200 characters of a body, lossily decoded.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(800)]);
    text.chars().take(200).collect()
}

/// Result alias of the SDK.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_helpers() {
        assert!(Error::Timeout.is_offline());
        assert!(Error::Transport("x".into()).is_transient());
        assert!(Error::RateLimited { retry_after: None }.is_transient());
        assert!(!Error::RateLimited { retry_after: None }.is_offline());
        let s500 = Error::Server {
            status: 503,
            code: "unavailable".into(),
            message: String::new(),
        };
        assert!(s500.is_transient());
        // 503 is as good as unreachable; a 500 or a rate limit is not.
        assert!(s500.is_unreachable() && !s500.is_offline());
        assert!(Error::Timeout.is_unreachable());
        let s500b = Error::Server {
            status: 500,
            code: "internal_error".into(),
            message: String::new(),
        };
        assert!(!s500b.is_unreachable());
        assert!(!Error::RateLimited { retry_after: None }.is_unreachable());
        assert!(!Error::NotFound {
            message: String::new()
        }
        .is_transient());
        assert!(Error::Unauthorized {
            message: String::new()
        }
        .is_auth());
    }

    #[test]
    fn snippet_is_bounded_and_lossy() {
        let body = vec![0xffu8; 5000];
        assert!(snippet(&body).chars().count() <= 200);
        let v = Error::local_validation(vec![FieldError::new("a", "bad")]);
        assert_eq!(v.field_errors().len(), 1);
        assert!(v.to_string().contains("a: bad"));
    }
}
