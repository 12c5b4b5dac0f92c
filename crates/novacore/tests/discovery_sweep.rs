//! Subnet sweep against sandbox Zaps on 127.0.0.2..11, a router-style web page on 127.0.0.12 and
//! nothing elsewhere in 127.0.0.0/24 (loopback only).

use std::collections::BTreeSet;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use futures::StreamExt;
use novacore::zap::discovery::{FoundBy, Ipv4Net, Sweep, SweepEvent, SweepOptions};
use novacore_sim::Sandbox;

#[tokio::test]
async fn sweep_finds_every_zap_and_not_the_web_page() {
    let first = Ipv4Addr::new(127, 0, 0, 2);
    let port = novacore_sim::field_port(first).expect("a free loopback port");
    let sb = Sandbox::builder()
        .seed(11)
        .zaps(10)
        .zaps_on_loopback(first, port)
        .web_page_host(SocketAddr::from(([127, 0, 0, 12], port)))
        .start()
        .await
        .unwrap();
    let hosts = Ipv4Net::parse("127.0.0.0/24").unwrap().hosts();
    let opts = SweepOptions {
        port,
        timeout: Duration::from_millis(800),
        ..Default::default()
    };
    let mut sweep = Sweep::start(hosts, opts.clone()).unwrap();
    let mut found = Vec::new();
    let mut last = None;
    let mut probed_seen = 0;
    while let Some(ev) = sweep.next().await {
        match ev {
            SweepEvent::Found(z) => found.push(z),
            SweepEvent::Progress(p) => {
                assert!(p.probed >= probed_seen && p.total == 254);
                probed_seen = p.probed;
                last = Some(p);
            }
        }
    }
    let last = last.unwrap();
    assert!(last.done && !last.cancelled);
    assert_eq!((last.probed, last.found), (254, 10));
    let ours: BTreeSet<_> = sb.zaps().iter().map(|z| z.serial.clone()).collect();
    let theirs: BTreeSet<_> = found.iter().filter_map(|z| z.serial.clone()).collect();
    assert_eq!(ours, theirs);
    let page = &sb.web_pages()[0];
    assert!(found.iter().all(|z| &z.url != page));
    for z in &found {
        assert_eq!(z.found_by, FoundBy::Sweep);
        assert_eq!(z.firmware.as_deref(), Some("1.9.22"));
        assert!(z.public_key.as_deref().is_some_and(|k| k.len() == 130));
        assert_eq!(z.ssid.as_deref(), Some("HomeNet"));
        assert!(z.rssi.is_some() && z.signal.is_some());
        assert_eq!(
            z.devices,
            Some(2),
            "demo Zaps carry an inverter and a meter"
        );
        let sandbox_url = &sb
            .zaps()
            .iter()
            .find(|s| Some(&s.serial) == z.serial.as_ref())
            .unwrap()
            .url;
        assert_eq!(&z.url, sandbox_url);
    }

    // Cancel: the sweep ends early with `cancelled`.
    let mut sweep = Sweep::start(
        Ipv4Net::parse("127.0.0.0/24").unwrap().hosts(),
        SweepOptions {
            concurrency: 1,
            ..opts
        },
    )
    .unwrap();
    let cancel = sweep.canceller();
    let mut end = None;
    while let Some(ev) = sweep.next().await {
        if let SweepEvent::Progress(p) = ev {
            if p.probed == 3 {
                cancel.cancel();
            }
            end = Some(p);
        }
    }
    let end = end.unwrap();
    assert!(end.done && end.cancelled && end.probed < 254, "{end:?}");
    sb.shutdown().await;
}
