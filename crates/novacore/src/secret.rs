//! [`Secret`]: a value that must never reach a log line, a panic message or the UI by accident.
//! The one secret-text type of the workspace: the SDK's tokens and keys use it, and the app's
//! core (keychain, identity vault) re-exports it.

use std::fmt;

use zeroize::Zeroize;

/// A secret text (a session token, a private key encoding, a Wi-Fi passphrase).
///
/// `Debug` and `Display` print `<redacted>`; the value is only reachable through
/// [`Secret::expose`], so every use is greppable. The memory is zeroed on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value. Call only where it must be used (headers, signing, the keychain).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_redact() {
        let s = Secret::new("eyJhbGciOi.secret.token");
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(format!("{s}"), "<redacted>");
        assert_eq!(s.expose(), "eyJhbGciOi.secret.token");
    }

    #[test]
    fn debug_and_display_never_show_the_value() {
        let s = Secret::new("ed25519-private-key-bytes");
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(format!("{s}"), "<redacted>");
        // Nested in a derived Debug (how it would reach a log line in practice).
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Holder {
            key: Secret,
        }
        let text = format!("{:?}", Holder { key: s.clone() });
        assert!(!text.contains("ed25519"), "{text}");
        assert_eq!(s.expose(), "ed25519-private-key-bytes");
    }
}
