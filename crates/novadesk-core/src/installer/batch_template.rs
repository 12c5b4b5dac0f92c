//! A batch's provisioning template: one rule per Zap device profile (`sungrow`, `p1` …) saying
//! what each such field device becomes on the chosen site: its device type, name and DERs, with
//! `{serial}` (the Zap's) and `{sn}` (the field device's) filled in per device. Explicit on
//! purpose: a device whose profile has no rule is left alone, and says so.

use std::collections::BTreeSet;

use novacore::models::{NewDer, ProvisionRequest};

use super::provision::ProvisionInput;
use super::provision_form::DerChoice;
use crate::error::{Error, Result};

/// Where and how a batch provisions the field devices of the Zaps it claimed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvisionTemplate {
    /// A site of the organization the batch claims into.
    pub site_id: String,
    pub rules: Vec<TemplateRule>,
}

/// What every field device of one profile becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateRule {
    /// The Zap's device profile this rule is for (`sungrow`, `p1`; case does not matter).
    pub profile: String,
    /// `inverter`, `battery`, `ev_charger`, `v2x_charger` or `energy_meter`.
    pub device_type: String,
    /// The device's name; `{serial}` and `{sn}` are filled in.
    pub name: String,
    /// The DERs, names with `{serial}` and `{sn}` filled in.
    pub ders: Vec<DerChoice>,
}

/// A Zap serial and device sn as long as real ones, to check the patterns before anything runs.
const SAMPLE_SERIAL: &str = "zap-0123456789abcdef";
const SAMPLE_SN: &str = "SUNGROW0A1B2C";

fn expand(pattern: &str, serial: &str, sn: &str) -> String {
    pattern
        .trim()
        .replace("{serial}", serial)
        .replace("{sn}", sn)
}

impl TemplateRule {
    /// The provisioning form this rule fills in for device `sn` of the Zap `serial` at `address`.
    pub(super) fn input(
        &self,
        site_id: &str,
        address: &str,
        serial: &str,
        sn: &str,
    ) -> ProvisionInput {
        ProvisionInput {
            zap_address: address.to_string(),
            device_sn: sn.to_string(),
            site_id: site_id.to_string(),
            device_type: self.device_type.trim().to_string(),
            name: Some(expand(&self.name, serial, sn)).filter(|n| !n.is_empty()),
            manufacturer: None,
            model: None,
            ders: self
                .ders
                .iter()
                .map(|d| (expand(&d.name, serial, sn), d.der_type.trim().to_string()))
                .collect(),
        }
    }
}

impl ProvisionTemplate {
    /// The rule for a device of `profile`, if any.
    pub(super) fn rule_for(&self, profile: Option<&str>) -> Option<&TemplateRule> {
        let profile = profile?.trim();
        self.rules
            .iter()
            .find(|r| r.profile.trim().eq_ignore_ascii_case(profile))
    }

    /// Refuses a template that could not provision anything as written, before any Zap is
    /// touched: no site, no rule, a profile twice, an unknown device type or DER type, a name the
    /// platform refuses (checked with a real-length serial and sn filled in).
    pub fn check(&self) -> Result<()> {
        let bad = |m: String| Err(Error::InvalidInput(m));
        if self.site_id.trim().is_empty() {
            return bad("Choose the site to provision the devices to.".into());
        }
        if self.rules.is_empty() {
            return bad(
                "Add a rule for at least one device profile, or claim without provisioning.".into(),
            );
        }
        let mut profiles = BTreeSet::new();
        for rule in &self.rules {
            let profile = rule.profile.trim().to_ascii_lowercase();
            if profile.is_empty() {
                return bad(
                    "Each rule needs the device profile it is for (like sungrow or p1).".into(),
                );
            }
            if !profiles.insert(profile.clone()) {
                return bad(format!(
                    "Two rules are for the profile {profile}: keep one."
                ));
            }
            let input = rule.input(&self.site_id, "", SAMPLE_SERIAL, SAMPLE_SN);
            let req = ProvisionRequest {
                gateway_serial: None,
                hardware_id: SAMPLE_SN.into(),
                device_type: input.device_type,
                site_id: input.site_id,
                name: input.name,
                manufacturer: None,
                model: None,
                ders: input
                    .ders
                    .into_iter()
                    .map(|(name, der_type)| NewDer { name, der_type })
                    .collect(),
            };
            novacore::validate::provision(&req).map_err(|e| {
                Error::InvalidInput(format!(
                    "The rule for {profile} would be refused: {}",
                    Error::from(e).user_message()
                ))
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inverter_rule() -> TemplateRule {
        TemplateRule {
            profile: "Sungrow".into(),
            device_type: "inverter".into(),
            name: "{serial} inverter".into(),
            ders: vec![
                DerChoice {
                    name: "{serial}-pv".into(),
                    der_type: "solar".into(),
                },
                DerChoice {
                    name: "{serial}-battery".into(),
                    der_type: "battery".into(),
                },
            ],
        }
    }

    #[test]
    fn rules_fill_in_the_serial_and_sn_and_match_profiles_whatever_their_case() {
        let t = ProvisionTemplate {
            site_id: "site-1".into(),
            rules: vec![inverter_rule()],
        };
        t.check().unwrap();
        let rule = t.rule_for(Some("sungrow")).unwrap();
        assert!(t.rule_for(Some("p1")).is_none() && t.rule_for(None).is_none());
        let input = rule.input("site-1", "127.0.0.1:80", "zap-00ff", "SUNGROW1");
        assert_eq!(input.name.as_deref(), Some("zap-00ff inverter"));
        assert_eq!(
            input.ders,
            [
                ("zap-00ff-pv".to_string(), "solar".to_string()),
                ("zap-00ff-battery".to_string(), "battery".to_string())
            ]
        );
        assert_eq!(
            (input.device_sn.as_str(), input.site_id.as_str()),
            ("SUNGROW1", "site-1")
        );
    }

    #[test]
    fn a_template_that_cannot_work_is_refused_with_the_reason() {
        let with = |f: &dyn Fn(&mut ProvisionTemplate)| {
            let mut t = ProvisionTemplate {
                site_id: "site-1".into(),
                rules: vec![inverter_rule()],
            };
            f(&mut t);
            t.check().unwrap_err().user_message()
        };
        assert!(with(&|t| t.site_id = " ".into()).contains("Choose the site"));
        assert!(with(&|t| t.rules.clear()).contains("at least one device profile"));
        assert!(with(&|t| t.rules.push(inverter_rule()))
            .contains("Two rules are for the profile sungrow"));
        let m = with(&|t| t.rules[0].ders[0].der_type = "ev_charger_port".into());
        assert!(
            m.starts_with("The rule for sungrow would be refused"),
            "{m}"
        );
        let m = with(&|t| t.rules[0].ders[0].name = "{serial} pv!".into());
        assert!(
            m.starts_with("The rule for sungrow would be refused"),
            "{m}"
        );
        let m = with(&|t| t.rules[0].device_type = "toaster".into());
        assert!(
            m.starts_with("The rule for sungrow would be refused"),
            "{m}"
        );
    }
}
