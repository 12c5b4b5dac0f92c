//! Zap device management (§5.2): add with per-connection-type validation (201/400/409/503),
//! remove, snapshot data, DER publish toggles, Modbus register access.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

use crate::world::physics::{hash64, reading, SiteProfile};
use crate::zap::profiles::{field_device, profile, supported as supported_profiles};
use crate::zap::{zap_error, ZapCtx};

/// `GET /api/devices`: `{count, devices}`, or old firmware's bare list.
pub async fn list(State(ctx): State<ZapCtx>) -> Response {
    let now = ctx.sim.clock.now_ms();
    let w = ctx.sim.world();
    let Some(z) = w.zaps.get(&ctx.serial) else {
        return zap_error(StatusCode::NOT_FOUND, "no such zap");
    };
    if z.faults.old_firmware {
        let devs: Vec<Value> = z.devices.values().map(|d| d.to_old_json()).collect();
        return Json(Value::Array(devs)).into_response();
    }
    let devs: Vec<Value> = z.devices.values().map(|d| d.to_json(Some(now))).collect();
    Json(json!({"count": devs.len(), "devices": devs})).into_response()
}

/// `GET /api/devices/supported`.
pub async fn supported() -> Response {
    Json(supported_profiles()).into_response()
}

/// `GET /api/devices/types`.
pub async fn types() -> Response {
    let p = |name: &str, ty: &str, req: bool, def: Value| json!({"name": name, "type": ty, "required": req, "default": def});
    Json(json!({"connection_types": [
        {"type": "modbus_tcp", "description": "Modbus TCP", "parameters": [p("ip", "string", true, Value::Null), p("port", "int", false, json!(502)), p("unit_id", "int", false, json!(1)), p("profile", "string", true, Value::Null)]},
        {"type": "modbus_rtu", "description": "Modbus RTU (RS-485)", "parameters": [p("baud_rate", "int", false, json!(9600)), p("unit_id", "int", false, json!(1)), p("profile", "string", true, Value::Null), p("parity", "int", false, json!(0)), p("data_bits", "int", false, json!(8)), p("stop_bits", "int", false, json!(1))]},
        {"type": "p1_uart", "description": "P1 / HAN port", "parameters": [p("manufacturer", "string", false, Value::Null), p("baud_rate", "int", false, json!(115200)), p("data_bits", "int", false, json!(8)), p("parity", "string", false, json!("none")), p("stop_bits", "int", false, json!(1))]},
        {"type": "mqtt", "description": "MQTT", "parameters": [p("broker_host", "string", true, Value::Null), p("broker_port", "int", false, json!(1883)), p("username", "string", false, Value::Null), p("password", "string", false, Value::Null), p("client_id", "string", false, Value::Null), p("profile", "string", true, Value::Null)]}
    ]})).into_response()
}

fn int_in(
    c: &Map<String, Value>,
    k: &str,
    def: i64,
    ok: impl Fn(i64) -> bool,
) -> Result<i64, String> {
    match c.get(k) {
        None | Some(Value::Null) => Ok(def),
        Some(v) => v
            .as_i64()
            .filter(|x| ok(*x))
            .ok_or_else(|| format!("Invalid {k}")),
    }
}

