//! The installer's journal: the cloud steps that wait for Novacore (listed in the Installer's
//! "Waiting for the cloud" panel, counted in the status bar), and the installer's decisions on
//! refused ones (retry, edit, drop). Replaying is core's, started by the connection's reconnect
//! loop.

use novadesk_core as core;
use tauri::State;

use super::installer::text;
use super::provision::{optional, MAX_DERS};
use crate::error::CommandResult;
use crate::state::AppState;

/// Every journal item, oldest first (queued, done and refused ones).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn get_installer_journal(
    state: State<'_, AppState>,
) -> CommandResult<Vec<core::JournalItem>> {
    let ws = state.connections.workspace().await?;
    Ok(core::journal(&ws)?)
}

/// How many items wait for the cloud and how many for a decision (the status bar polls it).
#[tauri::command]
#[specta::specta]
pub async fn get_journal_counts(state: State<'_, AppState>) -> CommandResult<core::JournalCounts> {
    let ws = state.connections.workspace().await?;
    Ok(core::journal_counts(&ws)?)
}

/// Put a refused item back in the queue and replay now (reading the platform before sending);
/// the journal as it then stands.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn retry_journal_item(
    state: State<'_, AppState>,
    id: u32,
) -> CommandResult<Vec<core::JournalItem>> {
    let ws = state.connections.workspace().await?;
    core::retry_item(&ws, id)?;
    core::replay(&ws).await?;
    Ok(core::journal(&ws)?)
}

/// Give up an item that is not done (nothing more is sent for it); the journal as it then stands.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn drop_journal_item(
    state: State<'_, AppState>,
    id: u32,
) -> CommandResult<Vec<core::JournalItem>> {
    let ws = state.connections.workspace().await?;
    core::drop_item(&ws, id)?;
    Ok(core::journal(&ws)?)
}

/// The edit form of a refused item: what it is now, and (provisioning) the sites and device
/// types it may take.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn get_journal_edit_form(
    state: State<'_, AppState>,
    id: u32,
) -> CommandResult<core::JournalEditForm> {
    let ws = state.connections.workspace().await?;
    Ok(core::journal_edit_form(&ws, id).await?)
}

/// Replace a refused item's step with the installer's corrected one (checked like the claim and
/// provisioning forms), then replay now; the journal as it then stands.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, edit))]
pub async fn edit_journal_item(
    state: State<'_, AppState>,
    id: u32,
    edit: core::JournalEdit,
) -> CommandResult<Vec<core::JournalItem>> {
    let edit = bounded(edit)?;
    let ws = state.connections.workspace().await?;
    core::edit_item(&ws, id, &edit).await?;
    core::replay(&ws).await?;
    Ok(core::journal(&ws)?)
}

/// Trimmed and bounded like the forms' own fields; the rules of the fields are core's.
fn bounded(edit: core::JournalEdit) -> CommandResult<core::JournalEdit> {
    Ok(match edit {
        core::JournalEdit::Claim {
            org_id,
            confirm_transfer,
        } => core::JournalEdit::Claim {
            org_id: text("organization", &org_id)?.to_string(),
            confirm_transfer,
        },
        core::JournalEdit::Provision {
            site_id,
            device_type,
            name,
            manufacturer,
            model,
            ders,
        } => {
            if ders.len() > MAX_DERS {
                return Err(core::Error::InvalidInput(format!(
                    "A device has at most {MAX_DERS} DERs here; remove some."
                ))
                .into());
            }
            core::JournalEdit::Provision {
                site_id: text("site", &site_id)?.to_string(),
                device_type: text("device type", &device_type)?.to_string(),
                name: optional("device name", name)?,
                manufacturer: optional("manufacturer", manufacturer)?,
                model: optional("model", model)?,
                ders: ders
                    .into_iter()
                    .map(|d| {
                        Ok(core::DerChoice {
                            name: text("DER name", &d.name)?.to_string(),
                            der_type: text("DER type", &d.der_type)?.to_string(),
                        })
                    })
                    .collect::<CommandResult<Vec<_>>>()?,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_are_trimmed_and_bounded() {
        let edit = bounded(core::JournalEdit::Provision {
            site_id: " site-1 ".into(),
            device_type: "inverter".into(),
            name: Some("  ".into()),
            manufacturer: None,
            model: Some(" SH10RT ".into()),
            ders: vec![core::DerChoice {
                name: " pv ".into(),
                der_type: "solar".into(),
            }],
        })
        .unwrap();
        let core::JournalEdit::Provision {
            site_id,
            name,
            model,
            ders,
            ..
        } = edit
        else {
            panic!("{edit:?}")
        };
        assert_eq!(
            (
                site_id.as_str(),
                name,
                model.as_deref(),
                ders[0].name.as_str()
            ),
            ("site-1", None, Some("SH10RT"), "pv")
        );
        let too_many = core::JournalEdit::Provision {
            site_id: "s".into(),
            device_type: "inverter".into(),
            name: None,
            manufacturer: None,
            model: None,
            ders: vec![
                core::DerChoice {
                    name: "d".into(),
                    der_type: "solar".into()
                };
                MAX_DERS + 1
            ],
        };
        assert!(bounded(too_many).unwrap_err().message.contains("at most"));
        let blank = core::JournalEdit::Claim {
            org_id: " ".into(),
            confirm_transfer: false,
        };
        assert!(bounded(blank)
            .unwrap_err()
            .message
            .contains("Enter the organization"));
    }
}
