//! Zap system, Wi-Fi and crypto endpoints (§5.1, §5.4, §5.6).

use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use p256::ecdsa::{signature::Signer, Signature};
use rand::Rng;
use serde_json::{json, Value};

use crate::zap::{zap_error, ZapCtx};

/// The networks every sandbox Zap sees: (SSID, RSSI dBm, auth, passphrase; `None`: open).
pub const SSIDS: &[(&str, i32, &str, Option<&str>)] = &[
    ("HomeNet", -48, "WPA2", Some("sandbox-homenet")),
    ("Neighbour-5G", -71, "WPA2", Some("sandbox-neighbour")),
    ("Guest", -80, "OPEN", None),
];

/// The signal of a network the Zap sees (`None` when out of range).
fn rssi_of(ssid: &str) -> Option<i32> {
    SSIDS.iter().find(|s| s.0 == ssid).map(|s| s.1)
}

/// `GET /api/system`.
pub async fn system(State(ctx): State<ZapCtx>) -> Response {
    let now_s = ctx.sim.clock.now_ms() / 1000;
    let w = ctx.sim.world();
    let Some(z) = w.zaps.get(&ctx.serial) else {
        return zap_error(StatusCode::NOT_FOUND, "no such zap");
    };
    let connected = z.wifi.is_some();
    let internet = connected && !z.faults.no_internet;
    let mqtt = internet && !z.faults.cloud_unreachable && w.gateways.contains_key(&z.serial);
    let rssi = z.wifi.as_deref().and_then(rssi_of);
    let firmware = if z.faults.old_firmware {
        "1.8.50"
    } else {
        "1.9.22"
    };
    Json(json!({"time_utc_sec": now_s, "uptime_seconds": z.booted.elapsed().as_secs(), "temperature_celsius": 42.0,
        "memory_kb": {"total": 252.6, "free": 67.5, "used": 185.1, "percent_used": 73.3, "min": 48.0, "largest": 31.0},
        "processes_average": {"last_1min": 3, "last_5min": 3, "last_15min": 2},
        "logging": {"enabled": false, "level": 4},
        "zap": {"deviceId": z.serial, "cpuFreqMHz": 160, "flashSizeMB": 4.0, "sdkVersion": "v5.1", "firmwareVersion": firmware,
                "publicKey": z.public_key_hex(),
                "network": {"wifiStatus": if connected { "connected" } else { "disconnected" }, "wifiConnected": connected,
                            "localIP": z.url.as_deref().unwrap_or("127.0.0.1"), "ssid": z.wifi, "rssi": rssi,
                            "internetConnected": internet, "mqttConnected": mqtt}}}))
    .into_response()
}

fn go_down(ctx: &ZapCtx, after: Duration, for_: Duration, reset: bool) {
    let mut w = ctx.sim.world();
    if let Some(z) = w.zaps.get_mut(&ctx.serial) {
        let from = Instant::now() + after;
        z.down = Some((from, from + for_));
        z.booted = from + for_;
        if reset {
            z.devices.clear();
            z.wifi = None;
        }
    }
}

/// `POST /api/system/reboot`: unreachable from 0.5 s to 3.5 s from now.
pub async fn reboot(State(ctx): State<ZapCtx>) -> Response {
    go_down(
        &ctx,
        Duration::from_millis(500),
        Duration::from_secs(3),
        false,
    );
    Json(json!({"status": "success", "message": "System is rebooting in 5 seconds"}))
        .into_response()
}

/// `POST /api/system/factory-reset`: clears devices and Wi-Fi, then reboots.
pub async fn factory_reset(State(ctx): State<ZapCtx>) -> Response {
    go_down(
        &ctx,
        Duration::from_millis(500),
        Duration::from_secs(2),
        true,
    );
    Json(json!({"message": "Factory reset successful. Rebooting in 2 seconds."})).into_response()
}

/// `POST /api/system/log_stream`.
pub async fn log_stream(body: Bytes) -> Response {
    let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    match v.get("enabled").and_then(Value::as_bool) {
        Some(e) => Json(json!({"enabled": e, "status": "ok"})).into_response(),
        None => zap_error(StatusCode::BAD_REQUEST, "Missing enabled"),
    }
}

/// `GET /api/wifi`.
pub async fn wifi_get(State(ctx): State<ZapCtx>) -> Response {
    let w = ctx.sim.world();
    let connected = w.zaps.get(&ctx.serial).and_then(|z| z.wifi.clone());
    let ssids: Vec<Value> = SSIDS
        .iter()
        .map(|(s, r, a, _)| json!({"ssid": s, "rssi": r, "auth": a}))
        .collect();
    Json(json!({"ssids": ssids, "connected": connected})).into_response()
}

