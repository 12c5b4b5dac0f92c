//! Legacy and utility Zap endpoints (§5.1 BLE, §5.2 batch/legacy register writes, §5.3 control
//! queue, §5.5 debug/echo).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::zap::{zap_error, ZapCtx};

/// `POST /api/ble/stop`.
pub async fn ble_stop() -> Response {
    Json(json!({"status": "success", "message": "BLE stopping..."})).into_response()
}

/// `POST /api/echo`: echoes the raw body.
pub async fn echo(body: Bytes) -> Response {
    Json(json!({"echo": String::from_utf8_lossy(&body)})).into_response()
}

/// `GET /api/debug`.
pub async fn debug() -> Response {
    Json(json!({"status": "success", "heap": {"free": 69_120, "min_free": 49_152, "largest_block": 31_744},
                "tasks": [{"name": "harvest", "stack_hwm": 2048}, {"name": "mqtt", "stack_hwm": 1536}]}))
    .into_response()
}

/// `POST /api/devices/{sn}/registers` — batch write `{"33010": 5000, …}` (207 on partial).
pub async fn write_batch(
    State(ctx): State<ZapCtx>,
    Path(sn): Path<String>,
    body: Bytes,
) -> Response {
    if !ctx.has_device(&sn) {
        return zap_error(StatusCode::NOT_FOUND, "Device not found");
    }
    let Ok(Value::Object(m)) = serde_json::from_slice::<Value>(&body) else {
        return zap_error(StatusCode::BAD_REQUEST, "Invalid JSON");
    };
    let ok = m
        .iter()
        .filter(|(k, v)| k.parse::<u16>().is_ok() && v.is_number())
        .count();
    let failed = m.len() - ok;
    let status = if failed > 0 && ok > 0 {
        StatusCode::MULTI_STATUS
    } else if ok == 0 {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    (
        status,
        Json(json!({"message": "Batch write completed", "success": ok, "failed": failed})),
    )
        .into_response()
}

/// `POST /api/devices/{sn}/write` — legacy single write `{"addr", "value"}`.
pub async fn write_legacy(
    State(ctx): State<ZapCtx>,
    Path(sn): Path<String>,
    body: Bytes,
) -> Response {
    if !ctx.has_device(&sn) {
        return zap_error(StatusCode::NOT_FOUND, "Device not found");
    }
    let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    match (
        v.get("addr")
            .and_then(Value::as_u64)
            .filter(|a| *a <= 65_535),
        v.get("value").filter(|x| x.is_number()),
    ) {
        (Some(addr), Some(val)) => {
            Json(json!({"message": "Register written successfully", "address": addr, "value": val}))
                .into_response()
        }
        _ => zap_error(StatusCode::BAD_REQUEST, "Missing addr or value"),
    }
}

/// `POST /api/control/{sn}/{action}` — queue admission only, like the firmware.
pub async fn control(
    State(ctx): State<ZapCtx>,
    Path((sn, action)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    if !ctx.has_device(&sn) {
        return zap_error(StatusCode::NOT_FOUND, "Device not found");
    }
    let action = match action.as_str() {
        "init" | "battery" | "curtail" | "deinit" => action,
        "curtail/disable" | "curtail_disable" => "curtail_disable".to_string(),
        _ => return zap_error(StatusCode::NOT_FOUND, "Endpoint not found"),
    };
    let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let power = v.get("power_w").and_then(Value::as_f64);
    if matches!(action.as_str(), "battery" | "curtail") && power.is_none() {
        return zap_error(StatusCode::BAD_REQUEST, "Missing power_w");
    }
    let mut out = json!({"status": "queued", "sn": sn, "action": action});
    if let Some(p) = power {
        out["power_w"] = json!(p);
    }
    (StatusCode::ACCEPTED, Json(out)).into_response()
}

/// `POST /api/control/{sn}/curtail/disable`.
pub async fn control_disable(
    State(ctx): State<ZapCtx>,
    Path(sn): Path<String>,
    body: Bytes,
) -> Response {
    control(State(ctx), Path((sn, "curtail_disable".to_string())), body).await
}
