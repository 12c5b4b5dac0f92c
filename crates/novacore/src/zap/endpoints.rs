//! One method per Zap local API endpoint (reference §5.1–5.5).

use reqwest::Method;
use serde_json::{json, Value};

use super::models::*;
use super::ZapClient;
use crate::error::{Error, Result};
use crate::secret::Secret;

impl ZapClient {
    // §5.1 System & network

    /// `GET /api/system`.
    pub async fn system(&self) -> Result<SystemInfo> {
        self.call(Method::GET, &["system"], None).await
    }
    /// `POST /api/system/reboot` (reboots after 5 s).
    pub async fn reboot(&self) -> Result<StatusMessage> {
        self.call(Method::POST, &["system", "reboot"], None).await
    }
    /// `POST /api/system/factory-reset`: clears devices and Wi-Fi.
    pub async fn factory_reset(&self) -> Result<StatusMessage> {
        self.call(Method::POST, &["system", "factory-reset"], None)
            .await
    }
    /// `POST /api/system/log_stream`.
    pub async fn set_log_stream(&self, enabled: bool, level: Option<u8>) -> Result<StatusMessage> {
        let mut body = json!({ "enabled": enabled });
        if let Some(l) = level {
            body["level"] = json!(l);
        }
        self.call(Method::POST, &["system", "log_stream"], Some(&body))
            .await
    }
    /// `GET /api/wifi`.
    pub async fn wifi(&self) -> Result<WifiStatus> {
        self.call(Method::GET, &["wifi"], None).await
    }
    /// `POST /api/wifi`: join a network.
    pub async fn set_wifi(&self, ssid: &str, psk: &Secret) -> Result<StatusMessage> {
        let body = json!({ "ssid": ssid, "psk": psk.expose() });
        self.call(Method::POST, &["wifi"], Some(&body)).await
    }
    /// `DELETE /api/wifi`.
    pub async fn clear_wifi(&self) -> Result<StatusMessage> {
        self.call(Method::DELETE, &["wifi"], None).await
    }
    /// `GET /api/wifi/scan` (results appear later in [`ZapClient::wifi`]).
    pub async fn scan_wifi(&self) -> Result<StatusMessage> {
        self.call(Method::GET, &["wifi", "scan"], None).await
    }
    /// Scans for networks and returns them strongest first: starts a scan, waits `settle` for the
    /// Zap to collect results, then reads `GET /api/wifi`.
    pub async fn scan_networks(&self, settle: std::time::Duration) -> Result<Vec<Ssid>> {
        self.scan_wifi().await?;
        tokio::time::sleep(settle).await;
        Ok(self.wifi().await?.by_signal())
    }
    /// Waits for the Zap to answer again after it dropped off the LAN (a Wi-Fi change, a
    /// reboot): polls `GET /api/system` until it answers or `limit` has passed, calling `waiting`
    /// with the time waited before each retry. Returns what it reports and how long it took.
    pub async fn wait_back(
        &self,
        limit: std::time::Duration,
        mut waiting: impl FnMut(std::time::Duration),
    ) -> Result<(SystemInfo, std::time::Duration)> {
        use std::time::Duration;
        let t0 = std::time::Instant::now();
        // Give the Zap a moment to drop off before the first check.
        tokio::time::sleep(Duration::from_millis(300)).await;
        loop {
            match self.system().await {
                Ok(s) => return Ok((s, t0.elapsed())),
                Err(e) if t0.elapsed() >= limit => return Err(e),
                Err(_) => {
                    waiting(t0.elapsed());
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
            }
        }
    }
    /// `POST /api/ble/stop`.
    pub async fn ble_stop(&self) -> Result<StatusMessage> {
        self.call(Method::POST, &["ble", "stop"], None).await
    }

    // §5.2 Device management

    /// `GET /api/devices/supported`: profiles by category.
    pub async fn supported_devices(&self) -> Result<Value> {
        self.call(Method::GET, &["devices", "supported"], None)
            .await
    }
    /// `GET /api/devices/types`: connection types and their parameters.
    pub async fn connection_types(&self) -> Result<Value> {
        self.call(Method::GET, &["devices", "types"], None).await
    }
    /// `GET /api/devices/types`, typed: each connection type with its parameters (the add-device
    /// form is generated from these; [`ConnectionType::check`] validates a config).
    pub async fn device_types(&self) -> Result<Vec<ConnectionType>> {
        let v: Value = self.call(Method::GET, &["devices", "types"], None).await?;
        let list = match v {
            Value::Object(mut m) => m
                .remove("connection_types")
                .unwrap_or(Value::Array(Vec::new())),
            v => v,
        };
        let text = list.to_string();
        serde_json::from_value(list).map_err(|e| Error::decode(e, text.as_bytes()))
    }
    /// `GET /api/devices` (`{count, devices}` or, on very old firmware, a bare list).
    pub async fn devices(&self) -> Result<Vec<ZapDevice>> {
        let v: Value = self.call(Method::GET, &["devices"], None).await?;
        let list = match v {
            Value::Object(mut m) => m.remove("devices").unwrap_or(Value::Array(Vec::new())),
            v => v,
        };
        let text = list.to_string();
        serde_json::from_value(list).map_err(|e| Error::decode(e, text.as_bytes()))
    }
    /// `POST /api/devices`: add a field device by its connection config.
    pub async fn add_device(&self, config: &Value) -> Result<AddedDevice> {
        self.call(Method::POST, &["devices"], Some(config)).await
    }
    /// `DELETE /api/devices/{sn}`.
    pub async fn remove_device(&self, sn: &str) -> Result<StatusMessage> {
        self.call(Method::DELETE, &["devices", sn], None).await
    }
    /// `DELETE /api/devices`: remove all.
    pub async fn remove_all_devices(&self) -> Result<StatusMessage> {
        self.call(Method::DELETE, &["devices"], None).await
    }
    /// `GET /api/devices/{sn}/data/json`; `None` when there is no data yet (204).
    pub async fn device_data(&self, sn: &str) -> Result<Option<DeviceSnapshot>> {
        self.call_opt(Method::GET, &["devices", sn, "data", "json"], &[], None)
            .await
    }
    /// `POST /api/devices/{sn}/types`: toggle publishing to Novacore per DER type.
    pub async fn set_publishing(&self, sn: &str, ders: &[(&str, bool)]) -> Result<StatusMessage> {
        let list: Vec<Value> = ders
            .iter()
            .map(|(t, e)| json!({ "type": t, "enabled": e }))
            .collect();
        let body = json!({ "ders": list });
        self.call(Method::POST, &["devices", sn, "types"], Some(&body))
            .await
    }
    /// Switches publishing to Novacore on or off for the DERs of device `sn` (`only`: these DER
    /// types; `None`: all of them). Returns the DER types it switched.
    pub async fn publish(
        &self,
        sn: &str,
        enabled: bool,
        only: Option<&[&str]>,
    ) -> Result<Vec<String>> {
        let ders = self.ders(sn).await?;
        if let Some(only) = only {
            if let Some(missing) = only
                .iter()
                .find(|t| !ders.iter().any(|d| d.der_type == **t))
            {
                let have: Vec<_> = ders.iter().map(|d| d.der_type.as_str()).collect();
                return Err(Error::local_validation(vec![
                    crate::error::FieldError::new(
                        "der",
                        format!(
                            "device {sn} has no {missing} DER (it has: {})",
                            have.join(", ")
                        ),
                    ),
                ]));
            }
        }
        let types: Vec<String> = ders
            .into_iter()
            .map(|d| d.der_type)
            .filter(|t| only.is_none_or(|o| o.contains(&t.as_str())))
            .collect();
        let toggles: Vec<(&str, bool)> = types.iter().map(|t| (t.as_str(), enabled)).collect();
        self.set_publishing(sn, &toggles).await?;
        Ok(types)
    }
    /// `GET /api/devices/{sn}/ders`.
    pub async fn ders(&self, sn: &str) -> Result<Vec<ZapDer>> {
        let v: Value = self
            .call(Method::GET, &["devices", sn, "ders"], None)
            .await?;
        let list = match v {
            Value::Object(mut m) => m.remove("ders").unwrap_or(Value::Array(Vec::new())),
            v => v,
        };
        let text = list.to_string();
        serde_json::from_value(list).map_err(|e| Error::decode(e, text.as_bytes()))
    }
    /// `POST /api/devices/{sn}/ders`: update flags/metadata of the listed DERs.
    pub async fn update_ders(&self, sn: &str, ders: &[ZapDer]) -> Result<StatusMessage> {
        let body = json!({ "ders": ders });
        self.call(Method::POST, &["devices", sn, "ders"], Some(&body))
            .await
    }
    /// `GET /api/devices/{sn}/registers/{address}`: Modbus read.
    pub async fn read_register(
        &self,
        sn: &str,
        address: u32,
        q: &RegisterQuery,
    ) -> Result<RegisterRead> {
        let mut query = Vec::new();
        let mut push = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                query.push((k.to_string(), v));
            }
        };
        push("type", q.value_type.clone());
        push("size", q.size.map(|s| s.to_string()));
        push("endianness", q.endianness.clone());
        push("scale_factor", q.scale_factor.clone());
        push("function_code", q.function_code.map(|s| s.to_string()));
        let addr = address.to_string();
        self.call_opt(
            Method::GET,
            &["devices", sn, "registers", &addr],
            &query,
            None,
        )
        .await?
        .ok_or_else(|| Error::decode("empty register read", b""))
    }
    /// `POST /api/devices/{sn}/registers/{address}`: Modbus write.
    pub async fn write_register(
        &self,
        sn: &str,
        address: u32,
        value: i64,
    ) -> Result<StatusMessage> {
        let addr = address.to_string();
        let body = json!({ "value": value });
        self.call(
            Method::POST,
            &["devices", sn, "registers", &addr],
            Some(&body),
        )
        .await
    }
    /// `POST /api/devices/{sn}/registers`: batch write `{address: value}` (207 on partial success).
    pub async fn write_registers(&self, sn: &str, values: &[(u32, i64)]) -> Result<StatusMessage> {
        let body: serde_json::Map<String, Value> = values
            .iter()
            .map(|(a, v)| (a.to_string(), json!(v)))
            .collect();
        self.call(
            Method::POST,
            &["devices", sn, "registers"],
            Some(&Value::Object(body)),
        )
        .await
    }
    /// `POST /api/devices/{sn}/write`: legacy single write.
    pub async fn legacy_write(&self, sn: &str, address: u32, value: i64) -> Result<StatusMessage> {
        let body = json!({ "addr": address, "value": value });
        self.call(Method::POST, &["devices", sn, "write"], Some(&body))
            .await
    }

    // §5.3 Control (older firmware only; queue admission, no result)

    /// `POST /api/control/{sn}/{action}` with an optional power set-point. Actions: `init`,
    /// `battery` (+ charge / − discharge W), `curtail` (W limit), `curtail/disable`, `deinit`.
    pub async fn control(
        &self,
        sn: &str,
        action: &str,
        power_w: Option<f64>,
    ) -> Result<StatusMessage> {
        let mut segs = vec!["control", sn];
        segs.extend(action.split('/'));
        let body = power_w.map(|p| json!({ "power_w": p }));
        self.call(Method::POST, &segs, body.as_ref()).await
    }

    // §5.4 Identity & security

    /// `GET /api/crypto`: serial and public key.
    pub async fn crypto(&self) -> Result<CryptoInfo> {
        self.call(Method::GET, &["crypto"], None).await
    }
    /// `POST /api/crypto/sign`: the Zap appends `|nonce|timestamp|serial` and signs (§5.6).
    /// `|` is refused locally, as the firmware would (400).
    pub async fn sign(
        &self,
        message: Option<&str>,
        timestamp: Option<&str>,
    ) -> Result<SignResponse> {
        let mut body = serde_json::Map::new();
        for (k, v) in [("message", message), ("timestamp", timestamp)] {
            if let Some(v) = v {
                if v.contains('|') {
                    return Err(Error::InvalidInput(format!(
                        "{k} cannot contain | characters"
                    )));
                }
                body.insert(k.into(), json!(v));
            }
        }
        self.call(
            Method::POST,
            &["crypto", "sign"],
            Some(&Value::Object(body)),
        )
        .await
    }
    /// `GET /api/name`.
    pub async fn name(&self) -> Result<String> {
        let v: Value = self.call(Method::GET, &["name"], None).await?;
        v.get("name")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| Error::decode("no `name` field", v.to_string().as_bytes()))
    }

    // §5.5 Utilities

    /// `GET /api/debug`.
    pub async fn debug_info(&self) -> Result<Value> {
        self.call(Method::GET, &["debug"], None).await
    }
    /// `POST /api/echo`.
    pub async fn echo(&self, body: &Value) -> Result<Value> {
        self.call(Method::POST, &["echo"], Some(body)).await
    }
    /// `GET /api/ota/status`.
    pub async fn ota_status(&self) -> Result<Value> {
        self.call(Method::GET, &["ota", "status"], None).await
    }
    /// `POST /api/ota/update`.
    pub async fn ota_update(&self, body: &Value) -> Result<Value> {
        self.call(Method::POST, &["ota", "update"], Some(body))
            .await
    }
    /// `GET /api/data/p1/obis`: raw OBIS lines.
    pub async fn p1_obis(&self) -> Result<Value> {
        self.call(Method::GET, &["data", "p1", "obis"], None).await
    }
    /// `GET /api/data/p1/json`.
    pub async fn p1_json(&self) -> Result<Value> {
        self.call(Method::GET, &["data", "p1", "json"], None).await
    }
}
