//! The Fleet rows read per kind for the whole fleet equal the rows read site by site, on a world
//! with every kind of site (live, silent, never reported, devices not stored, no meter, a tariff
//! not stored, a preference in an older format); and a write for a past day — late readings, a
//! back-fill, retention — shows in the next rows (the store keeps past days in memory).

mod common;

use chrono::TimeZone;
use novadesk_core::fleet::{fleet_rows_with, refresh_fleet, FleetReads, FleetRow, SiteState};
use novadesk_core::{
    cached_site, create_site, set_chart_prefs, ChartPrefs, NewSiteInput, Workspace,
};
use novadesk_store::{Batch, Resolution, RetentionPolicy, SeriesKey, ServerBucket};

fn rows(ws: &Workspace, reads: FleetReads) -> Vec<FleetRow> {
    fleet_rows_with(ws, ws.now_ms(), reads)
        .unwrap()
        .expect("the fleet is stored")
        .value
}

/// Batched and per-site rows, checked equal.
fn both(ws: &Workspace) -> Vec<FleetRow> {
    let batched = rows(ws, FleetReads::Batched);
    assert_eq!(batched, rows(ws, FleetReads::PerSite));
    batched
}

fn readings(ws: &Workspace, site: &str, at_ms: i64) {
    let detail = cached_site(ws, site).unwrap().unwrap().value;
    let mut batch = Batch::new(at_ms);
    for der in detail.devices.iter().flat_map(|d| &d.ders) {
        batch.push(&SeriesKey::new(&der.id, "W"), at_ms, 700.0);
    }
    ws.store().ingest(&batch).unwrap();
}

fn meter_of(ws: &Workspace, site: &str) -> SeriesKey {
    let detail = cached_site(ws, site).unwrap().unwrap().value;
    let der = detail
        .devices
        .iter()
        .flat_map(|d| &d.ders)
        .find(|d| d.der_type == "meter")
        .expect("a meter");
    SeriesKey::new(&der.id, "W")
}

#[tokio::test]
async fn batched_rows_equal_per_site_rows_on_a_varied_world() {
    let w = common::world().await;
    let ws = &w.ws;
    refresh_fleet(ws, true).await.expect("refresh");
    let all = both(ws);
    assert!(all.len() >= 4, "{}", all.len());
    let org = all[0].org_id.clone().unwrap();
    let ids: Vec<String> = all.iter().map(|r| r.site_id.clone()).collect();
    let metered: Vec<String> = all
        .iter()
        .filter(|r| r.today.is_some())
        .map(|r| r.site_id.clone())
        .collect();
    assert!(metered.len() >= 3, "{metered:?}");
    let t = ws.now_ms();
    readings(ws, &ids[0], t - 2_000); // live
    readings(ws, &ids[1], t - 30 * 60_000); // silent
                                            // A tariff that is not stored, a preference the app cannot read any more (defaults), and
                                            // prices in a currency the tariff is not in.
    let prefs = |tariff: Option<&str>, currency: &str| ChartPrefs {
        price_area: "SE3".into(),
        currency: currency.into(),
        tariff_id: tariff.map(str::to_string),
    };
    set_chart_prefs(ws, &metered[0], prefs(Some("trf-gone"), "SEK")).unwrap();
    set_chart_prefs(ws, &metered[2], prefs(None, "EUR")).unwrap();
    ws.store()
        .set_setting(&format!("chart.prefs.{}", metered[1]), "{\"older\":1}")
        .unwrap();
    // A site with no devices at all, and one whose devices are not stored yet.
    let site = |name: &str| NewSiteInput {
        org_id: org.clone(),
        name: name.into(),
        timezone: Some("Europe/Stockholm".into()),
        price_area: Some("SE3".into()),
    };
    create_site(ws, site("Empty lot")).await.unwrap();
    refresh_fleet(ws, true).await.expect("refresh");
    {
        // A site listed by another fetch whose devices were never fetched.
        let mut store = ws.store();
        let mut list = store.resources("site", "").unwrap().unwrap();
        let mut unopened = list.items[0].clone();
        unopened.id = "sit-unopened".into();
        unopened.body["id"] = "sit-unopened".into();
        unopened.body["name"] = "Not opened yet".into();
        list.items.push(unopened);
        store
            .upsert_resources("site", "", &list.items, list.fetched_at)
            .unwrap();
    }

    let all = both(ws);
    let states: std::collections::BTreeSet<u8> = all.iter().map(|r| r.state.rank()).collect();
    assert!(states.len() >= 3, "{states:?}");
    assert!(all.iter().any(|r| !r.devices_known));
    assert!(all
        .iter()
        .any(|r| r.today.as_ref().is_some_and(|t| t.cost.is_some())));
    assert!(all.iter().any(|r| r.peak.is_some()));
    let notes: std::collections::BTreeSet<&str> =
        all.iter().filter_map(|r| r.today_note.as_deref()).collect();
    assert!(notes.len() >= 3, "{notes:?}");
    assert!(all
        .iter()
        .any(|r| matches!(r.state, SiteState::Silent { .. })));
}

