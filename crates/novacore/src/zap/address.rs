//! What an installer may type for a Zap: a bare IP, `host:port`, or an `http(s)://` URL.

use std::net::IpAddr;
use url::Url;

use crate::error::{Error, Result};

/// The base URL (`scheme://host[:port]/`) for what was typed; plain http only to private,
/// link-local and loopback addresses and `.local` names, https anywhere.
pub fn zap_base_url(input: &str) -> Result<Url> {
    let text = input.trim();
    let bad = |why: &str| {
        Error::InvalidInput(format!(
            "`{text}` is not a Zap address ({why}): type its IP address (e.g. 192.168.1.100), \
             host:port, or an http:// URL"
        ))
    };
    if text.is_empty() {
        return Err(bad("empty"));
    }
    let with_scheme = if text.contains("://") {
        text.to_string()
    } else if let Ok(IpAddr::V6(v6)) = text.parse::<IpAddr>() {
        format!("http://[{v6}]")
    } else {
        format!("http://{text}")
    };
    let mut url = Url::parse(&with_scheme).map_err(|e| bad(&e.to_string()))?;
    match url.scheme() {
        "https" => {}
        "http" if is_lan(&url) => {}
        "http" => {
            return Err(Error::InvalidInput(format!(
                "refusing plain http to {text}: only private, link-local or loopback addresses"
            )))
        }
        s => return Err(Error::InvalidInput(format!("unsupported URL scheme {s}"))),
    }
    // A pasted `http://10.0.0.5/api/system` still means the Zap at 10.0.0.5.
    url.set_path("/");
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

/// `host[:port]` of a base URL, for messages.
pub fn display_address(url: &Url) -> String {
    let host = match url.host() {
        Some(url::Host::Ipv6(v6)) => format!("[{v6}]"),
        Some(h) => h.to_string(),
        None => String::new(),
    };
    match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    }
}

fn is_lan(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => is_lan_ip(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => is_lan_ip(IpAddr::V6(ip)),
        Some(url::Host::Domain(d)) => {
            let d = d.to_ascii_lowercase();
            d == "localhost" || d.ends_with(".local")
        }
        None => false,
    }
}

/// Private, link-local or loopback.
pub fn is_lan_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_private() || v4.is_link_local() || v4.is_loopback(),
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback() || (first & 0xffc0) == 0xfe80 || (first & 0xfe00) == 0xfc00
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Zap's local API is plain http on the installer's own network; a public address would
    /// send it across the internet in clear, so plain http goes only to private, link-local and
    /// loopback addresses (and `.local` names), https anywhere.
    #[test]
    fn plain_http_only_to_private_link_local_and_loopback() {
        for (typed, allowed) in [
            ("127.0.0.1", true),
            ("127.200.0.9:8080", true),
            ("10.0.0.1", true),
            ("10.255.255.255", true),
            ("172.16.0.1", true),
            ("172.31.255.254", true),
            ("192.168.1.100", true),
            ("169.254.10.20", true),
            ("::1", true),
            ("fe80::1", true),
            ("http://[febf::1]", true),
            ("fd12:3456::1", true),
            ("fc00::1", true),
            ("zap-1234.local", true),
            ("localhost:8080", true),
            ("https://203.0.113.7", true),
            ("https://zap.example.test", true),
            ("8.8.8.8", false),
            ("203.0.113.7", false),
            ("172.15.255.255", false),
            ("172.32.0.1", false),
            ("192.169.0.1", false),
            ("100.64.0.1", false),
            ("0.0.0.0", false),
            ("255.255.255.255", false),
            ("2001:db8::1", false),
            ("fec0::1", false),
            ("::ffff:8.8.8.8", false),
            ("zap.example.test", false),
            ("http://local", false),
            ("http://zap.local.example.test", false),
        ] {
            match zap_base_url(typed) {
                Ok(url) => assert!(allowed, "{typed} was allowed as {url}"),
                Err(Error::InvalidInput(why)) => {
                    assert!(!allowed, "{typed} was refused: {why}");
                    assert!(why.contains("refusing plain http"), "{typed}: {why}");
                }
                Err(other) => panic!("{typed}: {other:?}"),
            }
        }
    }

    #[test]
    fn bare_ip_host_port_and_urls_are_accepted() {
        for (typed, base) in [
            ("192.168.1.100", "http://192.168.1.100/"),
            (" 10.0.0.5:8080 ", "http://10.0.0.5:8080/"),
            ("zap.local", "http://zap.local/"),
            ("fe80::1", "http://[fe80::1]/"),
            ("http://127.0.0.2/api/system?x=1", "http://127.0.0.2/"),
            ("https://zap.example.com", "https://zap.example.com/"),
        ] {
            assert_eq!(zap_base_url(typed).unwrap().as_str(), base, "{typed}");
        }
        assert_eq!(
            display_address(&zap_base_url("127.0.0.2:8080").unwrap()),
            "127.0.0.2:8080"
        );
        for bad in [
            "",
            "8.8.8.8",
            "http://example.com",
            "ftp://10.0.0.1",
            "10.0.0.5:99999",
        ] {
            let e = zap_base_url(bad).unwrap_err();
            assert!(matches!(e, Error::InvalidInput(_)), "{bad}");
            assert!(!e.to_string().contains("relative URL"), "{e}");
        }
    }
}
