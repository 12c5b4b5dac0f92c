//! `novacore`: a typed Rust SDK for the Sourceful Novacore energy platform.
//!
//! - [`Client`] from any base URL (https, or http to loopback), with an [`Identity`] (Ed25519)
//!   for challenge/verify login; the [`Session`] (token, expiry, identity id) can be read and
//!   restored with [`Client::session`] / [`Client::set_session`]. Tokens are renewed before expiry
//!   and once on a 401.
//! - Handles: `organizations()`, `members(org)`, `sites()`, `gateways()`, `devices()`, `ders()`,
//!   `telemetry()` (live [`Telemetry::stream_site`] and `history`), `prices()`, `tariffs()`,
//!   `public()`.
//! - [`ZapClient`] for a Zap's local API (a bare IP, `host:port` or URL), [`claim_gateway`] and
//!   [`validate`] for installers; [`zap::discovery`] finds Zaps (mDNS browse, subnet sweep) and
//!   [`zap::ZapError`] says why one could not be used (`Error::Zap`).
//! - [`report`]: the commissioning report a Zap signs (format, canonical bytes, build, verify);
//!   [`es256`] reads and checks gateway signatures (raw r‖s or DER).
//! - One [`Error`] enum; [`Error::is_offline`] / [`Error::is_transient`] / [`Error::is_auth`]
//!   tell the app what to show.
//!
//! ```no_run
//! # async fn demo() -> novacore::Result<()> {
//! use novacore::{Client, Identity};
//! let client = Client::builder(novacore::TESTNET_URL).identity(Identity::generate()).build()?;
//! let session = client.login().await?; // persist `session` to restore it later
//! for org in client.organizations().list().await? {
//!     println!("{} {}", org.id, org.name);
//! }
//! # let _ = session; Ok(()) }
//! ```

pub mod auth;
pub mod claim;
pub mod client;
pub mod error;
pub mod es256;
pub mod history;
pub mod models;
pub mod prices;
pub mod pricing;
pub mod public;
pub mod report;
mod request;
pub mod resources;
pub mod retry;
pub mod secret;
pub mod session;
pub mod stream;
pub mod tariffs;
pub mod validate;
pub mod zap;

pub use auth::Identity;
pub use claim::claim_gateway;
pub use client::{Client, ClientBuilder, MAINNET_URL, TESTNET_URL};
pub use error::{Error, FieldError, Result};
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use session::Session;
pub use stream::{StreamEvent, StreamOptions, Telemetry};
pub use zap::ZapClient;
