//! The Zap local API client (reference §5): plain HTTP on the LAN, no auth, short timeouts.

mod endpoints;
pub mod models;

pub use models::*;

use reqwest::Method;
use serde::de::DeserializeOwned;
use std::net::IpAddr;
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
}

impl ZapClient {
    /// A client for `url` (e.g. `http://192.168.1.100`, `http://zap.local`). Plain http is accepted
    /// for private, link-local and loopback addresses and `.local` names; https anywhere.
    pub fn new(url: &str) -> Result<Self> {
        Self::with_timeout(url, DEFAULT_TIMEOUT)
    }

    /// Same as [`ZapClient::new`] with an explicit request timeout.
    pub fn with_timeout(url: &str, timeout: Duration) -> Result<Self> {
        let base = Url::parse(url)
            .map_err(|e| Error::InvalidInput(format!("bad Zap URL {url:?}: {e}")))?;
        match base.scheme() {
            "https" => {}
            "http" if is_lan(&base) => {}
            "http" => {
                return Err(Error::InvalidInput(format!(
                    "refusing plain http to {url}: only private, link-local or loopback addresses"
                )))
            }
            s => return Err(Error::InvalidInput(format!("unsupported URL scheme {s}"))),
        }
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .build()
            .map_err(|e| Error::InvalidInput(e.to_string()))?;
        Ok(Self { http, base })
    }

    /// The Zap's base URL.
    pub fn base_url(&self) -> &Url {
        &self.base
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
        let resp = rb.send().await?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await?;
        if !status.is_success() {
            return Err(error_from_response(status, &headers, &bytes));
        }
        if status.as_u16() == 204 || bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        crate::client::decode(&bytes).map(Some)
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

fn is_lan(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => is_lan_ip(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => is_lan_ip(IpAddr::V6(ip)),
        Some(url::Host::Domain(d)) => {
            let d = d.to_ascii_lowercase();
            d == "localhost" || d.ends_with(".local")
        }
        None => false,
    }
}

fn is_lan_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_private() || v4.is_link_local() || v4.is_loopback(),
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback() || (first & 0xffc0) == 0xfe80 || (first & 0xfe00) == 0xfc00
        }
    }
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
