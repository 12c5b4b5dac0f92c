//! The crate's one error type, and what the window should do about each error ([`ErrorKind`])
//! with the sentence it shows ([`Error::user_message`]).

use std::path::PathBuf;

/// Result alias used across the crate.
pub type Result<T> = std::result::Result<T, Error>;

/// Everything that can go wrong in the app's core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An environment string (CLI argument, settings file, custom URL field) is not usable.
    #[error("invalid environment {input:?}: {reason}")]
    InvalidEnvironment {
        /// What the user or file gave.
        input: String,
        /// Why it was refused, phrased for a person.
        reason: String,
    },
    /// A secret name is empty, too long or has characters the keychain account format reserves.
    #[error("invalid secret name {name:?}: {reason}")]
    InvalidSecretName {
        /// The refused name.
        name: String,
        /// Why it was refused.
        reason: String,
    },
    /// No keychain can be reached (no Secret Service on the bus, locked, access denied).
    #[error("keychain unavailable: {reason}")]
    KeychainUnavailable {
        /// The platform's explanation.
        reason: String,
    },
    /// The keychain answered but the operation failed (bad encoding, ambiguous entries, …).
    #[error("keychain error: {reason}")]
    Keychain {
        /// The platform's explanation.
        reason: String,
    },
    /// Saving the settings file failed (the settings in memory stay as they were).
    #[error("Could not save settings to {}: {source}. Check that the folder is writable.", path.display())]
    SettingsWrite {
        /// The settings file.
        path: PathBuf,
        /// The I/O failure.
        #[source]
        source: std::io::Error,
    },
    /// A use-case that needs a signed-in environment was called before signing in (or after
    /// signing out).
    #[error("Choose an environment and sign in first.")]
    NotSignedIn,
    /// Work moved off the async threads (keychain probe, opening the store) did not finish: it
    /// panicked or the runtime is shutting down.
    #[error("Could not {what}: {reason}")]
    Interrupted {
        /// What was being done, as a verb phrase (`open the offline store`).
        what: &'static str,
        /// The runtime's explanation.
        reason: String,
    },
    /// The in-process sandbox could not start (usually: no loopback port could be bound).
    #[error("the sandbox could not start: {0}")]
    SandboxStart(#[source] novacore_sim::Error),
    /// The offline store could not be opened, read or written.
    #[error("offline store: {0}")]
    Store(#[from] novadesk_store::Error),
    /// A request was cancelled by the user (e.g. a chart fetch).
    #[error("cancelled")]
    Cancelled,
    /// Input refused before anything was sent (an empty name, an unknown role, …); the message
    /// says what to change.
    #[error("{0}")]
    InvalidInput(String),
    /// The server (or the role rules) refused the action for the signed-in identity; the message
    /// says what was refused and who can do it.
    #[error("{0}")]
    Forbidden(String),
    /// The resource is gone (deleted elsewhere, or no longer visible to this identity).
    #[error("{0}")]
    NotFound(String),
    /// A Novacore call failed (offline, signed out, refused, …); the SDK's error says which.
    #[error(transparent)]
    Novacore(#[from] novacore::Error),
    /// Writing an export file failed (read-only folder, disk full, …).
    #[error("could not write {path}: {source}")]
    Export {
        /// The file the user chose.
        path: PathBuf,
        /// The I/O failure.
        #[source]
        source: std::io::Error,
    },
    /// The chart could not be drawn from what was given.
    #[error("chart: {0}")]
    Chart(#[from] novadesk_charts::Error),
    /// The cost summary could not be computed.
    #[error("cost summary: {0}")]
    Pricing(#[from] novacore::pricing::PricingError),
}

/// What the window does about an error, one kind per different reaction; the message says the
/// rest (what happened and what to do), shown as a toast or beside the form that failed. This is
/// the wire code of the shell's error envelope (`ErrorCode` in the window's bindings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type), serde(rename = "ErrorCode"))]
pub enum ErrorKind {
    /// The session is gone or was never there: to the sign-in view, with the reason.
    SignInRequired,
    /// The server cannot be reached: cached data stays, marked offline; the banner says so.
    Offline,
    /// The user cancelled the work: a quiet note, not an error.
    Cancelled,
    /// Anything else (refused, not found, invalid, conflict, busy): the message as written.
    Failed,
}

impl Error {
    /// What the window should do about this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Novacore(e) if e.is_unreachable() => ErrorKind::Offline,
            Self::Novacore(e) if e.is_auth() => ErrorKind::SignInRequired,
            Self::NotSignedIn => ErrorKind::SignInRequired,
            Self::Cancelled => ErrorKind::Cancelled,
            _ => ErrorKind::Failed,
        }
    }

    /// The sentence the window shows: what happened and what to do. Built from our own text and
    /// the SDK's (which never quotes request bodies), so it holds no secrets.
    pub fn user_message(&self) -> String {
        match self {
            Self::Novacore(e) if e.is_offline() => "The server cannot be reached. Check the network connection or the address, then try again.".into(),
            Self::Novacore(e @ novacore::Error::Server { status, .. }) if e.is_unavailable() => format!(
                "The server answers but is unavailable right now (HTTP {status}): what you see is as last fetched, and installer steps wait in the journal until it is back. Try again in a few minutes."
            ),
            Self::Novacore(e) if e.is_auth() => {
                format!("Signing in was refused ({e}). Sign in again.")
            }
            Self::InvalidEnvironment { reason, .. } => reason.clone(),
            Self::Cancelled => "Cancelled.".into(),
            Self::Export { path, source } => format!(
                "Could not write {} ({source}). Choose a folder you can write to and try again.",
                path.display()
            ),
            Self::SandboxStart(e) => format!(
                "The Sandbox could not start ({e}). Close other copies of Novadesk and try again."
            ),
            other => other.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdk_errors_map_to_what_the_window_does() {
        let offline = Error::from(novacore::Error::Transport("connection refused".into()));
        assert_eq!(offline.kind(), ErrorKind::Offline);
        assert!(
            offline.user_message().contains("cannot be reached"),
            "{}",
            offline.user_message()
        );
        // Answering but unavailable (an outage, maintenance): offline too, with what to do.
        let unavailable = Error::from(novacore::Error::Server {
            status: 503,
            code: "unavailable".into(),
            message: "Novacore is unreachable".into(),
        });
        assert_eq!(unavailable.kind(), ErrorKind::Offline);
        let text = unavailable.user_message();
        assert!(
            text.starts_with("The server answers but is unavailable right now (HTTP 503)")
                && text.ends_with("Try again in a few minutes."),
            "{text}"
        );
        let internal = Error::from(novacore::Error::Server {
            status: 500,
            code: "internal_error".into(),
            message: "bug".into(),
        });
        assert_eq!(internal.kind(), ErrorKind::Failed);
        // Busy, refused or invalid: the window shows the message as written.
        let limited = Error::from(novacore::Error::RateLimited { retry_after: None });
        assert_eq!(limited.kind(), ErrorKind::Failed);
        let bad_key = Error::from(novacore::Error::InvalidInput("bad".into()));
        assert_eq!(bad_key.kind(), ErrorKind::Failed);
    }

    #[test]
    fn a_refused_session_asks_for_a_new_sign_in() {
        let refused = Error::from(novacore::Error::Unauthorized {
            message: "token expired".into(),
        });
        assert_eq!(refused.kind(), ErrorKind::SignInRequired);
        let text = refused.user_message();
        assert!(
            text.starts_with("Signing in was refused (") && text.ends_with("Sign in again."),
            "{text}"
        );
        assert_eq!(Error::NotSignedIn.kind(), ErrorKind::SignInRequired);
        assert_eq!(
            Error::NotSignedIn.user_message(),
            "Choose an environment and sign in first."
        );
    }

    #[test]
    fn refusals_from_the_use_cases_keep_their_sentences() {
        let bad = Error::InvalidEnvironment {
            input: "ftp://x".into(),
            reason: "Use https://".into(),
        };
        assert_eq!(
            (bad.kind(), bad.user_message()),
            (ErrorKind::Failed, "Use https://".into())
        );
        let no = Error::Forbidden("You may not delete this site.".into());
        assert_eq!(
            (no.kind(), no.user_message()),
            (ErrorKind::Failed, "You may not delete this site.".into())
        );
        let gone = Error::NotFound("This site no longer exists.".into());
        assert_eq!(
            (gone.kind(), gone.user_message()),
            (ErrorKind::Failed, "This site no longer exists.".into())
        );
        let bad = Error::InvalidInput("Enter a name.".into());
        assert_eq!(
            (bad.kind(), bad.user_message()),
            (ErrorKind::Failed, "Enter a name.".into())
        );
        assert_eq!(
            (Error::Cancelled.kind(), Error::Cancelled.user_message()),
            (ErrorKind::Cancelled, "Cancelled.".into())
        );
    }

    #[test]
    fn settings_failures_are_a_toast_with_the_path() {
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        let err = Error::SettingsWrite {
            path: "/x/settings.json".into(),
            source: io,
        };
        assert_eq!(err.kind(), ErrorKind::Failed);
        assert!(
            err.user_message().contains("/x/settings.json"),
            "{}",
            err.user_message()
        );
        assert!(err.user_message().contains("Could not save settings"));
    }
}
