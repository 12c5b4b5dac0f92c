//! Commands that need no server: usage errors, identity handling, error reporting.

mod common;

use common::{run, run_with};

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["orgs", "bogus"],
        vec!["history", "--site", "sit-1"],
        vec![
            "history",
            "--site",
            "s",
            "--from",
            "yesterday",
            "--to",
            "2026-01-01",
        ],
        vec!["prices", "--area", "SE3", "--days", "0"],
        vec!["--no-such-flag", "orgs", "list"],
    ] {
        let r = run(&args);
        assert_eq!(r.code, 2, "{args:?} → {}", r.stderr);
        assert!(!r.stderr.is_empty());
    }
    let r = run_with("vault", &["identity", "show"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("NOVACORE_SECRET_STORE"), "{}", r.stderr);
    let r = run(&["--env", "moon", "orgs", "list"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("[usage]"), "{}", r.stderr);
}

#[test]
fn help_and_version_exit_0() {
    let r = run(&["--help"]).ok();
    assert!(r.stdout.contains("cost"));
    let version = run(&["--version"]).ok().stdout;
    assert_eq!(
        version.trim(),
        format!(
            "novacore {} ({})",
            env!("CARGO_PKG_VERSION"),
            env!("NOVACORE_COMMIT")
        )
    );
    let commit = env!("NOVACORE_COMMIT");
    assert!(
        commit == "unknown"
            || (commit.len() == 10 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "{commit}"
    );
}

#[test]
fn identity_new_show_and_import_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let key = common::new_identity(dir.path());
    let shown = run(&["--json", "--identity", &key, "identity", "show"])
        .ok()
        .json();
    let public = shown["public_key_base64"].as_str().unwrap().to_string();
    assert_eq!(public.len(), 44);
    // Same key through the environment variable.
    let via_env = common::novacore("none")
        .env("NOVACORE_IDENTITY", &key)
        .args(["--json", "identity", "show"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&via_env.stdout).unwrap();
    assert_eq!(v["public_key_base64"], public.as_str());
    // Import into a directory store, then the store supplies it without flags.
    let store = format!("dir:{}", dir.path().join("store").display());
    run_with(&store, &["identity", "import", "--file", &key]).ok();
    let from_store = run_with(&store, &["--json", "identity", "show"])
        .ok()
        .json();
    assert_eq!(from_store["public_key_base64"], public.as_str());
    // A second `new` into the same store must not silently destroy the key.
    let again = run_with(&store, &["identity", "new"]);
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(again.stderr.contains("--force"));
    // Refuses to overwrite a key file too.
    let r = run(&["identity", "new", "--out", &key]);
    assert_eq!(r.code, 2);
}

#[test]
fn a_bad_identity_value_is_reported_without_echoing_it() {
    let r = common::novacore("none")
        .env("NOVACORE_IDENTITY", "not-a-key-SECRETISH")
        .args(["identity", "show"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(1));
    assert!(stderr.contains("neither a readable key file"), "{stderr}");
    assert!(!stderr.contains("SECRETISH"));
}

#[test]
fn missing_identity_and_unreachable_server_are_clear_failures() {
    let r = run(&["--env", "http://127.0.0.1:9", "orgs", "list"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("[no_identity]"), "{}", r.stderr);
    let dir = tempfile::tempdir().unwrap();
    let key = common::new_identity(dir.path());
    let r = run(&[
        "--json",
        "--env",
        "http://127.0.0.1:9",
        "--identity",
        &key,
        "orgs",
        "list",
    ]);
    assert_eq!(r.code, 1);
    let err: serde_json::Value = serde_json::from_str(r.stderr.trim()).unwrap();
    assert_eq!(err["error"], "transport_error");
    let r = run(&[
        "--env",
        "http://example.com",
        "--identity",
        &key,
        "orgs",
        "list",
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("refusing plain http"), "{}", r.stderr);
}

/// Plain http to any host but this computer is refused before a connection is tried. Every
/// connection the CLI makes goes through a proxy we hold on loopback (reqwest honours the
/// proxy variables): it sees none for the refused URLs, and one for an allowed https URL, which
/// shows it would have seen them. Nothing leaves loopback either way.
#[test]
fn plain_http_to_another_host_is_refused_before_any_connection() {
    use std::io::ErrorKind::WouldBlock;
    let proxy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    proxy.set_nonblocking(true).unwrap();
    let proxy_url = format!("http://{}", proxy.local_addr().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let key = common::new_identity(dir.path());
    let run_via_proxy = |url: &str| {
        let mut cmd = common::novacore("none");
        for var in [
            "HTTP_PROXY",
            "http_proxy",
            "HTTPS_PROXY",
            "https_proxy",
            "ALL_PROXY",
        ] {
            cmd.env(var, &proxy_url);
        }
        cmd.env_remove("NO_PROXY").env_remove("no_proxy");
        let o = cmd
            .args(["--env", url, "--identity", &key, "orgs", "list"])
            .output()
            .unwrap();
        common::Run::from_output(o)
    };
    for url in [
        "http://example.test",
        "http://nc.example.test:8080/api",
        "http://localhost.example.test",
        "http://192.168.1.10",
        "http://[fd00::1]",
    ] {
        let r = run_via_proxy(url);
        assert_eq!(r.code, 1, "{url}: {}", r.stderr);
        assert!(
            r.stderr.contains("refusing plain http") && r.stderr.contains("https is required"),
            "{url}: {}",
            r.stderr
        );
        assert!(
            matches!(proxy.accept(), Err(e) if e.kind() == WouldBlock),
            "{url}: the CLI connected"
        );
    }
    // The control: an https URL is tried, through the proxy (which hangs up at once, however
    // often the CLI retries).
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop = done.clone();
    let hangups = std::thread::spawn(move || {
        let mut seen = 0;
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            match proxy.accept() {
                Ok(_) => seen += 1,
                Err(_) => std::thread::sleep(std::time::Duration::from_millis(5)),
            }
        }
        seen
    });
    let r = run_via_proxy("https://example.test");
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        hangups.join().unwrap() > 0,
        "an allowed URL did not reach the proxy: the check above proves nothing ({})",
        r.stderr
    );
}
