//! novadesk-core — the desktop app's use-cases, independent of the desktop.
//!
//! The core talks to the outside through small ports so it runs the same under Tauri and in
//! tests:
//! - [`SecretStore`] (keychain via [`KeyringSecretStore`], or [`MemorySecretStore`]; picked with
//!   [`SecretStoreChoice::detect`]), values wrapped in [`Secret`]; the [`IdentityVault`] keeps
//!   each environment's identity key and session token there;
//! - [`EventSink`] for typed [`AppEvent`]s out ([`RecordingEventSink`] in tests);
//! - [`Clock`] ([`SystemClock`], [`FakeClock`]).
//!
//! [`SettingsFile`] holds what survives a restart ([`Settings`]: theme, the environment to
//! reopen). [`Environment`] names the Novacore to talk to; [`Connections`] is the session
//! lifecycle the window drives — connect (starting the in-process Sandbox via
//! [`SandboxService`] when chosen, signing in with [`sign_in`], opening the offline store, coming
//! back online with [`keep_connected`]), sign out, forget or import an identity.
//! [`Connectivity`] tracks reachability with [`Backoff`]; [`WatchRegistry`] runs one task per
//! watched key (one stream per site) and [`batch_frames`] paces updates to the UI. Every error
//! says what the window should do about it ([`Error::kind`]) and what to show
//! ([`Error::user_message`]).
//!
//! Signed in, use-cases take a [`Workspace`]: browsing reads store first (`cached_*`, then
//! `refresh_*`, see [`Cached`]); managing ([`create_site`], [`add_member`], …) changes the server
//! and then the store; [`Permissions`] says what your role allows, with the reason. On site, the
//! installer finds Zaps ([`start_sweep`], [`inspect_zap`]), checks one ([`check_health`]) and
//! claims it ([`claim_zap`]) or releases a gateway ([`release_gateway`]).
//!
//! Start-up, as the shell wires it:
//!
//! ```no_run
//! # async fn start(
//! #     cli_env: Option<&str>,
//! #     config_dir: std::path::PathBuf,
//! #     data_dir: std::path::PathBuf,
//! # ) -> novadesk_core::Result<()> {
//! use std::sync::Arc;
//! use novadesk_core::*;
//!
//! let settings = Arc::new(SettingsFile::open(&config_dir)); // unreadable: defaults, logged
//! let connections = Connections::new(data_dir, settings.clone());
//! // The shell emits these to the window.
//! connections.set_events(Arc::new(|e: AppEvent| println!("{e:?}")));
//!
//! // The command line, else the last environment unless the user signed out; else the welcome view.
//! if let Some(env) = settings.get().environment_to_open(cli_env) {
//!     // Probes the keychain, starts the Sandbox if chosen, signs in, remembers the choice.
//!     let summary = connections.connect(Environment::parse(&env)?).await?;
//!     if let Some(notice) = &summary.secrets_notice {
//!         println!("{notice}"); // "No keychain is available …"
//!     }
//!     let ws = connections.workspace().await?; // what the use-cases take
//!     let organizations = refresh_organizations(&ws).await?;
//!     # let _ = organizations;
//! }
//! # Ok(()) }
//! ```

mod browse;
mod chart;
mod clock;
mod connectivity;
mod environment;
mod error;
mod events;
pub mod fleet;
mod frames;
pub mod input;
mod installer;
pub mod live;
mod manage;
pub mod peak;
mod reconnect;
mod sandbox;
mod secret_store;
mod session;
mod settings;
mod signin;
mod vault;
mod watch;
mod whatif;
mod workspace;

pub use browse::{
    cached_device, cached_organization, cached_organizations, cached_site, cached_sites,
    refresh_device, refresh_organization, refresh_organizations, refresh_site, refresh_sites,
    Cached, DerRow, DeviceDetail, DeviceRow, GatewayRow, LatestValue, MemberRow,
    OrganizationDetail, OrganizationRow, SiteDetail, SiteRow,
};
pub use chart::{
    cached_site_info, chart_options, chart_prefs, cost_inputs, cost_level, cost_span, export_chart,
    render_chart, resolve_range, set_chart_prefs, site_info, write_atomically, CancelToken,
    ChartOptions, ChartOutput, ChartPrefs, ChartRequest, CostSummary, DerInfo, DerOption,
    ExportFormat, FieldOption, PeakInfo, Progress, RangePreset, ResolvedRange, SeriesChoice,
    SiteInfo, TariffChoice, CURRENCIES, PRICE_AREAS,
};
pub use clock::{Clock, FakeClock, SystemClock};
pub use connectivity::{Backoff, Connectivity, ConnectivityStatus, RESTORED_REASON};
pub use environment::{Environment, MAINNET_URL, TESTNET_URL};
pub use error::{Error, ErrorKind, Result};
pub use events::{AppEvent, EventSink, RecordingEventSink};
pub use frames::{batch_frames, Batch, FRAME};
pub use whatif::{
    export_what_if, what_if, what_if_csv, MonthSpan, TariffRow, WhatIfCoverage, WhatIfOutput,
    WhatIfRequest,
};
// The installer's use-cases, as installer/mod.rs lists them (one list, not two).
pub use installer::*;
pub use manage::{
    add_der, add_member, create_organization, create_site, delete_device, delete_organization,
    delete_site, remove_member, rename_device, rename_organization, rename_site, set_member_role,
    Allowed, NewSiteInput, Permissions,
};
pub use novacore::Secret;
pub use reconnect::{keep_connected, OFFLINE_POLL};
pub use sandbox::{
    sandbox_sites_from_env, SandboxService, DEFAULT_SEED, SANDBOX_SITES_ENV, SANDBOX_ZAPS,
};
pub use secret_store::{
    KeyringSecretStore, MemorySecretStore, Persistence, SecretKey, SecretStore, SecretStoreChoice,
    DEFAULT_SERVICE,
};
pub use session::{ActiveSummary, Connections, OnSignedIn};
pub use settings::{
    Settings, SettingsFile, ThemePreference, DEFAULT_SILENCE_MINUTES, MAX_SILENCE_MINUTES,
    SETTINGS_FILE,
};
pub use signin::{import_identity, sign_in, SignedIn};
pub use vault::{IdentityVault, SessionRecord, IDENTITY_SECRET, SESSION_SECRET};
pub use watch::{Watch, WatchRegistry};
pub use workspace::{store_path, Workspace, WorkspaceParts};
