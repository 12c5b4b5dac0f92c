//! Why a Zap's local API could not be used, in sentences an installer can act on.

/// A failure specific to talking to a Zap on the LAN (the other HTTP status answers of a Zap stay
/// the SDK's usual [`crate::Error`] variants: `NotFound`, `Conflict`, `Validation`, `Server`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZapError {
    /// No connection: refused, reset, no route, name not found, or no answer to connect.
    #[error(
        "Nothing answers at {address} ({detail}). Check that the Zap is powered, that this computer \
         is on the same network as the Zap, and that the address is right."
    )]
    Unreachable {
        /// `host[:port]` as typed.
        address: String,
        /// What the network said.
        detail: String,
    },
    /// The host answered with an HTML page (a router's login page, a printer, …).
    #[error(
        "{address} answers with a web page, not a Zap's API: it is probably your router or another \
         device. Check the Zap's address (your router's list of connected devices shows it, or use \
         discovery) and try again."
    )]
    WebPage {
        /// `host[:port]`.
        address: String,
    },
    /// The host answered JSON, but not as a Zap (no `zap` section in `/api/system`).
    #[error(
        "{address} answers, but not as a Zap (its /api/system has no `zap` section). Check the address."
    )]
    NotAZap {
        /// `host[:port]`.
        address: String,
    },
    /// The answer started, then stopped (or was cut off) before it was complete.
    #[error(
        "The Zap at {address} started to answer but stopped mid-response; it may be restarting or \
         overloaded. Wait a few seconds and try again."
    )]
    Stalled {
        /// `host[:port]`.
        address: String,
    },
    /// The answer is not valid JSON.
    #[error(
        "The Zap at {address} sent an answer that is not valid JSON ({reason}); it may be busy or \
         restarting. Try again; if it keeps happening, restart the Zap."
    )]
    Malformed {
        /// `host[:port]`.
        address: String,
        /// Where the JSON broke.
        reason: String,
    },
    /// The Zap answered 503: it could not do it now (reference §5.2: a field device that did not
    /// answer when added, or less than 55 KB of free memory).
    #[error(
        "The Zap at {address} cannot do that right now ({message}): a field device it had to \
         connect to did not answer, or the Zap is short of memory. Check the device, or restart \
         the Zap, then try again."
    )]
    Unavailable {
        /// `host[:port]`.
        address: String,
        /// The Zap's own message.
        message: String,
    },
}

impl ZapError {
    /// Whether trying again later may help (everything but "this is not a Zap").
    pub fn is_transient(&self) -> bool {
        !matches!(self, ZapError::WebPage { .. } | ZapError::NotAZap { .. })
    }

    /// The address the error is about.
    pub fn address(&self) -> &str {
        match self {
            ZapError::Unreachable { address, .. }
            | ZapError::WebPage { address }
            | ZapError::NotAZap { address }
            | ZapError::Stalled { address }
            | ZapError::Malformed { address, .. }
            | ZapError::Unavailable { address, .. } => address,
        }
    }
}

/// Whether an answer is an HTML page rather than an API's JSON.
pub(crate) fn is_web_page(content_type: Option<&str>, body: &[u8]) -> bool {
    let html_type = content_type.is_some_and(|t| {
        let t = t.to_ascii_lowercase();
        t.contains("text/html") || t.contains("application/xhtml")
    });
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| &body[i..])
        .unwrap_or_default();
    html_type || start.first() == Some(&b'<')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_pages_are_recognised_by_type_or_body() {
        assert!(is_web_page(Some("text/html; charset=utf-8"), b"{}"));
        assert!(is_web_page(None, b"  \n<!DOCTYPE html><html>"));
        assert!(!is_web_page(Some("application/json"), br#"{"a":1}"#));
        assert!(!is_web_page(None, b""));
        let e = ZapError::WebPage {
            address: "192.168.1.1".into(),
        };
        assert!(e
            .to_string()
            .contains("answers with a web page, not a Zap's API"));
        assert!(!e.is_transient());
    }
}
