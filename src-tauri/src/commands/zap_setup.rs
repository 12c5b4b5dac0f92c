//! Setting up the open Zap on site: its Wi-Fi (scan, join and watch it come back) and its field
//! devices (the Zap's add-device form, add, list, readings, publishing per DER, remove). Talks
//! to the Zap on the LAN only; no sign-in needed.

use std::time::Duration;

use novadesk_core as core;
use tauri::ipc::Channel;

use super::installer::text;
use crate::error::CommandResult;

/// How long the Zap gets to collect a Wi-Fi scan before its list is read.
const SCAN_SETTLE: Duration = Duration::from_secs(2);
/// Most parameters an add-device form sends (the Zap's types have a handful).
const MAX_PARAMS: usize = 32;
/// Longest parameter value (a host name's limit; a password or client id fits).
const MAX_VALUE: usize = 253;
/// Longest Wi-Fi passphrase (64 hex digits).
const MAX_PASSPHRASE: usize = 64;

/// Ask the Zap to scan and list the networks it sees, strongest first.
#[tauri::command]
#[specta::specta]
#[tracing::instrument]
pub async fn scan_zap_wifi(address: String) -> CommandResult<core::WifiScan> {
    let address = text("Zap's address", &address)?;
    Ok(core::scan_wifi(address, SCAN_SETTLE).await?)
}

/// Join the Zap to `ssid`. The passphrase goes to the Zap and nowhere else (not logged, not
/// kept); progress (sending, reconnecting while the Zap is off the network) arrives on
/// `on_progress`; the answer is the network it is back on, or why it did not join.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(passphrase, on_progress))]
pub async fn join_zap_wifi(
    address: String,
    ssid: String,
    passphrase: String,
    on_progress: Channel<core::WifiProgress>,
) -> CommandResult<core::WifiJoined> {
    // Wrapped at once: from here on it prints as <redacted> and is zeroed when dropped.
    let passphrase = core::Secret::from(passphrase);
    let address = text("Zap's address", &address)?;
    let ssid = text("network name", &ssid)?;
    if passphrase.expose().len() > MAX_PASSPHRASE {
        return Err(core::Error::InvalidInput(
            "A Wi-Fi passphrase has at most 63 characters (or 64 hex digits).".into(),
        )
        .into());
    }
    let joined = core::join_wifi(address, ssid, &passphrase, core::WIFI_BACK_WITHIN, |p| {
        // The window may have gone: the join goes on regardless.
        let _ = on_progress.send(p);
    })
    .await?;
    Ok(joined)
}

/// The Zap's add-device form: its connection types, their parameters and the profiles.
#[tauri::command]
#[specta::specta]
#[tracing::instrument]
pub async fn get_zap_device_form(address: String) -> CommandResult<Vec<core::DeviceConnection>> {
    let address = text("Zap's address", &address)?;
    Ok(core::device_form(address).await?)
}

/// The field devices on the Zap.
#[tauri::command]
#[specta::specta]
#[tracing::instrument]
pub async fn get_zap_devices(address: String) -> CommandResult<Vec<core::FieldDevice>> {
    let address = text("Zap's address", &address)?;
    Ok(core::field_devices(address).await?)
}

/// The form's values as sent: bounded, parameter names plain. Values may hold a device's
/// password, so they are checked for size only and never echoed.
fn form_values(values: Vec<(String, String)>) -> CommandResult<Vec<(String, String)>> {
    if values.len() > MAX_PARAMS {
        return Err(core::Error::InvalidInput("That form has too many fields.".into()).into());
    }
    for (name, value) in &values {
        let plain = !name.is_empty()
            && name.len() <= 64
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !plain {
            return Err(core::Error::InvalidInput(
                "A field of the form has a name the Zap does not use.".into(),
            )
            .into());
        }
        if value.len() > MAX_VALUE || value.chars().any(char::is_control) {
            return Err(core::Error::InvalidInput(format!(
                "The value of {name} is too long or has control characters."
            ))
            .into());
        }
    }
    Ok(values)
}

/// Add a field device of `conn_type` with the form's (parameter, text) values; checked before
/// anything is sent. Refusals per field come back as `invalid`.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(values))]
pub async fn add_zap_device(
    address: String,
    conn_type: String,
    values: Vec<(String, String)>,
) -> CommandResult<core::AddDevice> {
    let address = text("Zap's address", &address)?;
    let conn_type = text("connection type", &conn_type)?;
    let values = form_values(values)?;
    Ok(core::add_field_device(address, conn_type, &values).await?)
}

/// The latest readings the Zap holds for its device `sn`.
#[tauri::command]
#[specta::specta]
#[tracing::instrument]
pub async fn get_zap_device_readings(
    address: String,
    sn: String,
) -> CommandResult<core::DeviceReadings> {
    let address = text("Zap's address", &address)?;
    let sn = text("device serial", &sn)?;
    Ok(core::device_readings(address, sn).await?)
}

/// Remove the device `sn` from the Zap (the window asks first).
#[tauri::command]
#[specta::specta]
#[tracing::instrument]
pub async fn remove_zap_device(address: String, sn: String) -> CommandResult<()> {
    let address = text("Zap's address", &address)?;
    let sn = text("device serial", &sn)?;
    Ok(core::remove_field_device(address, sn).await?)
}

/// Switch publishing to Novacore on or off for one DER of device `sn`; the DERs as they are now.
#[tauri::command]
#[specta::specta]
#[tracing::instrument]
pub async fn set_zap_der_publishing(
    address: String,
    sn: String,
    der_type: String,
    on: bool,
) -> CommandResult<Vec<core::DerSwitch>> {
    let address = text("Zap's address", &address)?;
    let sn = text("device serial", &sn)?;
    let der_type = text("DER type", &der_type)?;
    Ok(core::set_der_publishing(address, sn, der_type, on).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_values_are_bounded_and_never_echoed() {
        let ok = vec![("ip".to_string(), "10.0.0.5".to_string())];
        assert_eq!(form_values(ok.clone()).unwrap(), ok);
        let many = vec![("a".to_string(), String::new()); MAX_PARAMS + 1];
        assert!(form_values(many).is_err());
        assert!(form_values(vec![("ip; drop".into(), "x".into())]).is_err());
        let long = form_values(vec![("password".into(), "s3cret".repeat(100))]).unwrap_err();
        assert!(long.message.contains("password") && !long.message.contains("s3cret"));
    }

    #[tokio::test]
    async fn a_passphrase_is_refused_without_being_quoted() {
        let channel = Channel::new(|_| Ok(()));
        let long = "p".repeat(MAX_PASSPHRASE + 1);
        let e = join_zap_wifi("127.0.0.1:9".into(), "Home".into(), long.clone(), channel)
            .await
            .unwrap_err();
        assert!(e.message.contains("at most 63") && !e.message.contains(&long));
    }
}
