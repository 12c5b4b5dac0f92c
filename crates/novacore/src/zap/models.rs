//! Zap local API shapes (reference §5), tolerant of firmware variants: every field optional,
//! unknown fields kept in `extra`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

use crate::models::time::ts_opt;

/// `GET /api/crypto`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CryptoInfo {
    /// Device name (`software_zap`, …).
    #[serde(default, alias = "deviceName")]
    pub device_name: Option<String>,
    /// Serial, e.g. `zap-0000f0878290a994` (`serialNumber` or `serial_number`).
    #[serde(alias = "serialNumber")]
    pub serial_number: String,
    /// P-256 public key, `04`-hex or 128-hex, passed through unchanged.
    #[serde(alias = "publicKey")]
    pub public_key: String,
}

/// `POST /api/crypto/sign`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignResponse {
    /// Signature, raw r‖s hex (128 chars) on known firmware.
    #[serde(alias = "signature")]
    pub sign: String,
    /// The combined string the Zap signed: `message|nonce|timestamp|serial`.
    pub message: String,
}

/// A `{status, message}` acknowledgement.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StatusMessage {
    /// `success`, `sucess` (sic), `queued`, …
    #[serde(default)]
    pub status: Option<String>,
    /// Human text.
    #[serde(default)]
    pub message: Option<String>,
    /// Anything else (`sn`, `action`, `enabled`, …).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Network part of `GET /api/system`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkInfo {
    /// `connected`, …
    #[serde(default)]
    pub wifi_status: Option<String>,
    /// Wi-Fi up.
    #[serde(default)]
    pub wifi_connected: Option<bool>,
    /// LAN address.
    #[serde(default, rename = "localIP", alias = "localIp", alias = "local_ip")]
    pub local_ip: Option<String>,
    /// SSID.
    #[serde(default)]
    pub ssid: Option<String>,
    /// Signal, dBm.
    #[serde(default)]
    pub rssi: Option<i64>,
    /// Internet reachable.
    #[serde(default)]
    pub internet_connected: Option<bool>,
    /// MQTT session to Novacore up.
    #[serde(default)]
    pub mqtt_connected: Option<bool>,
}

/// The `zap` part of `GET /api/system`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ZapInfo {
    /// Device id.
    #[serde(default)]
    pub device_id: Option<String>,
    /// Firmware version, e.g. `1.8.50`.
    #[serde(default)]
    pub firmware_version: Option<String>,
    /// Public key.
    #[serde(default)]
    pub public_key: Option<String>,
    /// Network state.
    #[serde(default)]
    pub network: Option<NetworkInfo>,
    /// Other fields (`cpuFreqMHz`, `sdkVersion`, …).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `GET /api/system`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SystemInfo {
    /// Zap clock, Unix seconds.
    #[serde(default)]
    pub time_utc_sec: Option<i64>,
    /// Uptime, s.
    #[serde(default)]
    pub uptime_seconds: Option<u64>,
    /// Temperature, °C.
    #[serde(default)]
    pub temperature_celsius: Option<f64>,
    /// Memory figures (`memory_kb`, or `memory_MB` on 2025 firmware) as sent.
    #[serde(default, alias = "memory_MB")]
    pub memory_kb: Option<Value>,
    /// Gateway details.
    #[serde(default)]
    pub zap: Option<ZapInfo>,
    /// Everything else.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A visible Wi-Fi network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ssid {
    /// Network name.
    pub ssid: String,
    /// Signal, dBm.
    #[serde(default)]
    pub rssi: Option<i64>,
    /// Security.
    #[serde(default)]
    pub auth: Option<String>,
}

/// `GET /api/wifi`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WifiStatus {
    /// Scan results.
    #[serde(default)]
    pub ssids: Vec<Ssid>,
    /// Connected SSID, `None` when offline.
    #[serde(default)]
    pub connected: Option<String>,
}

