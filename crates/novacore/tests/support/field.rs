//! Zaps "like the field": one port on consecutive loopback addresses.
#![allow(dead_code)]

use std::net::Ipv4Addr;

/// Port 80 (the field's) when it can be bound here — as root, as CI runs — else a port free now;
/// says which.
pub fn field_port(first: Ipv4Addr) -> u16 {
    if std::net::TcpListener::bind((first, 80)).is_ok() {
        eprintln!("serving the sandbox Zaps on port 80, like the field");
        return 80;
    }
    let port = std::net::TcpListener::bind((first, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port");
    eprintln!("port 80 cannot be bound here (not root?): serving the sandbox Zaps on {port}");
    port
}
