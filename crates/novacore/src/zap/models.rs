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
    /// Connection state (`connected` bool, or old firmware's `connection_status` text/flag).
    #[serde(
        default,
        alias = "connection_status",
        deserialize_with = "connection_state"
    )]
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

/// Reads a connection state however the firmware spells it: `true`, `1`, `"connected"`, `"online"` …
fn connection_state<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Bool(b)) => Some(b),
        Some(Value::Number(n)) => n.as_i64().map(|n| n != 0),
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "connected" | "online" | "ok" | "up" | "true" | "1" => Some(true),
            "disconnected" | "offline" | "error" | "down" | "false" | "0" | "failed" => Some(false),
            _ => None,
        },
        _ => None,
    })
}

/// A parameter of a connection type (`GET /api/devices/types`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConnectionParam {
    /// Config key, e.g. `ip`, `unit_id`.
    pub name: String,
    /// `string`, `int` (also `integer`, `number`, `bool` on some firmware).
    #[serde(rename = "type", default)]
    pub param_type: Option<String>,
    /// Must be present.
    #[serde(default)]
    pub required: bool,
    /// Used when absent.
    #[serde(default)]
    pub default: Option<Value>,
    /// Help text.
    #[serde(default)]
    pub description: Option<String>,
}

/// A connection type and its parameters (`GET /api/devices/types`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConnectionType {
    /// `modbus_tcp`, `modbus_rtu`, `p1_uart`, `mqtt`.
    #[serde(rename = "type")]
    pub conn_type: String,
    /// Human name.
    #[serde(default)]
    pub description: Option<String>,
    /// Parameters.
    #[serde(default)]
    pub parameters: Vec<ConnectionParam>,
}

impl ConnectionType {
    /// A config from text values as an installer types them (form fields, `KEY=VALUE`), typed
    /// by this connection type's parameter list: ints stay ints, blanks are left out (the Zap's
    /// default applies), text that does not parse stays text (so [`ConnectionType::check`] names
    /// it). `type` is set to this connection type.
    pub fn config_from_text<K: AsRef<str>, V: AsRef<str>>(
        &self,
        values: impl IntoIterator<Item = (K, V)>,
    ) -> Map<String, Value> {
        let mut config = Map::new();
        config.insert("type".into(), Value::from(self.conn_type.clone()));
        for (k, v) in values {
            let (k, v) = (k.as_ref().trim(), v.as_ref().trim());
            if k.is_empty() || k == "type" || v.is_empty() {
                continue;
            }
            let kind = self
                .parameters
                .iter()
                .find(|p| p.name == k)
                .and_then(|p| p.param_type.as_deref());
            let text = Value::from(v);
            let value = match kind {
                Some("int" | "integer") => v.parse::<i64>().map(Value::from).unwrap_or(text),
                Some("number" | "float") => v.parse::<f64>().map(Value::from).unwrap_or(text),
                Some("bool" | "boolean") => v.parse::<bool>().map(Value::from).unwrap_or(text),
                _ => text,
            };
            config.insert(k.to_string(), value);
        }
        config
    }

    /// Checks an add-device config against this type before it is sent: required parameters,
    /// value types, and the ranges every Zap enforces (ports, Modbus unit id, serial framing).
    /// Empty when the config is acceptable.
    pub fn check(&self, config: &Map<String, Value>) -> Vec<crate::error::FieldError> {
        use crate::error::FieldError;
        let mut errs = Vec::new();
        match config.get("type").and_then(Value::as_str) {
            Some(t) if t == self.conn_type => {}
            _ => errs.push(FieldError::new(
                "type",
                format!("must be {}", self.conn_type),
            )),
        }
        for p in &self.parameters {
            let v = config.get(&p.name).filter(|v| !v.is_null());
            let Some(v) = v else {
                if p.required {
                    errs.push(FieldError::new(&p.name, "is required"));
                }
                continue;
            };
            let kind = p.param_type.as_deref().unwrap_or("string");
            let ok = match kind {
                "int" | "integer" => v.as_i64().is_some(),
                "number" | "float" => v.is_number(),
                "bool" | "boolean" => v.is_boolean(),
                // p1_uart's stop_bits is documented as 1, 2 or "1.5": accept text or number.
                _ => v.is_string() || v.is_number(),
            };
            if !ok {
                errs.push(FieldError::new(&p.name, format!("must be of type {kind}")));
                continue;
            }
            if let Some(msg) = v.as_i64().and_then(|n| range_problem(&p.name, n)) {
                errs.push(FieldError::new(&p.name, msg));
            }
            if v.as_str().is_some_and(|s| s.trim().is_empty()) && p.required {
                errs.push(FieldError::new(&p.name, "must not be empty"));
            }
        }
        errs
    }
}

