//! Public data without auth (reference §3.5): H3-like cells, cell stats, type vocabularies.
//!
//! Cells are resolution-6-sized lat/lon tiles given H3-shaped 15-hex ids; we do not link an H3
//! library, so ids are stable but not real H3 indices (INFERRED substitute).

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

use crate::error::{Error, Result};
use crate::routes::devices::{DER_TYPES, TYPE_TABLE};
use crate::state::AppState;
use crate::world::model::Location;
use crate::world::physics::{numeric_fields, SiteProfile};

/// Cell id and centre of a position (tiles of 0.05° lat × 0.1° lon, about 36 km²).
pub fn cell_of(l: Location) -> (String, f64, f64) {
    let (a, b) = ((l.lat / 0.05).floor() as i64, (l.lon / 0.1).floor() as i64);
    let id = format!(
        "86{:06x}{:06x}f",
        (a + 0x80_0000) & 0xFF_FFFF,
        (b + 0x80_0000) & 0xFF_FFFF
    );
    (id, (a as f64 + 0.5) * 0.05, (b as f64 + 0.5) * 0.1)
}

/// `GET /public/cells`.
pub async fn cells(State(sim): State<AppState>) -> Json<Value> {
    let w = sim.world();
    let mut cells: BTreeMap<String, (f64, f64, usize, Vec<String>)> = BTreeMap::new();
    for s in w.sites.values() {
        let Some(l) = s.location else { continue };
        let (id, lat, lng) = cell_of(l);
        let e = cells.entry(id).or_insert((lat, lng, 0, Vec::new()));
        e.2 += 1;
        for d in w.ders.values().filter(|d| d.site_id == s.id) {
            if !e.3.contains(&d.der_type) {
                e.3.push(d.der_type.clone());
            }
        }
    }
    let list: Vec<Value> = cells
        .into_iter()
        .map(|(id, (lat, lng, n, types))| json!({"h3_index": id, "center_lat": (lat * 1e4).round() / 1e4, "center_lng": (lng * 1e4).round() / 1e4, "site_count": n, "der_types": types}))
        .collect();
    Json(json!({"cells": list}))
}

/// `GET /public/cells/{h3_index}/stats`.
pub async fn cell_stats(
    State(sim): State<AppState>,
    Path(h3): Path<String>,
) -> Result<Json<Value>> {
    let now = sim.clock.now_ms();
    let w = sim.world();
    let sites: Vec<_> = w
        .sites
        .values()
        .filter(|s| s.location.is_some_and(|l| cell_of(l).0 == h3))
        .collect();
    if sites.is_empty() {
        return Err(Error::NotFound(format!("cell {h3} has no sites")));
    }
    let mut summary: BTreeMap<String, (usize, f64, f64, f64, Vec<f64>)> = BTreeMap::new();
    let (mut der_count, mut total, mut hz, mut hz_n) = (0, 0.0, 0.0, 0);
    for s in &sites {
        let p = SiteProfile::for_site(sim.cfg.seed, s);
        for d in w.ders.values().filter(|d| d.site_id == s.id) {
            der_count += 1;
            let f = numeric_fields(&p, d.telemetry_type(), now);
            let get = |k: &str| f.iter().find(|(n, _)| *n == k).map(|(_, v)| *v);
            let pw = get("W").unwrap_or(0.0);
            total += pw;
            if let Some(h) = get("Hz") {
                hz += h;
                hz_n += 1;
            }
            let e = summary
                .entry(d.der_type.clone())
                .or_insert((0, 0.0, 0.0, 0.0, Vec::new()));
            e.0 += 1;
            e.1 += pw;
            if pw < 0.0 {
                e.2 += -pw
            } else {
                e.3 += pw
            }
            if let Some(soc) = get("SoC_nom_fract") {
                e.4.push(soc * 100.0);
            }
        }
    }
    let der_summary: serde_json::Map<String, Value> = summary
        .into_iter()
        .map(|(k, (n, p, ex, im, socs))| {
            let soc = (!socs.is_empty()).then(|| (socs.iter().sum::<f64>() / socs.len() as f64 * 10.0).round() / 10.0);
            (k, json!({"count": n, "total_power_w": p.round(), "total_export_w": ex.round(), "total_import_w": im.round(), "avg_soc_pct": soc}))
        })
        .collect();
    let avg_hz = if hz_n > 0 {
        (hz / f64::from(hz_n) * 1000.0).round() / 1000.0
    } else {
        50.0
    };
    Ok(Json(
        json!({"h3_index": h3, "site_count": sites.len(), "der_count": der_count, "total_power_w": total.round(),
                   "avg_frequency_hz": avg_hz, "der_summary": der_summary}),
    ))
}

/// `GET /public/device-types`.
pub async fn device_types() -> Json<Value> {
    Json(Value::Array(
        TYPE_TABLE
            .iter()
            .map(|(t, a)| json!({"type": t, "allowed_der_types": a}))
            .collect(),
    ))
}

/// `GET /public/der-types`.
pub async fn der_types() -> Json<Value> {
    Json(Value::Array(
        DER_TYPES
            .iter()
            .map(|t| json!({"type": t, "telemetry_type": crate::world::model::telemetry_type(t)}))
            .collect(),
    ))
}
