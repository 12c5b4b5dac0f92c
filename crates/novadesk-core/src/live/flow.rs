//! A site's power flow from the latest reading of each of its DERs — pure, no I/O.
//!
//! Signs follow the reference (novacore-api.md §4.2, "positive = flow into the site from the grid
//! or into a load"): meter `W` + import / − export; PV `W` ≤ 0 is generation; battery `W` +
//! charging / − discharging; EV charger `W` + charging the vehicle / − V2G. The flow keeps those
//! signs; the UI turns them into words ("exporting", "discharging").

use std::collections::HashMap;

use novacore::models::{Reading, ReadingData};
use serde_json::Value;

/// Which way a battery's `W` points on the wire. The reference documents + = charging; a legacy
/// adapter asserts the deployed format uses the opposite (§4.2 [CONFLICT]), so it is a choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BatterySign {
    /// `W > 0` is charging (documented; the Sandbox follows it).
    #[default]
    PositiveCharging,
    /// `W < 0` is charging (the legacy deployed format).
    NegativeCharging,
}

/// One flow: the summed power of the DERs of one kind, and when the newest of them was read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Flow {
    /// Power, W, in the site sign convention (see the module docs).
    pub w: f64,
    /// Timestamp (epoch ms) of the newest reading that went into `w`.
    pub ts_ms: i64,
    /// How many DERs contributed.
    pub ders: usize,
}

/// The five flows of a site and what goes with them. `None` = no DER of that kind has reported.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PowerFlow {
    /// Grid exchange (sum of meters): + importing, − exporting.
    pub grid: Option<Flow>,
    /// Solar (sum of PV): ≤ 0 while generating.
    pub solar: Option<Flow>,
    /// Battery (sum): + charging, − discharging (after [`BatterySign`]).
    pub battery: Option<Flow>,
    /// Battery state of charge 0..1 (capacity-weighted when several batteries report capacity).
    pub battery_soc_fract: Option<f64>,
    /// Energy stored in the batteries, Wh (SoC × capacity, where capacity is reported).
    pub battery_stored_wh: Option<f64>,
    /// EV chargers (sum): + charging the vehicle, − feeding back (V2G).
    pub ev: Option<Flow>,
    /// The charger's status text (`charging`, `suspended`, …) when there is one charger.
    pub ev_status: Option<String>,
    /// Energy charged in the current session, Wh (sum over chargers).
    pub ev_session_wh: Option<f64>,
    /// What the house itself uses, W: grid − solar − battery − EV (needs the grid meter).
    pub load_w: Option<f64>,
}

/// The latest reading per DER, from which [`PowerFlow`] is computed.
#[derive(Debug, Clone, Default)]
pub struct FlowState {
    latest: HashMap<String, Reading>,
}

impl FlowState {
    /// An empty state.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes a reading in; an older reading than the one held for its DER is ignored (replays,
    /// back-fills). A reading without a DER id is keyed by device and kind.
    pub fn apply(&mut self, reading: &Reading) {
        let key = der_key(reading);
        match self.latest.get(&key) {
            Some(held) if held.timestamp > reading.timestamp => {}
            _ => {
                self.latest.insert(key, reading.clone());
            }
        }
    }

    /// Timestamp (epoch ms) of the newest reading held.
    pub fn last_reading_ms(&self) -> Option<i64> {
        self.latest
            .values()
            .map(|r| r.timestamp.timestamp_millis())
            .max()
    }

    /// The flows now.
    pub fn flow(&self, sign: BatterySign) -> PowerFlow {
        let mut f = PowerFlow::default();
        let mut soc = Weighted::default();
        let mut chargers = 0;
        for r in self.latest.values() {
            let ts = r.timestamp.timestamp_millis();
            match &r.data {
                ReadingData::Meter(m) => add(&mut f.grid, m.w, ts),
                ReadingData::Pv(p) => add(&mut f.solar, p.w, ts),
                ReadingData::Battery(b) => {
                    let w = b.w.map(|w| match sign {
                        BatterySign::PositiveCharging => w,
                        BatterySign::NegativeCharging => -w,
                    });
                    add(&mut f.battery, w, ts);
                    if let Some(s) = b.soc_nom_fract.filter(|s| s.is_finite()) {
                        soc.add(s, b.capacity_wh.filter(|c| c.is_finite() && *c > 0.0));
                    }
                }
                ReadingData::V2xCharger(v) => {
                    chargers += 1;
                    add(&mut f.ev, v.w, ts);
                    f.ev_status = v.status.clone();
                    sum_opt(&mut f.ev_session_wh, v.session_charge_wh);
                }
                ReadingData::Other { kind, fields } if is_ev_kind(kind) => {
                    chargers += 1;
                    add(&mut f.ev, fields.get("W").and_then(Value::as_f64), ts);
                    f.ev_status = fields
                        .get("status")
                        .and_then(Value::as_str)
                        .map(str::to_string);
                    sum_opt(
                        &mut f.ev_session_wh,
                        fields.get("session_charge_Wh").and_then(Value::as_f64),
                    );
                }
                ReadingData::Other { .. } => {}
            }
        }
        if chargers != 1 {
            // Several chargers' statuses do not add up to one word.
            f.ev_status = None;
        }
        f.battery_soc_fract = soc.mean();
        f.battery_stored_wh = soc.stored_wh();
        f.load_w = f.grid.map(|g| {
            let w = |x: Option<Flow>| x.map_or(0.0, |x| x.w);
            g.w - w(f.solar) - w(f.battery) - w(f.ev)
        });
        f
    }
}

