//! Store-first browsing with hundreds of sites: how long the cached read behind the all-sites
//! list and one organization's view takes (what the window waits for before the first paint).
//! Floor in the same run: the bare store read of the same rows (`Store::resources`, no decoding into
//! view rows, no sorting, no organization names).
//! `cargo bench -p novadesk-core --bench browse_bench`

use std::sync::Arc;
use std::time::{Duration, Instant};

use bench_report::{Better, Figure, Row};
use novadesk_core::{
    cached_organization, cached_sites, Environment, RecordingEventSink, SystemClock, Workspace,
    WorkspaceParts,
};
use novadesk_store::Resource;
use serde_json::json;

fn p(mut v: Vec<Duration>, q: f64) -> Duration {
    v.sort();
    v[((v.len() - 1) as f64 * q).round() as usize]
}

fn main() {
    let client = novacore::Client::builder("http://127.0.0.1:9")
        .build()
        .expect("client");
    let ws = Workspace::in_memory(WorkspaceParts {
        environment: Environment::Sandbox,
        base_url: "http://127.0.0.1:9".into(),
        client,
        identity_id: "idt-bench".into(),
        clock: Arc::new(SystemClock),
        events: Arc::new(RecordingEventSink::new()),
    })
    .expect("workspace");
    println!(
        "| cached read (hundreds of sites)         | sites |       p50 |       p90 | floor p50 |"
    );
    println!(
        "|-----------------------------------------|-------|-----------|-----------|-----------|"
    );
    let mut rows = Vec::new();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    for n in [100usize, 500, 2000] {
        let orgs: Vec<Resource> = (0..10)
            .map(|o| Resource {
                id: format!("org-{o}"),
                body: json!({"id": format!("org-{o}"), "name": format!("Org {o}"), "role": "owner"}),
            })
            .collect();
        let sites: Vec<Resource> = (0..n)
            .map(|i| Resource {
                id: format!("sit-{i:05}"),
                body: json!({"id": format!("sit-{i:05}"), "org_id": format!("org-{}", i % 10),
                    "name": format!("Site {i}"), "timezone": "Europe/Stockholm", "price_area": "SE3",
                    "created_at_ms": 1_764_000_000_000i64}),
            })
            .collect();
        {
            let mut store = ws.store();
            store
                .upsert_resources("organization", "", &orgs, 1)
                .expect("orgs");
            store
                .upsert_resources("site", "", &sites, 1)
                .expect("sites");
            let org0: Vec<Resource> = sites.iter().step_by(10).cloned().collect();
            store
                .upsert_resources("site", "org-0", &org0, 1)
                .expect("org sites");
        }
        let mut all = Vec::new();
        let mut one = Vec::new();
        let (mut bare_all, mut bare_one) = (Vec::new(), Vec::new());
        for _ in 0..50 {
            let t = Instant::now();
            let set = ws
                .store()
                .resources("site", "")
                .expect("read")
                .expect("set");
            bare_all.push(t.elapsed());
            assert_eq!(set.items.len(), n);
            let t = Instant::now();
            ws.store()
                .resources("site", "org-0")
                .expect("read")
                .expect("set");
            bare_one.push(t.elapsed());
            let t = Instant::now();
            let got = cached_sites(&ws).expect("read").expect("cached");
            all.push(t.elapsed());
            assert_eq!(got.value.len(), n);
            let t = Instant::now();
            cached_organization(&ws, "org-0")
                .expect("read")
                .expect("cached");
            one.push(t.elapsed());
        }
        let (all50, one50) = (p(all.clone(), 0.5), p(one.clone(), 0.5));
        let (bare_all50, bare_one50) = (p(bare_all, 0.5), p(bare_one, 0.5));
        println!(
            "| all sites (sorted, with org names)      | {n:>5} | {all50:>9.2?} | {:>9.2?} | {bare_all50:>9.2?} |",
            p(all, 0.9)
        );
        println!(
            "| one organization (n/10 sites)           | {n:>5} | {one50:>9.2?} | {:>9.2?} | {bare_one50:>9.2?} |",
            p(one, 0.9)
        );
        let command = "cargo bench -p novadesk-core --bench browse_bench";
        rows.push(
            Row::new(
                "app",
                &format!("browse: all-sites list from the store, {n} sites (p50)"),
                Figure::new(ms(all50), "ms"),
                Better::Lower,
                command,
            )
            .peer("bare store read", Figure::new(ms(bare_all50), "ms")),
        );
        rows.push(
            Row::new(
                "app",
                &format!("browse: one organization's view, {} sites (p50)", n / 10),
                Figure::new(ms(one50), "ms"),
                Better::Lower,
                command,
            )
            .peer(
                "bare store read of its sites",
                Figure::new(ms(bare_one50), "ms"),
            ),
        );
    }
    bench_report::record("browse_bench", &rows);
}
