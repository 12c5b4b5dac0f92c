//! The Installer view's "Claim selected": many Zaps claimed into one organization, optionally
//! with their field devices provisioned from a template, a few at a time, each Zap's row sent as
//! it ends; `cancel_batch_claim(request_id)` starts no more.

use novadesk_core as core;
use serde::Deserialize;
use specta::Type;
use tauri::ipc::Channel;
use tauri::State;

use super::installer::{id, text};
use super::provision::{DerInput, MAX_DERS};
use crate::error::CommandResult;
use crate::state::AppState;

/// Batches in flight (each can be cancelled from its progress bar).
pub type BatchJobs = super::jobs::Jobs<BatchClaim>;

/// The kind of [`BatchJobs`].
pub struct BatchClaim;

/// Most rules one template may have: one per device profile, far beyond the Zap's profiles.
const MAX_RULES: usize = 32;

/// What every field device of one Zap device profile becomes (`{serial}`, `{sn}` filled in).
#[derive(Debug, Clone, Deserialize, Type)]
pub struct TemplateRuleArgs {
    pub profile: String,
    pub device_type: String,
    pub name: String,
    pub ders: Vec<DerInput>,
}

/// The template: the site, and a rule per device profile.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct TemplateArgs {
    pub site_id: String,
    pub rules: Vec<TemplateRuleArgs>,
}

/// A batch as the window sends it.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct BatchArgs {
    pub addresses: Vec<String>,
    pub org_id: String,
    /// Move Zaps claimed into another of your organizations (the window asked first).
    pub confirm_transfer: bool,
    /// Provision each claimed Zap's field devices; absent: claim only.
    pub provision: Option<TemplateArgs>,
}

fn too_many(what: &str, max: usize) -> core::Error {
    core::Error::InvalidInput(format!("{what}: at most {max}."))
}

impl TemplateRuleArgs {
    fn into_rule(self) -> CommandResult<core::TemplateRule> {
        if self.ders.len() > MAX_DERS {
            return Err(too_many("DERs in a rule", MAX_DERS).into());
        }
        Ok(core::TemplateRule {
            profile: text("device profile", &self.profile)?.to_string(),
            device_type: text("device type", &self.device_type)?.to_string(),
            name: text("device name", &self.name)?.to_string(),
            ders: self
                .ders
                .into_iter()
                .map(|d| {
                    Ok(core::DerChoice {
                        name: text("DER name", &d.name)?.to_string(),
                        der_type: text("DER type", &d.der_type)?.to_string(),
                    })
                })
                .collect::<CommandResult<_>>()?,
        })
    }
}

impl BatchArgs {
    /// Bounded and trimmed (the list's length before each address); the rules of the batch
    /// itself are core's.
    fn into_request(self) -> CommandResult<core::BatchRequest> {
        if self.addresses.len() > core::MAX_BATCH {
            return Err(core::Error::InvalidInput(format!(
                "{} Zaps selected: a batch takes at most {}. Select fewer and run the rest next.",
                self.addresses.len(),
                core::MAX_BATCH
            ))
            .into());
        }
        let addresses = self
            .addresses
            .iter()
            .map(|a| text("Zap's address", a).map(str::to_string))
            .collect::<CommandResult<_>>()?;
        let provision = match self.provision {
            None => None,
            Some(t) => {
                if t.rules.len() > MAX_RULES {
                    return Err(too_many("Rules in a template", MAX_RULES).into());
                }
                Some(core::ProvisionTemplate {
                    site_id: text("site", &t.site_id)?.to_string(),
                    rules: t
                        .rules
                        .into_iter()
                        .map(TemplateRuleArgs::into_rule)
                        .collect::<CommandResult<_>>()?,
                })
            }
        };
        Ok(core::BatchRequest {
            addresses,
            org_id: text("organization", &self.org_id)?.to_string(),
            confirm_transfer: self.confirm_transfer,
            provision,
            concurrency: core::BATCH_CONCURRENCY,
        })
    }
}

/// Claim the Zaps of `batch` into its organization (and provision them from its template), 8 at
/// a time. Each Zap's start and end arrive on `on_update`; the answer is every row.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, jobs, batch, on_update), fields(zaps = batch.addresses.len()))]
pub async fn start_batch_claim(
    state: State<'_, AppState>,
    jobs: State<'_, BatchJobs>,
    batch: BatchArgs,
    request_id: String,
    on_update: Channel<core::BatchUpdate>,
) -> CommandResult<core::BatchReport> {
    let req = batch.into_request()?;
    let request_id = id("request", &request_id)?.to_string();
    let ws = state.connections.workspace().await?;
    let token = jobs.start(&request_id)?;
    let report = core::claim_batch(&ws, &req, &token, |u| {
        if on_update.send(u).is_err() {
            // The window went away: nobody is watching, start no more Zaps.
            token.cancel();
        }
    })
    .await;
    jobs.finish(&request_id, &token);
    Ok(report?)
}

/// Stop the batch with this id from starting more Zaps. `false` if none runs.
#[tauri::command]
#[specta::specta]
pub fn cancel_batch_claim(jobs: State<'_, BatchJobs>, request_id: String) -> CommandResult<bool> {
    jobs.cancel(&request_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> BatchArgs {
        BatchArgs {
            addresses: vec![" 127.0.15.2 ".into(), "127.0.15.3".into()],
            org_id: " org-1 ".into(),
            confirm_transfer: false,
            provision: Some(TemplateArgs {
                site_id: "sit-1".into(),
                rules: vec![TemplateRuleArgs {
                    profile: "sungrow".into(),
                    device_type: "inverter".into(),
                    name: "{serial} inverter".into(),
                    ders: vec![DerInput {
                        name: "{serial}-pv".into(),
                        der_type: "solar".into(),
                    }],
                }],
            }),
        }
    }

    #[test]
    fn the_batch_is_trimmed_and_bounded() {
        let req = args().into_request().unwrap();
        assert_eq!(req.addresses, ["127.0.15.2", "127.0.15.3"]);
        assert_eq!(req.org_id, "org-1");
        assert_eq!(req.concurrency, core::BATCH_CONCURRENCY);
        let t = req.provision.unwrap();
        assert_eq!(t.rules[0].ders[0].name, "{serial}-pv");

        let mut many = args();
        many.addresses = vec!["127.0.15.2".into(); core::MAX_BATCH + 1];
        assert!(many
            .into_request()
            .unwrap_err()
            .message
            .contains("at most 256"));
        let mut bad = args();
        bad.addresses[1] = "a\nb".into();
        assert!(bad.into_request().is_err());
        let mut empty = args();
        empty.addresses[0] = " ".into();
        assert!(empty
            .into_request()
            .unwrap_err()
            .message
            .contains("Enter the Zap's address"));
        let mut ders = args();
        ders.provision.as_mut().unwrap().rules[0].ders = (0..=MAX_DERS)
            .map(|i| DerInput {
                name: format!("d{i}"),
                der_type: "meter".into(),
            })
            .collect();
        assert!(ders.into_request().unwrap_err().message.contains("at most"));
    }
}
