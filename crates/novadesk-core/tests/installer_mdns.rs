//! The Installer view's mDNS browse ([`MdnsWatch`]) against sandbox Zaps announcing themselves:
//! rows appear (read like the sweep's, found by mDNS, named by their instance) and go when the
//! sandbox says goodbye. Only ever inside a network namespace this test creates (`unshare -n`,
//! multicast on its loopback); without one it says why and skips, never using a real interface.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;
use std::time::Duration;

use novacore_sim::{MdnsAnnounce, Sandbox};
use novadesk_core::{MdnsMode, MdnsUpdate, MdnsWatch};

#[test]
fn mdns_rows_come_and_go_in_a_network_namespace() {
    if !novacore_sim::netns::in_own_namespace("mdns_rows_come_and_go_in_a_network_namespace") {
        return;
    }
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
