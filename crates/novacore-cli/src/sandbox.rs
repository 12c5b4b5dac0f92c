//! `--env sandbox`: an in-process Novacore emulator living for one command.

use novacore_sim::{Sandbox, SandboxHandle};

use crate::error::{CliError, Result};

/// A sandbox running inside this process; it stops when the command ends.
pub struct RunningSandbox {
    handle: SandboxHandle,
}

impl RunningSandbox {
    /// Starts a sandbox on a loopback port (demo world for every new identity).
    pub async fn start() -> Result<Self> {
        let handle = Sandbox::builder()
            .start()
            .await
            .map_err(|e| CliError::Sandbox(e.to_string()))?;
        Ok(Self { handle })
    }

    /// Its base URL.
    pub fn url(&self) -> &str {
        self.handle.base_url()
    }
}
