//! `gateways …`, `devices …` and `ders …`: the installer's objects.

use novacore::models::{Device, NewDer, ProvisionRequest};
use novacore::ZapClient;

use super::done;
use crate::cli::{DersCmd, DevicesCmd, GatewaysCmd};
use crate::connection::Connection;
use crate::error::{file_error, CliError, Result};
use crate::output::{opt, Output, Table};

/// A table of devices with their DERs.
pub fn device_table(list: &[Device]) -> String {
    let mut t = Table::new(&[
        "ID",
        "NAME",
        "TYPE",
        "STATE",
        "HARDWARE ID",
        "GATEWAY",
        "DERS",
    ]);
    for d in list {
        let ders: Vec<String> = d
            .ders
            .iter()
            .map(|der| format!("{} ({})", der.id, der.der_type))
            .collect();
        t.row(vec![
            d.id.clone(),
            opt(&d.name),
            opt(&d.device_type),
            opt(&d.state),
            opt(&d.hardware_id),
            opt(&d.gateway_serial),
            ders.join(", "),
        ]);
    }
    t.render()
}

/// Runs `gateways …`.
pub async fn gateways(cmd: &GatewaysCmd, conn: &Connection, out: Output) -> Result<()> {
    match cmd {
        GatewaysCmd::List { org } => {
            let list = conn.client.gateways().list(org).await?;
            out.emit(&list, || {
                let mut t = Table::new(&["SERIAL", "ORG", "CLAIMED", "LAST SEEN"]);
                for g in &list {
                    t.row(vec![
                        g.serial.clone(),
                        opt(&g.org_id),
                        opt(&g.claimed_at),
                        opt(&g.last_seen),
                    ]);
                }
                t.render()
            })
        }
        GatewaysCmd::Claim { zap, org } => {
            let zap = ZapClient::new(zap)?;
            let outcome = conn.client.claim_gateway(&zap, org).await?;
            let serial = outcome.request.gateway_serial.clone();
            out.emit(&outcome.response, || format!("claimed {serial} into {org}"))
        }
        GatewaysCmd::Release { serial } => {
            conn.client.gateways().release(serial).await?;
            done(out, &format!("released {serial}"))
        }
    }
}

/// Runs `devices …`.
pub async fn devices(cmd: &DevicesCmd, conn: &Connection, out: Output) -> Result<()> {
    let devices = conn.client.devices();
    match cmd {
        DevicesCmd::Provision { file } => {
            let text = std::fs::read_to_string(file).map_err(|e| file_error(file, e))?;
            let req: ProvisionRequest = serde_json::from_str(&text).map_err(|e| {
                CliError::Usage(format!("{}: not a provision request: {e}", file.display()))
            })?;
            // Checked locally first so field errors come before any request.
            novacore::validate::provision(&req)?;
            let resp = devices.provision(&req).await?;
            out.emit(&resp, || {
                let verb = if resp.created {
                    "provisioned"
                } else {
                    "already provisioned:"
                };
                let ders: Vec<String> = resp
                    .ders
                    .iter()
                    .map(|d| format!("{} {} ({})", d.id, d.name, d.der_type))
                    .collect();
                format!("{verb} {}\n{}", resp.device_id, ders.join("\n"))
            })
        }
        DevicesCmd::Get { id } => {
            let d = devices.get(id).await?;
            out.emit(&d, || device_table(std::slice::from_ref(&d)))
        }
        DevicesCmd::Rename { id, name } => {
            devices.rename(id, name).await?;
            done(out, &format!("renamed {id} to {name}"))
        }
        DevicesCmd::Delete { id } => {
            devices.delete(id).await?;
            done(out, &format!("deleted {id}"))
        }
    }
}

/// Runs `ders …`.
pub async fn ders(cmd: &DersCmd, conn: &Connection, out: Output) -> Result<()> {
    let ders = conn.client.ders();
    let der = match cmd {
        DersCmd::Add {
            device,
            name,
            der_type,
        } => {
            let new = NewDer {
                name: name.clone(),
                der_type: der_type.clone(),
            };
            ders.add(device, &new).await?
        }
        DersCmd::Get { id } => ders.get(id).await?,
    };
    out.emit(&der, || {
        let mut t = Table::new(&["ID", "NAME", "TYPE", "DEVICE", "SITE"]);
        t.row(vec![
            der.id.clone(),
            der.name.clone(),
            der.der_type.clone(),
            opt(&der.device_id),
            opt(&der.site_id),
        ]);
        t.render()
    })
}
