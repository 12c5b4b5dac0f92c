//! Command dispatch: each domain's commands live in their own module.

mod account;
mod cost;
mod gateways;
mod market;
mod orgs;
mod report;
mod sites;
mod telemetry;
mod zap;

use crate::cli::{Cli, Command};
use crate::connection::{connect, Connection};
use crate::error::{CliError, Result};
use crate::output::Output;
use crate::{identity, secrets};

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> Result<()> {
    let out = Output { json: cli.json };
    let store = secrets::from_env()?;
    match &cli.command {
        // Local commands: no environment, no network.
        Command::Identity(cmd) => {
            return identity::run(cmd, cli.identity.as_deref(), store.as_ref(), out)
        }
        Command::Zap(cmd) => return zap::run(cmd, out).await,
        // Local first; the platform is asked only when an identity is at hand.
        Command::Report(cmd) => {
            return report::run(cmd, &cli.env, cli.identity.as_deref(), store.as_ref(), out).await
        }
        _ => {}
    }
    let conn = connect(&cli.env, cli.identity.as_deref(), store.as_ref()).await?;
    let result = dispatch(&cli.command, &conn, out).await;
    conn.save_session(store.as_ref());
    result.map_err(|e| match e {
        CliError::Api(novacore::Error::NoIdentity) => identity::no_identity(),
        other => other,
    })
}

async fn dispatch(cmd: &Command, conn: &Connection, out: Output) -> Result<()> {
    match cmd {
        Command::Login => account::login(conn, out).await,
        Command::Whoami => account::whoami(conn, out).await,
        Command::Orgs(c) => orgs::orgs(c, conn, out).await,
        Command::Members(c) => orgs::members(c, conn, out).await,
        Command::Sites(c) => sites::run(c, conn, out).await,
        Command::Gateways(c) => gateways::gateways(c, conn, out).await,
        Command::Devices(c) => gateways::devices(c, conn, out).await,
        Command::Ders(c) => gateways::ders(c, conn, out).await,
        Command::Stream(a) => telemetry::stream(a, conn, out).await,
        Command::History(a) => telemetry::history(a, conn, out).await,
        Command::Prices(a) => market::prices(a, conn, out).await,
        Command::Tariffs(c) => market::tariffs(c, conn, out).await,
        Command::Cost(a) => cost::run(a, conn, out).await,
        Command::Identity(_) | Command::Zap(_) | Command::Report(_) => Ok(()),
    }
}

/// Prints a one-line confirmation (or `{"ok":true,…}` in JSON).
fn done(out: Output, message: &str) -> Result<()> {
    out.emit(&serde_json::json!({"ok": true, "message": message}), || {
        message.to_string()
    })
}
