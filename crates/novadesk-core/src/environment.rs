//! [`Environment`]: which Novacore the app talks to — the in-process Sandbox, Testnet, Mainnet
//! or a custom URL — with ids, names, base URLs and the URL rule.

use std::fmt;
use std::str::FromStr;

use novacore::client::{check_transport, TransportRefusal};
// The SDK owns the presets' URLs; the app names the same two.
pub use novacore::{MAINNET_URL, TESTNET_URL};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use url::Url;

use crate::error::{Error, Result};

/// A Novacore deployment the app can sign in to.
///
/// Serialized (settings, events) as its CLI string: `sandbox`, `testnet`, `mainnet` or the URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Environment {
    /// `novacore-sim` started in-process on loopback (demo world, no control routes).
    Sandbox,
    /// [`TESTNET_URL`].
    Testnet,
    /// [`MAINNET_URL`].
    Mainnet,
    /// Any other deployment; holds a URL that passed [`Environment::custom`].
    Custom(Url),
}

impl Environment {
    /// The three built-in environments, in the order the UI lists them.
    pub const PRESETS: [Environment; 3] = [Self::Sandbox, Self::Testnet, Self::Mainnet];

    /// Parses the CLI form: `sandbox`, `testnet`, `mainnet` (any case, surrounding blanks
    /// ignored) or a URL, which must pass [`Environment::custom`].
    pub fn parse(input: &str) -> Result<Self> {
        match input.trim().to_ascii_lowercase().as_str() {
            "sandbox" => Ok(Self::Sandbox),
            "testnet" => Ok(Self::Testnet),
            "mainnet" => Ok(Self::Mainnet),
            _ => Self::custom(input),
        }
    }

    /// A custom environment from a URL: `https://…`, or `http://…` only on a loopback host
    /// (`127.0.0.0/8`, `::1`, `localhost`) — the SDK's [`check_transport`] rule.
    /// No credentials, query or fragment; a trailing `/` is dropped. The URL of a preset gives
    /// that preset, so its identity is found under the same keychain account.
    pub fn custom(input: &str) -> Result<Self> {
        let input = input.trim();
        let refuse = |reason: &str| Error::InvalidEnvironment {
            input: input.to_owned(),
            reason: reason.to_owned(),
        };
        let mut url = Url::parse(input).map_err(|_| {
            refuse(
                "expected sandbox, testnet, mainnet or a URL such as https://novacore.example.com",
            )
        })?;
        match check_transport(&url) {
            Ok(()) => {}
            Err(TransportRefusal::PlainHttp) => {
                return Err(refuse(
                    "plain http is only allowed on this computer (127.0.0.1, ::1, localhost); use https",
                ))
            }
            Err(TransportRefusal::Scheme) => {
                return Err(refuse("only https:// (or http:// on loopback) URLs are supported"))
            }
        }
        if url.host().is_none() {
            return Err(refuse("the URL has no host"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(refuse("the URL must not contain a user name or password"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(refuse(
                "the URL must not contain a query (?…) or fragment (#…)",
            ));
        }
        let path = url.path().trim_end_matches('/').to_owned();
        url.set_path(&path);
        let normalized = base_url_of(&url);
        Ok(match normalized.as_str() {
            TESTNET_URL => Self::Testnet,
            MAINNET_URL => Self::Mainnet,
            _ => Self::Custom(url),
        })
    }

    /// Stable id used in keychain accounts and settings: `sandbox`, `testnet`, `mainnet`,
    /// or `custom:<base URL>`.
    pub fn id(&self) -> String {
        match self {
            Self::Custom(url) => format!("custom:{}", base_url_of(url)),
            other => other.to_string(),
        }
    }

    /// Name for people: `Sandbox`, `Testnet`, `Mainnet`, or `Custom (host[:port])`.
    pub fn display_name(&self) -> String {
        match self {
            Self::Sandbox => "Sandbox".into(),
            Self::Testnet => "Testnet".into(),
            Self::Mainnet => "Mainnet".into(),
            Self::Custom(url) => {
                let host = url.host_str().unwrap_or_default();
                match url.port() {
                    Some(port) => format!("Custom ({host}:{port})"),
                    None => format!("Custom ({host})"),
                }
            }
        }
    }

    /// The base URL (no trailing slash), or `None` for the Sandbox, whose URL is only known
    /// once it runs (see [`crate::SandboxService::base_url_for`]).
    pub fn fixed_base_url(&self) -> Option<String> {
        match self {
            Self::Sandbox => None,
            Self::Testnet => Some(TESTNET_URL.into()),
            Self::Mainnet => Some(MAINNET_URL.into()),
            Self::Custom(url) => Some(base_url_of(url)),
        }
    }

    /// Whether this is the in-process Sandbox.
    pub fn is_sandbox(&self) -> bool {
        matches!(self, Self::Sandbox)
    }
}

/// The URL as the SDK wants it: no trailing slash.
fn base_url_of(url: &Url) -> String {
    url.as_str().trim_end_matches('/').to_owned()
}

/// The CLI form: `sandbox`, `testnet`, `mainnet` or the base URL.
impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sandbox => f.write_str("sandbox"),
            Self::Testnet => f.write_str("testnet"),
            Self::Mainnet => f.write_str("mainnet"),
            Self::Custom(url) => f.write_str(&base_url_of(url)),
        }
    }
}

impl FromStr for Environment {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Self::parse(s)
    }
}

