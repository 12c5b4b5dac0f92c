//! The Fleet view's data for 500 sites from the store (target ≤ 50 ms), beside, in the same run:
//! - the floor: the bare batched store reads the rows use — the site list, every device and
//!   gateway set, every DER's newest reading, every site's preferences and tariff choices, the
//!   stored tariffs, each meter's bucket means over the span its row prices (the month's where a
//!   tariff prices it, for the peaks, else today's) and the day's prices — without the states,
//!   costs and peaks;
//! - the peer: the same rows with the per-site reads (several queries per site and kind, the path
//!   before the batched reads).
//!
//! "Now" is fixed to the 28th of last month, 14:37 UTC: the rows price the month to date, so the
//! figure grows through the month; the 28th is near its worst case and the same every day.
//! The store is filled from the in-process Sandbox with `NOVADESK_SANDBOX_SITES=500` (the fleet
//! refresh: devices, gateways, tariffs, prices, the month's meter history) plus a minute of live
//! readings per DER. Wall clock per run (this VM kind exposes no instruction counters; ratios in
//! one run hold on a loaded machine); the first read after start (no past day in memory yet) apart.
//! `cargo bench -p novadesk-core --bench fleet_bench`

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bench_report::{Better, Figure, Row};
use chrono::{Datelike, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use novadesk_core::fleet::{fleet_rows_with, refresh_fleet, FleetReads, FleetRow, SiteState};
use novadesk_core::{
    cached_site, cached_sites, cost_level, cost_span, sign_in, Environment, FakeClock,
    IdentityVault, MemorySecretStore, RecordingEventSink, SandboxService, Workspace,
    WorkspaceParts, SANDBOX_SITES_ENV,
};
use novadesk_store::{Batch, Resolution, SeriesKey};

const SITES: usize = 500;
/// Runs per measure (`FLEET_BENCH_RUNS` to change, e.g. for a profile).
const RUNS: usize = 30;
const CMD: &str = "cargo bench -p novadesk-core --bench fleet_bench";

/// Wall clock of each run of one measure.
#[derive(Default)]
struct Measure {
    wall: Vec<Duration>,
}

impl Measure {
    fn run<T>(&mut self, f: impl FnOnce() -> T) -> T {
        let t = Instant::now();
        let out = f();
        self.wall.push(t.elapsed());
        out
    }

    fn wall_ms(&self, q: f64) -> f64 {
        let mut v = self.wall.clone();
        v.sort();
        v[((v.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1e3
    }
}

/// One meter's read as its row makes it: the series and the span priced at `level`.
struct MeterRead {
    key: SeriesKey,
    span: (i64, i64),
    level: Resolution,
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run());
}

/// The 28th of last month, 14:37 UTC.
fn late_in_a_month() -> chrono::DateTime<Utc> {
    let first = Utc::now().date_naive().with_day(1).expect("day 1");
    let day = (first - chrono::Duration::days(1))
        .with_day(28)
        .expect("every month has a 28th");
    Utc.from_utc_datetime(&day.and_time(NaiveTime::from_hms_opt(14, 37, 0).expect("time")))
}

/// Local midnight of `ms`'s day in `tz` (an hour later when DST skips midnight), as the rows
/// compute it.
fn local_midnight(tz: Tz, ms: i64) -> i64 {
    let day = Utc
        .timestamp_millis_opt(ms)
        .single()
        .expect("time")
        .with_timezone(&tz)
        .date_naive();
    let t = day.and_time(NaiveTime::MIN);
    tz.from_local_datetime(&t)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(t + chrono::Duration::hours(1)))
                .earliest()
        })
        .map_or(0, |d| d.timestamp_millis())
}

