//! `report verify FILE`: a commissioning report's checks (the SDK's), each passed, failed or not
//! made with its sentence; the platform asked for the gateway's key when an identity is at hand.

use std::io::Read;

use novacore::report::{self, CheckKind, CheckStatus, Verification, MAX_REPORT_BYTES};

use crate::cli::ReportCmd;
use crate::connection::connect;
use crate::error::{file_error, CliError, Result};
use crate::output::Output;
use crate::secrets::SecretStore;

/// Runs `report …`.
pub async fn run(
    cmd: &ReportCmd,
    env: &str,
    identity: Option<&str>,
    store: &dyn SecretStore,
    out: Output,
) -> Result<()> {
    let ReportCmd::Verify { file, offline } = cmd;
    let mut bytes = Vec::new();
    std::fs::File::open(file)
        .and_then(|f| f.take(MAX_REPORT_BYTES as u64 + 1).read_to_end(&mut bytes))
        .map_err(|e| file_error(file, e))?;
    let mut v = report::verify(&bytes);
    if !offline {
        platform(&mut v, env, identity, store).await?;
    }
    out.emit(
        &serde_json::json!({"ok": v.ok(), "report": v.report, "checks": v.checks}),
        || human(&v),
    )?;
    match v.first_failure() {
        None => Ok(()),
        Some(why) => Err(CliError::ReportInvalid(why.to_string())),
    }
}

/// Asks the platform whether it holds the report's key for its gateway (readable reports only).
async fn platform(
    v: &mut Verification,
    env: &str,
    identity: Option<&str>,
    store: &dyn SecretStore,
) -> Result<()> {
    let readable = v
        .checks
        .iter()
        .any(|c| c.check == CheckKind::Readable && c.status == CheckStatus::Passed);
    let Some(summary) = v.report.clone().filter(|_| readable) else {
        return Ok(());
    };
    let conn = connect(env, identity, store).await?;
    let check = if conn.client.identity().is_none() {
        report::Check::unchecked(
            CheckKind::PlatformKey,
            "Not checked against the platform: no identity to sign in with (--identity, or `novacore identity new`).",
        )
    } else {
        let answer = match summary.org_id.as_deref() {
            None => None,
            Some(org) => Some(conn.client.gateways().list(org).await),
        };
        report::platform_answer_check(&summary, answer)
    };
    conn.save_session(store);
    v.set_platform(check);
    Ok(())
}

fn human(v: &Verification) -> String {
    let mut text = match &v.report {
        Some(r) => format!(
            "commissioning report of {} ({}), made {}\n",
            r.serial,
            r.org_name.as_deref().unwrap_or("-"),
            r.made_at.as_deref().unwrap_or("-")
        ),
        None => String::new(),
    };
    for c in &v.checks {
        let mark = match c.status {
            CheckStatus::Passed => "ok  ",
            CheckStatus::Failed => "FAIL",
            CheckStatus::Unchecked => "--  ",
        };
        let name = serde_json::to_value(c.check)
            .ok()
            .and_then(|n| n.as_str().map(str::to_string))
            .unwrap_or_default();
        text.push_str(&format!("{mark} {name:<13} {}\n", c.sentence));
    }
    text.push_str(if v.ok() {
        "the report verifies\n"
    } else {
        "the report does NOT verify\n"
    });
    text
}