impl Serialize for Environment {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Environment {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(input: &str) -> String {
        match Environment::parse(input) {
            Err(Error::InvalidEnvironment { reason, .. }) => reason,
            other => panic!("{input:?} accepted: {other:?}"),
        }
    }

    #[test]
    fn presets_parse_by_name_in_any_case() {
        assert_eq!(Environment::parse("sandbox").unwrap(), Environment::Sandbox);
        assert_eq!(
            Environment::parse(" TestNet ").unwrap(),
            Environment::Testnet
        );
        assert_eq!(
            "mainnet".parse::<Environment>().unwrap(),
            Environment::Mainnet
        );
    }

    #[test]
    fn ids_names_and_urls() {
        let e = Environment::Testnet;
        assert_eq!(
            (e.id(), e.display_name()),
            ("testnet".into(), "Testnet".into())
        );
        assert_eq!(
            e.fixed_base_url().as_deref(),
            Some("https://novacore-testnet.sourceful.dev")
        );
        assert_eq!(
            Environment::Mainnet.fixed_base_url().as_deref(),
            Some("https://novacore-mainnet.sourceful.dev")
        );
        assert_eq!(Environment::Sandbox.fixed_base_url(), None);
        assert!(Environment::Sandbox.is_sandbox());
        let c = Environment::parse("https://nc.example.com:8443/api/").unwrap();
        assert_eq!(c.id(), "custom:https://nc.example.com:8443/api");
        assert_eq!(c.display_name(), "Custom (nc.example.com:8443)");
        assert_eq!(
            c.fixed_base_url().as_deref(),
            Some("https://nc.example.com:8443/api")
        );
        assert_eq!(c.to_string(), "https://nc.example.com:8443/api");
        let root = Environment::parse("https://nc.example.com/").unwrap();
        assert_eq!(
            root.fixed_base_url().as_deref(),
            Some("https://nc.example.com")
        );
        assert_eq!(root.display_name(), "Custom (nc.example.com)");
    }

    #[test]
    fn http_only_on_loopback() {
        for ok in [
            "http://127.0.0.1:41234",
            "http://127.8.9.10",
            "http://[::1]:8080/",
            "http://localhost:3000",
            "http://LOCALHOST",
        ] {
            let e = Environment::parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
            assert!(matches!(e, Environment::Custom(_)));
        }
        assert!(reason("http://nc.example.com").contains("use https"));
        assert!(reason("http://192.168.1.10:8080").contains("use https"));
        assert!(reason("http://localhost.evil.example").contains("use https"));
    }

    #[test]
    fn other_bad_inputs_are_refused_with_reasons() {
        assert!(reason("staging").contains("expected sandbox, testnet, mainnet"));
        assert!(reason("").contains("expected"));
        assert!(reason("ftp://nc.example.com").contains("only https://"));
        assert!(reason("file:///etc/passwd").contains("only https://"));
        assert!(reason("https://user:pw@nc.example.com").contains("user name or password"));
        assert!(reason("https://nc.example.com/?token=x").contains("query"));
        assert!(reason("https://nc.example.com/#x").contains("fragment"));
    }

    #[test]
    fn a_preset_url_is_the_preset() {
        assert_eq!(
            Environment::parse("https://novacore-testnet.sourceful.dev/").unwrap(),
            Environment::Testnet
        );
        assert_eq!(
            Environment::custom(MAINNET_URL).unwrap(),
            Environment::Mainnet
        );
    }

    #[test]
    fn serde_uses_the_cli_string_and_round_trips() {
        for e in [
            Environment::Sandbox,
            Environment::Testnet,
            Environment::Mainnet,
            Environment::parse("http://127.0.0.1:9000/base").unwrap(),
        ] {
            let json = serde_json::to_string(&e).unwrap();
            assert_eq!(json, format!("\"{e}\""));
            assert_eq!(serde_json::from_str::<Environment>(&json).unwrap(), e);
            assert_eq!(Environment::parse(&e.to_string()).unwrap(), e);
        }
        assert!(serde_json::from_str::<Environment>("\"http://evil.example\"").is_err());
    }
}