/// `POST /api/wifi` `{"ssid","psk"}`: 500 when the Zap cannot connect (the network is not in
/// range, or its passphrase is not the one given); the Zap then stays on its network.
pub async fn wifi_set(State(ctx): State<ZapCtx>, body: Bytes) -> Response {
    if body.is_empty() {
        return zap_error(StatusCode::BAD_REQUEST, "Empty request body");
    }
    let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let (Some(ssid), Some(psk)) = (
        v.get("ssid").and_then(Value::as_str),
        v.get("psk").and_then(Value::as_str),
    ) else {
        return zap_error(StatusCode::BAD_REQUEST, "Missing credentials");
    };
    let joins = SSIDS
        .iter()
        .any(|s| s.0 == ssid && s.3.is_none_or(|want| want == psk));
    if !joins {
        return zap_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Failed to connect to WiFi",
        );
    }
    if let Some(z) = ctx.sim.world().zaps.get_mut(&ctx.serial) {
        z.wifi = Some(ssid.to_string());
        // A real Zap drops off the LAN while it re-joins; the answer below still goes out.
        let d = z.faults.wifi_reconnect;
        if !d.is_zero() {
            z.faults.unreachable_until = Some(Instant::now() + d);
        }
    }
    Json(json!({"status": "success", "message": "WiFi credentials updated and connected"}))
        .into_response()
}

/// `DELETE /api/wifi`.
pub async fn wifi_clear(State(ctx): State<ZapCtx>) -> Response {
    if let Some(z) = ctx.sim.world().zaps.get_mut(&ctx.serial) {
        z.wifi = None;
    }
    Json(json!({"status": "success", "message": "WiFi credentials cleared, disconnecting in 5 seconds"})).into_response()
}

/// `GET /api/wifi/scan` (the firmware's typo kept).
pub async fn wifi_scan() -> Response {
    Json(json!({"status": "sucess", "message": "scan initiated"})).into_response()
}

/// `GET /api/crypto`.
pub async fn crypto(State(ctx): State<ZapCtx>) -> Response {
    let w = ctx.sim.world();
    let Some(z) = w.zaps.get(&ctx.serial) else {
        return zap_error(StatusCode::NOT_FOUND, "no such zap");
    };
    Json(json!({"deviceName": "software_zap", "serialNumber": z.serial, "publicKey": z.public_key_hex()})).into_response()
}

/// `GET /api/name`.
pub async fn name(State(ctx): State<ZapCtx>) -> Response {
    Json(json!({"name": ctx.serial})).into_response()
}

/// Builds the signed string exactly as the firmware does (§5.6).
pub fn sign_payload(message: &str, nonce: u32, timestamp: &str, serial: &str) -> String {
    if message.is_empty() {
        format!("{nonce}|{timestamp}|{serial}")
    } else {
        format!("{message}|{nonce}|{timestamp}|{serial}")
    }
}

/// `POST /api/crypto/sign` (§5.6): `message|nonce|timestamp|serial`, raw r‖s lowercase hex.
pub async fn sign(State(ctx): State<ZapCtx>, body: Bytes) -> Response {
    let v: Value = if body.is_empty() {
        json!({})
    } else {
        match serde_json::from_slice(&body) {
            Ok(v @ Value::Object(_)) => v,
            _ => return zap_error(StatusCode::BAD_REQUEST, "Invalid JSON"),
        }
    };
    let text = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let (message, ts) = (text("message"), text("timestamp"));
    if message.contains('|') {
        return zap_error(
            StatusCode::BAD_REQUEST,
            "Message cannot contain | characters",
        );
    }
    if ts.contains('|') {
        return zap_error(
            StatusCode::BAD_REQUEST,
            "Timestamp cannot contain | characters",
        );
    }
    let ts = if ts.is_empty() {
        chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
    } else {
        ts
    };
    let nonce: u32 = rand::thread_rng().gen_range(100_000..=999_999);
    let key = {
        let w = ctx.sim.world();
        match w.zaps.get(&ctx.serial) {
            Some(z) => z.key.clone(),
            None => return zap_error(StatusCode::NOT_FOUND, "no such zap"),
        }
    };
    let payload = sign_payload(&message, nonce, &ts, &ctx.serial);
    let sig: Signature = key.0.sign(payload.as_bytes());
    Json(json!({"sign": hex::encode(sig.to_bytes()), "message": payload})).into_response()
}
