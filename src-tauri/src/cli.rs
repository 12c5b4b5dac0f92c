//! Command-line flags of the `novadesk` binary.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::Parser;

/// Novadesk — the desktop app for the Sourceful Novacore energy platform.
#[derive(Debug, Clone, Parser, PartialEq, Eq)]
#[command(name = "novadesk", version = crate::VERSION, about, long_about = None)]
pub struct Cli {
    /// Environment to open: sandbox, testnet, mainnet, or an https:// URL (http:// only for loopback).
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,

    /// Directory for the app's data (offline store, settings) instead of the platform default.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Log filter, e.g. `info` or `novadesk=debug` (RUST_LOG is used when absent).
    #[arg(long, value_name = "FILTER")]
    pub log: Option<String>,
}

/// What to do after parsing argv.
#[derive(Debug)]
pub enum Parsed {
    Run(Cli),
    /// `--help` / `--version` (exit 0) or a usage error (exit 2): print and exit.
    Exit {
        text: String,
        code: i32,
    },
}

/// Parse argv without exiting the process, so tests can check the outcome.
pub fn parse<I, T>(args: I) -> Parsed
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    match Cli::try_parse_from(args) {
        Ok(cli) => Parsed::Run(cli),
        Err(err) => Parsed::Exit {
            text: err.render().to_string(),
            code: if err.use_stderr() { 2 } else { 0 },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_flag_is_a_usage_error_with_exit_2() {
        match parse(["novadesk", "--frobnicate"]) {
            Parsed::Exit { text, code } => {
                assert_eq!(code, 2);
                assert!(text.contains("--frobnicate"), "{text}");
            }
            other => panic!("expected usage error, got {other:?}"),
        }
    }

    #[test]
    fn help_documents_every_flag_and_exits_0() {
        match parse(["novadesk", "--help"]) {
            Parsed::Exit { text, code } => {
                assert_eq!(code, 0);
                for flag in ["--env", "--data-dir", "--log", "--version"] {
                    assert!(text.contains(flag), "help lacks {flag}: {text}");
                }
            }
            other => panic!("expected help, got {other:?}"),
        }
    }

    #[test]
    fn version_names_the_release_and_the_commit() {
        match parse(["novadesk", "--version"]) {
            Parsed::Exit { text, code } => {
                assert_eq!(code, 0);
                let commit = env!("NOVADESK_COMMIT");
                assert!(!commit.is_empty());
                assert_eq!(
                    text.trim(),
                    format!("novadesk {} ({commit})", env!("CARGO_PKG_VERSION"))
                );
            }
            other => panic!("expected the version, got {other:?}"),
        }
    }

    #[test]
    fn flags_are_parsed() {
        match parse(["novadesk", "--env", "sandbox", "--data-dir", "/tmp/x"]) {
            Parsed::Run(cli) => {
                assert_eq!(cli.env.as_deref(), Some("sandbox"));
                assert_eq!(cli.data_dir, Some(PathBuf::from("/tmp/x")));
            }
            other => panic!("expected run, got {other:?}"),
        }
    }
}
