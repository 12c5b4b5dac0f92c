//! The live sampler: every `sample_interval` each publishing DER of each watched site emits
//! one reading (physics at the simulated now) into the site's stream.

use std::sync::Arc;

use serde_json::Value;

use crate::state::{lock, Sim};
use crate::world::physics::{reading, SiteProfile};

/// Runs until shutdown.
pub async fn run(sim: Arc<Sim>) {
    let mut iv = tokio::time::interval(sim.cfg.sample_interval);
    iv.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut stop = sim.shutdown.subscribe();
    loop {
        tokio::select! {
            _ = iv.tick() => tick(&sim),
            _ = crate::state::stopped(&mut stop) => break,
        }
    }
}

/// One round of samples (also used by `/_sim/clock` to emit immediately after a jump).
pub fn tick(sim: &Sim) {
    if lock(&sim.faults).spec().cloud_down {
        return;
    }
    let now = sim.clock.now_ms();
    for site_id in sim.hub.active_sites() {
        // A silenced site's gateway publishes nothing: no readings, and it is not "seen".
        if lock(&sim.faults).is_silent(&site_id) {
            continue;
        }
        let items: Vec<(String, String, &'static str, SiteProfile)> = {
            let mut w = sim.world();
            let Some(site) = w.sites.get(&site_id) else {
                continue;
            };
            let profile = SiteProfile::for_site(sim.cfg.seed, site);
            let list: Vec<_> = w
                .publishing_ders(&site_id)
                .into_iter()
                .map(|(der, dev)| {
                    (
                        der.id.clone(),
                        dev.id.clone(),
                        der.telemetry_type(),
                        profile,
                        dev.gateway_serial.clone(),
                    )
                })
                .collect();
            let stamp = chrono::Utc::now();
            for (.., serial) in &list {
                if let Some(g) = serial.as_ref().and_then(|s| w.gateways.get_mut(s)) {
                    g.last_seen = Some(stamp);
                }
            }
            list.into_iter()
                .map(|(a, b, c, d, _)| (a, b, c, d))
                .collect()
        };
        for (der_id, device_id, tel, profile) in items {
            let mut m = reading(&profile, tel, now);
            m.insert("der_id".into(), Value::String(der_id));
            m.insert("device_id".into(), Value::String(device_id));
            m.insert("site_id".into(), Value::String(site_id.clone()));
            let data = Value::Object(m).to_string();
            sim.hub.publish(&site_id, now, data);
        }
    }
}
