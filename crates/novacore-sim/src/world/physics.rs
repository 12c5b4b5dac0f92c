//! Site energy flows as a pure function of (seed, site, time): PV by sun position, household
//! load with morning/evening peaks, a battery following a price-shaped daily SoC plan, EV
//! sessions, and the meter balancing the rest. No state, so any time range can be generated.

use std::f64::consts::PI;

use crate::world::model::{ExtraLoad, Location, Site};
pub use crate::world::readings::{numeric_fields, reading};

const HOUR_MS: f64 = 3_600_000.0;
const DAY_MS: f64 = 86_400_000.0;

/// Stable 64-bit hash (FNV-1a then a SplitMix finaliser).
pub fn hash64(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in *p {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    mix(h)
}

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Uniform in [0, 1) from a key and an index.
pub fn unit(key: u64, idx: i64) -> f64 {
    (mix(key ^ mix(idx as u64)) >> 11) as f64 / (1u64 << 53) as f64
}

pub(crate) fn smooth(x: f64) -> f64 {
    let x = x.clamp(0.0, 1.0);
    x * x * (3.0 - 2.0 * x)
}

/// Smoothly interpolated noise in [0, 1) with one knot every `period_ms`.
pub(crate) fn noise(key: u64, t_ms: i64, period_ms: f64) -> f64 {
    let x = t_ms as f64 / period_ms;
    let i = x.floor();
    let f = smooth(x - i);
    let a = unit(key, i as i64);
    let b = unit(key, i as i64 + 1);
    a + (b - a) * f
}

/// Static, seeded parameters of one site.
#[derive(Debug, Clone, Copy)]
pub struct SiteProfile {
    /// Hash of (seed, site id).
    pub key: u64,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// PV peak, W.
    pub pv_peak_w: f64,
    /// Battery capacity, Wh.
    pub batt_wh: f64,
    /// Battery max power, W.
    pub batt_w: f64,
    /// Household base load, W.
    pub base_load_w: f64,
    /// A test's extra load (`/_sim/sites/{id}/load`), from its instant on.
    pub extra_load: Option<ExtraLoad>,
}

impl SiteProfile {
    /// Derives the profile from the seed, the site id and its location (Stockholm if unknown).
    pub fn new(seed: u64, site_id: &str, loc: Option<Location>) -> Self {
        let key = hash64(&[&seed.to_le_bytes(), site_id.as_bytes()]);
        let loc = loc.unwrap_or(Location {
            lat: 59.33,
            lon: 18.07,
        });
        Self {
            key,
            lat: loc.lat.clamp(-89.0, 89.0),
            lon: loc.lon.clamp(-180.0, 180.0),
            pv_peak_w: 6000.0 + (unit(key, 1) * 8.0).floor() * 1000.0,
            batt_wh: 10_000.0 + (unit(key, 2) * 3.0).floor() * 5000.0,
            batt_w: 5000.0,
            base_load_w: 300.0 + unit(key, 3) * 400.0,
            extra_load: None,
        }
    }

    /// The profile of a world site, with the extra load a test switched on (live and history
    /// alike, so a back-filled gap shows what the stream showed).
    pub fn for_site(seed: u64, site: &Site) -> Self {
        Self {
            extra_load: site.extra_load,
            ..Self::new(seed, &site.id, site.location)
        }
    }

    fn extra_load_w(&self, t_ms: i64) -> f64 {
        self.extra_load
            .filter(|e| t_ms >= e.from_ms)
            .map_or(0.0, |e| e.w)
    }

    pub(crate) fn solar_hour(&self, t_ms: i64) -> f64 {
        ((t_ms as f64 / HOUR_MS) + self.lon / 15.0).rem_euclid(24.0)
    }

    pub(crate) fn solar_day(&self, t_ms: i64) -> f64 {
        (t_ms as f64 + self.lon / 15.0 * HOUR_MS) / DAY_MS
    }
}

/// Sine of the sun's elevation at a place and time (declination + hour angle; no refraction).
pub fn sun_sin_elevation(lat: f64, lon: f64, t_ms: i64) -> f64 {
    let days = t_ms as f64 / DAY_MS;
    let doy = days.rem_euclid(365.2422);
    let decl = (23.44f64).to_radians() * (2.0 * PI * (doy - 80.0) / 365.2422).sin();
    let solar_h = ((t_ms as f64 / HOUR_MS) + lon / 15.0).rem_euclid(24.0);
    let ha = ((solar_h - 12.0) * 15.0).to_radians();
    let lat = lat.to_radians();
    lat.sin() * decl.sin() + lat.cos() * decl.cos() * ha.cos()
}

/// Instantaneous flows of a site (sign conventions of reference §4.1).
#[derive(Debug, Clone, Copy, Default)]
pub struct Flows {
    /// Household load, W (≥ 0).
    pub load_w: f64,
    /// PV power, W (≤ 0).
    pub pv_w: f64,
    /// Battery power, W (+ charging).
    pub batt_w: f64,
    /// Battery state of charge, 0..1.
    pub soc: f64,
    /// EV charger power, W (+ charging the car).
    pub ev_w: f64,
    /// A car is plugged in.
    pub ev_plugged: bool,
    /// Car SoC, 0..1.
    pub ev_soc: f64,
    /// Energy delivered this session, Wh.
    pub ev_session_wh: f64,
    /// Grid meter power, W (+ import).
    pub meter_w: f64,
}

/// Battery SoC plan: keyframes (solar hour, SoC) per day; charge at midday surplus/cheap hours,
/// discharge at the expensive evening peak, always within [0.10, 0.95].
fn soc_at(p: &SiteProfile, t_ms: i64) -> f64 {
    let day = p.solar_day(t_ms).floor() as i64;
    let h = p.solar_hour(t_ms);
    let amp = 0.3 + 0.6 * unit(p.key ^ 0xB477, day);
    let full = (0.30 + amp).min(0.95);
    let keys = [
        (0.0, 0.45),
        (6.0, 0.38),
        (9.0, 0.30),
        (15.0, full),
        (17.0, full),
        (22.0, 0.45),
        (24.0, 0.45),
    ];
    for w in keys.windows(2) {
        let ((h0, s0), (h1, s1)) = (w[0], w[1]);
        if h >= h0 && h < h1 {
            return (s0 + (s1 - s0) * smooth((h - h0) / (h1 - h0))).clamp(0.10, 0.95);
        }
    }
    0.45
}

/// All flows at `t_ms`.
pub fn flows(p: &SiteProfile, t_ms: i64) -> Flows {
    let h = p.solar_hour(t_ms);
    let doy = (t_ms as f64 / DAY_MS).rem_euclid(365.2422);
    // PV: clear-sky shape scaled by seeded hourly clouds and a daily overcast factor.
    let sun = sun_sin_elevation(p.lat, p.lon, t_ms).max(0.0);
    let day = p.solar_day(t_ms).floor() as i64;
    let overcast = 0.35 + 0.65 * unit(p.key ^ 0xC10D, day);
    let clouds = 0.4 + 0.6 * noise(p.key ^ 0xC1, t_ms, HOUR_MS);
    let pv_w = -(p.pv_peak_w * sun.powf(1.2) * overcast * clouds).min(p.pv_peak_w);
    // Load: base, morning and evening peaks, winter heating, 5-minute noise.
    let gauss = |mu: f64, s: f64| (-(h - mu).powi(2) / (2.0 * s * s)).exp();
    let winter = 0.5 + 0.5 * (2.0 * PI * (doy - 15.0) / 365.2422).cos();
    let load_w = p.base_load_w
        + 1400.0 * gauss(7.5, 1.0)
        + 2200.0 * gauss(18.5, 1.6)
        + 900.0 * winter
        + 600.0 * noise(p.key ^ 0x10AD, t_ms, 300_000.0)
        + p.extra_load_w(t_ms);
    // Battery power is the derivative of the SoC plan, so SoC and energy stay consistent.
    let soc = soc_at(p, t_ms);
    let ds = soc_at(p, t_ms + 30_000) - soc_at(p, t_ms - 30_000);
    let batt_w = (ds * p.batt_wh * 60.0).clamp(-p.batt_w, p.batt_w);
    // EV: a seeded evening session on most days.
    let ek = p.key ^ 0xE7;
    let (mut ev_w, mut ev_plugged, mut ev_session_wh, mut ev_soc) = (0.0, false, 0.0, 0.0);
    if unit(ek, day) < 0.6 {
        let arrive = 16.5 + 3.0 * unit(ek ^ 1, day);
        let need = 6000.0 + 24_000.0 * unit(ek ^ 2, day);
        let dur = need / 11_000.0;
        if h >= arrive {
            ev_plugged = true;
            ev_session_wh = ((h - arrive) * 11_000.0).min(need);
            if h < arrive + dur {
                ev_w = 11_000.0;
            }
            ev_soc = (0.25 + ev_session_wh / 75_000.0).min(1.0);
        }
    }
    let meter_w = load_w + pv_w + batt_w + ev_w;
    Flows {
        load_w,
        pv_w,
        batt_w,
        soc,
        ev_w,
        ev_plugged,
        ev_soc,
        ev_session_wh,
        meter_w,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    // 2026-06-21T00:00:00Z
    const MIDSUMMER: i64 = 1_782_000_000_000;

    #[test]
    fn pv_is_zero_at_night_and_produces_at_noon() {
        let p = profile();
        let night = flows(
            &p,
            MIDSUMMER - 2 * 3_600_000 + 23 * 3_600_000 - 22 * 3_600_000,
        );
        assert_eq!(night.pv_w.min(0.0), night.pv_w);
        let midnight_solar = MIDSUMMER + (23.0 * HOUR_MS) as i64 - (18.07 / 15.0 * HOUR_MS) as i64;
        assert!(flows(&p, midnight_solar).pv_w.abs() < 1.0);
        let noon = MIDSUMMER + (12.0 * HOUR_MS - 18.07 / 15.0 * HOUR_MS) as i64;
        assert!(flows(&p, noon).pv_w < -500.0);
    }

    #[test]
    fn an_extra_load_raises_load_and_meter_from_its_instant_on() {
        let plain = profile();
        let boosted = SiteProfile {
            extra_load: Some(ExtraLoad {
                from_ms: MIDSUMMER,
                w: 20_000.0,
            }),
            ..plain
        };
        let before = MIDSUMMER - 60_000;
        assert_eq!(
            flows(&plain, before).meter_w,
            flows(&boosted, before).meter_w
        );
        let (a, b) = (flows(&plain, MIDSUMMER), flows(&boosted, MIDSUMMER));
        assert!((b.load_w - a.load_w - 20_000.0).abs() < 1e-6);
        assert!((b.meter_w - a.meter_w - 20_000.0).abs() < 1e-6);
    }

    #[test]
    fn meter_balances_and_soc_in_limits() {
        let p = profile();
        for i in 0..2000 {
            let t = MIDSUMMER + i * 437_000;
            let f = flows(&p, t);
            assert!((f.meter_w - (f.load_w + f.pv_w + f.batt_w + f.ev_w)).abs() < 1e-6);
            assert!((0.10..=0.95).contains(&f.soc));
            assert!(f.pv_w <= 0.0 && f.batt_w.abs() <= p.batt_w);
        }
    }
}
