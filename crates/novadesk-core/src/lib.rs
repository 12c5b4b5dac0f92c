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
//!
//! Signed in, use-cases take a [`Workspace`]: browsing reads store first (`cached_*`, then
//! `refresh_*`, see [`Cached`]); managing ([`create_site`], [`add_member`], …) changes the server
//! and then the store; [`Permissions`] says what your role allows, with the reason.

//!
//! Start-up, as the shell would wire it:
//!
//! ```no_run
//! # async fn start(cli_env: Option<&str>, config_dir: std::path::PathBuf) -> novadesk_core::Result<()> {
//! use std::sync::Arc;
//! use novadesk_core::*;
//!
//! let events: Arc<dyn EventSink> = Arc::new(|e: AppEvent| println!("{e:?}")); // shell: emit to the window
//! // Blocking D-Bus round trip (~50-100 ms): run it off the async workers.
//! let secrets = tokio::task::spawn_blocking(SecretStoreChoice::detect).await.expect("probe task");
//! secrets.announce(&*events); // the UI shows the "No keychain …" notice when there is one
//! let vault = IdentityVault::new(secrets.store());
//!
//! let selection = EnvironmentSelection::new(
//!     Arc::new(JsonFileSettings::in_dir(config_dir)),
//!     Arc::new(SandboxService::new()),
//!     events.clone(),
//! );
//! let env = selection.initial(cli_env)?; // CLI > last used > Sandbox
//! let active = selection.select(env).await?; // starts the Sandbox if chosen
//! let has_identity = vault.identity(&active.environment)?.is_some();
//! # let _ = has_identity;
//! # Ok(()) }
//! ```

mod browse;
mod chart;
mod clock;
mod connectivity;
mod environment;
mod error;
mod events;
mod frames;
pub mod live;
mod manage;
mod reconnect;
mod sandbox;
mod secret;
mod secret_store;
mod selection;
mod settings;
mod signin;
mod vault;
mod watch;
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
pub use error::{Error, Result};
pub use events::{AppEvent, EventSink, RecordingEventSink, SessionState};
pub use frames::{batch_frames, Batch, FRAME};
pub use manage::{
    add_der, add_member, create_organization, create_site, delete_device, delete_organization,
    delete_site, remove_member, rename_device, rename_organization, rename_site, set_member_role,
    Allowed, NewSiteInput, Permissions,
};
pub use reconnect::{keep_connected, OFFLINE_POLL};
pub use sandbox::{sandbox_sites_from_env, SandboxService, DEFAULT_SEED, SANDBOX_SITES_ENV};
pub use secret::Secret;
pub use secret_store::{
    KeyringSecretStore, MemorySecretStore, Persistence, SecretKey, SecretStore, SecretStoreChoice,
    DEFAULT_SERVICE,
};
pub use selection::{ActiveEnvironment, EnvironmentSelection};
pub use settings::{JsonFileSettings, MemorySettings, Settings, SettingsStore, SETTINGS_FILE};
pub use signin::{import_identity, sign_in, SignedIn};
pub use vault::{IdentityVault, SessionRecord, IDENTITY_SECRET, SESSION_SECRET};
pub use watch::{Watch, WatchRegistry};
pub use workspace::{store_path, Workspace, WorkspaceParts};
