//! `novacore`: the command line for the Sourceful Novacore platform.
//!
//! Exit status: 0 success, 1 failure (the error's code and message on stderr), 2 usage error.

mod cli;
mod commands;
mod connection;
mod error;
mod identity;
mod output;
mod sandbox;
mod secrets;
mod timearg;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version to stdout (status 0) and usage errors to stderr (2).
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let json = cli.json;
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if json {
                eprintln!("{}", e.to_json());
            } else {
                eprintln!("error: {} [{}]", e, e.code());
                for line in e.details() {
                    eprintln!("{line}");
                }
            }
            ExitCode::from(e.exit_code())
        }
    }
}
