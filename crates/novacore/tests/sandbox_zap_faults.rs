//! The Zap client against the sandbox's health-chain faults: each failure its own typed error.

use std::net::SocketAddr;
use std::time::Duration;

use novacore::zap::ZapError;
use novacore::{Error, ZapClient};
use novacore_sim::{Sandbox, ZapFaultUpdate};

#[tokio::test]
async fn stall_malformed_unreachable_and_web_page_are_told_apart() {
    let sb = Sandbox::builder()
        .zaps(1)
        .web_page_host(SocketAddr::from(([127, 0, 0, 1], 0)))
        .start()
        .await
        .unwrap();
    let zap = sb.zaps()[0].clone();
    let z = ZapClient::with_timeout(&zap.url, Duration::from_millis(600)).unwrap();
    assert!(z.system().await.unwrap().zap.is_some());
    let set = |u: ZapFaultUpdate| sb.set_zap_faults(&zap.serial, &u).unwrap();

    set(ZapFaultUpdate {
        stall: Some(true),
        ..Default::default()
    });
    let e = z.system().await.unwrap_err();
    assert!(matches!(e, Error::Zap(ZapError::Stalled { .. })), "{e:?}");
    assert!(e.to_string().contains("stopped mid-response"));

    set(ZapFaultUpdate {
        stall: Some(false),
        malformed: Some(true),
        ..Default::default()
    });
    let e = z.devices().await.unwrap_err();
    assert!(matches!(e, Error::Zap(ZapError::Malformed { .. })), "{e:?}");

    set(ZapFaultUpdate {
        malformed: Some(false),
        unreachable_secs: Some(30.0),
        ..Default::default()
    });
    let e = z.system().await.unwrap_err();
    assert!(
        matches!(e, Error::Zap(ZapError::Unreachable { .. })),
        "{e:?}"
    );

    set(ZapFaultUpdate {
        unreachable_secs: Some(0.0),
        no_internet: Some(true),
        ..Default::default()
    });
    let net = z.system().await.unwrap().zap.unwrap().network.unwrap();
    assert_eq!(net.internet_connected, Some(false));

    let page = ZapClient::new(&sb.web_pages()[0]).unwrap();
    let e = page.system().await.unwrap_err();
    assert!(matches!(e, Error::Zap(ZapError::WebPage { .. })), "{e:?}");
    sb.shutdown().await;
}
