//! The one error shape the UI sees: `{ code, message }`.
//!
//! Codes form a small closed set — one per thing the UI does differently — so views switch on the
//! code and show the message as written. Messages say what happened and what to do, never raw JSON,
//! and never contain secrets (errors are built from our own text, not from request bodies).

use serde::Serialize;
use specta::Type;

/// What the UI should do about an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The session is gone: show the sign-in view.
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

/// The error envelope every command returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type, thiserror::Error)]
#[error("{message}")]
pub struct CommandError {
    pub code: ErrorCode,
    pub message: String,
}

impl CommandError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }

    pub fn failed(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Failed, message)
    }
}

impl From<crate::settings::SettingsError> for CommandError {
    fn from(err: crate::settings::SettingsError) -> Self {
        Self::failed(err.to_string())
    }
}

impl From<novadesk_core::Error> for CommandError {
    fn from(err: novadesk_core::Error) -> Self {
        use novadesk_core::Error as E;
        match err {
            E::Novacore(e) => e.into(),
            E::InvalidEnvironment { reason, .. } => Self::invalid_input(reason),
            E::Cancelled => Self::new(ErrorCode::Cancelled, "Cancelled."),
            E::InvalidInput(message) => Self::invalid_input(message),
            E::Forbidden(message) => Self::new(ErrorCode::Forbidden, message),
            E::NotFound(message) => Self::new(ErrorCode::NotFound, message),
            E::Export { path, source } => Self::failed(format!(
                "Could not write {} ({source}). Choose a folder you can write to and try again.",
                path.display()
            )),
            E::SandboxStart(e) => Self::failed(format!(
                "The Sandbox could not start ({e}). Close other copies of Novadesk and try again."
            )),
            other => Self::failed(other.to_string()),
        }
    }
}

impl From<novacore::Error> for CommandError {
    fn from(err: novacore::Error) -> Self {
        use novacore::Error as E;
        if err.is_offline() {
            return Self::new(
                ErrorCode::Offline,
                "The server cannot be reached. Check the network connection or the address, then try again.",
            );
        }
        if err.is_auth() {
            return Self::new(
                ErrorCode::SignInRequired,
                format!("Signing in was refused ({err}). Sign in again."),
            );
        }
        let code = match &err {
            E::Forbidden { .. } => ErrorCode::Forbidden,
            E::NotFound { .. } => ErrorCode::NotFound,
            E::Conflict { .. } => ErrorCode::Conflict,
            E::RateLimited { .. } => ErrorCode::RetryLater,
            E::Validation { .. } | E::InvalidInput(_) => ErrorCode::InvalidInput,
            _ => ErrorCode::Failed,
        };
        Self::new(code, err.to_string())
    }
}

/// Result of a command.
pub type CommandResult<T> = Result<T, CommandError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_to_the_code_message_envelope() {
        let err = CommandError::new(
            ErrorCode::SignInRequired,
            "Your session expired. Sign in again.",
        );
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "sign_in_required", "message": "Your session expired. Sign in again."})
        );
    }

    #[test]
    fn sdk_errors_map_to_what_the_ui_does() {
        let offline: CommandError = novacore::Error::Transport("connection refused".into()).into();
        assert_eq!(offline.code, ErrorCode::Offline);
        assert!(
            offline.message.contains("cannot be reached"),
            "{}",
            offline.message
        );
        let bad: CommandError = novadesk_core::Error::InvalidEnvironment {
            input: "ftp://x".into(),
            reason: "Use https://".into(),
        }
        .into();
        assert_eq!(bad, CommandError::invalid_input("Use https://"));
        let limited: CommandError = novacore::Error::RateLimited { retry_after: None }.into();
        assert_eq!(limited.code, ErrorCode::RetryLater);
    }

    #[test]
    fn refusals_from_the_use_cases_keep_their_sentences() {
        let no: CommandError =
            novadesk_core::Error::Forbidden("You may not delete this site.".into()).into();
        assert_eq!(
            no,
            CommandError::new(ErrorCode::Forbidden, "You may not delete this site.")
        );
        let gone: CommandError =
            novadesk_core::Error::NotFound("This site no longer exists.".into()).into();
        assert_eq!(gone.code, ErrorCode::NotFound);
        let bad: CommandError = novadesk_core::Error::InvalidInput("Enter a name.".into()).into();
        assert_eq!(bad, CommandError::invalid_input("Enter a name."));
    }

    #[test]
    fn settings_failures_map_to_a_toast_with_the_path() {
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        let err: CommandError = crate::settings::SettingsError::Write {
            path: "/x/settings.json".into(),
            source: io,
        }
        .into();
        assert_eq!(err.code, ErrorCode::Failed);
        assert!(err.message.contains("/x/settings.json"), "{}", err.message);
    }
}
