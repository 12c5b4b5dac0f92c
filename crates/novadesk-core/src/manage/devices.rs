//! Devices and their DERs.

use novacore::models::NewDer;

use crate::browse::{edit_set, kind, read_one, refusal, DerRow, DeviceRow};
use crate::error::{Error, Result};
use crate::workspace::Workspace;

use super::{checked_id, checked_name};

/// The device's cached row, for its site id.
fn cached(ws: &Workspace, device_id: &str) -> Result<Option<DeviceRow>> {
    Ok(read_one::<DeviceRow>(ws, kind::DEVICE, device_id)?.map(|c| c.value))
}

/// Applies `edit` to the cached copy of the device in its site's list.
fn edit_device(
    ws: &Workspace,
    site_id: &str,
    device_id: &str,
    edit: impl Fn(&mut DeviceRow),
) -> Result<()> {
    edit_set(
        ws,
        kind::DEVICE,
        site_id,
        |d: &DeviceRow| &d.id,
        |rows| {
            rows.iter_mut()
                .filter(|d| d.id == device_id)
                .for_each(&edit)
        },
    )
}

/// Renames a device (admin).
pub async fn rename_device(ws: &Workspace, device_id: &str, name: &str) -> Result<()> {
    checked_id("device", device_id)?;
    let name = checked_name("device", name)?;
    ws.novacore(async |c| c.devices().rename(device_id, &name).await)
        .await
        .map_err(refusal("rename this device", "This device"))?;
    if let Some(site) = cached(ws, device_id)?.and_then(|d| d.site_id) {
        edit_device(ws, &site, device_id, |d| d.name = Some(name.clone()))?;
    }
    Ok(())
}

/// Deletes a device (admin) and removes it from its site's cached list.
pub async fn delete_device(ws: &Workspace, device_id: &str) -> Result<()> {
    checked_id("device", device_id)?;
    let site = cached(ws, device_id)?.and_then(|d| d.site_id);
    ws.novacore(async |c| c.devices().delete(device_id).await)
        .await
        .map_err(refusal("delete this device", "This device"))?;
    if let Some(site) = site {
        edit_set(
            ws,
            kind::DEVICE,
            &site,
            |d: &DeviceRow| &d.id,
            |rows| rows.retain(|d| d.id != device_id),
        )?;
    }
    Ok(())
}

/// Adds a DER to a device (admin). `der_type` is one of the platform's DER types (`solar`,
/// `battery`, `meter`, `ev_charger`, …); the name follows the platform's rules.
pub async fn add_der(
    ws: &Workspace,
    device_id: &str,
    name: &str,
    der_type: &str,
) -> Result<DerRow> {
    checked_id("device", device_id)?;
    let name = checked_name("DER", name)?;
    let der_type = der_type.trim();
    if der_type.is_empty() {
        return Err(Error::InvalidInput("Choose the DER's type.".into()));
    }
    let der = NewDer {
        name,
        der_type: der_type.to_string(),
    };
    let created = ws
        .novacore(async |c| c.devices().add_der(device_id, &der).await)
        .await
        .map_err(refusal("add DERs to this device", "This device"))?;
    let row = DerRow::from(created);
    if let Some(site) = cached(ws, device_id)?.and_then(|d| d.site_id) {
        edit_device(ws, &site, device_id, |d| {
            d.ders.retain(|x| x.id != row.id);
            d.ders.push(row.clone());
        })?;
    }
    Ok(row)
}