fn der_key(r: &Reading) -> String {
    match &r.der_id {
        Some(id) => id.clone(),
        None => format!("{}/{}", r.device_id.as_deref().unwrap_or("?"), r.kind()),
    }
}

fn is_ev_kind(kind: &str) -> bool {
    matches!(
        kind,
        "ev_port" | "ev_charger" | "ev_charger_port" | "charger"
    )
}

/// Adds a power to a flow; a missing or non-finite `W` leaves the flow as it was.
fn add(flow: &mut Option<Flow>, w: Option<f64>, ts: i64) {
    let Some(w) = w.filter(|w| w.is_finite()) else {
        return;
    };
    *flow = Some(match flow.take() {
        None => Flow {
            w,
            ts_ms: ts,
            ders: 1,
        },
        Some(f) => Flow {
            w: f.w + w,
            ts_ms: f.ts_ms.max(ts),
            ders: f.ders + 1,
        },
    });
}

fn sum_opt(total: &mut Option<f64>, x: Option<f64>) {
    if let Some(x) = x.filter(|x| x.is_finite()) {
        *total = Some(total.unwrap_or(0.0) + x);
    }
}

/// State of charge over several batteries: weighted by capacity when every one reports it.
#[derive(Default)]
struct Weighted {
    socs: Vec<(f64, Option<f64>)>,
}

impl Weighted {
    fn add(&mut self, soc: f64, capacity: Option<f64>) {
        self.socs.push((soc, capacity));
    }

    fn all_capacities(&self) -> Option<f64> {
        self.socs.iter().map(|(_, c)| *c).sum()
    }

    fn mean(&self) -> Option<f64> {
        if self.socs.is_empty() {
            return None;
        }
        Some(match self.all_capacities() {
            Some(total) => {
                self.socs
                    .iter()
                    .map(|(s, c)| s * c.unwrap_or(0.0))
                    .sum::<f64>()
                    / total
            }
            None => self.socs.iter().map(|(s, _)| s).sum::<f64>() / self.socs.len() as f64,
        })
    }

