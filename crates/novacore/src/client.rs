//! The Novacore client: base URL, identity, session, retries and the request loop.

use reqwest::Method;
use serde::de::DeserializeOwned;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use url::Url;

use crate::auth::Identity;
use crate::error::{Error, Result};
use crate::request::{error_from_response, Req};
use crate::retry::{is_retryable, RetryPolicy};
use crate::session::Session;

/// Testnet REST base URL.
pub const TESTNET_URL: &str = "https://novacore-testnet.sourceful.dev";
/// Mainnet REST base URL.
pub const MAINNET_URL: &str = "https://novacore-mainnet.sourceful.dev";

/// Configures a [`Client`].
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base_url: String,
    identity: Option<Identity>,
    session: Option<Session>,
    retry: RetryPolicy,
    timeout: Duration,
    reauth_margin: chrono::Duration,
}

impl ClientBuilder {
    /// Identity used to log in (and to re-authenticate automatically).
    pub fn identity(mut self, identity: Identity) -> Self {
        self.identity = Some(identity);
        self
    }
    /// A previously persisted session to start with (e.g. for an offline start).
    pub fn session(mut self, session: Session) -> Self {
        self.session = Some(session);
        self
    }
    /// Retry policy of safe requests.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }
    /// Per-request timeout (not applied to the SSE stream).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
    /// Log in again when the token expires within this margin (default 5 minutes).
    pub fn reauth_margin(mut self, margin: Duration) -> Self {
        self.reauth_margin = chrono::Duration::from_std(margin).unwrap_or(chrono::Duration::MAX);
        self
    }
    /// Builds the client; refuses plain `http://` unless the host is loopback.
    pub fn build(self) -> Result<Client> {
        let base = parse_base_url(&self.base_url)?;
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .user_agent(concat!("novacore-rs/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::InvalidInput(e.to_string()))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                identity: self.identity,
                session: Mutex::new(self.session),
                login_lock: tokio::sync::Mutex::new(()),
                retry: self.retry,
                timeout: self.timeout,
                reauth_margin: self.reauth_margin,
            }),
        })
    }
}

/// Parses and checks a Novacore base URL.
pub(crate) fn parse_base_url(s: &str) -> Result<Url> {
    let url = Url::parse(s).map_err(|e| Error::InvalidInput(format!("bad base URL {s:?}: {e}")))?;
    match check_transport(&url) {
        Ok(()) => Ok(url),
        Err(TransportRefusal::PlainHttp) => Err(Error::InvalidInput(format!(
            "refusing plain http to {s}: https is required except for loopback"
        ))),
        Err(TransportRefusal::Scheme) => Err(Error::InvalidInput(format!(
            "unsupported URL scheme {}",
            url.scheme()
        ))),
    }
}

/// Why [`check_transport`] refused a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportRefusal {
    /// `http://` to a host other than this computer.
    PlainHttp,
    /// Neither `https://` nor `http://`.
    Scheme,
}

/// The rule every base URL passes before a session token is sent to it: `https://` anywhere,
/// plain `http://` only to loopback (127.0.0.0/8, ::1, `localhost`), so a token never crosses a
/// network in clear. The one statement of that rule; the app's environment picker uses it too.
pub fn check_transport(url: &Url) -> std::result::Result<(), TransportRefusal> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => Err(TransportRefusal::PlainHttp),
        _ => Err(TransportRefusal::Scheme),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    base: Url,
    identity: Option<Identity>,
    session: Mutex<Option<Session>>,
    /// Serialises logins so concurrent requests near expiry log in once.
    login_lock: tokio::sync::Mutex<()>,
    retry: RetryPolicy,
    timeout: Duration,
    reauth_margin: chrono::Duration,
}

/// A cheap-to-clone handle on one Novacore environment.
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// A raw successful response body.
pub(crate) struct RawResponse {
    pub body: bytes::Bytes,
}

impl Client {
    /// A client with default settings (no identity: public endpoints, or call `set_session`).
    pub fn new(base_url: &str) -> Result<Self> {
        Self::builder(base_url).build()
    }

