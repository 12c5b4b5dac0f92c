//! Public (unauthenticated) aggregates: H3 cells, cell stats, DER and device types (§3.5).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::request::Req;

/// A grid cell with at least one site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// H3 index (resolution 6).
    pub h3_index: String,
    /// Cell centre latitude.
    #[serde(default)]
    pub center_lat: Option<f64>,
    /// Cell centre longitude.
    #[serde(default, alias = "center_lon")]
    pub center_lng: Option<f64>,
    /// Sites in the cell.
    #[serde(default)]
    pub site_count: Option<u64>,
    /// DER types present.
    #[serde(default)]
    pub der_types: Vec<String>,
}

/// Per-DER-type aggregate in a cell (SoC in percent here, unlike raw telemetry).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DerSummary {
    /// DERs of this type.
    #[serde(default)]
    pub count: Option<u64>,
    /// Total power, W.
    #[serde(default)]
    pub total_power_w: Option<f64>,
    /// Total export, W.
    #[serde(default)]
    pub total_export_w: Option<f64>,
    /// Total import, W.
    #[serde(default)]
    pub total_import_w: Option<f64>,
    /// Mean state of charge, percent.
    #[serde(default)]
    pub avg_soc_pct: Option<f64>,
}

/// Statistics of one cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellStats {
    /// H3 index.
    pub h3_index: String,
    /// Sites.
    #[serde(default)]
    pub site_count: Option<u64>,
    /// DERs.
    #[serde(default)]
    pub der_count: Option<u64>,
    /// Total power, W.
    #[serde(default)]
    pub total_power_w: Option<f64>,
    /// Mean grid frequency, Hz.
    #[serde(default)]
    pub avg_frequency_hz: Option<f64>,
    /// Per DER type.
    #[serde(default)]
    pub der_summary: BTreeMap<String, DerSummary>,
}

/// A device type and the DER types it may carry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceType {
    /// Device type name.
    #[serde(alias = "device_type")]
    pub r#type: String,
    /// Allowed DER types.
    #[serde(default, alias = "der_types")]
    pub allowed_der_types: Vec<String>,
    /// Other fields (descriptions …).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A DER type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DerType {
    /// DER type name.
    #[serde(alias = "der_type")]
    pub r#type: String,
    /// Other fields (descriptions, telemetry kind …).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Decodes a list given bare, enveloped under `key`, or as an array of plain strings.
fn list_of<T: serde::de::DeserializeOwned>(v: Value, key: &str) -> Result<Vec<T>> {
    let v = match v {
        Value::Object(mut m) => ["items", "data", key]
            .iter()
            .find_map(|k| m.remove(*k))
            .unwrap_or(Value::Object(m)),
        v => v,
    };
    let v = match v {
        // `["solar","battery"]` → `[{"type":"solar"},…]`.
        Value::Array(a) => Value::Array(
            a.into_iter()
                .map(|x| match x {
                    Value::String(s) => serde_json::json!({ "type": s }),
                    x => x,
                })
                .collect(),
        ),
        v => v,
    };
    let text = v.to_string();
    serde_json::from_value(v).map_err(|e| Error::decode(e, text.as_bytes()))
}

/// Handle on public data.
#[derive(Debug, Clone, Copy)]
pub struct Public<'a> {
    pub(crate) client: &'a Client,
}

impl Public<'_> {
    /// `GET /public/cells`.
    pub async fn cells(&self) -> Result<Vec<Cell>> {
        let v: Value = self
            .client
            .send(Req::get(&["public", "cells"]).public())
            .await?;
        list_of(v, "cells")
    }
    /// `GET /public/cells/{h3}/stats`.
    pub async fn cell_stats(&self, h3_index: &str) -> Result<CellStats> {
        self.client
            .send(Req::get(&["public", "cells", h3_index, "stats"]).public())
            .await
    }
    /// `GET /public/der-types` (inferred path).
    pub async fn der_types(&self) -> Result<Vec<DerType>> {
        let v: Value = self
            .client
            .send(Req::get(&["public", "der-types"]).public())
            .await?;
        list_of(v, "der_types")
    }
    /// `GET /public/device-types` (inferred path).
    pub async fn device_types(&self) -> Result<Vec<DeviceType>> {
        let v: Value = self
            .client
            .send(Req::get(&["public", "device-types"]).public())
            .await?;
        list_of(v, "device_types")
    }
}

impl Client {
    /// Public data (§3.5), no token needed.
    pub fn public(&self) -> Public<'_> {
        Public { client: self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_reference_examples() {
        let v: Value = serde_json::from_str(
            r#"{"cells": [{"h3_index": "861203a4fffffff", "center_lat": 59.3293, "center_lng": 18.0686, "site_count": 3, "der_types": ["solar", "battery"]}]}"#,
        )
        .unwrap();
        let cells: Vec<Cell> = list_of(v, "cells").unwrap();
        assert_eq!(cells[0].site_count, Some(3));
        let s: CellStats = serde_json::from_str(
            r#"{"h3_index": "861203a4fffffff", "site_count": 3, "der_count": 5, "total_power_w": 12500, "avg_frequency_hz": 50.01,
                "der_summary": {"solar": {"count": 3, "total_power_w": 10000, "total_export_w": 8000, "total_import_w": 0, "avg_soc_pct": null},
                                "battery": {"count": 2, "total_power_w": 2500, "total_export_w": 500, "total_import_w": 2000, "avg_soc_pct": 45.5}}}"#,
        )
        .unwrap();
        assert_eq!(s.der_summary["battery"].avg_soc_pct, Some(45.5));
        assert_eq!(s.der_summary["solar"].avg_soc_pct, None);
        let d: Vec<DeviceType> =
            list_of(serde_json::json!([{"type":"inverter","allowed_der_types":["solar","battery","meter"]}]), "x").unwrap();
        assert_eq!(d[0].allowed_der_types.len(), 3);
        let t: Vec<DerType> = list_of(serde_json::json!(["solar", "battery"]), "x").unwrap();
        assert_eq!(t[1].r#type, "battery");
    }
}
