//! Telemetry readings (reference §4): a common envelope plus typed fields per DER kind.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::reading_wire::WireReading;
use crate::error::{Error, Result};

/// Extra fields this SDK does not model, kept verbatim.
pub type Extra = Map<String, Value>;

/// One reading of one DER.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// DER id (present on the SSE stream).
    pub der_id: Option<String>,
    /// Device id.
    pub device_id: Option<String>,
    /// Site id.
    pub site_id: Option<String>,
    /// Start of the reading, stamped by the gateway.
    pub timestamp: DateTime<Utc>,
    /// Manufacturer/profile.
    pub make: Option<String>,
    /// How long the read took, ms.
    pub read_time_ms: Option<f64>,
    /// Typed fields per DER kind.
    pub data: ReadingData,
}

/// The kind-specific part of a reading.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadingData {
    /// `type: pv`.
    Pv(PvFields),
    /// `type: battery`.
    Battery(BatteryFields),
    /// `type: meter`.
    Meter(MeterFields),
    /// `type: v2x_charger`.
    V2xCharger(V2xFields),
    /// Any other `type` (e.g. `ev_port`): all its fields, untyped.
    Other {
        /// The wire `type`.
        kind: String,
        /// Every field besides the envelope.
        fields: Extra,
    },
}

macro_rules! fields_struct {
    ($(#[$m:meta])* $name:ident { $($(#[$fm:meta])* $f:ident : $t:ty = $wire:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        pub struct $name {
            $($(#[$fm])* #[serde(rename = $wire, default, skip_serializing_if = "Option::is_none")] pub $f: Option<$t>,)*
            /// Fields not modelled here.
            #[serde(flatten)]
            pub extra: Extra,
        }

        impl super::reading_wire::Fields for $name {
            fn set<'de>(
                &mut self,
                wire: &str,
                v: super::reading_raw::Raw<'de>,
            ) -> std::result::Result<Option<super::reading_raw::Raw<'de>>, String> {
                match wire {
                    $($wire => {
                        self.$f = <$t as super::reading_raw::FromRaw>::from_raw(v)
                            .map_err(|e| format!("{}: {e}", $wire))?;
                        Ok(None)
                    })*
                    _ => Ok(Some(v)),
                }
            }

            fn extra_mut(&mut self) -> &mut Extra {
                &mut self.extra
            }
        }
    };
}

fields_struct!(
    /// PV fields (W ≤ 0 is generation).
    PvFields {
        /// Active power, W.
        w: f64 = "W",
        /// Rated power, W.
        rated_power_w: f64 = "rated_power_W",
        /// MPPT 1 voltage.
        mppt1_v: f64 = "mppt1_V",
        /// MPPT 1 current.
        mppt1_a: f64 = "mppt1_A",
        /// MPPT 2 voltage.
        mppt2_v: f64 = "mppt2_V",
        /// MPPT 2 current.
        mppt2_a: f64 = "mppt2_A",
        /// Heatsink temperature, °C.
        heatsink_c: f64 = "heatsink_C",
        /// Lifetime generation, Wh.
        total_generation_wh: f64 = "total_generation_Wh",
        /// Curtailment lower limit, W.
        lower_limit_w: f64 = "lower_limit_W",
        /// Curtailment upper limit, W.
        upper_limit_w: f64 = "upper_limit_W",
    }
);

fields_struct!(
    /// Battery fields (W > 0 charging per the docs; the deployed sign is disputed).
    BatteryFields {
        /// Active power, W.
        w: f64 = "W",
        /// Voltage.
        v: f64 = "V",
        /// Current.
        a: f64 = "A",
        /// State of charge 0..1.
        soc_nom_fract: f64 = "SoC_nom_fract",
        /// State of health 0..1.
        soh_fract: f64 = "SoH_fract",
        /// Heatsink temperature (legacy name), °C.
        heatsink_c: f64 = "heatsink_C",
        /// Temperature, °C.
        temperature_c: f64 = "temperature_C",
        /// Lifetime charge, Wh.
        total_charge_wh: f64 = "total_charge_Wh",
        /// Lifetime discharge, Wh.
        total_discharge_wh: f64 = "total_discharge_Wh",
        /// Max charge power now, W.
        upper_limit_w: f64 = "upper_limit_W",
        /// Max discharge power now (≤ 0), W.
        lower_limit_w: f64 = "lower_limit_W",
        /// Capacity, Wh.
        capacity_wh: f64 = "capacity_Wh",
        /// Energy that can still be charged, Wh.
        available_charge_wh: f64 = "available_charge_Wh",
        /// Energy that can still be discharged, Wh.
        available_discharge_wh: f64 = "available_discharge_Wh",
    }
);

