//! A scriptable raw-TCP SSE server: each connection gets the actions its script returns.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One step of a connection script.
#[derive(Debug, Clone)]
pub enum Act {
    /// Write bytes.
    Write(Vec<u8>),
    /// Pause.
    Sleep(Duration),
    /// Keep writing `: keep-alive` every interval until the client goes away; records that.
    KeepAliveUntilGone(Duration),
}

/// What the server saw.
#[derive(Debug, Default)]
pub struct Seen {
    /// `Last-Event-ID` of each connection (None when absent).
    pub last_event_ids: Vec<Option<String>>,
    /// Set once a `KeepAliveUntilGone` write failed (the client closed).
    pub client_gone: bool,
}

pub struct SseServer {
    pub url: String,
    pub seen: Arc<Mutex<Seen>>,
}

/// `status_line` and `content_type` apply to every connection.
pub async fn start<F>(status_line: &'static str, content_type: &'static str, script: F) -> SseServer
where
    F: Fn(usize, Option<u64>) -> Vec<Act> + Send + Sync + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Seen::default()));
    let seen2 = seen.clone();
    let script = Arc::new(script);
    tokio::spawn(async move {
        let mut n = 0usize;
        while let Ok((mut sock, _)) = listener.accept().await {
            let idx = n;
            n += 1;
            let seen = seen2.clone();
            let script = script.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(k) => head.extend_from_slice(&buf[..k]),
                    }
                }
                let text = String::from_utf8_lossy(&head).to_string();
                let last = text.lines().find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("last-event-id:")
                        .map(|_| l[14..].trim().to_string())
                });
                seen.lock().unwrap().last_event_ids.push(last.clone());
                let resp = format!(
                    "HTTP/1.1 {status_line}\r\ncontent-type: {content_type}\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n"
                );
                if sock.write_all(resp.as_bytes()).await.is_err() {
                    return;
                }
                for act in script(idx, last.and_then(|s| s.parse().ok())) {
                    match act {
                        Act::Write(b) => {
                            if sock.write_all(&b).await.is_err() {
                                return;
                            }
                            let _ = sock.flush().await;
                        }
                        Act::Sleep(d) => tokio::time::sleep(d).await,
                        Act::KeepAliveUntilGone(d) => loop {
                            tokio::time::sleep(d).await;
                            if sock.write_all(b": keep-alive\n\n").await.is_err()
                                || sock.flush().await.is_err()
                            {
                                seen.lock().unwrap().client_gone = true;
                                return;
                            }
                        },
                    }
                }
            });
        }
    });
    SseServer { url, seen }
}

/// A reading event with the given id (its timestamp `id` seconds into the test's day).
pub fn reading(id: u64) -> Vec<u8> {
    reading_at(id, 1_772_791_200_000u64 + id * 1000)
}

/// A reading event with the given id and timestamp (epoch ms).
pub fn reading_at(id: u64, ts_ms: u64) -> Vec<u8> {
    format!(
        "id: {id}\ndata: {{\"der_id\":\"der-1\",\"site_id\":\"sit-1\",\"type\":\"meter\",\"timestamp\":{ts_ms},\"W\":{id}.0}}\n\n"
    )
    .into_bytes()
}
