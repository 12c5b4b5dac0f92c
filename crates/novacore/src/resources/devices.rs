//! `/devices` and `/ders`.

use serde_json::json;

use crate::client::Client;
use crate::error::Result;
use crate::models::{Der, Device, NewDer, ProvisionRequest, ProvisionResponse};
use crate::request::Req;

/// Handle on devices.
#[derive(Debug, Clone, Copy)]
pub struct Devices<'a> {
    pub(crate) client: &'a Client,
}

impl Devices<'_> {
    /// `POST /devices/provision`, validated locally first (field errors, nothing sent).
    /// Retried on transient failures: the server re-binds a known `hardware_id` (`created: false`)
    /// instead of creating a second device, so a repeat is harmless.
    pub async fn provision(&self, req: &ProvisionRequest) -> Result<ProvisionResponse> {
        crate::validate::provision(req)?;
        self.client
            .send(Req::post(&["devices", "provision"], req).idempotent())
            .await
    }
    /// `GET /devices/{id}`.
    pub async fn get(&self, device_id: &str) -> Result<Device> {
        self.client.send(Req::get(&["devices", device_id])).await
    }
    /// `PUT /devices/{id}` (rename).
    pub async fn rename(&self, device_id: &str, name: &str) -> Result<()> {
        self.client
            .send_unit(Req::put(&["devices", device_id], json!({ "name": name })))
            .await
    }
    /// `DELETE /devices/{id}`.
    pub async fn delete(&self, device_id: &str) -> Result<()> {
        self.client
            .send_unit(Req::delete(&["devices", device_id]))
            .await
    }
    /// `POST /devices/{id}/ders`: add a DER (name rules checked locally).
    pub async fn add_der(&self, device_id: &str, der: &NewDer) -> Result<Der> {
        crate::validate::der_name("name", &der.name)?;
        self.client
            .send(Req::post(&["devices", device_id, "ders"], der))
            .await
    }
}

/// Handle on DERs.
#[derive(Debug, Clone, Copy)]
pub struct Ders<'a> {
    pub(crate) client: &'a Client,
}

impl Ders<'_> {
    /// `GET /ders/{id}`.
    pub async fn get(&self, der_id: &str) -> Result<Der> {
        self.client.send(Req::get(&["ders", der_id])).await
    }
    /// `POST /devices/{device}/ders` (same as [`Devices::add_der`]).
    pub async fn add(&self, device_id: &str, der: &NewDer) -> Result<Der> {
        Devices {
            client: self.client,
        }
        .add_der(device_id, der)
        .await
    }
}
