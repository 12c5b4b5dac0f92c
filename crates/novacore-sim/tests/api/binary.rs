//! The `novacore-sim` binary: one JSON ready line, serving, clean stop on SIGTERM, bad flags.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::get;

#[tokio::test]
async fn prints_ready_line_serves_and_stops_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_novacore-sim"))
        .args(["--zaps", "2", "--seed", "3", "--no-demo"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let line = tokio::task::spawn_blocking(move || {
        let mut l = String::new();
        BufReader::new(stdout).read_line(&mut l).unwrap();
        l
    });
    let line = tokio::time::timeout(Duration::from_secs(10), line)
        .await
        .unwrap()
        .unwrap();
    let ready: serde_json::Value = serde_json::from_str(&line).unwrap();
    let base = ready["base_url"].as_str().unwrap();
    assert!(base.starts_with("http://127.0.0.1:") && !base.ends_with('/'));
    assert_eq!(ready["zaps"].as_array().unwrap().len(), 2);
    assert!(ready["zaps"][0]["public_key"]
        .as_str()
        .unwrap()
        .starts_with("04"));
    assert_eq!(get(&format!("{base}/openapi.json"), None).await.status, 200);
    let zap = ready["zaps"][1]["url"].as_str().unwrap();
    assert_eq!(
        get(&format!("{zap}/api/crypto"), None).await.body["serialNumber"],
        ready["zaps"][1]["serial"]
    );
    let st = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    let t0 = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(10),
            "did not stop on SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "{status:?}");
}

#[test]
fn bad_fault_spec_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_novacore-sim"))
        .args(["--faults", "nope=1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown fault"));
}

/// A shutdown sent right after start must not be missed by the background tasks (they used to
/// subscribe to the stop signal only when first polled, so shutdown fell back to its 5 s abort).
#[tokio::test]
async fn shutdown_right_after_start_is_not_missed() {
    for _ in 0..5 {
        let sb = crate::common::start(crate::common::builder()).await;
        tokio::time::timeout(Duration::from_secs(3), sb.shutdown())
            .await
            .expect("shutdown finished without waiting for its abort timeout");
    }
}

#[tokio::test]
async fn serves_zaps_like_the_field_next_to_a_web_page() {
    // A port free on this loopback range now (80 when root would clash with other tests' Zaps).
    let port = std::net::TcpListener::bind(("127.0.1.102", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_novacore-sim"))
        .args([
            "--zaps",
            "2",
            "--no-demo",
            "--zap-addr",
            &format!("127.0.1.102:{port}"),
            "--web-page",
            &format!("127.0.1.150:{port}"),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let line = tokio::task::spawn_blocking(move || {
        let mut l = String::new();
        BufReader::new(stdout).read_line(&mut l).unwrap();
        l
    });
    let line = tokio::time::timeout(Duration::from_secs(10), line)
        .await
        .unwrap()
        .unwrap();
    let _ = child.kill();
    let ready: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(
        ready["zaps"][1]["url"],
        format!("http://127.0.1.103:{port}"),
        "{ready}"
    );
    assert_eq!(ready["web_pages"][0], format!("http://127.0.1.150:{port}"));
    let _ = child.wait();
    let bad = Command::new(env!("CARGO_BIN_EXE_novacore-sim"))
        .args(["--zap-addr", "zap.local"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not an IPv4 address"));
}
