//! The one error shape the UI sees: `{ code, message }`.
//!
//! Codes form a small closed set — one per thing the UI does differently — so views switch on the
//! code and show the message as written. Messages say what happened and what to do, never raw JSON,
//! and never contain secrets (errors are built from our own text, not from request bodies).

use novadesk_core::ErrorKind;
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

impl From<ErrorKind> for ErrorCode {
    fn from(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::SignInRequired => Self::SignInRequired,
            ErrorKind::Offline => Self::Offline,
            ErrorKind::InvalidInput => Self::InvalidInput,
            ErrorKind::RetryLater => Self::RetryLater,
            ErrorKind::Forbidden => Self::Forbidden,
            ErrorKind::NotFound => Self::NotFound,
            ErrorKind::Cancelled => Self::Cancelled,
            ErrorKind::Conflict => Self::Conflict,
            ErrorKind::Failed => Self::Failed,
        }
    }
}

/// The one mapping of core errors: the core says what kind of failure it is and the sentence to
/// show; the shell gives that kind its wire code.
impl From<novadesk_core::Error> for CommandError {
    fn from(err: novadesk_core::Error) -> Self {
        Self::new(err.kind().into(), err.user_message())
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
    fn core_errors_map_to_what_the_ui_does() {
        let bad: CommandError = novadesk_core::Error::InvalidEnvironment {
            input: "ftp://x".into(),
            reason: "Use https://".into(),
        }
        .into();
        assert_eq!(bad, CommandError::invalid_input("Use https://"));
        let first: CommandError = novadesk_core::Error::NotSignedIn.into();
        assert_eq!(
            first,
            CommandError::new(
                ErrorCode::SignInRequired,
                "Choose an environment and sign in first."
            )
        );
        let cancelled: CommandError = novadesk_core::Error::Cancelled.into();
        assert_eq!(cancelled.code, ErrorCode::Cancelled);
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
        let err: CommandError = novadesk_core::Error::SettingsWrite {
            path: "/x/settings.json".into(),
            source: io,
        }
        .into();
        assert_eq!(err.code, ErrorCode::Failed);
        assert!(err.message.contains("/x/settings.json"), "{}", err.message);
    }
}
