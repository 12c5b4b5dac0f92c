//! `tracing` to stderr and to a daily file in the app's log directory; `--log` or `RUST_LOG` filter.
//!
//! Nothing in the app logs request bodies, tokens or keys; secrets are wrapped in redacting types by
//! the libraries, so even a stray `?value` field prints `<redacted>`.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::{fmt, layer::SubscriberExt, util::SubscriberInitExt, EnvFilter};

/// Default filter when neither `--log` nor `RUST_LOG` is set.
pub const DEFAULT_FILTER: &str = "info";

/// Log lines queued for the writer thread before a logging call waits for it.
const LOG_QUEUE_LINES: usize = 8_192;

/// Name prefix of the log files (`novadesk.log.YYYY-MM-DD`).
pub const FILE_PREFIX: &str = "novadesk.log";

/// Start logging. Keep the returned guard alive for the app's lifetime (it flushes the file).
/// Returns `None` for the guard if the log directory cannot be created; stderr logging still works.
pub fn init(log_dir: &Path, filter: Option<&str>) -> Option<WorkerGuard> {
    let filter = match filter {
        Some(f) => EnvFilter::try_new(f).unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER)),
        None => {
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER))
        }
    };
    let stderr = fmt::layer().with_writer(std::io::stderr).with_target(true);
    let (file_layer, guard) = match std::fs::create_dir_all(log_dir) {
        Ok(()) => {
            let appender = tracing_appender::rolling::daily(log_dir, FILE_PREFIX);
            // The default queue holds 128,000 lines, allocated and touched up front (4 MiB of the
            // app's memory for a log that writes a few lines a minute). 8,192 lines still absorb
            // any burst the app makes; past that the logging call waits for the disk rather than
            // dropping lines (the default would drop them silently).
            let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
                .buffered_lines_limit(LOG_QUEUE_LINES)
                .lossy(false)
                .finish(appender);
            (
                Some(fmt::layer().with_writer(writer).with_ansi(false)),
                Some(guard),
            )
        }
        Err(err) => {
            eprintln!(
                "novadesk: cannot create log directory {}: {err}; logging to stderr only",
                log_dir.display()
            );
            (None, None)
        }
    };
    // A second init (tests) is harmless: the first subscriber stays.
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(stderr)
        .with(file_layer)
        .try_init();
    guard
}