fn range_problem(name: &str, n: i64) -> Option<&'static str> {
    let (ok, msg) = match name {
        "port" | "broker_port" => ((1..=65535).contains(&n), "must be within 1..65535"),
        "unit_id" => ((0..=247).contains(&n), "must be within 0..247"),
        "data_bits" => (n == 7 || n == 8, "must be 7 or 8"),
        "stop_bits" => (n == 1 || n == 2, "must be 1 or 2"),
        "baud_rate" => (
            [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200].contains(&n),
            "must be a standard baud rate (1200 … 115200)",
        ),
        _ => (true, ""),
    };
    (!ok).then_some(msg)
}

/// How good a Wi-Fi signal is, for a label next to its dBm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalQuality {
    /// ≥ −55 dBm.
    Excellent,
    /// −56 … −67 dBm.
    Good,
    /// −68 … −75 dBm.
    Fair,
    /// Below −75 dBm: expect drop-outs.
    Weak,
}

impl SignalQuality {
    /// The label of an RSSI in dBm.
    pub fn from_rssi(rssi: i64) -> Self {
        match rssi {
            r if r >= -55 => SignalQuality::Excellent,
            r if r >= -67 => SignalQuality::Good,
            r if r >= -75 => SignalQuality::Fair,
            _ => SignalQuality::Weak,
        }
    }
}

impl Ssid {
    /// Whether the network needs no passphrase (`auth` `OPEN`/`NONE`; unknown counts as secured).
    pub fn is_open(&self) -> bool {
        self.auth
            .as_deref()
            .is_some_and(|a| matches!(a.trim().to_ascii_uppercase().as_str(), "OPEN" | "NONE"))
    }
}

/// What is wrong with a Wi-Fi passphrase before it is sent, or `None`. WPA/WPA2 take 8 to 63
/// printable ASCII characters (or 64 hex digits); an open network takes none. The message never
/// quotes the passphrase.
pub fn passphrase_problem(psk: &crate::secret::Secret, open: bool) -> Option<&'static str> {
    let p = psk.expose();
    if open {
        return None;
    }
    let hex64 = p.len() == 64 && p.bytes().all(|b| b.is_ascii_hexdigit());
    if p.is_empty() {
        Some("Enter the network's passphrase.")
    } else if !p.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        Some("A Wi-Fi passphrase has only printable ASCII characters (letters, digits, symbols, spaces).")
    } else if !(8..=63).contains(&p.len()) && !hex64 {
        Some("A Wi-Fi passphrase has 8 to 63 characters.")
    } else {
        None
    }
}

impl WifiStatus {
    /// The scan results, strongest first (unknown signal last).
    pub fn by_signal(&self) -> Vec<Ssid> {
        let mut v = self.ssids.clone();
        v.sort_by_key(|s| std::cmp::Reverse(s.rssi.unwrap_or(i64::MIN)));
        v
    }
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
    fn old_and_new_device_lists_read_alike() {
        let old: Vec<ZapDevice> = serde_json::from_str(
            r#"[{"serial_number": "OLD1", "connection_status": "connected"},
                {"serial_number": "OLD2", "connection_status": "disconnected"},
                {"serial_number": "OLD3", "connection_status": 1}]"#,
        )
        .unwrap();
        let new: Vec<ZapDevice> =
            serde_json::from_str(r#"[{"sn": "NEW1", "connected": true}, {"sn": "NEW2"}]"#).unwrap();
        let states: Vec<_> = old.iter().chain(&new).map(|d| d.connected).collect();
        assert_eq!(
            states,
            [Some(true), Some(false), Some(true), Some(true), None]
        );
        assert_eq!(old[0].sn, "OLD1");
    }

