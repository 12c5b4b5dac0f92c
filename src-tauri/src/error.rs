//! The one error shape the UI sees: `{ code, message }`.
//!
//! Codes form a small closed set — one per thing the UI does differently — so views switch on the
//! code and show the message as written. Messages say what happened and what to do, never raw JSON,
//! and never contain secrets (errors are built from our own text, not from request bodies).

use serde::Serialize;
use specta::Type;

/// What the UI does about an error: core's closed set, one code per different reaction
/// (documented there); the UI lists the same codes in `ui/js/result.js`.
pub use novadesk_core::ErrorKind as ErrorCode;

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

    pub fn failed(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Failed, message)
    }
}

/// The one mapping of core errors: the core says what kind of failure it is and the sentence to
/// show; the shell gives that kind its wire code.
impl From<novadesk_core::Error> for CommandError {
    fn from(err: novadesk_core::Error) -> Self {
        Self::new(err.kind(), err.user_message())
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
        assert_eq!(bad, CommandError::failed("Use https://"));
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
        assert_eq!(no, CommandError::failed("You may not delete this site."));
        let gone: CommandError =
            novadesk_core::Error::NotFound("This site no longer exists.".into()).into();
        assert_eq!(gone, CommandError::failed("This site no longer exists."));
        let bad: CommandError = novadesk_core::Error::InvalidInput("Enter a name.".into()).into();
        assert_eq!(bad, CommandError::failed("Enter a name."));
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
