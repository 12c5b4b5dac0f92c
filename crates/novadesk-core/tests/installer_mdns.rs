//! The Installer view's mDNS browse ([`MdnsWatch`]) against sandbox Zaps announcing themselves:
//! rows appear (read like the sweep's, found by mDNS, named by their instance) and go when the
//! sandbox says goodbye. Only ever inside a network namespace this test creates (`unshare -n`,
//! multicast on its loopback); without one it says why and skips, never using a real interface.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;
use std::process::Command;
use std::time::Duration;

use novacore_sim::{MdnsAnnounce, Sandbox};
use novadesk_core::{MdnsMode, MdnsUpdate, MdnsWatch};

const INSIDE: &str = "NOVADESK_TEST_IN_NETNS";
const READY: &str = "netns-ready: only lo";
const TEST: &str = "mdns_rows_come_and_go_in_a_network_namespace";
const SETUP: &str = "ip link set lo up && ip link set lo multicast on && \
                     ip route add 224.0.0.0/4 dev lo && exec \"$0\" \"$@\"";

#[test]
fn mdns_rows_come_and_go_in_a_network_namespace() {
    if std::env::var_os(INSIDE).is_some() {
        inside_namespace();
        return;
    }
    let exe = std::env::current_exe().expect("test binary path");
    let root = std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false);
    let flags = if root { "-n" } else { "-rn" };
    let out = match Command::new("unshare")
        .args([flags, "sh", "-c", SETUP])
        .arg(&exe)
        .args([TEST, "--exact", "--nocapture", "--test-threads=1"])
        .env(INSIDE, "1")
        .output()
    {
        Ok(o) => o,
        Err(e) => {
            eprintln!("SKIPPED: cannot run `unshare` to get a network namespace: {e}");
            return;
        }
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !stdout.contains(READY) && !stderr.contains(READY) {
        eprintln!(
            "SKIPPED: no network namespace with multicast on loopback could be set up \
             (`unshare {flags}` + ip): {}",
            stderr.trim()
        );
        return;
    }
    assert!(
        out.status.success(),
        "mDNS test failed inside its namespace:\n{stdout}\n{stderr}"
    );
}

fn inside_namespace() {
    // Only in a namespace whose one interface is loopback (/proc/self/net is per namespace).
    let dev = std::fs::read_to_string("/proc/self/net/dev").expect("/proc/self/net/dev");
    let ifaces: Vec<&str> = dev
        .lines()
        .skip(2)
        .filter_map(|l| l.split(':').next().map(str::trim))
        .collect();
    assert_eq!(
        ifaces,
        ["lo"],
        "refusing to browse mDNS outside a private namespace"
    );
    eprintln!("{READY}");
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(browse());
}

async fn next(watch: &mut MdnsWatch) -> MdnsUpdate {
    tokio::time::timeout(Duration::from_secs(15), watch.next_update(None))
        .await
        .expect("an mDNS update within 15 s")
        .expect("the browse runs")
}

async fn browse() {
    let first = Ipv4Addr::new(127, 0, 4, 40);
    let port = novacore_sim::field_port(first).expect("a free loopback port");
    let sb = Sandbox::builder()
        .seed(43)
        .zaps(2)
        .demo(false)
        .zaps_on_loopback(first, port)
        .announce_mdns(MdnsAnnounce {
            loopback_only: true,
            port: 5353,
        })
        .start()
        .await
        .unwrap();
    let ours: BTreeSet<String> = sb.zaps().iter().map(|z| z.serial.clone()).collect();
    let mut watch = MdnsWatch::start(MdnsMode::Loopback)
        .unwrap()
        .expect("loopback mode browses");
    let mut rows = BTreeMap::new();
    while rows.len() < ours.len() {
        match next(&mut watch).await {
            MdnsUpdate::Found { zap } => {
                assert_eq!(
                    serde_json::to_value(zap.found_by).unwrap(),
                    serde_json::json!("mdns")
                );
                assert_eq!(zap.name, zap.serial, "named by its instance, the serial");
                assert!(zap.address.starts_with("127.0.4.4"), "{}", zap.address);
                assert!(zap.firmware.is_some(), "read like the sweep reads");
                rows.insert(zap.serial.clone().unwrap(), zap.address.clone());
            }
            other => panic!("before any goodbye: {other:?}"),
        }
    }
    assert_eq!(rows.keys().cloned().collect::<BTreeSet<_>>(), ours);
    sb.shutdown().await;
    let mut gone = BTreeMap::new();
    while gone.len() < ours.len() {
        if let MdnsUpdate::Gone { instance, address } = next(&mut watch).await {
            gone.insert(instance, address);
        }
    }
    assert_eq!(gone, rows, "each goes by the address its row has");
}
