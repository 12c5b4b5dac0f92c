//! The CLI's one error type: a stable machine code, a message, and the exit status.

use novacore::pricing::PricingError;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The platform, a Zap or the transport refused (server code and message kept).
    #[error(transparent)]
    Api(#[from] novacore::Error),
    /// The cost computation rejected its inputs.
    #[error("cost computation: {0}")]
    Pricing(#[from] PricingError),
    /// The arguments are inconsistent in a way clap cannot check (exit status 2).
    #[error("{0}")]
    Usage(String),
    /// No usable identity key.
    #[error("{0}")]
    Identity(String),
    /// The OS keychain (or the configured secret store) failed.
    #[error("secret store: {0}")]
    SecretStore(String),
    /// Reading or writing a local file failed.
    #[error("{path}: {message}")]
    File {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// The in-process sandbox could not start.
    #[error("sandbox: {0}")]
    Sandbox(String),
    /// A commissioning report did not verify (the first failed check's sentence).
    #[error("the report does not verify: {0}")]
    ReportInvalid(String),
    /// Writing the output failed (e.g. a closed pipe).
    #[error("output: {0}")]
    Output(String),
}

impl CliError {
    /// A short stable code for scripts: the server's code for API errors.
    pub fn code(&self) -> String {
        use novacore::Error as E;
        match self {
            CliError::Api(e) => match e {
                E::Unauthorized { .. } => "unauthorized".into(),
                E::Forbidden { .. } => "forbidden".into(),
                E::NotFound { .. } => "not_found".into(),
                E::Conflict { .. } => "conflict".into(),
                E::Validation { code, .. } => code.clone(),
                E::RateLimited { .. } => "rate_limited".into(),
                E::Server { code, .. } => code.clone(),
                E::Decode { .. } => "decode_error".into(),
                E::Transport(_) => "transport_error".into(),
                E::Timeout => "timeout".into(),
                E::NotPublished => "not_published".into(),
                E::InvalidInput(_) => "invalid_input".into(),
                E::NoIdentity => "no_identity".into(),
                E::Zap(z) => match z {
                    novacore::zap::ZapError::Unreachable { .. } => "zap_unreachable".into(),
                    novacore::zap::ZapError::WebPage { .. }
                    | novacore::zap::ZapError::NotAZap { .. } => "not_a_zap".into(),
                    novacore::zap::ZapError::Stalled { .. } => "zap_stalled".into(),
                    novacore::zap::ZapError::Malformed { .. } => "zap_malformed".into(),
                    novacore::zap::ZapError::Unavailable { .. } => "zap_unavailable".into(),
                },
                #[allow(unreachable_patterns)] // the SDK may grow variants
                _ => "error".into(),
            },
            CliError::Pricing(_) => "pricing_error".into(),
            CliError::Usage(_) => "usage".into(),
            CliError::Identity(_) => "no_identity".into(),
            CliError::SecretStore(_) => "secret_store".into(),
            CliError::File { .. } => "file_error".into(),
            CliError::Sandbox(_) => "sandbox_error".into(),
            CliError::ReportInvalid(_) => "report_invalid".into(),
            CliError::Output(_) => "output_error".into(),
        }
    }

    /// Exit status: 2 for usage errors, 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            _ => 1,
        }
    }

    /// Lines to print under the main message (per-field validation details).
    pub fn details(&self) -> Vec<String> {
        match self {
            CliError::Api(e) => e
                .field_errors()
                .iter()
                .map(|f| format!("  {}: {}", f.field, f.message))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The error as JSON (for `--json`): `{"error": code, "message": …, "details": […]}`.
    pub fn to_json(&self) -> serde_json::Value {
        let fields: Vec<_> = match self {
            CliError::Api(e) => e
                .field_errors()
                .iter()
                .map(|f| serde_json::json!({"field": f.field, "message": f.message}))
                .collect(),
            _ => Vec::new(),
        };
        serde_json::json!({"error": self.code(), "message": self.to_string(), "details": fields})
    }
}

/// Result alias of the CLI.
pub type Result<T> = std::result::Result<T, CliError>;

/// Wraps an I/O error with the file it concerns.
pub fn file_error(path: &std::path::Path, e: impl std::fmt::Display) -> CliError {
    CliError::File {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}