    /// Starts configuring a client for `base_url` (testnet, mainnet, the sandbox or any URL).
    pub fn builder(base_url: &str) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.to_string(),
            identity: None,
            session: None,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(30),
            reauth_margin: chrono::Duration::minutes(5),
        }
    }

    /// The base URL.
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    /// The identity, if any.
    pub fn identity(&self) -> Option<&Identity> {
        self.inner.identity.as_ref()
    }

    /// The current session (persist it to restore later).
    pub fn session(&self) -> Option<Session> {
        self.lock_session().clone()
    }

    /// Replaces the session (restore a persisted one, or `None` to sign out).
    pub fn set_session(&self, session: Option<Session>) {
        *self.lock_session() = session;
    }

    fn lock_session(&self) -> std::sync::MutexGuard<'_, Option<Session>> {
        // A poisoned lock only means another thread panicked mid-assignment of a plain value.
        self.inner.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    pub(crate) fn url(&self, segments: &[String], query: &[(String, String)]) -> Url {
        let mut url = self.inner.base.clone();
        if let Ok(mut segs) = url.path_segments_mut() {
            segs.pop_if_empty().extend(segments);
        }
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        url
    }

    /// A valid token: the current one, or a fresh login when missing or about to expire.
    pub(crate) async fn token(&self, force_login: bool) -> Result<String> {
        if !force_login {
            if let Some(s) = self.lock_session().as_ref() {
                if !s.expires_within(self.inner.reauth_margin) || self.inner.identity.is_none() {
                    return Ok(s.token.expose().to_string());
                }
            }
        }
        if self.inner.identity.is_none() {
            return Err(Error::NoIdentity);
        }
        let stale = self.session().map(|s| s.token);
        let _guard = self.inner.login_lock.lock().await;
        // Another task may have logged in while we waited for the lock.
        if let Some(s) = self.lock_session().as_ref() {
            let fresh = Some(&s.token) != stale.as_ref();
            if fresh && !s.expires_within(self.inner.reauth_margin) {
                return Ok(s.token.expose().to_string());
            }
        }
        let session = crate::auth::login(self).await?;
        let token = session.token.expose().to_string();
        self.set_session(Some(session));
        Ok(token)
    }

    /// Sends `req` with auth, re-auth once on 401 and retries; returns the successful raw response.
    pub(crate) async fn execute(&self, req: &Req) -> Result<RawResponse> {
        self.with_retries(req, |force_login| self.attempt(req, force_login))
            .await
    }

    /// Sends a request without a token (login itself must not depend on having a token).
    pub(crate) async fn execute_public(&self, req: &Req) -> Result<RawResponse> {
        self.with_retries(req, |_| self.raw_attempt(req, None))
            .await
    }

    async fn with_retries<F, Fut>(&self, req: &Req, mut attempt: F) -> Result<RawResponse>
    where
        F: FnMut(bool) -> Fut,
        Fut: std::future::Future<Output = Result<RawResponse>>,
    {
        let started = Instant::now();
        let policy = &self.inner.retry;
        let mut retries = 0u32;
        let mut reauthed = false;
        loop {
            let outcome = match attempt(false).await {
                Err(Error::Unauthorized { .. })
                    if req.auth && !reauthed && self.inner.identity.is_some() =>
                {
                    reauthed = true;
                    attempt(true).await
                }
                o => o,
            };
            let e = match outcome {
                Ok(r) => return Ok(r),
                // A retried DELETE that finds nothing: the attempt whose answer was lost did it.
                Err(Error::NotFound { .. }) if retries > 0 && req.method == Method::DELETE => {
                    return Ok(RawResponse {
                        body: bytes::Bytes::new(),
                    })
                }
                Err(e) => e,
            };
            let may_retry = req.retry
                && is_retryable(&e)
                && retries + 1 < policy.max_attempts
                && started.elapsed() < policy.max_total;
            if !may_retry {
                return Err(e);
            }
            let delay = policy.delay_for(&e, retries);
            if started.elapsed() + delay > policy.max_total {
                return Err(e);
            }
            tracing::debug!(error = %e, ?delay, path = ?req.segments, "retrying");
            tokio::time::sleep(delay).await;
            retries += 1;
        }
    }

    async fn attempt(&self, req: &Req, force_login: bool) -> Result<RawResponse> {
        let token = if req.auth {
            Some(self.token(force_login).await?)
        } else {
            None
        };
        self.raw_attempt(req, token.as_deref()).await
    }

    async fn raw_attempt(&self, req: &Req, token: Option<&str>) -> Result<RawResponse> {
        let url = self.url(&req.segments, &req.query);
        let mut rb = self
            .inner
            .http
            .request(req.method.clone(), url)
            .timeout(self.inner.timeout)
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(token) = token {
            rb = rb.bearer_auth(token);
        }
        if let Some(body) = &req.body {
            rb = rb.json(body);
        }
        let resp = rb.send().await?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = resp.bytes().await?;
        if status.is_success() {
            Ok(RawResponse { body })
        } else {
            Err(error_from_response(status, &headers, &body))
        }
    }

    /// Sends a public request and decodes the JSON body.
    pub(crate) async fn send_public<T: DeserializeOwned>(&self, req: Req) -> Result<T> {
        let raw = self.execute_public(&req).await?;
        decode(&raw.body)
    }

    /// Sends `req` and decodes the JSON body.
    pub(crate) async fn send<T: DeserializeOwned>(&self, req: Req) -> Result<T> {
        let raw = self.execute(&req).await?;
        decode(&raw.body)
    }

    /// Sends `req` and ignores the body (DELETE and friends).
    pub(crate) async fn send_unit(&self, req: Req) -> Result<()> {
        self.execute(&req).await.map(|_| ())
    }

    /// Sends a list request, following `next_cursor` until the last page.
    pub(crate) async fn list<T: DeserializeOwned>(&self, req: Req) -> Result<Vec<T>> {
        let mut out = Vec::new();
        let mut req = req;
        let mut last_cursor: Option<String> = None;
        // Bounded so a server that repeats cursors forever cannot hang the caller.
        for _ in 0..10_000 {
            let raw = self.execute(&req).await?;
            let page = crate::models::page::decode_page::<T>(&raw.body)?;
            out.extend(page.items);
            match page.next_cursor {
                Some(c) if !c.is_empty() && Some(&c) != last_cursor.as_ref() => {
                    req.query.retain(|(k, _)| k != "cursor");
                    req.query.push(("cursor".into(), c.clone()));
                    last_cursor = Some(c);
                }
                _ => return Ok(out),
            }
        }
        Ok(out)
    }
}

