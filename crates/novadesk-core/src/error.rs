//! The crate's one error type.

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
    /// Reading or writing the settings file failed.
    #[error("settings file {path}: {source}")]
    SettingsIo {
        /// The file (or its temporary sibling) involved.
        path: PathBuf,
        /// The I/O failure.
        #[source]
        source: std::io::Error,
    },
    /// The settings file exists but is not the JSON we write.
    #[error("settings file {path} is not valid: {reason}")]
    SettingsCorrupt {
        /// The file.
        path: PathBuf,
        /// The decoder's message.
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
