//! Resources, settings, prices and the outbox.

use novadesk_store::{Error, OutboxCounts, OutboxStatus, PriceSlot, Resource, Store, HOUR_MS};
use serde_json::json;

fn site(id: &str, name: &str) -> Resource {
    Resource {
        id: id.into(),
        body: json!({"id": id, "name": name}),
    }
}

#[test]
fn resource_sets_replace_and_remember_when_fetched() {
    let mut s = Store::open_in_memory().unwrap();
    assert_eq!(s.resources("site", "org-1").unwrap(), None, "never fetched");
    s.upsert_resources(
        "site",
        "org-1",
        &[site("sit-1", "Home"), site("sit-2", "Cabin")],
        100,
    )
    .unwrap();
    s.upsert_resources("site", "org-2", &[site("sit-9", "Other")], 100)
        .unwrap();
    s.upsert_resources("site", "org-1", &[site("sit-2", "Cabin 2")], 200)
        .unwrap();
    let set = s.resources("site", "org-1").unwrap().unwrap();
    assert_eq!(set.fetched_at, 200);
    assert_eq!(
        set.items,
        vec![site("sit-2", "Cabin 2")],
        "sit-1 was deleted upstream"
    );
    assert_eq!(
        s.resources("site", "org-2").unwrap().unwrap().items.len(),
        1
    );
    assert_eq!(
        s.resource("site", "sit-2").unwrap().unwrap(),
        (site("sit-2", "Cabin 2"), 200)
    );
    s.upsert_resources("site", "org-2", &[], 300).unwrap();
    let empty = s.resources("site", "org-2").unwrap().unwrap();
    assert!(empty.items.is_empty());
    assert_eq!(empty.fetched_at, 300);
    assert!(matches!(
        s.upsert_resources("", "x", &[], 1),
        Err(Error::InvalidInput(_))
    ));
}

#[test]
fn settings_round_trip() {
    let mut s = Store::open_in_memory().unwrap();
    assert_eq!(s.setting("last_environment").unwrap(), None);
    s.set_setting("last_environment", "sandbox").unwrap();
    s.set_setting("last_environment", "testnet").unwrap();
    assert_eq!(
        s.setting("last_environment").unwrap().as_deref(),
        Some("testnet")
    );
    assert!(s.remove_setting("last_environment").unwrap());
    assert!(!s.remove_setting("last_environment").unwrap());
}

fn slots(from: i64, n: i64, len: i64, price: f64) -> Vec<PriceSlot> {
    (0..n)
        .map(|i| PriceSlot {
            start: from + i * len,
            end: from + (i + 1) * len,
            price: price - i as f64,
            fetched_at: 9,
        })
        .collect()
}

#[test]
fn prices_by_area_and_currency_with_resolution_changes() {
    let mut s = Store::open_in_memory().unwrap();
    s.upsert_prices("SE3", "SEK", &slots(0, 24, HOUR_MS, 1.0))
        .unwrap();
    s.upsert_prices("SE3", "EUR", &slots(0, 24, HOUR_MS, 0.1))
        .unwrap();
    // The same day again at 15-minute resolution for two hours: the two hourly slots go away.
    s.upsert_prices("SE3", "SEK", &slots(2 * HOUR_MS, 8, HOUR_MS / 4, -0.5))
        .unwrap();
    let got = s.prices("SE3", "SEK", 0, 4 * HOUR_MS).unwrap();
    assert_eq!(got.len(), 2 + 8);
    assert_eq!(
        (got[2].start, got[2].end, got[2].price),
        (2 * HOUR_MS, 2 * HOUR_MS + HOUR_MS / 4, -0.5)
    );
    assert_eq!(s.prices("SE3", "EUR", 0, HOUR_MS).unwrap()[0].price, 0.1);
    // A query starting mid-slot still returns the slot it starts in.
    assert_eq!(
        s.prices("SE3", "SEK", HOUR_MS / 2, HOUR_MS).unwrap()[0].start,
        0
    );
    assert!(s.prices("SE4", "SEK", 0, HOUR_MS).unwrap().is_empty());
}

#[test]
fn outbox_lifecycle() {
    let mut s = Store::open_in_memory().unwrap();
    let a = s
        .enqueue("claim", &json!({"sn": "a"}), "key-a", 10)
        .unwrap();
    let b = s
        .enqueue("provision", &json!({"sn": "b"}), "key-b", 20)
        .unwrap();
    assert_eq!(
        s.enqueue("claim", &json!({"sn": "other"}), "key-a", 30)
            .unwrap(),
        a,
        "same key, same entry"
    );
    assert_eq!(
        s.next_due(5).unwrap(),
        None,
        "nothing due before enqueue time"
    );
    assert_eq!(s.next_due(100).unwrap().unwrap().id, a);
    s.mark_failed(a, 1, Some(1000), "503 unavailable").unwrap();
    let next = s.next_due(100).unwrap().unwrap();
    assert_eq!(next.id, b);
    s.mark_done(b, 110, Some("claimed")).unwrap();
    assert_eq!(s.next_due(999).unwrap(), None);
    let retry = s.next_due(1000).unwrap().unwrap();
    assert_eq!(
        (retry.id, retry.attempts, retry.last_error.as_deref()),
        (a, 1, Some("503 unavailable"))
    );
    assert_eq!(retry.payload, json!({"sn": "a"}));
    s.mark_failed(a, 2, None, "403 forbidden").unwrap();
    assert_eq!(s.next_due(i64::MAX).unwrap(), None);
    let all = s.outbox().unwrap();
    assert_eq!(
        all.iter().map(|e| (e.id, e.status)).collect::<Vec<_>>(),
        vec![(b, OutboxStatus::Done), (a, OutboxStatus::Failed)]
    );
    assert!(matches!(
        s.mark_done(999, 0, None),
        Err(Error::NotFound { .. })
    ));
}

