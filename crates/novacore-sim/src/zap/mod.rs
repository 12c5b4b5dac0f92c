//! Emulated Zap gateways: each on its own loopback port speaking the Zap local API (§5).

pub mod api;
pub mod devices;
pub mod extras;
pub mod faults;
pub mod model;
pub mod profiles;

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use crate::state::Sim;

/// Handler state: the sandbox and this Zap's serial.
#[derive(Clone, Debug)]
pub struct ZapCtx {
    /// Shared sandbox.
    pub sim: Arc<Sim>,
    /// This Zap.
    pub serial: String,
}

impl ZapCtx {
    /// Whether this Zap has a field device with serial `sn`.
    pub fn has_device(&self, sn: &str) -> bool {
        self.sim
            .world()
            .zaps
            .get(&self.serial)
            .is_some_and(|z| z.devices.contains_key(sn))
    }
}

/// Zap-style error body `{"status":"error","message":…}`.
pub fn zap_error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({"status": "error", "message": message}))).into_response()
}

async fn reachability(State(ctx): State<ZapCtx>, req: Request, next: Next) -> Response {
    let online = ctx
        .sim
        .world()
        .zaps
        .get(&ctx.serial)
        .is_some_and(|z| z.is_online());
    if !online {
        return zap_error(StatusCode::SERVICE_UNAVAILABLE, "Zap unreachable");
    }
    next.run(req).await
}

/// The local API router of one Zap.
pub fn router(ctx: ZapCtx) -> Router {
    Router::new()
        .route("/api/system", get(api::system))
        .route("/api/system/reboot", post(api::reboot))
        .route("/api/system/factory-reset", post(api::factory_reset))
        .route("/api/system/log_stream", post(api::log_stream))
        .route(
            "/api/wifi",
            get(api::wifi_get)
                .post(api::wifi_set)
                .delete(api::wifi_clear),
        )
        .route("/api/wifi/scan", get(api::wifi_scan))
        .route("/api/crypto", get(api::crypto))
        .route("/api/crypto/sign", post(api::sign))
        .route("/api/name", get(api::name))
        .route("/api/ble/stop", post(extras::ble_stop))
        .route("/api/echo", post(extras::echo))
        .route("/api/debug", get(extras::debug))
        .route("/api/devices/{sn}/registers", post(extras::write_batch))
        .route("/api/devices/{sn}/write", post(extras::write_legacy))
        .route("/api/control/{sn}/{action}", post(extras::control))
        .route(
            "/api/control/{sn}/curtail/disable",
            post(extras::control_disable),
        )
        .route(
            "/api/devices",
            get(devices::list)
                .post(devices::add)
                .delete(devices::remove_all),
        )
        .route("/api/devices/supported", get(devices::supported))
        .route("/api/devices/types", get(devices::types))
        .route("/api/devices/{sn}", axum::routing::delete(devices::remove))
        .route("/api/devices/{sn}/data/json", get(devices::data))
        .route("/api/devices/{sn}/types", post(devices::set_types))
        .route(
            "/api/devices/{sn}/ders",
            get(devices::ders).post(devices::set_ders),
        )
        .route(
            "/api/devices/{sn}/registers/{address}",
            get(devices::read_register).post(devices::write_register),
        )
        .layer(middleware::from_fn_with_state(ctx.clone(), reachability))
        .fallback(|| async { zap_error(StatusCode::NOT_FOUND, "Endpoint not found") })
        .method_not_allowed_fallback(|| async {
            zap_error(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed")
        })
        .layer(axum::extract::DefaultBodyLimit::max(16 * 1024))
        .layer(middleware::from_fn_with_state(ctx.clone(), faults::layer))
        .with_state(ctx)
}
