//! mDNS browse against sandbox Zaps announcing themselves — only ever inside a network namespace
//! this test creates (`unshare -n`, multicast on its loopback). If no namespace can be had, the
//! test says why and skips; it never falls back to a real interface.

use std::collections::BTreeSet;
use std::net::Ipv4Addr;
use std::process::Command;
use std::time::Duration;

use novacore::zap::discovery::{inspect, FoundBy, MdnsBrowser, MdnsEvent, MdnsOptions};
use novacore::ZapClient;
use novacore_sim::{MdnsAnnounce, Sandbox};

const INSIDE: &str = "NOVACORE_TEST_IN_NETNS";
const READY: &str = "netns-ready: only lo";
const TEST: &str = "mdns_finds_and_loses_sandbox_zaps_in_a_network_namespace";
const SETUP: &str = "ip link set lo up && ip link set lo multicast on && \
                     ip route add 224.0.0.0/4 dev lo && exec \"$0\" \"$@\"";

#[test]
fn mdns_finds_and_loses_sandbox_zaps_in_a_network_namespace() {
    if std::env::var_os(INSIDE).is_some() {
        inside_namespace();
        return;
    }
    let exe = std::env::current_exe().expect("test binary path");
    // As root a plain network namespace; otherwise a user namespace that maps us to root in it.
    let root = std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false);
    let flags = if root { "-n" } else { "-rn" };
    let out = Command::new("unshare")
        .args([flags, "sh", "-c", SETUP])
        .arg(&exe)
        .args([TEST, "--exact", "--nocapture", "--test-threads=1"])
        .env(INSIDE, "1")
        .output();
    let out = match out {
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
    eprintln!("ran inside a fresh network namespace:\n{stdout}");
}

fn inside_namespace() {
    // Refuse to run anywhere but a namespace whose only interface is loopback (/proc/self/net is
    // per network namespace; /sys/class/net would still show the host's until sysfs is remounted).
    let dev = std::fs::read_to_string("/proc/self/net/dev").expect("/proc/self/net/dev");
    let ifaces: Vec<String> = dev
        .lines()
        .skip(2)
        .filter_map(|l| l.split(':').next().map(|n| n.trim().to_string()))
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

async fn browse() {
    let sb = Sandbox::builder()
        .seed(5)
        .zaps(3)
        .zaps_on_loopback(Ipv4Addr::new(127, 0, 0, 2), 80)
        .announce_mdns(MdnsAnnounce {
            loopback_only: true,
            port: 5353,
        })
        .start()
        .await
        .unwrap();
    let ours: BTreeSet<String> = sb.zaps().iter().map(|z| z.serial.clone()).collect();
    let mut browser = MdnsBrowser::start(MdnsOptions {
        loopback_only: true,
        port: 5353,
    })
    .unwrap();
    let t0 = std::time::Instant::now();
    let mut found = BTreeSet::new();
    while found != ours {
        let ev = tokio::time::timeout(Duration::from_secs(15), browser.next_event())
            .await
            .expect("Zaps announced within 15 s")
            .expect("browse running");
        if let MdnsEvent::Found(z) = ev {
            let url = z.url().expect("an address");
            let row = inspect(&ZapClient::new(&url).unwrap(), FoundBy::Mdns)
                .await
                .unwrap();
            assert_eq!(row.serial.as_deref(), Some(z.instance.as_str()));
            assert_eq!(z.port, 80);
            found.insert(z.instance);
        }
    }
    println!("found {} Zaps by mDNS in {:?}", found.len(), t0.elapsed());
    sb.shutdown().await;
    let mut lost = BTreeSet::new();
    while lost != ours {
        let ev = tokio::time::timeout(Duration::from_secs(15), browser.next_event())
            .await
            .expect("goodbyes within 15 s")
            .expect("browse running");
        if let MdnsEvent::Lost { instance } = ev {
            lost.insert(instance);
        }
    }
    println!("lost all {} after the sandbox stopped", lost.len());
    browser.stop();
}
