//! Kills a writer process with SIGKILL at random points 100 times (`SOAK_SCALE` times as many in
//! `make soak`) and checks the store after each kill.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use novadesk_store::{Resolution, SeriesKey, Store};

const BATCH_MS: i64 = 40_000;
const KILLS: i64 = 100;

/// `SOAK_SCALE` (default 1; `make soak` sets 10) multiplies the kills.
fn soak_scale() -> i64 {
    std::env::var("SOAK_SCALE")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n >= 1)
        .unwrap_or(1)
}

fn series() -> [SeriesKey; 3] {
    [
        SeriesKey::new("der-crash-1", "W"),
        SeriesKey::new("der-crash-1", "SoC_nom_fract"),
        SeriesKey::new("der-crash-2", "W"),
    ]
}

/// Small deterministic PRNG (xorshift) so a failing run can be replayed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Batch ids in `from..upto` with at least one sample in the store; asserts every present batch is
/// complete and exact.
fn present_batches(store: &Store, from: i64, upto: i64) -> BTreeSet<i64> {
    let mut present = BTreeSet::new();
    for (k, s) in series().iter().enumerate() {
        let samples = store.samples(s, from * BATCH_MS, upto * BATCH_MS).unwrap();
        let mut per_batch = std::collections::BTreeMap::<i64, usize>::new();
        for (ts, v) in samples {
            let b = ts / BATCH_MS;
            let j = (ts % BATCH_MS) / 1000;
            assert_eq!(
                v,
                (b * 1000 + j) as f64 + 0.25 * k as f64,
                "value of batch {b} sample {j}"
            );
            *per_batch.entry(b).or_default() += 1;
        }
        for (b, n) in &per_batch {
            assert_eq!(*n, 40, "batch {b} is partial in series {s}");
        }
        if k == 0 {
            present = per_batch.keys().copied().collect();
        } else {
            assert_eq!(
                present,
                per_batch.keys().copied().collect(),
                "series disagree on batches"
            );
        }
    }
    present
}

#[test]
fn sigkill_mid_ingest_never_loses_or_tears_a_batch() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.db");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut reported_batches = BTreeSet::new();
    let mut reported_outbox = BTreeSet::new();
    let mut kills_mid_run = 0;
    let kills = KILLS * soak_scale();
    // Each kill checks its own run's batches; everything since the first run is checked after
    // every `soak_scale()`-th kill and the last (so a soak costs 10×, not 100×, the checks).
    let full_every = soak_scale();
    let started = std::time::Instant::now();
    let mut integrity_failures = 0;
    let (mut lost_batches, mut lost_outbox) = (BTreeSet::<i64>::new(), BTreeSet::<i64>::new());
    for run in 0..kills {
        let first = run * 10_000 + 1;
        let mut child = Command::new(env!("CARGO_BIN_EXE_novadesk-store-crash-writer"))
            .arg(&path)
            .arg(first.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<_>>()
        });
        std::thread::sleep(Duration::from_millis(10 + rng.next() % 110));
        child.kill().unwrap(); // SIGKILL on Unix
        let status = child.wait().unwrap();
        if status.code().is_none() {
            kills_mid_run += 1;
        } else {
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
            panic!("writer exited on its own ({status}): {err}");
        }
        for line in reader.join().unwrap() {
            let (what, id) = line.split_once(' ').unwrap();
            let id: i64 = id.parse().unwrap();
            match what {
                "batch" => reported_batches.insert(id),
                "outbox" => reported_outbox.insert(id),
                other => panic!("unexpected line {other}"),
            };
        }

        let store = Store::open(&path).unwrap();
        let integrity = store.integrity_check().unwrap();
        integrity_failures += usize::from(!integrity.ok);
        assert!(integrity.ok, "after kill {run}: {:?}", integrity.messages);
        let full = (run + 1) % full_every == 0 || run + 1 == kills;
        let from = if full { 0 } else { first };
        let present = present_batches(&store, from, first + 10_000);
        let missing: Vec<i64> = reported_batches
            .range(from..)
            .filter(|b| !present.contains(b))
            .copied()
            .collect();
        if !missing.is_empty() {
            eprintln!("after kill {run}, committed batches missing: {missing:?}");
            lost_batches.extend(missing);
        }
        if !full {
            continue;
        }
        let entries = store.outbox().unwrap();
        let queued: BTreeSet<i64> = entries
            .iter()
            .map(|e| {
                let b = e.payload["batch"].as_i64().unwrap();
                assert_eq!(e.idempotency_key, format!("batch-{b}"));
                assert_eq!(e.payload["pad"].as_str().unwrap().len(), 200);
                b
            })
            .collect();
        lost_outbox.extend(reported_outbox.difference(&queued));
    }
    assert_eq!(kills_mid_run, kills);
    println!(
        "soak-figure\t(c) store through SIGKILLs mid-ingest\tkills={kills}\tintegrity_failures={integrity_failures}\tbatches_committed={}\tbatches_lost={}\toutbox_committed={}\toutbox_lost={}\tseconds={:.1}",
        reported_batches.len(),
        lost_batches.len(),
        reported_outbox.len(),
        lost_outbox.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        lost_batches.is_empty(),
        "committed batches lost: {lost_batches:?}"
    );
    assert!(
        lost_outbox.is_empty(),
        "outbox entries lost: {lost_outbox:?}"
    );
    assert!(
        reported_batches.len() > kills as usize,
        "writer barely ran: {}",
        reported_batches.len()
    );

    // Rollups agree with the raw data that survived: no torn rollup either.
    let store = Store::open(&path).unwrap();
    for s in series() {
        let raw = store
            .samples(&s, 0, kills * 10_000 * BATCH_MS)
            .unwrap()
            .len() as u64;
        let from_rollups: u64 = store
            .range(&s, 0, kills * 10_000 * BATCH_MS, Resolution::D1)
            .unwrap()
            .iter()
            .map(|b| b.count)
            .sum();
        assert_eq!(raw, from_rollups, "{s}");
    }
}
