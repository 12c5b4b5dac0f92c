//! For the secrets-at-rest scans only: with `NOVACORE_SIM_SECRETS_RECORD=<file>` set, every
//! secret this sandbox hands out or knows (session tokens as issued, the Wi-Fi passphrases of its
//! Zaps' networks) is appended to that file, one `kind<TAB>value` a line, so a scan of the
//! client's files afterwards knows what to look for. Unset (always, outside those tests):
//! nothing is written.

use std::io::Write;
use std::sync::Once;

/// The variable naming the record file.
pub const RECORD_ENV: &str = "NOVACORE_SIM_SECRETS_RECORD";

/// Appends `value` as a secret of `kind` when recording is on; a failed write is only logged.
pub fn secret(kind: &str, value: &str) {
    let Some(path) = std::env::var_os(RECORD_ENV) else {
        return;
    };
    static WIFI: Once = Once::new();
    WIFI.call_once(|| {
        for (_, _, _, passphrase) in crate::zap::api::SSIDS {
            if let Some(p) = passphrase {
                append(&path, "wifi", p);
            }
        }
    });
    append(&path, kind, value);
}

fn append(path: &std::ffi::OsStr, kind: &str, value: &str) {
    let line = format!("{kind}\t{value}\n");
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut f| f.write_all(line.as_bytes()));
    if let Err(e) = written {
        tracing::warn!(%e, "could not record a secret for the scan");
    }
}
