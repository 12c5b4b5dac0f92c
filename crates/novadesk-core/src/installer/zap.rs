//! A Zap client for what the installer typed, and the Zap's failures as installer sentences.

use std::time::Duration;

use novacore::zap::{ZapClient, ZapError};

use crate::error::{Error, Result};

/// How long one Zap request may take: a Zap on the LAN answers fast or not at all.
pub(crate) const ZAP_TIMEOUT: Duration = Duration::from_secs(3);

/// A client for `address` (bare IP, `host:port` or URL); a bad address is an input error with
/// the SDK's sentence (what may be typed).
pub(crate) fn client(address: &str) -> Result<ZapClient> {
    ZapClient::with_timeout(address, ZAP_TIMEOUT).map_err(|e| match e {
        novacore::Error::InvalidInput(m) => Error::InvalidInput(m),
        other => Error::Novacore(other),
    })
}

/// A Zap call's failure as the installer reads it. A timeout waiting for the Zap's answer is the
/// Zap's, not the cloud's: it must not read as "the server cannot be reached".
pub(crate) fn failure(zap: &ZapClient) -> impl Fn(novacore::Error) -> Error + '_ {
    move |e| match e {
        novacore::Error::Timeout => Error::Novacore(novacore::Error::Zap(ZapError::Unreachable {
            address: zap.address().to_string(),
            detail: "it accepted the connection but did not answer in time".into(),
        })),
        other => Error::Novacore(other),
    }
}
