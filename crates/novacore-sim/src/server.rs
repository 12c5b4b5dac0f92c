//! The cloud router: routes, fault layer, envelope fallbacks, body limit.

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;

use crate::error::Error;
use crate::faults::{FaultKind, Verdict};
use crate::routes::{auth, control, devices, gateways, orgs, prices, public, sites, telemetry};
use crate::state::{lock, AppState};

async fn fault_layer(State(sim): State<AppState>, req: Request, next: Next) -> Response {
    let verdict = lock(&sim.faults).decide();
    let (delay, fail) = match verdict {
        Verdict::Pass(d) => (d, None),
        Verdict::Fail(d, k) => (d, Some(k)),
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    match fail {
        None => next.run(req).await,
        Some(FaultKind::ServerErrorAfter) => {
            // The effect happens; only its answer is lost, as behind a proxy that timed out.
            drop(next.run(req).await);
            Error::Internal("injected fault after the request was served".into()).into_response()
        }
        Some(FaultKind::ServerError) => Error::Internal("injected fault".into()).into_response(),
        Some(FaultKind::RateLimited) => Error::RateLimited {
            retry_after_secs: 1,
        }
        .into_response(),
        Some(FaultKind::CloudDown) => {
            Error::Unavailable("Novacore is unreachable (simulated)".into()).into_response()
        }
    }
}

/// Builds the full cloud router.
pub fn router(sim: AppState) -> Router {
    let api = Router::new()
        .route("/auth/challenge", post(auth::challenge))
        .route("/auth/verify", post(auth::verify))
        .route("/identity/register", post(auth::register))
        .route("/organizations", get(orgs::list).post(orgs::create))
        .route(
            "/organizations/{org_id}",
            get(orgs::get).put(orgs::update).delete(orgs::delete),
        )
        .route(
            "/organizations/{org_id}/members",
            get(orgs::members).post(orgs::add_member),
        )
        .route(
            "/organizations/{org_id}/members/{identity_id}",
            put(orgs::update_member).delete(orgs::remove_member),
        )
        .route("/sites", get(sites::list).post(sites::create))
        .route(
            "/sites/{site_id}",
            get(sites::get).put(sites::update).delete(sites::delete),
        )
        .route("/sites/{site_id}/devices", get(sites::devices))
        .route("/sites/{site_id}/telemetry", get(telemetry::history))
        .route("/gateways/claim", post(gateways::claim))
        .route("/gateways", get(gateways::list))
        .route(
            "/gateways/{serial}",
            axum::routing::delete(gateways::release),
        )
        .route("/devices/provision", post(devices::provision))
        .route(
            "/devices/{device_id}",
            get(devices::get)
                .put(devices::update)
                .delete(devices::delete),
        )
        .route("/devices/{device_id}/ders", post(devices::create_der))
        .route("/ders/{der_id}", get(devices::get_der))
        .route("/stream/sites/{site_id}", get(telemetry::stream))
        .route("/public/cells", get(public::cells))
        .route("/public/cells/{h3_index}/stats", get(public::cell_stats))
        .route("/public/device-types", get(public::device_types))
        .route("/public/der-types", get(public::der_types))
        .route(
            "/services/price/electricity/{area}",
            get(prices::electricity),
        )
        .route("/services/price/tariffs/lookup", get(prices::tariff_lookup))
        .route(
            "/services/price/tariffs/providers",
            get(prices::tariff_providers),
        )
        .route(
            "/services/price/tariffs/{provider_id}",
            get(prices::tariff_provider),
        )
        .route(
            "/services/price/tariffs/tariff/{tariff_id}",
            get(prices::tariff),
        )
        .route(
            "/services/price/tariffs/tariff/{tariff_id}/{kind}/{datetime}",
            get(prices::tariff_price),
        )
        .layer(middleware::from_fn_with_state(sim.clone(), fault_layer));
    let mut r = Router::new()
        .merge(api)
        .route("/openapi.json", get(crate::openapi::document));
    if sim.cfg.control {
        r = r.nest("/_sim", control::router());
    }
    r.fallback(|| async { Error::NotFound("no such route".into()) })
        .method_not_allowed_fallback(|| async { Error::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(sim.cfg.body_limit))
        .with_state(sim)
}
