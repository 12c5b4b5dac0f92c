//! Test-mode writer for the crash test (`tests/crash.rs`): ingests batches and queues outbox entries
//! into the store at `argv[1]` until killed, printing `batch <id>` after each committed ingest and
//! `outbox <id>` after each committed enqueue. Batch ids start at `argv[2]`.
//!
//! Batch `b` holds 40 samples of each of 3 series at `b * 40 s + j s` (pushed in scrambled order),
//! value `b * 1000 + j + 0.25 * k` for series `k`; `present_batches` in `tests/crash.rs` checks exactly that.

use std::io::Write;

use novadesk_store::{Batch, SeriesKey, Store};

fn main() {
    if let Err(e) = run() {
        eprintln!("crash-writer: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: novadesk-store-crash-writer <db> <first-batch-id>")?;
    let first: i64 = args.next().ok_or("missing first batch id")?.parse()?;
    let mut store = Store::open(path)?;
    let series = [
        SeriesKey::new("der-crash-1", "W"),
        SeriesKey::new("der-crash-1", "SoC_nom_fract"),
        SeriesKey::new("der-crash-2", "W"),
    ];
    let out = std::io::stdout();
    for b in first..first + 100_000 {
        let mut batch = Batch::new(b * 40_000);
        for j in 0..40i64 {
            let j = (j * 17) % 40; // scrambled order exercises the in-place merge
            for (k, s) in series.iter().enumerate() {
                batch.push(
                    s,
                    b * 40_000 + j * 1000,
                    (b * 1000 + j) as f64 + 0.25 * k as f64,
                );
            }
        }
        store.ingest(&batch)?;
        writeln!(out.lock(), "batch {b}")?;
        let payload = serde_json::json!({ "batch": b, "pad": "x".repeat(200) });
        store.enqueue("crash-test", &payload, &format!("batch-{b}"), b)?;
        writeln!(out.lock(), "outbox {b}")?;
    }
    Ok(())
}