/// The installer's journal on top of the outbox: in-flight marker, conflicts waiting for a
/// decision (retry with an edited payload, drop), per-entry result, counts, order.
#[test]
fn outbox_journal_conflicts_retry_drop_and_counts() {
    let mut s = Store::open_in_memory().unwrap();
    let a = s.enqueue("claim", &json!({"sn": "a"}), "j-a", 10).unwrap();
    let b = s
        .enqueue("provision", &json!({"sn": "b"}), "j-b", 20)
        .unwrap();
    let c = s
        .enqueue("publish", &json!({"sn": "b"}), "j-c", 30)
        .unwrap();
    assert_eq!(
        s.outbox_counts().unwrap(),
        OutboxCounts {
            queued: 3,
            conflict: 0
        }
    );
    s.mark_failed(a, 1, Some(10_000), "offline").unwrap();
    let order: Vec<i64> = s.pending_in_order().unwrap().iter().map(|e| e.id).collect();
    assert_eq!(order, vec![a, b, c], "enqueue order, due or not");

    s.mark_sending(a, 40).unwrap();
    assert_eq!(s.outbox_entry(a).unwrap().unwrap().sent_at, Some(40));
    s.mark_done(a, 50, Some("claimed into org-1")).unwrap();
    let done = s.outbox_entry(a).unwrap().unwrap();
    assert_eq!(
        (
            done.status,
            done.result.as_deref(),
            done.done_at,
            done.last_error
        ),
        (
            OutboxStatus::Done,
            Some("claimed into org-1"),
            Some(50),
            None
        )
    );
    assert!(
        matches!(s.retry_entry(a, 60, None), Err(Error::InvalidInput(_))),
        "a done entry is never sent again"
    );
    assert!(matches!(s.drop_entry(a), Err(Error::InvalidInput(_))));

    s.mark_conflict(b, 1, "claimed by another organization")
        .unwrap();
    assert_eq!(
        s.outbox_counts().unwrap(),
        OutboxCounts {
            queued: 1,
            conflict: 1
        }
    );
    assert_eq!(
        s.next_due(i64::MAX).unwrap().unwrap().id,
        c,
        "a conflict waits"
    );
    s.retry_entry(b, 70, Some(&json!({"sn": "b", "site": "s2"})))
        .unwrap();
    let retried = s.outbox_entry(b).unwrap().unwrap();
    assert_eq!(
        (retried.status, retried.next_try_at, retried.payload),
        (OutboxStatus::Pending, 70, json!({"sn": "b", "site": "s2"}))
    );
    s.drop_entry(c).unwrap();
    assert_eq!(s.outbox_entry(c).unwrap(), None);
    assert!(matches!(s.drop_entry(c), Err(Error::NotFound { .. })));
    assert!(matches!(
        s.retry_entry(999, 0, None),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn sse_readings_become_samples_of_each_numeric_field() {
    let mut s = Store::open_in_memory().unwrap();
    let mut b = novadesk_store::Batch::new(0);
    let reading = json!({"der_id": "der-b", "device_id": "dev-1", "site_id": "sit-1", "type": "battery",
                         "timestamp": 1_764_000_000_000i64, "W": -1500.0, "SoC_nom_fract": 0.52});
    assert_eq!(b.push_reading(&reading).unwrap(), 2);
    assert!(matches!(
        b.push_reading(&json!({"W": 1.0})),
        Err(Error::InvalidInput(_))
    ));
    s.ingest(&b).unwrap();
    let soc = novadesk_store::SeriesKey::new("der-b", "SoC_nom_fract");
    assert_eq!(
        s.samples(&soc, 0, i64::MAX).unwrap(),
        vec![(1_764_000_000_000, 0.52)]
    );
    assert_eq!(s.series().unwrap().len(), 2);
    let w = novadesk_store::SeriesKey::new("der-b", "W");
    let mut older = novadesk_store::Batch::new(0);
    older.push(&w, 1_700_000_000_000, 1.0);
    s.ingest(&older).unwrap();
    assert_eq!(
        s.latest(&w).unwrap(),
        Some((1_764_000_000_000, -1500.0)),
        "a late old sample is not the latest"
    );
    assert_eq!(
        s.latest(&novadesk_store::SeriesKey::new("der-x", "W"))
            .unwrap(),
        None
    );
}

#[test]
fn store_can_move_between_threads() {
    fn send<T: Send>() {}
    send::<Store>();
}
