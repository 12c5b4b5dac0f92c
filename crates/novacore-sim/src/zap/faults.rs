//! Per-Zap faults for an installer's health chain: unreachable for a while (as after a Wi-Fi
//! change), no internet / cloud unreachable in `/api/system`, malformed JSON, a stall
//! mid-response. Set through `POST /_sim/zaps/{serial}/faults` or [`crate::SandboxHandle::set_zap_faults`].

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::zap::ZapCtx;

/// The active faults of one Zap (`Default`: none).
#[derive(Debug, Clone, Default)]
pub struct ZapFaults {
    /// New connections are closed without an answer until then.
    pub unreachable_until: Option<Instant>,
    /// `/api/system` reports no internet (and so no cloud session).
    pub no_internet: bool,
    /// `/api/system` reports internet but no cloud (MQTT) session.
    pub cloud_unreachable: bool,
    /// Every answer is `200` with a truncated JSON body.
    pub malformed: bool,
    /// Every answer sends its headers and the start of a body, then nothing more.
    pub stall: bool,
    /// After a successful `POST /api/wifi` the Zap is unreachable this long (0: not at all).
    pub wifi_reconnect: Duration,
    /// Answer as old firmware (1.8.x): `GET /api/devices` a bare list with `serial_number` and
    /// `connection_status` (reference §5.2).
    pub old_firmware: bool,
}

impl ZapFaults {
    /// Whether new connections are dropped right now.
    pub fn unreachable(&self) -> bool {
        self.unreachable_until.is_some_and(|t| Instant::now() < t)
    }

    /// Applies an update: only the fields it carries change.
    pub fn apply(&mut self, u: &ZapFaultUpdate) {
        if let Some(s) = u.unreachable_secs {
            self.unreachable_until =
                (s > 0.0).then(|| Instant::now() + Duration::from_secs_f64(s.min(3600.0)));
        }
        let set = |dst: &mut bool, v: Option<bool>| {
            if let Some(v) = v {
                *dst = v;
            }
        };
        set(&mut self.no_internet, u.no_internet);
        set(&mut self.cloud_unreachable, u.cloud_unreachable);
        set(&mut self.malformed, u.malformed);
        set(&mut self.stall, u.stall);
        set(&mut self.old_firmware, u.old_firmware);
        if let Some(ms) = u.wifi_reconnect_ms {
            self.wifi_reconnect = Duration::from_millis(ms.min(600_000));
        }
    }

    /// The state as the control route reports it.
    pub fn view(&self) -> ZapFaultUpdate {
        let left = self
            .unreachable_until
            .map(|t| t.saturating_duration_since(Instant::now()).as_secs_f64())
            .unwrap_or(0.0);
        ZapFaultUpdate {
            unreachable_secs: Some(left),
            no_internet: Some(self.no_internet),
            cloud_unreachable: Some(self.cloud_unreachable),
            malformed: Some(self.malformed),
            stall: Some(self.stall),
            wifi_reconnect_ms: Some(self.wifi_reconnect.as_millis() as u64),
            old_firmware: Some(self.old_firmware),
        }
    }
}

/// Body of `POST /_sim/zaps/{serial}/faults`; absent fields keep their value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZapFaultUpdate {
    /// Drop new connections for this many seconds from now (0 ends it).
    #[serde(default)]
    pub unreachable_secs: Option<f64>,
    /// Report `internetConnected: false` (and `mqttConnected: false`).
    #[serde(default)]
    pub no_internet: Option<bool>,
    /// Report `mqttConnected: false` with internet up.
    #[serde(default)]
    pub cloud_unreachable: Option<bool>,
    /// Answer truncated JSON.
    #[serde(default)]
    pub malformed: Option<bool>,
    /// Stall mid-response.
    #[serde(default)]
    pub stall: Option<bool>,
    /// Unreachable this long after a successful Wi-Fi change.
    #[serde(default)]
    pub wifi_reconnect_ms: Option<u64>,
    /// Answer as old firmware (bare device list, `serial_number`, `connection_status`).
    #[serde(default)]
    pub old_firmware: Option<bool>,
}

/// The body a malformed answer carries: valid start, cut in the middle of an object.
pub const MALFORMED_BODY: &str = r#"{"time_utc_sec": 1697515200, "zap": {"deviceId": "zap-"#;
/// What a stalled answer sends before it stops.
pub const STALL_PREFIX: &str = r#"{"time_utc_sec": 1697515200, "#;

/// Middleware: malformed and stalled answers, and `Connection: close` on every answer so that
/// each request opens a new connection and "unreachable" (enforced at accept) takes effect at once.
pub async fn layer(State(ctx): State<ZapCtx>, req: Request, next: Next) -> Response {
    let (malformed, stall) = {
        let w = ctx.sim.world();
        w.zaps
            .get(&ctx.serial)
            .map(|z| (z.faults.malformed, z.faults.stall))
            .unwrap_or_default()
    };
    let mut resp = if stall {
        stalled()
    } else if malformed {
        (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            MALFORMED_BODY,
        )
            .into_response()
    } else {
        next.run(req).await
    };
    resp.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    resp
}

fn stalled() -> Response {
    let first = futures::stream::once(async {
        Ok::<_, std::io::Error>(bytes::Bytes::from_static(STALL_PREFIX.as_bytes()))
    });
    // Never completes: the client's timeout (or its going away) ends the exchange.
    let body = Body::from_stream(futures::StreamExt::chain(first, futures::stream::pending()));
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CONTENT_LENGTH, "4096"),
        ],
        body,
    )
        .into_response()
}

/// A listener that closes new connections while its Zap is unreachable.
pub struct ZapListener {
    /// The bound socket.
    pub inner: tokio::net::TcpListener,
    /// Whose faults apply.
    pub ctx: ZapCtx,
}

impl axum::serve::Listener for ZapListener {
    type Io = tokio::net::TcpStream;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let (io, addr) = match self.inner.accept().await {
                Ok(c) => c,
                Err(e) => {
                    tracing::debug!(error = %e, "zap accept failed");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            };
            let down = {
                let w = self.ctx.sim.world();
                w.zaps
                    .get(&self.ctx.serial)
                    .is_some_and(|z| z.faults.unreachable())
            };
            if down {
                // Closed unanswered: the client sees its connection reset or closed at once.
                drop(io);
                continue;
            }
            return (io, addr);
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updates_merge_and_expire() {
        let mut f = ZapFaults::default();
        f.apply(&ZapFaultUpdate {
            unreachable_secs: Some(30.0),
            no_internet: Some(true),
            ..Default::default()
        });
        assert!(f.unreachable() && f.no_internet && !f.malformed);
        f.apply(&ZapFaultUpdate {
            malformed: Some(true),
            ..Default::default()
        });
        assert!(f.unreachable() && f.no_internet && f.malformed);
        f.apply(&ZapFaultUpdate {
            unreachable_secs: Some(0.0),
            ..Default::default()
        });
        assert!(!f.unreachable());
        assert!(serde_json::from_str::<ZapFaultUpdate>(r#"{"nope": 1}"#).is_err());
    }
}
