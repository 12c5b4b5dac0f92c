//! Test helpers: start a sandbox, log in, call routes, read SSE frames.

use std::time::Duration;

use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};
use futures::StreamExt;
use novacore_sim::{Sandbox, SandboxBuilder, SandboxHandle};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

pub fn builder() -> SandboxBuilder {
    Sandbox::builder()
        .seed(7)
        .sites(2)
        .zaps(1)
        .demo(false)
        .control(true)
}

pub async fn start(b: SandboxBuilder) -> SandboxHandle {
    b.start().await.expect("sandbox starts")
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

pub struct Resp {
    pub status: StatusCode,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

pub async fn call(method: Method, url: &str, token: Option<&str>, body: Option<Value>) -> Resp {
    let mut rb = http().request(method, url);
    if let Some(t) = token {
        rb = rb.bearer_auth(t);
    }
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    let r = rb.send().await.expect("request");
    let status = r.status();
    let headers = r.headers().clone();
    let text = r.text().await.unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Resp {
        status,
        body,
        headers,
    }
}

pub async fn get(url: &str, token: Option<&str>) -> Resp {
    call(Method::GET, url, token, None).await
}

pub async fn post(url: &str, token: Option<&str>, body: Value) -> Resp {
    call(Method::POST, url, token, Some(body)).await
}

/// Asserts the error envelope and its code.
pub fn assert_error(r: &Resp, status: u16, code: &str) {
    assert_eq!(r.status.as_u16(), status, "body: {}", r.body);
    assert_eq!(r.body["error"], code, "body: {}", r.body);
    assert!(r.body["message"].is_string());
}

pub struct User {
    pub token: String,
    pub id: String,
}

pub fn key(n: u8) -> SigningKey {
    SigningKey::from_bytes(&[n; 32])
}

pub async fn login(base: &str, key: &SigningKey) -> User {
    let pk = base64::engine::general_purpose::STANDARD.encode(key.verifying_key().to_bytes());
    let c = post(
        &format!("{base}/auth/challenge"),
        None,
        json!({"public_key": pk}),
    )
    .await;
    assert_eq!(c.status, 200, "{}", c.body);
    let ch = c.body["challenge"].as_str().unwrap().to_string();
    let sig = base64::engine::general_purpose::STANDARD.encode(key.sign(ch.as_bytes()).to_bytes());
    let v = post(
        &format!("{base}/auth/verify"),
        None,
        json!({"public_key": pk, "signature": sig, "challenge": ch}),
    )
    .await;
    assert_eq!(v.status, 200, "{}", v.body);
    User {
        token: v.body["token"].as_str().unwrap().into(),
        id: v.body["identity_id"].as_str().unwrap().into(),
    }
}

pub async fn new_org(base: &str, u: &User, name: &str) -> String {
    let r = post(
        &format!("{base}/organizations"),
        Some(&u.token),
        json!({"name": name}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.body["id"].as_str().unwrap().to_string()
}

pub async fn new_site(base: &str, u: &User, org: &str) -> String {
    let r = post(&format!("{base}/sites"), Some(&u.token), json!({"org_id": org, "name": "Home", "location": {"lat": 59.33, "lon": 18.07}, "timezone": "Europe/Stockholm", "price_area": "SE3"})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.body["id"].as_str().unwrap().to_string()
}

/// One SSE frame.
#[derive(Debug, Default, Clone)]
pub struct Frame {
    pub id: Option<u64>,
    pub event: Option<String>,
    pub data: String,
    pub comment: bool,
    pub retry: Option<u64>,
}

pub struct Sse {
    stream: futures::stream::BoxStream<'static, reqwest::Result<bytes::Bytes>>,
    buf: String,
    pub ended: bool,
}

pub async fn open_stream(base: &str, site: &str, token: &str, last_id: Option<u64>) -> Sse {
    let mut rb = http()
        .get(format!("{base}/stream/sites/{site}"))
        .bearer_auth(token)
        .header("accept", "text/event-stream");
    if let Some(n) = last_id {
        rb = rb.header("last-event-id", n.to_string());
    }
    let r = rb.send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/event-stream");
    Sse {
        stream: r.bytes_stream().boxed(),
        buf: String::new(),
        ended: false,
    }
}

impl Sse {
    /// Next frame within `within`, or None on timeout / end.
    pub async fn next(&mut self, within: Duration) -> Option<Frame> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if let Some(pos) = self.buf.find("\n\n") {
                let raw: String = self.buf.drain(..pos + 2).collect();
                let mut f = Frame::default();
                for line in raw.lines() {
                    if let Some(c) = line.strip_prefix(':') {
                        f.comment = true;
                        f.data = c.trim().to_string();
                    } else if let Some(v) = line.strip_prefix("id: ") {
                        f.id = v.parse().ok();
                    } else if let Some(v) = line.strip_prefix("event: ") {
                        f.event = Some(v.to_string());
                    } else if let Some(v) = line.strip_prefix("data: ") {
                        f.data = v.to_string();
                    } else if let Some(v) = line.strip_prefix("retry: ") {
                        f.retry = v.parse().ok();
                    }
                }
                return Some(f);
            }
            match tokio::time::timeout_at(deadline, self.stream.next()).await {
                Ok(Some(Ok(b))) => self.buf.push_str(&String::from_utf8_lossy(&b)),
                Ok(_) => {
                    self.ended = true;
                    return None;
                }
                Err(_) => return None,
            }
        }
    }

    /// Next data frame carrying an id (skips comments/retry).
    pub async fn next_event(&mut self, within: Duration) -> Option<Frame> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let f = self.next(left).await?;
            if f.id.is_some() || f.event.is_some() {
                return Some(f);
            }
        }
    }
}

/// Claims the sandbox's first Zap into `org` through its own signing endpoint.
pub async fn claim_zap(base: &str, u: &User, org: &str, zap_url: &str) -> Resp {
    let c = get(&format!("{zap_url}/api/crypto"), None).await;
    let serial = c.body["serialNumber"].as_str().unwrap().to_string();
    let pk = c.body["publicKey"].as_str().unwrap().to_string();
    let s = post(
        &format!("{zap_url}/api/crypto/sign"),
        None,
        json!({"message": u.id}),
    )
    .await;
    assert_eq!(s.status, 200, "{}", s.body);
    post(
        &format!("{base}/gateways/claim"),
        Some(&u.token),
        json!({"org_id": org, "gateway_serial": serial, "public_key": pk,
        "message": s.body["message"], "signature": s.body["sign"]}),
    )
    .await
}
