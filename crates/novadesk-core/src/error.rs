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

/// What the window should do about an error: one kind per different reaction. The shell maps
/// each to its wire code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The session is gone or was never there: show the sign-in view.
    SignInRequired,
    /// The environment cannot be reached: show the offline banner, serve cached data.
    Offline,
    /// The input was rejected: show the message beside the field.
    InvalidInput,
    /// Busy or rate limited: the action may be retried shortly.
    RetryLater,
    /// The signed-in identity may not do this.
    Forbidden,
    /// The thing asked for does not exist (any more).
    NotFound,
    /// The user cancelled the work (nothing to show).
    Cancelled,
    /// The thing already exists or the request conflicts with the current state.
    Conflict,
    /// Anything else: a toast with the message.
    Failed,
}

impl Error {
    /// What the window should do about this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Novacore(e) => sdk_kind(e),
            Self::InvalidEnvironment { .. } | Self::InvalidInput(_) => ErrorKind::InvalidInput,
            Self::NotSignedIn => ErrorKind::SignInRequired,
            Self::Cancelled => ErrorKind::Cancelled,
            Self::Forbidden(_) => ErrorKind::Forbidden,
            Self::NotFound(_) => ErrorKind::NotFound,
            _ => ErrorKind::Failed,
        }
    }

    /// The sentence the window shows: what happened and what to do. Built from our own text and
    /// the SDK's (which never quotes request bodies), so it holds no secrets.
    pub fn user_message(&self) -> String {
        match self {
            Self::Novacore(e) if e.is_offline() => "The server cannot be reached. Check the network connection or the address, then try again.".into(),
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

fn sdk_kind(err: &novacore::Error) -> ErrorKind {
    use novacore::Error as E;
    if err.is_offline() {
        return ErrorKind::Offline;
    }
    if err.is_auth() {
        return ErrorKind::SignInRequired;
    }
    match err {
        E::Forbidden { .. } => ErrorKind::Forbidden,
        E::NotFound { .. } => ErrorKind::NotFound,
        E::Conflict { .. } => ErrorKind::Conflict,
        E::RateLimited { .. } => ErrorKind::RetryLater,
        E::Validation { .. } | E::InvalidInput(_) => ErrorKind::InvalidInput,
        _ => ErrorKind::Failed,
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
        let limited = Error::from(novacore::Error::RateLimited { retry_after: None });
        assert_eq!(limited.kind(), ErrorKind::RetryLater);
        let bad_key = Error::from(novacore::Error::InvalidInput("bad".into()));
        assert_eq!(bad_key.kind(), ErrorKind::InvalidInput);
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
            (ErrorKind::InvalidInput, "Use https://".into())
        );
        let no = Error::Forbidden("You may not delete this site.".into());
        assert_eq!(
            (no.kind(), no.user_message()),
            (ErrorKind::Forbidden, "You may not delete this site.".into())
        );
        let gone = Error::NotFound("This site no longer exists.".into());
        assert_eq!(gone.kind(), ErrorKind::NotFound);
        let bad = Error::InvalidInput("Enter a name.".into());
        assert_eq!(
            (bad.kind(), bad.user_message()),
            (ErrorKind::InvalidInput, "Enter a name.".into())
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