/// Decodes a JSON body, reporting a snippet on failure.
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    serde_json::from_slice(body).map_err(|e| Error::decode(e, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_required_except_loopback() {
        assert!(Client::new("https://novacore-testnet.sourceful.dev").is_ok());
        assert!(Client::new("http://127.0.0.1:8080").is_ok());
        assert!(Client::new("http://[::1]:1").is_ok());
        assert!(Client::new("http://localhost:3000/").is_ok());
        assert!(matches!(
            Client::new("http://example.com"),
            Err(Error::InvalidInput(_))
        ));
        assert!(matches!(
            Client::new("http://192.168.1.10"),
            Err(Error::InvalidInput(_))
        ));
        assert!(matches!(
            Client::new("ftp://x"),
            Err(Error::InvalidInput(_))
        ));
        assert!(matches!(
            Client::new("not a url"),
            Err(Error::InvalidInput(_))
        ));
    }

    /// Plain http leaves this computer for no host: a token sent in clear would be readable on
    /// every hop. The refusal is in the constructor, so a refused URL never gets a client.
    #[test]
    fn plain_http_is_refused_for_every_host_but_loopback() {
        for (url, allowed) in [
            ("http://127.0.0.1:1", true),
            ("http://127.255.255.254", true),
            ("http://[::1]:8080/api", true),
            ("http://localhost", true),
            ("https://example.test", true),
            ("https://203.0.113.7:8443", true),
            ("http://example.test", false),
            ("http://nc.example.test:80/api", false),
            ("http://127.0.0.1.example.test", false),
            ("http://localhost.example.test", false),
            ("http://0.0.0.0", false),
            ("http://10.0.0.1", false),
            ("http://172.16.0.1", false),
            ("http://192.168.1.10", false),
            ("http://169.254.1.1", false),
            ("http://100.64.0.1", false),
            ("http://203.0.113.7", false),
            ("http://[fd00::1]", false),
            ("http://[fe80::1]", false),
            ("http://[2001:db8::1]", false),
            ("http://[::ffff:127.0.0.1]", false),
        ] {
            match Client::builder(url).build() {
                Ok(_) => assert!(allowed, "{url} was allowed"),
                Err(Error::InvalidInput(why)) => {
                    assert!(!allowed, "{url} was refused: {why}");
                    assert!(why.contains("https is required"), "{url}: {why}");
                }
                Err(other) => panic!("{url}: {other:?}"),
            }
        }
    }

    #[test]
    fn the_transport_rule_says_why_it_refuses() {
        let check = |s: &str| check_transport(&Url::parse(s).unwrap());
        assert_eq!(check("https://nc.example.com"), Ok(()));
        assert_eq!(check("http://127.8.9.10:1"), Ok(()));
        assert_eq!(check("http://LOCALHOST"), Ok(()));
        assert_eq!(
            check("http://localhost.evil.example"),
            Err(TransportRefusal::PlainHttp)
        );
        assert_eq!(check("http://[fe80::1]"), Err(TransportRefusal::PlainHttp));
        assert_eq!(check("ftp://127.0.0.1"), Err(TransportRefusal::Scheme));
        assert_eq!(check("file:///etc/passwd"), Err(TransportRefusal::Scheme));
    }

    #[test]
    fn url_building_escapes_segments() {
        let c = Client::new("https://h.example/api/").unwrap();
        let u = c.url(
            &["sites".into(), "a/b c".into()],
            &[("org_id".into(), "org 1".into())],
        );
        assert_eq!(
            u.as_str(),
            "https://h.example/api/sites/a%2Fb%20c?org_id=org+1"
        );
    }
}
