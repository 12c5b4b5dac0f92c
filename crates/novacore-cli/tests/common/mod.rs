//! Runs the built `novacore` binary with a clean environment: never the real keychain
//! (`NOVACORE_SECRET_STORE=none` unless a test picks a temp dir), never the user's env.

#![allow(dead_code)] // Each test binary uses a different subset.

use std::path::Path;
use std::process::{Command, Output};

/// Result of one CLI run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// From a finished process.
    pub fn from_output(o: Output) -> Self {
        Self::from(o)
    }

    fn from(o: Output) -> Self {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    /// Parses stdout as JSON, failing the test with both streams shown otherwise.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e})\nstdout: {}\nstderr: {}",
                self.stdout, self.stderr
            )
        })
    }

    /// Asserts exit status 0, showing stderr otherwise.
    #[track_caller]
    pub fn ok(self) -> Self {
        assert_eq!(
            self.code, 0,
            "stderr: {}\nstdout: {}",
            self.stderr, self.stdout
        );
        self
    }
}

/// A command for the binary with a scrubbed environment and the given secret store.
pub fn novacore(store: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_novacore"));
    cmd.env_remove("NOVACORE_ENV")
        .env_remove("NOVACORE_IDENTITY")
        .env("NOVACORE_SECRET_STORE", store);
    cmd
}

/// Runs `novacore ARGS` with no secret store.
pub fn run(args: &[&str]) -> Run {
    run_with("none", args)
}

/// Runs `novacore ARGS` with the given secret store.
pub fn run_with(store: &str, args: &[&str]) -> Run {
    Run::from(novacore(store).args(args).output().expect("run novacore"))
}

/// Writes a fresh identity key file into `dir` through the CLI itself.
pub fn new_identity(dir: &Path) -> String {
    let path = dir.join("identity.pem");
    let p = path.to_str().expect("utf-8 path").to_string();
    run(&["identity", "new", "--out", &p]).ok();
    p
}
