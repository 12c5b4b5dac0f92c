//! The Zap local API client (reference §5): plain HTTP on the LAN, no auth, short timeouts.
//! [`discovery`] finds Zaps (mDNS browse, subnet sweep); [`ZapError`] says in a sentence why a
//! Zap could not be used.

pub mod address;
pub mod discovery;
mod endpoints;
pub mod error;
pub mod models;

pub use address::zap_base_url;
pub use error::ZapError;
pub use models::*;

use reqwest::Method;
use serde::de::DeserializeOwned;
use std::time::Duration;
use url::Url;

use crate::error::{Error, Result};
use crate::request::error_from_response;

/// Default timeout: a Zap on the LAN answers fast or not at all.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// A client for one Zap's local API.
#[derive(Debug, Clone)]
pub struct ZapClient {
    http: reqwest::Client,
    base: Url,
    address: String,
}

impl ZapClient {
    /// A client for what an installer typed: a bare IP (`192.168.1.100`), `host:port`, or a URL
    /// (`http://zap.local`). Plain http is accepted for private, link-local and loopback
    /// addresses and `.local` names; https anywhere.
    pub fn new(address: &str) -> Result<Self> {
        Self::with_timeout(address, DEFAULT_TIMEOUT)
    }

    /// Same as [`ZapClient::new`] with an explicit request timeout.
    pub fn with_timeout(address: &str, timeout: Duration) -> Result<Self> {
        let base = zap_base_url(address)?;
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .build()
            .map_err(|e| Error::InvalidInput(e.to_string()))?;
        Ok(Self::with_http(http, base))
    }

    /// A client sharing `http` (its timeouts apply), e.g. for the many probes of a sweep.
    pub fn with_http(http: reqwest::Client, base: Url) -> Self {
        let address = address::display_address(&base);
        Self {
            http,
            base,
            address,
        }
    }

    /// The Zap's base URL.
    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// `host[:port]`, as messages show it.
    pub fn address(&self) -> &str {
        &self.address
    }

    fn url(&self, segments: &[&str], query: &[(String, String)]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut s) = url.path_segments_mut() {
            s.pop_if_empty().push("api").extend(segments);
        }
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        url
    }

    /// Sends one request; `Ok(None)` for 204 No Content.
    async fn call_opt<T: DeserializeOwned>(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(String, String)],
        body: Option<&serde_json::Value>,
    ) -> Result<Option<T>> {
        let mut rb = self.http.request(method, self.url(segments, query));
        if let Some(b) = body {
            rb = rb.json(b);
        }
        let resp = rb.send().await.map_err(|e| self.send_error(e))?;
        let status = resp.status();
        let headers = resp.headers().clone();
        // Headers came, the body did not (in time, or at all): the Zap stalled mid-response.
        let bytes = resp.bytes().await.map_err(|_| ZapError::Stalled {
            address: self.address.clone(),
        })?;
        let content_type = headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        if error::is_web_page(content_type, &bytes) {
            return Err(ZapError::WebPage {
                address: self.address.clone(),
            }
            .into());
        }
        if status == reqwest::StatusCode::SERVICE_UNAVAILABLE {
            // A Zap's 503 is its own "not now" (device did not answer, low memory), not a cloud's.
            let message = match error_from_response(status, &headers, &bytes) {
                Error::Server { message, .. } => message,
                other => other.to_string(),
            };
            return Err(ZapError::Unavailable {
                address: self.address.clone(),
                message,
            }
            .into());
        }
        if !status.is_success() {
            return Err(error_from_response(status, &headers, &bytes));
        }
        if status.as_u16() == 204 || bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        self.decode(&bytes).map(Some)
    }

    /// JSON that does not parse is the Zap's fault ([`ZapError::Malformed`]); JSON of an
    /// unexpected shape stays a [`Error::Decode`].
    fn decode<T: DeserializeOwned>(&self, bytes: &[u8]) -> Result<T> {
        serde_json::from_slice(bytes).map_err(|e| {
            if e.is_syntax() || e.is_eof() {
                ZapError::Malformed {
                    address: self.address.clone(),
                    reason: e.to_string(),
                }
                .into()
            } else {
                Error::decode(e, bytes)
            }
        })
    }

    /// A request that got no answer: waiting for the answer is a timeout, anything before it
    /// (refused, reset, no route, connect timeout) means nothing answers there.
    fn send_error(&self, e: reqwest::Error) -> Error {
        if e.is_timeout() && !e.is_connect() {
            return Error::Timeout;
        }
        if e.is_builder() {
            return Error::InvalidInput(e.to_string());
        }
        let detail = if e.is_timeout() {
            "no answer to connect".to_string()
        } else {
            root_cause(&e)
        };
        ZapError::Unreachable {
            address: self.address.clone(),
            detail,
        }
        .into()
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        segments: &[&str],
        body: Option<&serde_json::Value>,
    ) -> Result<T> {
        self.call_opt(method, segments, &[], body)
            .await?
            .ok_or_else(|| Error::decode("empty response from Zap", b""))
    }
}

/// The innermost cause, e.g. "Connection refused (os error 111)".
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_rules() {
        for ok in [
            "http://192.168.1.100",
            "http://10.0.0.5:8080",
            "http://172.16.3.4",
            "http://169.254.1.1",
            "http://127.0.0.1:1234",
            "http://[fe80::1]",
            "http://[fd00::5]",
            "http://zap.local",
            "https://zap.example.com",
        ] {
            assert!(ZapClient::new(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://8.8.8.8",
            "http://172.32.0.1",
            "http://example.com",
            "ftp://10.0.0.1",
            "::",
        ] {
            assert!(
                matches!(ZapClient::new(bad), Err(Error::InvalidInput(_))),
                "{bad}"
            );
        }
        let z = ZapClient::new("http://10.0.0.5/").unwrap();
        assert_eq!(
            z.url(&["devices", "a b"], &[]).as_str(),
            "http://10.0.0.5/api/devices/a%20b"
        );
    }
}