    fn stored_wh(&self) -> Option<f64> {
        if self.socs.is_empty() {
            return None;
        }
        self.all_capacities()?;
        Some(self.socs.iter().map(|(s, c)| s * c.unwrap_or(0.0)).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(json: &str) -> Reading {
        Reading::from_json(json).unwrap()
    }

    const T: i64 = 1_772_791_200_000;

    fn site() -> FlowState {
        let mut s = FlowState::new();
        for r in [
            format!(r#"{{"type":"meter","der_id":"m","timestamp":{T},"W":-1200.0}}"#),
            format!(r#"{{"type":"pv","der_id":"pv1","timestamp":{T},"W":-3000.0}}"#),
            format!(
                r#"{{"type":"pv","der_id":"pv2","timestamp":{},"W":-1000.0}}"#,
                T + 400
            ),
            format!(
                r#"{{"type":"battery","der_id":"b","timestamp":{T},"W":500.0,"SoC_nom_fract":0.5,"capacity_Wh":10000}}"#
            ),
            format!(
                r#"{{"type":"v2x_charger","der_id":"ev","timestamp":{T},"W":2000.0,"status":"charging","session_charge_Wh":3500}}"#
            ),
        ] {
            s.apply(&reading(&r));
        }
        s
    }

    #[test]
    fn flows_sum_per_kind_keep_the_reference_signs_and_balance_the_house() {
        let f = site().flow(BatterySign::PositiveCharging);
        assert_eq!(f.grid.unwrap().w, -1200.0, "exporting");
        let solar = f.solar.unwrap();
        assert_eq!((solar.w, solar.ders, solar.ts_ms), (-4000.0, 2, T + 400));
        assert_eq!(f.battery.unwrap().w, 500.0, "charging");
        assert_eq!(f.battery_soc_fract, Some(0.5));
        assert_eq!(f.battery_stored_wh, Some(5000.0));
        assert_eq!(f.ev.unwrap().w, 2000.0);
        assert_eq!(f.ev_status.as_deref(), Some("charging"));
        assert_eq!(f.ev_session_wh, Some(3500.0));
        // Sources (4000 solar) = export 1200 + battery 500 + EV 2000 + house 300.
        assert_eq!(f.load_w, Some(300.0));
    }

    #[test]
    fn the_legacy_battery_sign_flips_the_battery_only() {
        let f = site().flow(BatterySign::NegativeCharging);
        assert_eq!(f.battery.unwrap().w, -500.0);
        assert_eq!(f.grid.unwrap().w, -1200.0);
        assert_eq!(f.load_w, Some(1300.0));
    }

    #[test]
    fn newer_readings_replace_older_ones_and_stale_replays_are_ignored() {
        let mut s = site();
        s.apply(&reading(&format!(
            r#"{{"type":"meter","der_id":"m","timestamp":{},"W":800.0}}"#,
            T + 1000
        )));
        s.apply(&reading(&format!(
            r#"{{"type":"meter","der_id":"m","timestamp":{},"W":-9999.0}}"#,
            T - 1000
        )));
        let f = s.flow(BatterySign::default());
        assert_eq!(f.grid.unwrap().w, 800.0, "importing now");
        assert_eq!(f.grid.unwrap().ts_ms, T + 1000);
        assert_eq!(s.last_reading_ms(), Some(T + 1000));
    }

    #[test]
    fn missing_kinds_stay_unknown_and_the_house_needs_the_meter() {
        let mut s = FlowState::new();
        assert_eq!(s.flow(BatterySign::default()), PowerFlow::default());
        assert_eq!(s.last_reading_ms(), None);
        s.apply(&reading(&format!(
            r#"{{"type":"pv","der_id":"pv","timestamp":{T},"W":-10.0}}"#
        )));
        let f = s.flow(BatterySign::default());
        assert!(f.grid.is_none() && f.battery.is_none() && f.ev.is_none());
        assert_eq!(f.load_w, None);
        assert_eq!(f.solar.unwrap().w, -10.0);
    }

    #[test]
    fn soc_is_capacity_weighted_and_plain_mean_without_capacities() {
        let mut s = FlowState::new();
        s.apply(&reading(&format!(
            r#"{{"type":"battery","der_id":"a","timestamp":{T},"W":0,"SoC_nom_fract":1.0,"capacity_Wh":30000}}"#
        )));
        s.apply(&reading(&format!(
            r#"{{"type":"battery","der_id":"b","timestamp":{T},"W":0,"SoC_nom_fract":0.2,"capacity_Wh":10000}}"#
        )));
        let f = s.flow(BatterySign::default());
        assert!((f.battery_soc_fract.unwrap() - 0.8).abs() < 1e-9);
        assert_eq!(f.battery_stored_wh, Some(32000.0));
        s.apply(&reading(&format!(
            r#"{{"type":"battery","der_id":"c","timestamp":{T},"W":0,"SoC_nom_fract":0.3}}"#
        )));
        let f = s.flow(BatterySign::default());
        assert!((f.battery_soc_fract.unwrap() - 0.5).abs() < 1e-9);
        assert_eq!(f.battery_stored_wh, None, "a capacity is unknown");
    }

    #[test]
    fn legacy_ev_ports_count_as_chargers_and_two_chargers_have_no_single_status() {
        let mut s = FlowState::new();
        s.apply(&reading(&format!(
            r#"{{"type":"ev_port","der_id":"p","timestamp":{T},"W":7000,"status":"charging","session_charge_Wh":100}}"#
        )));
        let f = s.flow(BatterySign::default());
        assert_eq!(f.ev.unwrap().w, 7000.0);
        assert_eq!(f.ev_status.as_deref(), Some("charging"));
        s.apply(&reading(&format!(
            r#"{{"type":"v2x_charger","der_id":"v","timestamp":{T},"W":-3000,"status":"discharging"}}"#
        )));
        let f = s.flow(BatterySign::default());
        assert_eq!(f.ev.unwrap().w, 4000.0);
        assert_eq!(f.ev_status, None);
        assert_eq!(f.ev_session_wh, Some(100.0));
    }
}
