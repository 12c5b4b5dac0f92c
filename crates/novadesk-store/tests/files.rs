//! The store file: persistence, migrations, and bad files / locations / full disks.

use std::path::Path;
use std::process::Command;

use novadesk_store::{Batch, Error, SeriesKey, Store, SCHEMA_VERSION};

fn w() -> SeriesKey {
    SeriesKey::new("der-1", "W")
}

fn fill(store: &mut Store, from: i64, n: i64) {
    let mut b = Batch::new(from);
    for i in 0..n {
        b.push(&w(), from + i * 1000, i as f64);
    }
    store.ingest(&b).unwrap();
}

#[test]
fn data_survives_reopen_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    {
        let mut store = Store::open(&path).unwrap();
        fill(&mut store, 0, 100);
        store
            .enqueue("claim", &serde_json::json!({"sn": "zap-1"}), "k1", 5)
            .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.samples(&w(), 0, 1_000_000).unwrap().len(), 100);
    assert_eq!(store.outbox().unwrap().len(), 1);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION);
}

#[test]
fn a_non_sqlite_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    let junk: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&path, &junk).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, Error::NotADatabase { .. }), "{err:?}");
    assert!(err.to_string().contains("untouched"));
    assert_eq!(std::fs::read(&path).unwrap(), junk);
}

#[test]
fn a_store_with_a_damaged_header_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    {
        let mut store = Store::open(&path).unwrap();
        fill(&mut store, 0, 10);
        store.checkpoint().unwrap();
    }
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[..16].copy_from_slice(b"definitely-not-s");
    std::fs::write(&path, &bytes).unwrap();
    assert!(matches!(
        Store::open(&path),
        Err(Error::NotADatabase { .. })
    ));
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn a_newer_schema_is_refused_with_a_clear_message_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE future (x); INSERT INTO future VALUES (1); PRAGMA user_version = 99;",
        )
        .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).unwrap_err();
    match &err {
        Error::SchemaTooNew { found, supported } => {
            assert_eq!((*found, *supported), (99, SCHEMA_VERSION))
        }
        other => panic!("expected SchemaTooNew, got {other:?}"),
    }
    assert!(err.to_string().contains("newer Novadesk"));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

/// Makes `dir` read-only for this process: permission bits, or (as root, who ignores them) the
/// immutable attribute. Returns false when neither works here.
fn make_read_only(dir: &Path) -> bool {
    let mut perms = std::fs::metadata(dir).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(dir, perms).unwrap();
    if std::fs::write(dir.join("probe"), b"x").is_err() {
        return true;
    }
    let _ = std::fs::remove_file(dir.join("probe"));
    let ok = Command::new("chattr")
        .arg("+i")
        .arg(dir)
        .status()
        .is_ok_and(|s| s.success());
    ok && std::fs::write(dir.join("probe"), b"x").is_err()
}

fn make_writable(dir: &Path) {
    let _ = Command::new("chattr").arg("-i").arg(dir).status();
    let mut perms = std::fs::metadata(dir).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(dir, perms).unwrap();
}

#[test]
fn a_read_only_directory_gives_a_typed_error_and_keeps_data() {
    let dir = tempfile::tempdir().unwrap();
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    let path = ro.join("s.db");
    {
        let mut store = Store::open(&path).unwrap();
        fill(&mut store, 0, 50);
    }
    let before = std::fs::read(&path).unwrap();
    if !make_read_only(&ro) {
        make_writable(&ro);
        eprintln!("SKIPPED: cannot make a directory read-only here (root without chattr)");
        return;
    }
    let existing = Store::open(&path);
    let fresh = Store::open(ro.join("new.db"));
    make_writable(&ro);
    assert!(
        matches!(existing, Err(Error::ReadOnly { .. })),
        "{existing:?}"
    );
    assert!(matches!(fresh, Err(Error::ReadOnly { .. })), "{fresh:?}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(
        Store::open(&path)
            .unwrap()
            .samples(&w(), 0, 100_000)
            .unwrap()
            .len(),
        50
    );
}

#[test]
fn a_full_disk_fails_the_write_and_keeps_earlier_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let mut store = Store::open(&path).unwrap();
    fill(&mut store, 0, 3600);
    let id = store
        .enqueue("claim", &serde_json::json!({"sn": 1}), "k", 0)
        .unwrap();
    let pages = store.size_report().unwrap().db_bytes / 4096;
    store.set_max_page_count(pages + 2).unwrap();
    let mut big = Batch::new(0);
    for s in 0..50 {
        let key = SeriesKey::new(format!("der-{s}"), "W");
        big.extend(
            &key,
            (0..20_000).map(|i| (10_000_000 + i * 1000, (i * 7919 % 10007) as f64 + 0.123)),
        );
    }
    let err = store.ingest(&big).unwrap_err();
    assert!(matches!(err, Error::DiskFull), "{err:?}");
    assert_eq!(store.samples(&w(), 0, 4_000_000).unwrap().len(), 3600);
    assert_eq!(
        store.series().unwrap(),
        vec![w()],
        "the failed batch left nothing behind"
    );
    drop(store);
    let store = Store::open(&path).unwrap();
    assert!(store.integrity_check().unwrap().ok);
    assert_eq!(store.outbox().unwrap()[0].id, id);
    assert_eq!(store.samples(&w(), 0, 4_000_000).unwrap().len(), 3600);
}

#[test]
fn size_report_and_vacuum_reclaim_space_after_retention() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("s.db")).unwrap();
    let day = novadesk_store::DAY_MS;
    let mut b = Batch::new(0);
    for i in 0..(20 * 24 * 60) {
        b.push(&w(), day + i * 60_000, (i * 37 % 1001) as f64 + 0.5);
    }
    store.ingest(&b).unwrap();
    let before = store.size_report().unwrap();
    assert_eq!(
        (before.series, before.samples, before.chunks),
        (1, 20 * 24 * 60, 20 * 6),
        "four-hour chunks"
    );
    let policy = novadesk_store::RetentionPolicy {
        raw_days: Some(1),
        ..Default::default()
    };
    store.retain(&policy, 21 * day).unwrap();
    let cut = store.size_report().unwrap();
    assert_eq!(cut.samples, 24 * 60);
    assert!(cut.free_bytes > 0, "deleted chunks leave free pages");
    store.vacuum().unwrap();
    let after = store.size_report().unwrap();
    assert_eq!(after.free_bytes, 0);
    assert!(
        after.db_bytes < before.db_bytes,
        "{} !< {}",
        after.db_bytes,
        before.db_bytes
    );
    assert_eq!(after.wal_bytes, 0, "vacuum truncates the WAL");
    assert!(store.integrity_check().unwrap().ok);
}
