//! novadesk-core — the desktop app's use-cases, independent of the desktop.
//!
//! The core talks to the outside through small ports so it runs the same under Tauri and in
//! tests:
//! - [`SecretStore`] (keychain via [`KeyringSecretStore`], or [`MemorySecretStore`]; pick at
//!   start-up with [`SecretStoreChoice::detect`]), values wrapped in [`Secret`]; the
//!   [`IdentityVault`] keeps each environment's identity key and session token there;
//! - [`EventSink`] for typed [`AppEvent`]s out ([`RecordingEventSink`] in tests);
//! - [`Clock`] ([`SystemClock`], [`FakeClock`]);
//! - [`SettingsStore`] ([`JsonFileSettings`], [`MemorySettings`]) for what survives a restart.
//!
//! [`Environment`] names the Novacore to talk to; [`SandboxService`] runs the Sandbox one
//! in-process; [`EnvironmentSelection`] is the picker's use-case (open in, switch, remember);
//! [`Connectivity`] tracks reachability and reconnects with [`Backoff`]; [`WatchRegistry`] runs
//! one task per watched key (one stream per site) and [`batch_frames`] paces updates to the UI.

mod clock;
mod connectivity;
mod environment;
mod error;
mod events;
mod frames;
mod sandbox;
mod secret;
mod secret_store;
mod selection;
mod settings;
mod vault;
mod watch;

pub use clock::{Clock, FakeClock, SystemClock};
pub use connectivity::{Backoff, Connectivity, ConnectivityStatus, RESTORED_REASON};
pub use environment::{Environment, MAINNET_URL, TESTNET_URL};
pub use error::{Error, Result};
pub use events::{AppEvent, EventSink, RecordingEventSink, SessionState};
pub use frames::{batch_frames, Batch, FRAME};
pub use sandbox::{SandboxService, DEFAULT_SEED};
pub use secret::Secret;
pub use secret_store::{
    KeyringSecretStore, MemorySecretStore, Persistence, SecretKey, SecretStore, SecretStoreChoice,
    DEFAULT_SERVICE,
};
pub use selection::{ActiveEnvironment, EnvironmentSelection};
pub use settings::{JsonFileSettings, MemorySettings, Settings, SettingsStore, SETTINGS_FILE};
pub use vault::{IdentityVault, IDENTITY_SECRET, SESSION_SECRET};
pub use watch::{Watch, WatchRegistry};
