//! Devices and DERs: provision (type table, DER name rules, 201 / 200 `created:false`),
//! get/update/delete, add DER, get DER (reference §3.4).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::Caller;
use crate::error::{Error, Result};
use crate::extract::ApiJson;
use crate::routes::access::{check_id, check_name, iso, need_admin, require};
use crate::routes::sites::visible_site;
use crate::state::AppState;
pub use crate::world::device_types::{check_der, DerSpec, DER_TYPES, DEVICE_TYPES, TYPE_TABLE};
use crate::world::model::{new_id, Der, Device, Role, World};

/// `POST /devices/provision` body.
#[derive(Debug, Deserialize)]
pub struct ProvisionBody {
    /// Relaying gateway.
    pub gateway_serial: Option<String>,
    /// Directly connected device identity (alternative to gateway_serial).
    pub identity: Option<String>,
    /// Hardware id (Zap `sn`).
    pub hardware_id: String,
    /// Device type.
    pub device_type: String,
    /// Target site.
    pub site_id: String,
    /// Name.
    pub name: Option<String>,
    /// Manufacturer.
    pub manufacturer: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// DERs.
    #[serde(default)]
    pub ders: Vec<DerSpec>,
}

/// `PUT /devices/{id}` body.
#[derive(Debug, Deserialize)]
pub struct UpdateDevice {
    /// New name.
    pub name: Option<String>,
    /// New manufacturer.
    pub manufacturer: Option<String>,
    /// New model.
    pub model: Option<String>,
}

/// Device object (inferred shape, reference §3.4.2).
pub fn device_json(w: &World, d: &Device) -> Value {
    let ders: Vec<Value> = d
        .ders
        .iter()
        .filter_map(|id| w.ders.get(id))
        .map(|x| json!({"id": x.id, "name": x.name, "type": x.der_type}))
        .collect();
    let publishing = !w
        .publishing_ders(&d.site_id)
        .iter()
        .all(|(_, dev)| dev.id != d.id);
    let state = if d.state == "orphaned" {
        "orphaned"
    } else if publishing {
        "active"
    } else {
        d.state.as_str()
    };
    json!({"id": d.id, "device_id": d.id, "site_id": d.site_id, "gateway_serial": d.gateway_serial,
           "hardware_id": d.hardware_id, "device_type": d.device_type, "type": d.device_type,
           "name": d.name, "manufacturer": d.manufacturer, "model": d.model, "state": state,
           "created_at": iso(&d.created_at), "ders": ders})
}

fn der_json(d: &Der) -> Value {
    json!({"id": d.id, "device_id": d.device_id, "site_id": d.site_id, "name": d.name, "type": d.der_type,
           "telemetry_type": d.telemetry_type(), "created_at": iso(&d.created_at)})
}

fn add_der(w: &mut World, dev_id: &str, site_id: &str, spec: &DerSpec) -> String {
    let id = new_id("der");
    w.ders.insert(
        id.clone(),
        Der {
            id: id.clone(),
            device_id: dev_id.into(),
            site_id: site_id.into(),
            name: spec.name.clone(),
            der_type: spec.der_type.clone(),
            created_at: Utc::now(),
        },
    );
    if let Some(d) = w.devices.get_mut(dev_id) {
        d.ders.push(id.clone());
    }
    id
}

/// `POST /devices/provision`.
pub async fn provision(
    State(sim): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<ProvisionBody>,
) -> Result<(StatusCode, Json<Value>)> {
    if !caller.is_human() {
        return Err(Error::Forbidden(
            "provisioning needs a human identity".into(),
        ));
    }
    check_id("hardware_id", &b.hardware_id)?;
    if !DEVICE_TYPES.contains(&b.device_type.as_str()) {
        return Err(Error::field(
            "device_type",
            format!("one of {}", DEVICE_TYPES.join(", ")),
        ));
    }
    for (i, d) in b.ders.iter().enumerate() {
        check_der(&b.device_type, i, d)?;
        if b.ders[..i].iter().any(|o| o.name == d.name) {
            return Err(Error::field(
                &format!("ders[{i}].name"),
                "DER names must be unique per device",
            ));
        }
    }
    for (f, v) in [
        ("name", &b.name),
        ("manufacturer", &b.manufacturer),
        ("model", &b.model),
    ] {
        if let Some(v) = v {
            check_name(f, v)?;
        }
    }
    let mut w = sim.world();
    let (site, _) = visible_site(&w, &b.site_id, &caller)?;
    let org_id = site.org_id.clone();
    require(&w, &org_id, &caller, Role::Admin)?;
    if let Some(serial) = &b.gateway_serial {
        if w.gateways.get(serial).is_none_or(|g| g.org_id != org_id) {
            return Err(Error::field(
                "gateway_serial",
                "gateway is not claimed by the site's organization",
            ));
        }
    }
    let existing = w
        .devices
        .values()
        .find(|d| d.hardware_id == b.hardware_id)
        .map(|d| (d.id.clone(), d.site_id.clone()));
    let (dev_id, created) = match existing {
        Some((id, old_site)) => {
            let old_org = w.sites.get(&old_site).map(|s| s.org_id.clone());
            if old_org.as_deref() != Some(org_id.as_str()) {
                return Err(Error::Conflict(
                    "hardware_id is registered in another organization".into(),
                ));
            }
            let ders_site = b.site_id.clone();
            for x in w.ders.values_mut().filter(|x| x.device_id == id) {
                x.site_id = ders_site.clone();
            }
            let d = w
                .devices
                .get_mut(&id)
                .ok_or_else(|| Error::Internal("device vanished".into()))?;
            d.site_id = b.site_id.clone();
            d.gateway_serial = b.gateway_serial.clone().or(b.identity.clone());
            d.device_type = b.device_type.clone();
            d.state = if d.state == "orphaned" {
                "pending".into()
            } else {
                d.state.clone()
            };
            for (f, v) in [
                (&mut d.name, &b.name),
                (&mut d.manufacturer, &b.manufacturer),
                (&mut d.model, &b.model),
            ] {
                if v.is_some() {
                    f.clone_from(v);
                }
            }
            (id, false)
        }
        None => {
            let id = new_id("dev");
            w.devices.insert(
                id.clone(),
                Device {
                    id: id.clone(),
                    site_id: b.site_id.clone(),
                    gateway_serial: b.gateway_serial.clone().or(b.identity.clone()),
                    hardware_id: b.hardware_id.clone(),
                    device_type: b.device_type.clone(),
                    name: b.name.clone(),
                    manufacturer: b.manufacturer.clone(),
                    model: b.model.clone(),
                    state: "pending".into(),
                    created_at: Utc::now(),
                    ders: Vec::new(),
                },
            );
            (id, true)
        }
    };
    for spec in &b.ders {
        let known = w
            .ders
            .values()
            .any(|x| x.device_id == dev_id && x.name == spec.name);
        if !known {
            add_der(&mut w, &dev_id, &b.site_id, spec);
        }
    }
    // Indexing is safe: `dev_id` was found or inserted above under this same lock.
    let mut body = device_json(&w, &w.devices[&dev_id]);
    body["created"] = json!(created);
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(body)))
}