    #[test]
    fn connection_types_check_configs_before_sending() {
        let t: ConnectionType = serde_json::from_value(serde_json::json!({
            "type": "modbus_tcp", "description": "Modbus TCP", "parameters": [
                {"name": "ip", "type": "string", "required": true},
                {"name": "port", "type": "int", "required": false, "default": 502},
                {"name": "unit_id", "type": "int", "required": false, "default": 1},
                {"name": "profile", "type": "string", "required": true}]}))
        .unwrap();
        let ok =
            serde_json::json!({"type": "modbus_tcp", "ip": "192.168.1.60", "profile": "sungrow"});
        assert!(t.check(ok.as_object().unwrap()).is_empty());
        let bad =
            serde_json::json!({"type": "modbus_tcp", "ip": "", "port": "502", "unit_id": 300});
        let errs = t.check(bad.as_object().unwrap());
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["ip", "port", "unit_id", "profile"], "{errs:?}");
        assert_eq!(SignalQuality::from_rssi(-48), SignalQuality::Excellent);
        assert_eq!(SignalQuality::from_rssi(-80), SignalQuality::Weak);
        let w = WifiStatus {
            ssids: vec![
                Ssid {
                    ssid: "a".into(),
                    rssi: Some(-80),
                    auth: None,
                },
                Ssid {
                    ssid: "b".into(),
                    rssi: None,
                    auth: None,
                },
                Ssid {
                    ssid: "c".into(),
                    rssi: Some(-40),
                    auth: None,
                },
            ],
            connected: None,
        };
        let order: Vec<_> = w.by_signal().into_iter().map(|s| s.ssid).collect();
        assert_eq!(order, ["c", "a", "b"]);
    }

    #[test]
    fn configs_from_typed_text_and_passphrase_rules() {
        let t: ConnectionType = serde_json::from_value(serde_json::json!({
            "type": "modbus_tcp", "parameters": [
                {"name": "ip", "type": "string", "required": true},
                {"name": "port", "type": "int"}, {"name": "unit_id", "type": "int"}]}))
        .unwrap();
        let c = t.config_from_text([
            ("ip", " 10.0.0.9 "),
            ("port", "5020"),
            ("unit_id", ""),
            ("x", "abc"),
        ]);
        assert_eq!(
            Value::Object(c),
            serde_json::json!({"type": "modbus_tcp", "ip": "10.0.0.9", "port": 5020, "x": "abc"})
        );
        let c = t.config_from_text([("port", "50x")]);
        assert_eq!(c["port"], "50x");
        assert_eq!(t.check(&c)[1].message, "must be of type int");

        use crate::secret::Secret;
        assert_eq!(passphrase_problem(&Secret::new(""), true), None);
        assert!(passphrase_problem(&Secret::new(""), false).is_some());
        assert!(passphrase_problem(&Secret::new("short"), false)
            .unwrap()
            .contains("8 to 63"));
        assert!(passphrase_problem(&Secret::new("pässword1"), false).is_some());
        assert_eq!(
            passphrase_problem(&Secret::new("correct horse"), false),
            None
        );
        assert_eq!(
            passphrase_problem(&Secret::new("ab".repeat(32)), false),
            None
        );
        let open = Ssid {
            ssid: "Guest".into(),
            rssi: None,
            auth: Some("OPEN".into()),
        };
        assert!(open.is_open());
        assert!(!Ssid { auth: None, ..open }.is_open());
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