#[tokio::test]
async fn a_late_reading_a_back_fill_and_retention_for_past_days_change_the_row() {
    let w = common::world().await;
    let ws = &w.ws;
    refresh_fleet(ws, true).await.expect("refresh");
    let before = both(ws);
    let peaked = before
        .iter()
        .find(|r| r.peak.is_some())
        .expect("a site with a power charge");
    let (site, kw) = (peaked.site_id.clone(), peaked.peak.as_ref().unwrap().kw);
    let row = |rows: &[FleetRow]| rows.iter().find(|r| r.site_id == site).unwrap().clone();
    let meter = meter_of(ws, &site);

    // Late readings for a quarter hour six days ago (more samples than the server's bucket, so
    // they win): 10 MW, a new month's peak. The world's clock is the 26th, 08:00 UTC.
    let late = chrono::Utc
        .with_ymd_and_hms(2026, 11, 20, 10, 0, 0)
        .unwrap()
        .timestamp_millis();
    let mut batch = Batch::new(ws.now_ms());
    batch.extend(&meter, (0..1800).map(|i| (late + i * 500, 1.0e7)));
    ws.store().ingest(&batch).unwrap();
    let after = row(&both(ws));
    let peak = after.peak.clone().unwrap();
    assert!(peak.kw > 1000.0 && peak.kw > kw, "{peak:?}");
    assert_eq!(peak.start_ms / 3_600_000, late / 3_600_000);

    // A back-fill from the server of another past quarter hour, higher still.
    let earlier = late - 2 * 86_400_000;
    let fill = [ServerBucket {
        start: earlier,
        count: 100_000,
        avg: 2.0e7,
        min: 0.0,
        max: 2.0e7,
        last: 2.0e7,
    }];
    ws.store()
        .ingest_buckets(
            &meter,
            Resolution::M15,
            earlier,
            earlier + 900_000,
            &fill,
            late,
        )
        .unwrap();
    let filled = row(&both(ws));
    let higher = filled.peak.clone().unwrap();
    assert!(higher.kw > peak.kw, "{higher:?} after {peak:?}");
    assert_eq!(higher.start_ms / 3_600_000, earlier / 3_600_000);

    // Retention cuts the month's quarter hours before the last day or so: both peaks go.
    let policy = RetentionPolicy {
        m15_days: Some(1),
        ..Default::default()
    };
    ws.store().retain(&policy, ws.now_ms()).unwrap();
    let cut = row(&both(ws));
    assert!(
        cut.peak.as_ref().is_none_or(|p| p.kw < peak.kw),
        "{:?}",
        cut.peak
    );
    // Today's energy stays (its cost carries the day's share of the month's power charge).
    let (today, was) = (cut.today.unwrap(), row(&before).today.unwrap());
    assert_eq!(
        (today.import_kwh, today.export_kwh),
        (was.import_kwh, was.export_kwh)
    );
}
