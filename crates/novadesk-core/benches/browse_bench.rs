//! Store-first browsing with hundreds of sites: how long the cached read behind the all-sites
//! list and one organization's view takes (what the window waits for before the first paint).
//! `cargo bench -p novadesk-core --bench browse_bench`

use std::sync::Arc;
use std::time::{Duration, Instant};

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
    println!("| cached read (hundreds of sites)         | sites |       p50 |       p90 |");
    println!("|-----------------------------------------|-------|-----------|-----------|");
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
        for _ in 0..50 {
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
        println!(
            "| all sites (sorted, with org names)      | {n:>5} | {:>9.2?} | {:>9.2?} |",
            p(all.clone(), 0.5),
            p(all, 0.9)
        );
        println!(
            "| one organization (n/10 sites)           | {n:>5} | {:>9.2?} | {:>9.2?} |",
            p(one.clone(), 0.5),
            p(one, 0.9)
        );
    }
}