fn host_ok(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 253
        && h.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

/// Validates a connection config; returns (profile, endpoint key, host) or a 400 message.
pub fn validate(c: &Map<String, Value>) -> Result<(String, String, Option<String>), String> {
    let ty = c
        .get("type")
        .and_then(Value::as_str)
        .ok_or("Missing type")?;
    let prof = c.get("profile").and_then(Value::as_str);
    let need_profile = |ct: &str| -> Result<String, String> {
        let p = prof.ok_or("Missing profile")?;
        let known = profile(p).ok_or_else(|| format!("Unknown profile {p}"))?;
        if !known.4.contains(&ct) {
            return Err(format!("Profile {p} does not support {ct}"));
        }
        Ok(p.to_string())
    };
    match ty {
        "modbus_tcp" => {
            let ip = c
                .get("ip")
                .and_then(Value::as_str)
                .filter(|h| host_ok(h))
                .ok_or("Missing or invalid ip")?;
            let port = int_in(c, "port", 502, |p| (1..=65535).contains(&p))?;
            let unit = int_in(c, "unit_id", 1, |u| (0..=247).contains(&u))?;
            Ok((
                need_profile(ty)?,
                format!("tcp:{ip}:{port}:{unit}"),
                Some(ip.to_string()),
            ))
        }
        "modbus_rtu" => {
            int_in(c, "baud_rate", 9600, |b| {
                [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200].contains(&b)
            })?;
            let unit = int_in(c, "unit_id", 1, |u| (1..=247).contains(&u))?;
            int_in(c, "parity", 0, |p| (0..=2).contains(&p))?;
            int_in(c, "data_bits", 8, |d| d == 7 || d == 8)?;
            int_in(c, "stop_bits", 1, |s| s == 1 || s == 2)?;
            Ok((need_profile(ty)?, format!("rtu:{unit}"), None))
        }
        "p1_uart" => {
            int_in(c, "baud_rate", 115_200, |b| [9600, 115_200].contains(&b))?;
            if let Some(p) = c.get("parity") {
                if !p
                    .as_str()
                    .is_some_and(|p| ["none", "even", "odd"].contains(&p))
                {
                    return Err("Invalid parity".into());
                }
            }
            Ok(("p1".into(), "p1".into(), None))
        }
        "mqtt" => {
            let host = c
                .get("broker_host")
                .and_then(Value::as_str)
                .filter(|h| host_ok(h))
                .ok_or("Missing or invalid broker_host")?;
            let port = int_in(c, "broker_port", 1883, |p| (1..=65535).contains(&p))?;
            Ok((
                need_profile(ty)?,
                format!("mqtt:{host}:{port}"),
                Some(host.to_string()),
            ))
        }
        _ => Err("Invalid type: one of modbus_tcp, modbus_rtu, p1_uart, mqtt".into()),
    }
}

/// TEST-NET-3 hosts never answer.
pub fn unreachable_host(h: &str) -> bool {
    h.starts_with("203.0.113.")
}

/// `POST /api/devices`.
pub async fn add(State(ctx): State<ZapCtx>, body: Bytes) -> Response {
    let cfg = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(m)) => m,
        _ => return zap_error(StatusCode::BAD_REQUEST, "Invalid JSON config"),
    };
    let (prof, endpoint, host) = match validate(&cfg) {
        Ok(v) => v,
        Err(m) => return zap_error(StatusCode::BAD_REQUEST, &m),
    };
    if host.as_deref().is_some_and(unreachable_host) {
        return zap_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "Failed to connect to device",
        );
    }
    let mut w = ctx.sim.world();
    let Some(z) = w.zaps.get_mut(&ctx.serial) else {
        return zap_error(StatusCode::NOT_FOUND, "no such zap");
    };
    let clash = z
        .devices
        .values()
        .any(|d| validate(&d.config).is_ok_and(|(_, e, _)| e == endpoint));
    if clash {
        return zap_error(
            StatusCode::CONFLICT,
            "Device with this endpoint already exists",
        );
    }
    let n = z.next_device;
    z.next_device += 1;
    let sn = format!(
        "{}{:06X}",
        prof.to_uppercase(),
        hash64(&[z.serial.as_bytes(), &n.to_le_bytes()]) & 0xFF_FFFF
    );
    let Some(fd) = field_device(&prof, sn.clone(), cfg, false) else {
        return zap_error(StatusCode::BAD_REQUEST, "Unknown profile");
    };
    let ders = json!(fd.ders);
    z.devices.insert(sn.clone(), fd);
    (
        StatusCode::CREATED,
        Json(json!({"message": "Device added and connected", "sn": sn, "ders": ders})),
    )
        .into_response()
}

/// `DELETE /api/devices/{sn}`.
pub async fn remove(State(ctx): State<ZapCtx>, Path(sn): Path<String>) -> Response {
    let mut w = ctx.sim.world();
    match w
        .zaps
        .get_mut(&ctx.serial)
        .and_then(|z| z.devices.remove(&sn))
    {
        Some(_) => Json(json!({"message": "Device removed"})).into_response(),
        None => zap_error(StatusCode::NOT_FOUND, "Device not found"),
    }
}

/// `DELETE /api/devices`.
pub async fn remove_all(State(ctx): State<ZapCtx>) -> Response {
    if let Some(z) = ctx.sim.world().zaps.get_mut(&ctx.serial) {
        z.devices.clear();
    }
    Json(json!({"message": "All devices removed"})).into_response()
}

/// `GET /api/devices/{sn}/data/json`: the same physics the cloud streams for this device.
pub async fn data(State(ctx): State<ZapCtx>, Path(sn): Path<String>) -> Response {
    let now = ctx.sim.clock.now_ms();
    let w = ctx.sim.world();
    let Some(fd) = w.zaps.get(&ctx.serial).and_then(|z| z.devices.get(&sn)) else {
        return zap_error(StatusCode::NOT_FOUND, "Device not found");
    };
    let site = w
        .devices
        .values()
        .find(|d| d.hardware_id == sn && d.gateway_serial.as_deref() == Some(ctx.serial.as_str()))
        .and_then(|d| w.sites.get(&d.site_id));
    let p = match site {
        Some(s) => SiteProfile::for_site(ctx.sim.cfg.seed, s),
        None => SiteProfile::new(ctx.sim.cfg.seed, &ctx.serial, None),
    };
    let mut out = Map::new();
    for d in &fd.ders {
        out.insert(
            d.der_type.clone(),
            Value::Object(reading(&p, &d.der_type, now)),
        );
    }
    out.insert("version".into(), json!("v0"));
    out.insert("format".into(), json!(fd.profile));
    Json(Value::Object(out)).into_response()
}

/// `GET /api/devices/{sn}/ders`.
pub async fn ders(State(ctx): State<ZapCtx>, Path(sn): Path<String>) -> Response {
    let w = ctx.sim.world();
    match w.zaps.get(&ctx.serial).and_then(|z| z.devices.get(&sn)) {
        Some(d) => Json(json!({"sn": sn, "ders": d.ders})).into_response(),
        None => zap_error(StatusCode::NOT_FOUND, "Device not found"),
    }
}

