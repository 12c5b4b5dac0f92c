//! The session token the client holds, persistable by the app.

use chrono::{DateTime, Duration, Utc};

use crate::auth::jwt;
use crate::secret::Secret;

/// Lifetime assumed when the token carries no `exp` (the documented 24 h).
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::hours(24);

/// A bearer token with its expiry and the identity it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The bearer token.
    pub token: Secret,
    /// When the token stops working (from its `exp`, or issue time + 24 h).
    pub expires_at: DateTime<Utc>,
    /// The identity the token was issued to.
    pub identity_id: String,
}

impl Session {
    /// Builds a session from a freshly issued token, reading `exp` from the JWT.
    pub fn from_token(token: impl Into<String>, identity_id: impl Into<String>) -> Self {
        let token = token.into();
        let expires_at = jwt::expiry(&token).unwrap_or_else(|| Utc::now() + DEFAULT_TOKEN_LIFETIME);
        Self {
            token: Secret::new(token),
            expires_at,
            identity_id: identity_id.into(),
        }
    }

    /// True when the token expires within `margin` from now.
    pub fn expires_within(&self, margin: Duration) -> bool {
        // A margin reaching past chrono's last date (e.g. `reauth_margin(Duration::MAX)`) covers
        // every expiry; plain `+` would panic there.
        Utc::now()
            .checked_add_signed(margin)
            .is_none_or(|t| t >= self.expires_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opaque_token_gets_24h() {
        let s = Session::from_token("opaque", "idt-1");
        let left = s.expires_at - Utc::now();
        assert!(left > Duration::hours(23) && left <= Duration::hours(24));
        assert!(!s.expires_within(Duration::minutes(5)));
        assert!(s.expires_within(Duration::hours(25)));
        assert_eq!(format!("{s:?}").matches("opaque").count(), 0);
    }

    #[test]
    fn huge_margin_means_expiring_instead_of_panicking() {
        // Regression: `Utc::now() + margin` panicked for margins past chrono's range.
        let s = Session::from_token("opaque", "idt-1");
        assert!(s.expires_within(Duration::MAX));
        assert!(s.expires_within(Duration::days(365 * 400_000)));
    }
}
