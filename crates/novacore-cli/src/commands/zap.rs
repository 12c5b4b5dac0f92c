//! `zap …`: the gateway's local API on the LAN (no Novacore account involved).

use novacore::ZapClient;
use serde_json::json;

use crate::cli::ZapCmd;
use crate::error::Result;
use crate::output::{opt, Output, Table};

/// Runs `zap …`.
pub async fn run(cmd: &ZapCmd, out: Output) -> Result<()> {
    match cmd {
        ZapCmd::Info(t) => {
            let zap = ZapClient::new(&t.zap)?;
            let info = zap.system().await?;
            out.emit(&info, || {
                let z = info.zap.clone().unwrap_or_default();
                let net = z.network.clone().unwrap_or_default();
                format!(
                    "device id:   {}\nfirmware:    {}\npublic key:  {}\nlocal ip:    {}\nwifi:        {}\nuptime (s):  {}",
                    opt(&z.device_id),
                    opt(&z.firmware_version),
                    opt(&z.public_key),
                    opt(&net.local_ip),
                    opt(&net.ssid),
                    opt(&info.uptime_seconds)
                )
            })
        }
        ZapCmd::Wifi(t) => {
            let zap = ZapClient::new(&t.zap)?;
            let wifi = zap.wifi().await?;
            out.emit(&wifi, || {
                let mut text = format!("connected: {}\n", opt(&wifi.connected));
                let mut table = Table::new(&["SSID", "RSSI", "AUTH"]);
                for s in &wifi.ssids {
                    table.row(vec![s.ssid.clone(), opt(&s.rssi), opt(&s.auth)]);
                }
                text.push_str(&table.render());
                text
            })
        }
        ZapCmd::Devices(t) => {
            let zap = ZapClient::new(&t.zap)?;
            let devices = zap.devices().await?;
            out.emit(&devices, || {
                let mut table = Table::new(&["SN", "TYPE", "CONNECTED", "DERS"]);
                for d in &devices {
                    let ders: Vec<String> = d
                        .ders
                        .iter()
                        .map(|x| format!("{}{}", x.der_type, if x.enabled { "" } else { " (off)" }))
                        .collect();
                    table.row(vec![
                        d.sn.clone(),
                        opt(&d.device_type),
                        opt(&d.connected),
                        ders.join(", "),
                    ]);
                }
                table.render()
            })
        }
        ZapCmd::Sign { target, message } => {
            let zap = ZapClient::new(&target.zap)?;
            let crypto = zap.crypto().await?;
            let signed = zap.sign(message.as_deref(), None).await?;
            let value = json!({
                "serial_number": crypto.serial_number,
                "public_key": crypto.public_key,
                "message": signed.message,
                "signature": signed.sign,
            });
            out.emit(&value, || {
                format!(
                    "serial:    {}\npublic key: {}\nmessage:   {}\nsignature: {}",
                    crypto.serial_number, crypto.public_key, signed.message, signed.sign
                )
            })
        }
    }
}