fn update_ders(ctx: &ZapCtx, sn: &str, body: &[u8], require_enabled: bool, msg: &str) -> Response {
    let v: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(_) => return zap_error(StatusCode::BAD_REQUEST, "Invalid JSON"),
    };
    let Some(list) = v.get("ders").and_then(Value::as_array) else {
        return zap_error(StatusCode::BAD_REQUEST, "Missing ders");
    };
    let mut w = ctx.sim.world();
    let Some(d) = w
        .zaps
        .get_mut(&ctx.serial)
        .and_then(|z| z.devices.get_mut(sn))
    else {
        return zap_error(StatusCode::NOT_FOUND, "Device not found");
    };
    for item in list {
        let Some(ty) = item.get("type").and_then(Value::as_str) else {
            return zap_error(StatusCode::BAD_REQUEST, "Missing type");
        };
        let enabled = item.get("enabled").and_then(Value::as_bool);
        if require_enabled && enabled.is_none() {
            return zap_error(StatusCode::BAD_REQUEST, "Missing enabled");
        }
        let Some(der) = d.ders.iter_mut().find(|x| x.der_type == ty) else {
            return zap_error(StatusCode::BAD_REQUEST, &format!("Device has no {ty} DER"));
        };
        if let Some(e) = enabled {
            der.enabled = e;
        }
        for k in ["rated_power", "installed_power", "capacity"] {
            if let Some(n) = item.get(k).filter(|n| n.is_number()) {
                der.meta.insert(k.into(), n.clone());
            }
        }
    }
    Json(json!({"message": msg, "sn": sn})).into_response()
}

/// `POST /api/devices/{sn}/types` — publish toggles.
pub async fn set_types(State(ctx): State<ZapCtx>, Path(sn): Path<String>, body: Bytes) -> Response {
    update_ders(&ctx, &sn, &body, true, "Types updated")
}

/// `POST /api/devices/{sn}/ders` — flags and metadata.
pub async fn set_ders(State(ctx): State<ZapCtx>, Path(sn): Path<String>, body: Bytes) -> Response {
    update_ders(&ctx, &sn, &body, false, "DERs updated")
}

/// The address of a register route, or the Zap's error (400 bad address, then 404 unknown device).
fn register_address(ctx: &ZapCtx, sn: &str, addr: &str) -> Result<u16, (StatusCode, &'static str)> {
    let Ok(address) = addr.parse::<u16>() else {
        return Err((StatusCode::BAD_REQUEST, "Invalid address"));
    };
    if !ctx.has_device(sn) {
        return Err((StatusCode::NOT_FOUND, "Device not found"));
    }
    Ok(address)
}

/// `GET /api/devices/{sn}/registers/{address}` — deterministic simulated register values.
pub async fn read_register(
    State(ctx): State<ZapCtx>,
    Path((sn, addr)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let address = match register_address(&ctx, &sn, &addr) {
        Ok(a) => a,
        Err((status, message)) => return zap_error(status, message),
    };
    let size: u16 = match q.get("size").map(|s| s.parse::<u16>()) {
        None => 1,
        Some(Ok(n)) if (1..=125).contains(&n) => n,
        _ => return zap_error(StatusCode::BAD_REQUEST, "Invalid size"),
    };
    let reg = |a: u16| (hash64(&[sn.as_bytes(), &a.to_le_bytes()]) & 0xFFFF) as u16;
    if q.contains_key("size") && !q.contains_key("type") {
        let values: Vec<String> = (0..size)
            .map(|i| format!("0x{:04X}", reg(address.wrapping_add(i))))
            .collect();
        return Json(json!({"address": address, "count": size, "values": values})).into_response();
    }
    let ty = q.get("type").map_or("u16", String::as_str);
    if !["u16", "i16", "u32", "i32", "f32", "u64", "i64", "str"].contains(&ty) {
        return zap_error(StatusCode::BAD_REQUEST, "Invalid type");
    }
    let scale: f64 = q
        .get("scale_factor")
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let raw = reg(address);
    let value = if ty == "i16" {
        f64::from(raw as i16)
    } else {
        f64::from(raw)
    };
    Json(json!({"address": address, "value": value * scale, "type": ty, "registers": [format!("0x{raw:04X}")]})).into_response()
}

/// `POST /api/devices/{sn}/registers/{address}` `{"value": n}`.
pub async fn write_register(
    State(ctx): State<ZapCtx>,
    Path((sn, addr)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let address = match register_address(&ctx, &sn, &addr) {
        Ok(a) => a,
        Err((status, message)) => return zap_error(status, message),
    };
    let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    match v.get("value").filter(|x| x.is_number()) {
        Some(val) => Json(
            json!({"message": "Register written successfully", "address": address, "value": val}),
        )
        .into_response(),
        None => zap_error(StatusCode::BAD_REQUEST, "Missing value"),
    }
}