/// A DER as the Zap sees it (publish flag + static metadata).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ZapDer {
    /// `pv`, `battery`, `meter`, `v2x_charger`.
    #[serde(rename = "type")]
    pub der_type: String,
    /// Published to Novacore (starts false).
    #[serde(default)]
    pub enabled: bool,
    /// Rated power, W.
    #[serde(default)]
    pub rated_power: Option<f64>,
    /// Installed PV power, W.
    #[serde(default)]
    pub installed_power: Option<f64>,
    /// Capacity (Wh per the local-API doc; units disputed).
    #[serde(default)]
    pub capacity: Option<f64>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A field device configured on the Zap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ZapDevice {
    /// Device serial (`serial_number` on very old firmware).
    #[serde(alias = "serial_number")]
    pub sn: String,
    /// Connection state.
    #[serde(default)]
    pub connected: Option<bool>,
    /// Last successful read (epoch ms).
    #[serde(default, with = "ts_opt")]
    pub last_harvest: Option<DateTime<Utc>>,
    /// `energy_meter`, `inverter`, `v2x_charger` (newer firmware).
    #[serde(default)]
    pub device_type: Option<String>,
    /// Profile, e.g. `sungrow`.
    #[serde(default)]
    pub profile: Option<String>,
    /// Connection type, e.g. `modbus_tcp`.
    #[serde(default, rename = "type")]
    pub connection_type: Option<String>,
    /// DERs.
    #[serde(default)]
    pub ders: Vec<ZapDer>,
    /// Connection config and other fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `POST /api/devices` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AddedDevice {
    /// Message.
    #[serde(default)]
    pub message: Option<String>,
    /// Serial of the new device.
    pub sn: String,
    /// Its DERs.
    #[serde(default)]
    pub ders: Vec<ZapDer>,
}

/// `GET /api/devices/{sn}/data/json`: latest values keyed by DER type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeviceSnapshot {
    /// Schema version (`v0`).
    #[serde(default)]
    pub version: Option<String>,
    /// Profile / format.
    #[serde(default)]
    pub format: Option<String>,
    /// `pv`, `battery`, `meter`, `v2x_charger` → §4 fields.
    #[serde(flatten)]
    pub ders: BTreeMap<String, Value>,
}

/// `GET /api/devices/{sn}/registers/{address}` (single or bulk form).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RegisterRead {
    /// Address.
    #[serde(default)]
    pub address: Option<Value>,
    /// Decoded value (single read).
    #[serde(default)]
    pub value: Option<Value>,
    /// Raw registers (single read).
    #[serde(default)]
    pub registers: Option<Value>,
    /// Count (bulk read).
    #[serde(default)]
    pub count: Option<u64>,
    /// Hex strings (bulk read).
    #[serde(default)]
    pub values: Option<Vec<String>>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Options of a register read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterQuery {
    /// `u16` (default), `i16`, `u32`, `i32`, `f32`, `u64`, `i64`, `str`.
    pub value_type: Option<String>,
    /// Registers to read, 1–125.
    pub size: Option<u16>,
    /// `little` (default) or `big`.
    pub endianness: Option<String>,
    /// Scale factor.
    pub scale_factor: Option<String>,
    /// 4 (input, default) or 3 (holding).
    pub function_code: Option<u8>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crypto_and_sign_variants() {
        let a: CryptoInfo = serde_json::from_str(
            r#"{"deviceName": "software_zap", "serialNumber": "zap-0000f0878290a994", "publicKey": "04aa"}"#,
        )
        .unwrap();
        let b: CryptoInfo =
            serde_json::from_str(r#"{"serial_number": "zap-0000f0878290a994", "publicKey": "aa"}"#)
                .unwrap();
        assert_eq!(a.serial_number, b.serial_number);
        assert_eq!(b.device_name, None);
        let s: SignResponse = serde_json::from_str(
            r#"{"sign": "00ff", "message": "idt-1|123456|2026-03-06T12:00:00Z|zap-1"}"#,
        )
        .unwrap();
        assert_eq!(s.message.split('|').count(), 4);
    }

    #[test]
    fn system_info_of_2025_firmware_and_wifi() {
        let s: SystemInfo = serde_json::from_str(
            r#"{"time_utc_sec": 1697515200, "memory_MB": {"available": 0.2},
                "zap": {"network": {"wifiStatus": "connected", "localIP": "10.0.0.2", "ssid": "x", "rssi": -60}}}"#,
        )
        .unwrap();
        assert!(s.memory_kb.is_some());
        assert_eq!(
            s.zap.unwrap().network.unwrap().local_ip.as_deref(),
            Some("10.0.0.2")
        );
        let w: WifiStatus = serde_json::from_str(
            r#"{"ssids": [{"ssid":"Network1","rssi":-60,"auth":"WPA2"}], "connected": null}"#,
        )
        .unwrap();
        assert_eq!(w.connected, None);
        let st: StatusMessage =
            serde_json::from_str(r#"{"status":"sucess","message":"scan initiated"}"#).unwrap();
        assert_eq!(st.status.as_deref(), Some("sucess"));
    }
}