async fn run() {
    // The demo organization gets this many sites (read when the sandbox starts).
    std::env::set_var(SANDBOX_SITES_ENV, SITES.to_string());
    let sandbox = SandboxService::new();
    let env = Environment::Sandbox;
    let base = sandbox.base_url_for(&env).await.expect("sandbox");
    let vault = IdentityVault::new(Arc::new(MemorySecretStore::new()));
    let signed = sign_in(&env, &base, &vault).await.expect("sign in");
    let now = late_in_a_month();
    let clock = Arc::new(FakeClock::new(now));
    let ws = Workspace::in_memory(WorkspaceParts {
        environment: env,
        base_url: base,
        client: signed.client.clone(),
        identity_id: signed.identity_id.clone(),
        clock: clock.clone(),
        events: Arc::new(RecordingEventSink::new()),
    })
    .expect("workspace");
    let t = Instant::now();
    let done = refresh_fleet(&ws, true).await.expect("fleet refresh");
    let fill = t.elapsed();
    assert!(!done.offline, "{done:?}");
    let sites = cached_sites(&ws).expect("read").expect("cached").value;
    assert!(sites.len() >= SITES, "{} sites", sites.len());
    // A minute of live readings (1 s apart) for every DER: what the live streams store.
    let now_ms = now.timestamp_millis();
    let mut ders = Vec::new();
    let mut meters = Vec::new(); // (site, meter series, time zone, price area, currency)
    for s in &sites {
        let detail = cached_site(&ws, &s.id).expect("read").expect("site").value;
        let mut batch = Batch::new(now_ms);
        for der in detail.devices.iter().flat_map(|d| &d.ders) {
            let key = SeriesKey::new(&der.id, "W");
            batch.extend(&key, (0..60).map(|i| (now_ms - 60_000 + i * 1_000, 800.0)));
            if der.der_type == "meter" {
                let tz = s
                    .timezone
                    .as_deref()
                    .and_then(|t| t.parse::<Tz>().ok())
                    .unwrap_or(Tz::UTC);
                // The site's default price area and currency, as its row prices it.
                let area = s
                    .price_area
                    .clone()
                    .filter(|a| !a.is_empty())
                    .unwrap_or_else(|| "SE3".into());
                let currency = if area.starts_with("SE") { "SEK" } else { "EUR" };
                meters.push((s.id.clone(), key.clone(), tz, area, currency));
            }
            ders.push(key);
        }
        ws.store().ingest(&batch).expect("ingest");
    }

    let rows_of = |reads| -> Vec<FleetRow> {
        fleet_rows_with(&ws, now_ms, reads)
            .expect("rows")
            .expect("stored")
            .value
    };
    // The first read after start: no past day in memory yet.
    let mut cold = Measure::default();
    let first = cold.run(|| rows_of(FleetReads::Batched));
    // Sites with a cost read their meter's month (for the peaks), the others today only.
    let with_cost: BTreeSet<&str> = first
        .iter()
        .filter(|r| r.today.as_ref().is_some_and(|t| t.cost.is_some()))
        .map(|r| r.site_id.as_str())
        .collect();
    let mut metered_reads = Vec::new();
    let mut days = BTreeSet::new();
    for (site, key, tz, area, currency) in &meters {
        let from = local_midnight(*tz, now_ms);
        let to = now_ms.max(from + 1);
        let span = if with_cost.contains(site.as_str()) {
            cost_span(*tz, from, to, now_ms)
        } else {
            (from, to)
        };
        days.insert((area.clone(), *currency, from, to));
        metered_reads.push(MeterRead {
            key: key.clone(),
            span,
            level: cost_level(from, to),
        });
    }

    let (mut rows, mut peer, mut floor) =
        (Measure::default(), Measure::default(), Measure::default());
    let (mut live, mut priced) = (0, 0);
    let runs = std::env::var("FLEET_BENCH_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(RUNS);
    for _ in 0..runs {
        let got = rows.run(|| rows_of(FleetReads::Batched));
        assert_eq!(got.len(), sites.len());
        live = got.iter().filter(|r| r.state == SiteState::Live).count();
        priced = got
            .iter()
            .filter(|r| r.today.as_ref().is_some_and(|t| t.cost.is_some()))
            .count();

        let per_site = peer.run(|| rows_of(FleetReads::PerSite));
        assert_eq!(per_site, got, "the per-site reads give the same rows");

        floor.run(|| {
            let listed = cached_sites(&ws).expect("read").expect("cached").value;
            let store = ws.store();
            store.resource_sets("device").expect("devices");
            store.resource_sets("gateway").expect("gateways");
            store.latest_many(&ders).expect("latest");
            store.settings_with_prefix("chart.prefs.").expect("prefs");
            store
                .settings_with_prefix("chart.tariff_choices.")
                .expect("choices");
            store
                .settings_with_prefix("chart.tariff.")
                .expect("tariffs");
            for m in &metered_reads {
                store
                    .averages(&m.key, m.span.0, m.span.1, m.level)
                    .expect("meter");
            }
            for (area, currency, from, to) in &days {
                store.prices(area, currency, *from, *to).expect("prices");
            }
            listed.len()
        });
    }
    println!(
        "store filled by the fleet refresh in {fill:.1?}: {} sites, {live} live, {priced} with today's cost; now = {now} (day {} of the month)",
        sites.len(),
        now.day()
    );
    println!("| Fleet view data from the store | sites | p50 | p90 |");
    println!("|---|---|---|---|");
    let line = |what: &str, m: &Measure| {
        println!(
            "| {what} | {} | {:.1} ms | {:.1} ms |",
            sites.len(),
            m.wall_ms(0.5),
            m.wall_ms(0.9),
        )
    };
    line(
        "rows: states, today's energy and cost, month's peak (target ≤ 50 ms)",
        &rows,
    );
    line(
        "peer: the same rows, the store read site by site (the path before)",
        &peer,
    );
    line(
        "floor: the bare batched store reads the rows use (no states, costs, peaks)",
        &floor,
    );
    line(
        "first read after start (no past day in memory yet), once",
        &cold,
    );

    let n = sites.len();
    let ms = |m: &Measure| Figure::new(m.wall_ms(0.5), "ms");
    let note = format!(
        "{n} sites ({priced} priced: the month's 15-min meter buckets to day 28 for the peaks), \
         now fixed to the 28th of a month; first read after start {:.0} ms",
        cold.wall_ms(0.5),
    );
    let report = vec![
        Row::new(
            "app",
            &format!("Fleet view data for {n} sites from the store (p50)"),
            ms(&rows),
            Better::Lower,
            CMD,
        )
        .peer(
            "floor: the bare batched store reads the rows use",
            ms(&floor),
        )
        .goal("≤ 50 ms", Some(50.0))
        .note(&note),
        Row::new(
            "app",
            &format!("Fleet rows for {n} sites, batched reads vs site by site (p50)"),
            ms(&rows),
            Better::Lower,
            CMD,
        )
        .peer("the same rows read site by site", ms(&peer)),
    ];
    bench_report::record("fleet_bench", &report);
    sandbox.shutdown().await;
}
