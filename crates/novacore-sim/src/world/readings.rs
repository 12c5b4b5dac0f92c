//! Telemetry readings (§4.2 field names, units and signs) derived from the site flows.

use crate::world::physics::{flows, noise, smooth, unit, SiteProfile};

/// Monotonic counter: whole days × daily energy plus a smooth intra-day share, so it never
/// decreases and is continuous across midnight.
fn counter(p: &SiteProfile, t_ms: i64, daily_wh: f64, start_h: f64, span_h: f64, salt: u64) -> f64 {
    let day = p.solar_day(t_ms).floor();
    let h = p.solar_hour(t_ms);
    let base = 1_000_000.0 + 5_000_000.0 * unit(p.key ^ salt, 0);
    base + daily_wh * (day - 19_000.0).max(0.0) + daily_wh * smooth((h - start_h) / span_h)
}

fn r1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Numeric §4.2 fields of a telemetry type at `t_ms` (used for live readings and history).
pub fn numeric_fields(p: &SiteProfile, tel_type: &str, t_ms: i64) -> Vec<(&'static str, f64)> {
    let f = flows(p, t_ms);
    let jitter = noise(p.key ^ 0x7, t_ms, 60_000.0) - 0.5;
    match tel_type {
        "pv" => {
            let a = -f.pv_w / 600.0;
            vec![
                ("W", r1(f.pv_w)),
                ("rated_power_W", p.pv_peak_w),
                (
                    "mppt1_V",
                    r1(if a > 0.0 { 580.0 + 20.0 * jitter } else { 0.0 }),
                ),
                ("mppt1_A", r1(a / 2.0)),
                (
                    "mppt2_V",
                    r1(if a > 0.0 { 575.0 + 20.0 * jitter } else { 0.0 }),
                ),
                ("mppt2_A", r1(a / 2.0)),
                (
                    "heatsink_C",
                    r1(15.0 + 30.0 * (-f.pv_w / p.pv_peak_w) + 2.0 * jitter),
                ),
                (
                    "total_generation_Wh",
                    counter(p, t_ms, p.pv_peak_w * 3.0, 5.0, 15.0, 1).floor(),
                ),
            ]
        }
        "battery" => {
            let v = 400.0 + 40.0 * f.soc;
            vec![
                ("W", r1(f.batt_w)),
                ("V", r1(v)),
                ("A", r1(f.batt_w / v)),
                ("SoC_nom_fract", (f.soc * 1000.0).round() / 1000.0),
                ("heatsink_C", r1(22.0 + f.batt_w.abs() / 500.0)),
                (
                    "total_charge_Wh",
                    counter(p, t_ms, p.batt_wh * 0.6, 9.0, 8.0, 2).floor(),
                ),
                (
                    "total_discharge_Wh",
                    counter(p, t_ms, p.batt_wh * 0.57, 17.0, 7.0, 3).floor(),
                ),
                ("upper_limit_W", if f.soc < 0.95 { p.batt_w } else { 0.0 }),
                ("lower_limit_W", if f.soc > 0.10 { -p.batt_w } else { 0.0 }),
                ("capacity_Wh", p.batt_wh),
            ]
        }
        "meter" => {
            let per = f.meter_w / 3.0;
            vec![
                ("W", r1(f.meter_w)),
                ("Hz", ((50.0 + 0.08 * jitter) * 1000.0).round() / 1000.0),
                ("L1_V", r1(230.0 + 3.0 * jitter)),
                ("L2_V", r1(231.0 - 2.0 * jitter)),
                ("L3_V", r1(229.5 + jitter)),
                ("L1_A", r1(per / 230.0)),
                ("L2_A", r1(per / 231.0)),
                ("L3_A", r1(per / 229.5)),
                ("L1_W", r1(per)),
                ("L2_W", r1(per)),
                ("L3_W", r1(per)),
                (
                    "total_import_Wh",
                    counter(p, t_ms, p.base_load_w * 24.0 + 9000.0, 0.0, 24.0, 4).floor(),
                ),
                (
                    "total_export_Wh",
                    counter(p, t_ms, p.pv_peak_w * 1.2, 8.0, 9.0, 5).floor(),
                ),
            ]
        }
        _ => vec![
            ("W", r1(f.ev_w)),
            ("A", r1(f.ev_w / 690.0)),
            ("V", 230.0),
            ("Hz", 50.0),
            ("vehicle_soc_fract", (f.ev_soc * 1000.0).round() / 1000.0),
            ("session_charge_Wh", f.ev_session_wh.floor()),
            ("session_discharge_Wh", 0.0),
            (
                "total_charge_Wh",
                counter(p, t_ms, 8000.0, 17.0, 5.0, 6).floor(),
            ),
            ("total_discharge_Wh", 0.0),
            ("capacity_Wh", 75_000.0),
            ("rated_power_W", 11_000.0),
        ],
    }
}

/// A full reading object (without ids) of a telemetry type at `t_ms`.
pub fn reading(
    p: &SiteProfile,
    tel_type: &str,
    t_ms: i64,
) -> serde_json::Map<String, serde_json::Value> {
    let mut m = serde_json::Map::new();
    for (k, v) in numeric_fields(p, tel_type, t_ms) {
        m.insert(k.to_string(), serde_json::json!(v));
    }
    if tel_type == "v2x_charger" {
        let f = flows(p, t_ms);
        let status = if f.ev_w > 0.0 {
            "charging"
        } else if f.ev_plugged {
            "suspended"
        } else {
            "available"
        };
        m.insert("status".into(), status.into());
        m.insert("plug_connected".into(), f.ev_plugged.into());
    }
    m.insert("type".into(), tel_type.into());
    m.insert("timestamp".into(), t_ms.into());
    m.insert("read_time_ms".into(), 12.into());
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::model::Location;

    const MIDSUMMER: i64 = 1_782_000_000_000;

    fn profile() -> SiteProfile {
        SiteProfile::new(
            7,
            "sit-test",
            Some(Location {
                lat: 59.33,
                lon: 18.07,
            }),
        )
    }

    #[test]
    fn counters_are_monotonic_and_deterministic() {
        let p = profile();
        for ty in ["pv", "battery", "meter", "v2x_charger"] {
            let mut last = [0.0; 8];
            for i in 0..3000 {
                let fields = numeric_fields(&p, ty, MIDSUMMER + i * 97_000);
                let totals: Vec<f64> = fields
                    .iter()
                    .filter(|(k, _)| k.starts_with("total_"))
                    .map(|(_, v)| *v)
                    .collect();
                for (j, v) in totals.iter().enumerate() {
                    assert!(*v >= last[j], "{ty} counter went back");
                    last[j] = *v;
                }
            }
        }
        assert_eq!(
            reading(&p, "meter", MIDSUMMER),
            reading(&profile(), "meter", MIDSUMMER)
        );
        let other = SiteProfile::new(8, "sit-test", None);
        assert_ne!(
            reading(&p, "meter", MIDSUMMER)["W"],
            reading(&other, "meter", MIDSUMMER)["W"]
        );
    }
}
