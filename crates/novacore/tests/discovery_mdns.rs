//! mDNS browse against sandbox Zaps announcing themselves — only ever inside a network namespace
//! this test creates (`unshare -n`, multicast on its loopback). If no namespace can be had, the
//! test says why and skips; it never falls back to a real interface.

use std::collections::BTreeSet;
use std::net::Ipv4Addr;
use std::time::Duration;

use novacore::zap::discovery::{inspect, FoundBy, MdnsBrowser, MdnsEvent, MdnsOptions};
use novacore::ZapClient;
use novacore_sim::{MdnsAnnounce, Sandbox};

#[test]
fn mdns_finds_and_loses_sandbox_zaps_in_a_network_namespace() {
    if !novacore_sim::netns::in_own_namespace(
        "mdns_finds_and_loses_sandbox_zaps_in_a_network_namespace",
    ) {
        return;
    }
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