fields_struct!(
    /// Meter fields (W > 0 import).
    MeterFields {
        /// Active power, W.
        w: f64 = "W",
        /// Frequency, Hz.
        hz: f64 = "Hz",
        /// Phase 1 voltage.
        l1_v: f64 = "L1_V",
        /// Phase 2 voltage.
        l2_v: f64 = "L2_V",
        /// Phase 3 voltage.
        l3_v: f64 = "L3_V",
        /// Phase 1 current.
        l1_a: f64 = "L1_A",
        /// Phase 2 current.
        l2_a: f64 = "L2_A",
        /// Phase 3 current.
        l3_a: f64 = "L3_A",
        /// Phase 1 power.
        l1_w: f64 = "L1_W",
        /// Phase 2 power.
        l2_w: f64 = "L2_W",
        /// Phase 3 power.
        l3_w: f64 = "L3_W",
        /// Lifetime import, Wh.
        total_import_wh: f64 = "total_import_Wh",
        /// Lifetime export, Wh.
        total_export_wh: f64 = "total_export_Wh",
    }
);

fields_struct!(
    /// Bidirectional EV charger fields.
    V2xFields {
        /// `charging`, `discharging`, `suspended`, … (vocabularies conflict; kept as text).
        status: String = "status",
        /// e.g. `ISO_15118_20`.
        protocol: String = "protocol",
        /// Control mode.
        control_mode: String = "control_mode",
        /// Plug state.
        plug_connected: bool = "plug_connected",
        /// AC power, W (+ charging the EV).
        w: f64 = "W",
        /// Current.
        a: f64 = "A",
        /// Voltage.
        v: f64 = "V",
        /// Frequency.
        hz: f64 = "Hz",
        /// DC power.
        dc_w: f64 = "dc_W",
        /// Vehicle state of charge 0..1.
        vehicle_soc_fract: f64 = "vehicle_soc_fract",
        /// Session charge, Wh.
        session_charge_wh: f64 = "session_charge_Wh",
        /// Session discharge, Wh.
        session_discharge_wh: f64 = "session_discharge_Wh",
        /// Lifetime charge, Wh.
        total_charge_wh: f64 = "total_charge_Wh",
        /// Lifetime discharge, Wh.
        total_discharge_wh: f64 = "total_discharge_Wh",
        /// Capacity, Wh.
        capacity_wh: f64 = "capacity_Wh",
        /// Rated power, W.
        rated_power_w: f64 = "rated_power_W",
        /// Lower limits (a number or a 3-element array; semantics undocumented).
        lower_limit_w: Value = "lower_limit_W",
        /// Upper limits (a number or a 3-element array).
        upper_limit_w: Value = "upper_limit_W",
    }
);

impl Reading {
    /// The reading's measured fields as one JSON object in the wire's own names (`W`,
    /// `SoC_nom_fract`, …), typed or not; the envelope (`type`, ids, timestamp) is not included.
    pub fn fields(&self) -> Map<String, Value> {
        let fields = match &self.data {
            ReadingData::Pv(f) => serde_json::to_value(f),
            ReadingData::Battery(f) => serde_json::to_value(f),
            ReadingData::Meter(f) => serde_json::to_value(f),
            ReadingData::V2xCharger(f) => serde_json::to_value(f),
            ReadingData::Other { fields, .. } => Ok(Value::Object(fields.clone())),
        };
        match fields {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        }
    }

    /// Decodes one reading from JSON text, in one pass (no intermediate JSON object).
    pub fn from_json(text: &str) -> Result<Self> {
        super::reading_wire::decode(text).map_err(|e| Error::decode(e, text.as_bytes()))
    }

    /// Decodes one reading from a JSON object.
    pub fn from_map(m: Map<String, Value>) -> std::result::Result<Self, String> {
        let mut wire = WireReading::default();
        for (k, v) in m {
            wire.add(k.into(), v.into());
        }
        wire.take_reading()
    }

    /// The wire `type` of this reading.
    pub fn kind(&self) -> &str {
        match &self.data {
            ReadingData::Pv(_) => "pv",
            ReadingData::Battery(_) => "battery",
            ReadingData::Meter(_) => "meter",
            ReadingData::V2xCharger(_) => "v2x_charger",
            ReadingData::Other { kind, .. } => kind,
        }
    }

    /// Active power `W`, whatever the kind.
    pub fn power_w(&self) -> Option<f64> {
        match &self.data {
            ReadingData::Pv(f) => f.w,
            ReadingData::Battery(f) => f.w,
            ReadingData::Meter(f) => f.w,
            ReadingData::V2xCharger(f) => f.w,
            ReadingData::Other { fields, .. } => fields.get("W").and_then(Value::as_f64),
        }
    }
}

impl<'de> Deserialize<'de> for Reading {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        WireReading::deserialize(d)?
            .take_reading()
            .map_err(serde::de::Error::custom)
    }
}
