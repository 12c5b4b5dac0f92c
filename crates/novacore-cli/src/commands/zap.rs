//! `zap …`: the gateway's local API on the LAN (no Novacore account involved).

use std::time::Duration;

use novacore::zap::discovery::{self, FoundZap, Ipv4Net, MdnsBrowser, MdnsEvent, MdnsOptions};
use novacore::zap::{ConnectionType, ZapDevice};
use novacore::{Secret, ZapClient};
use serde_json::{json, Map, Value};

use super::done;
use crate::cli::{DiscoverArgs, OnOff, WifiCmd, ZapCmd, ZapDevicesCmd};
use crate::error::{CliError, Result};
use crate::output::{opt, Output, Table};

fn need_zap(zap: &Option<String>, what: &str) -> Result<ZapClient> {
    let addr = zap
        .as_deref()
        .ok_or_else(|| CliError::Usage(format!("zap {what}: --zap ADDRESS is required")))?;
    Ok(ZapClient::new(addr)?)
}

/// Runs `zap …`.
pub async fn run(cmd: &ZapCmd, out: Output) -> Result<()> {
    match cmd {
        ZapCmd::Discover(a) => discover(a, out).await,
        ZapCmd::Info(t) => {
            let zap = ZapClient::new(&t.zap)?;
            let info = zap.system().await?;
            discovery::require_zap(&zap, &info)?;
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
        ZapCmd::Wifi(w) => match &w.cmd {
            None => {
                let zap = need_zap(&w.zap, "wifi")?;
                let wifi = zap.wifi().await?;
                out.emit(&wifi, || {
                    let mut text = format!("connected: {}\n", opt(&wifi.connected));
                    text.push_str(&ssid_table(&wifi.by_signal()));
                    text
                })
            }
            Some(WifiCmd::Scan { target, settle }) => {
                let zap = ZapClient::new(&target.zap)?;
                let list = zap
                    .scan_networks(Duration::from_secs_f64(settle.clamp(0.0, 30.0)))
                    .await?;
                out.emit(&list, || ssid_table(&list))
            }
            Some(WifiCmd::Set {
                target,
                ssid,
                psk_stdin,
                wait,
            }) => {
                let zap = ZapClient::new(&target.zap)?;
                let psk = passphrase(*psk_stdin)?;
                zap.set_wifi(ssid, &psk).await?;
                let limit = Duration::from_secs_f64(wait.clamp(0.0, 600.0));
                let (sys, waited) = zap.wait_back(limit, |_| {}).await?;
                let net = sys.zap.and_then(|z| z.network).unwrap_or_default();
                let value = json!({"ssid": net.ssid, "rssi": net.rssi, "back_after_ms": waited.as_millis() as u64});
                if net.ssid.as_deref() != Some(ssid.as_str()) {
                    return Err(CliError::Usage(format!(
                        "the Zap came back on {} instead of {ssid}: check the passphrase and that {ssid} is in range",
                        opt(&net.ssid)
                    )));
                }
                out.emit(&value, || {
                    format!(
                        "joined {ssid} (signal {} dBm); the Zap was back after {:.1} s",
                        opt(&net.rssi),
                        waited.as_secs_f64()
                    )
                })
            }
        },
        ZapCmd::Devices(d) => match &d.cmd {
            None => {
                let zap = need_zap(&d.zap, "devices")?;
                let devices = zap.devices().await?;
                out.emit(&devices, || device_table(&devices))
            }
            Some(ZapDevicesCmd::Types(t)) => {
                let zap = ZapClient::new(&t.zap)?;
                let types = zap.device_types().await?;
                out.emit(&types, || {
                    let mut table =
                        Table::new(&["TYPE", "PARAMETER", "KIND", "REQUIRED", "DEFAULT"]);
                    for t in &types {
                        for p in &t.parameters {
                            table.row(vec![
                                t.conn_type.clone(),
                                p.name.clone(),
                                opt(&p.param_type),
                                if p.required { "yes" } else { "" }.into(),
                                opt(&p.default),
                            ]);
                        }
                    }
                    table.render()
                })
            }
            Some(ZapDevicesCmd::Add {
                target,
                conn_type,
                params,
            }) => {
                let zap = ZapClient::new(&target.zap)?;
                let types = zap.device_types().await?;
                let ty = types
                    .iter()
                    .find(|t| t.conn_type == *conn_type)
                    .ok_or_else(|| {
                        let known: Vec<_> = types.iter().map(|t| t.conn_type.as_str()).collect();
                        CliError::Usage(format!(
                            "this Zap has no connection type {conn_type} (it has: {})",
                            known.join(", ")
                        ))
                    })?;
                let config = build_config(ty, params)?;
                let errs = ty.check(&config);
                if !errs.is_empty() {
                    return Err(novacore::Error::local_validation(errs).into());
                }
                let added = zap.add_device(&Value::Object(config)).await?;
                out.emit(&added, || {
                    let ders: Vec<_> = added.ders.iter().map(|d| d.der_type.clone()).collect();
                    format!(
                        "added {} (DERs: {}; publishing off until `zap publish on`)",
                        added.sn,
                        ders.join(", ")
                    )
                })
            }
            Some(ZapDevicesCmd::Remove { target, sn }) => {
                ZapClient::new(&target.zap)?.remove_device(sn).await?;
                done(out, &format!("removed {sn}"))
            }
            Some(ZapDevicesCmd::Data { target, sn }) => {
                let snap = ZapClient::new(&target.zap)?.device_data(sn).await?;
                out.emit(&snap, || match &snap {
                    None => format!("{sn}: no data yet"),
                    Some(s) => serde_json::to_string_pretty(&s.ders).unwrap_or_default(),
                })
            }
        },
        ZapCmd::Publish {
            state,
            target,
            sn,
            ders,
        } => {
            let zap = ZapClient::new(&target.zap)?;
            let on = *state == OnOff::On;
            let only: Vec<&str> = ders.iter().map(String::as_str).collect();
            let switched = zap
                .publish(sn, on, (!only.is_empty()).then_some(only.as_slice()))
                .await?;
            let value = json!({"sn": sn, "enabled": on, "ders": switched});
            out.emit(&value, || {
                format!(
                    "{sn}: publishing {} for {}",
                    if on { "on" } else { "off" },
                    switched.join(", ")
                )
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

fn ssid_table(list: &[novacore::zap::Ssid]) -> String {
    let mut table = Table::new(&["SSID", "RSSI", "SIGNAL", "AUTH"]);
    for s in list {
        let q = s
            .rssi
            .map(|r| format!("{:?}", novacore::zap::SignalQuality::from_rssi(r)).to_lowercase());
        table.row(vec![s.ssid.clone(), opt(&s.rssi), opt(&q), opt(&s.auth)]);
    }
    table.render()
}

fn device_table(devices: &[ZapDevice]) -> String {
    let mut table = Table::new(&["SN", "TYPE", "CONNECTED", "DERS"]);
    for d in devices {
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
}

/// The passphrase, wrapped at once so it is never printed.
fn passphrase(from_stdin: bool) -> Result<Secret> {
    let text = if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(|e| CliError::Usage(format!("cannot read the passphrase from stdin: {e}")))?;
        line.trim_end_matches(['\r', '\n']).to_string()
    } else {
        std::env::var("NOVACORE_WIFI_PSK").map_err(|_| {
            CliError::Usage(
                "the Wi-Fi passphrase comes from NOVACORE_WIFI_PSK or --psk-stdin".into(),
            )
        })?
    };
    Ok(Secret::new(text))
}

/// Polls `/api/system` until the Zap answers again after a Wi-Fi change.
/// `KEY=VALUE` pairs typed by the Zap's parameter list (the SDK's rule).
fn build_config(ty: &ConnectionType, params: &[String]) -> Result<Map<String, Value>> {
    let pairs = params
        .iter()
        .map(|p| {
            p.split_once('=')
                .ok_or_else(|| CliError::Usage(format!("`{p}`: parameters are KEY=VALUE")))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(ty.config_from_text(pairs))
}

async fn discover(a: &DiscoverArgs, out: Output) -> Result<()> {
    let mut rows: Vec<FoundZap> = Vec::new();
    let sweep = if a.no_sweep {
        None
    } else {
        let nets = if a.subnet.is_empty() {
            discovery::local_networks()?
        } else {
            a.subnet
                .iter()
                .map(|s| Ipv4Net::parse(s))
                .collect::<novacore::Result<Vec<_>>>()?
        };
        let hosts: Vec<_> = nets.iter().flat_map(|n| n.hosts()).collect();
        let opts = discovery::SweepOptions {
            port: a.port,
            timeout: Duration::from_millis(a.probe_timeout_ms.max(1)),
            ..Default::default()
        };
        Some(discovery::Sweep::start(hosts, opts)?)
    };
    let browse = async {
        let mut found = Vec::new();
        if a.no_mdns {
            return Ok::<_, CliError>(found);
        }
        let mut b = MdnsBrowser::start(MdnsOptions {
            loopback_only: a.mdns_loopback,
            ..Default::default()
        })?;
        let until =
            tokio::time::Instant::now() + Duration::from_secs_f64(a.timeout.clamp(0.0, 300.0));
        while let Ok(Some(ev)) = tokio::time::timeout_at(until, b.next_event()).await {
            if let MdnsEvent::Found(z) = ev {
                found.push(z);
            }
        }
        Ok(found)
    };
    let swept = async {
        match sweep {
            Some(s) => s.finish().await.zaps,
            None => Vec::new(),
        }
    };
    let (mdns, swept) = tokio::join!(browse, swept);
    rows.extend(swept);
    for z in mdns? {
        let Some(url) = z.url() else { continue };
        if let Some(row) = rows.iter_mut().find(|r| r.url == url) {
            row.name = Some(z.instance.clone());
            continue;
        }
        if let Ok(client) = ZapClient::new(&url) {
            if let Ok(mut row) = discovery::inspect(&client, discovery::FoundBy::Mdns).await {
                row.name = Some(z.instance.clone());
                rows.push(row);
            }
        }
    }
    out.emit(&rows, || {
        if rows.is_empty() {
            return "no Zap found".into();
        }
        let mut t = Table::new(&[
            "SERIAL", "NAME", "FIRMWARE", "ADDRESS", "WIFI", "SIGNAL", "DEVICES", "FOUND BY",
        ]);
        for r in &rows {
            t.row(vec![
                opt(&r.serial),
                opt(&r.name),
                opt(&r.firmware),
                r.address.clone(),
                opt(&r.ssid),
                opt(&r.rssi.map(|x| format!("{x} dBm"))),
                opt(&r.devices),
                format!("{:?}", r.found_by).to_lowercase(),
            ]);
        }
        t.render()
    })
}
