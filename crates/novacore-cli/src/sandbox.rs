//! `--env sandbox`: an in-process Novacore emulator living for one command.

use crate::error::{CliError, Result};

/// A sandbox running inside this process.
pub struct RunningSandbox {
    url: String,
}

impl RunningSandbox {
    /// Starts a sandbox on a loopback port.
    pub async fn start() -> Result<Self> {
        Err(CliError::Sandbox(
            "this build has no in-process sandbox yet".into(),
        ))
    }

    /// Its base URL.
    pub fn url(&self) -> &str {
        &self.url
    }
}