/// Device visible to the caller with the caller's role.
fn visible_device(w: &World, id: &str, caller: &Caller) -> Result<(Device, Role)> {
    let d = w
        .devices
        .get(id)
        .ok_or_else(|| Error::NotFound(format!("device {id} not found")))?;
    let (_, role) = visible_site(w, &d.site_id, caller)
        .map_err(|_| Error::NotFound(format!("device {id} not found")))?;
    Ok((d.clone(), role))
}

/// `GET /devices/{device_id}`.
pub async fn get(
    State(sim): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>> {
    let w = sim.world();
    let (d, _) = visible_device(&w, &id, &caller)?;
    Ok(Json(device_json(&w, &d)))
}

/// `PUT /devices/{device_id}` — admin.
pub async fn update(
    State(sim): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<UpdateDevice>,
) -> Result<Json<Value>> {
    let name = b
        .name
        .as_deref()
        .map(|n| check_name("name", n))
        .transpose()?;
    let manufacturer = b
        .manufacturer
        .as_deref()
        .map(|n| check_name("manufacturer", n))
        .transpose()?;
    let model = b
        .model
        .as_deref()
        .map(|n| check_name("model", n))
        .transpose()?;
    let mut w = sim.world();
    let (_, role) = visible_device(&w, &id, &caller)?;
    need_admin(role)?;
    let d = w
        .devices
        .get_mut(&id)
        .ok_or_else(|| Error::NotFound("device not found".into()))?;
    if name.is_some() {
        d.name = name;
    }
    if manufacturer.is_some() {
        d.manufacturer = manufacturer;
    }
    if model.is_some() {
        d.model = model;
    }
    let d = d.clone();
    Ok(Json(device_json(&w, &d)))
}

/// `DELETE /devices/{device_id}` — admin; removes its DERs.
pub async fn delete(
    State(sim): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    let mut w = sim.world();
    let (_, role) = visible_device(&w, &id, &caller)?;
    need_admin(role)?;
    w.devices.remove(&id);
    w.ders.retain(|_, x| x.device_id != id);
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /devices/{device_id}/ders` — admin.
pub async fn create_der(
    State(sim): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<DerSpec>,
) -> Result<(StatusCode, Json<Value>)> {
    let mut w = sim.world();
    let (d, role) = visible_device(&w, &id, &caller)?;
    need_admin(role)?;
    // check_der only builds single-field errors (Error::field), so `details[0]` exists.
    check_der(&d.device_type, 0, &b).map_err(|e| match e {
        Error::Validation { details, .. } => {
            let f = details[0].field.trim_start_matches("ders[0].").to_string();
            Error::field(&f, details[0].message.clone())
        }
        other => other,
    })?;
    if w.ders
        .values()
        .any(|x| x.device_id == id && x.name == b.name)
    {
        return Err(Error::Conflict(format!(
            "DER name {} already used on this device",
            b.name
        )));
    }
    let der_id = add_der(&mut w, &id, &d.site_id, &b);
    // Indexing is safe: add_der just inserted `der_id` under this lock.
    Ok((StatusCode::CREATED, Json(der_json(&w.ders[&der_id]))))
}

/// `GET /ders/{der_id}`.
pub async fn get_der(
    State(sim): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>> {
    let w = sim.world();
    let der = w
        .ders
        .get(&id)
        .ok_or_else(|| Error::NotFound(format!("DER {id} not found")))?;
    visible_site(&w, &der.site_id, &caller)
        .map_err(|_| Error::NotFound(format!("DER {id} not found")))?;
    Ok(Json(der_json(der)))
}
