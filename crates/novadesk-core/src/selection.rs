//! [`EnvironmentSelection`]: the use-case behind the environment picker — which environment
//! the app opens in, switching (starting the Sandbox when chosen), remembering the choice.

use std::sync::Arc;

use serde::Serialize;
use tokio::sync::Mutex;

use crate::environment::Environment;
use crate::error::Result;
use crate::events::{AppEvent, EventSink};
use crate::sandbox::SandboxService;
use crate::settings::SettingsStore;

/// The environment in use and where it answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActiveEnvironment {
    /// The environment.
    pub environment: Environment,
    /// Its base URL (no trailing slash); for the Sandbox, the running sandbox's.
    pub base_url: String,
    /// Whether the choice was saved for the next start (false: the settings file could not be
    /// written; the switch still happened and the cause was logged).
    pub remembered: bool,
}

/// Picks, switches and remembers the environment.
pub struct EnvironmentSelection {
    settings: Arc<dyn SettingsStore>,
    sandbox: Arc<SandboxService>,
    events: Arc<dyn EventSink>,
    active: Mutex<Option<ActiveEnvironment>>,
}

impl std::fmt::Debug for EnvironmentSelection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnvironmentSelection")
            .field("settings", &self.settings)
            .field("sandbox", &self.sandbox)
            .finish_non_exhaustive()
    }
}

impl EnvironmentSelection {
    /// A selection with nothing active yet.
    pub fn new(
        settings: Arc<dyn SettingsStore>,
        sandbox: Arc<SandboxService>,
        events: Arc<dyn EventSink>,
    ) -> Self {
        Self {
            settings,
            sandbox,
            events,
            active: Mutex::new(None),
        }
    }

    /// The environment to open in: the command line's (`sandbox|testnet|mainnet|<url>`) if
    /// given, else the last used, else the Sandbox. A bad command-line value is an error (the
    /// user asked for something specific); unreadable settings are logged and skipped so the
    /// app still starts.
    pub fn initial(&self, cli: Option<&str>) -> Result<Environment> {
        if let Some(arg) = cli {
            return Environment::parse(arg);
        }
        match self.settings.last_environment() {
            Ok(Some(e)) => Ok(e),
            Ok(None) => Ok(Environment::Sandbox),
            Err(e) => {
                tracing::warn!(error = %e, "settings unreadable; opening the Sandbox");
                Ok(Environment::Sandbox)
            }
        }
    }

    /// Switches to `environment`: resolves its base URL (starting the Sandbox the first time
    /// it is chosen), remembers the choice and emits [`AppEvent::EnvironmentChanged`]. When the
    /// Sandbox cannot start, nothing changes and the error is returned.
    pub async fn select(&self, environment: Environment) -> Result<ActiveEnvironment> {
        let mut active = self.active.lock().await;
        let base_url = self.sandbox.base_url_for(&environment).await?;
        let remembered = match self.settings.remember_environment(&environment) {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!(error = %e, "could not remember the environment");
                false
            }
        };
        let now = ActiveEnvironment {
            environment,
            base_url,
            remembered,
        };
        *active = Some(now.clone());
        self.events.emit(AppEvent::EnvironmentChanged {
            environment: now.environment.clone(),
            base_url: Some(now.base_url.clone()),
        });
        Ok(now)
    }

    /// The environment in use, if one was selected.
    pub async fn active(&self) -> Option<ActiveEnvironment> {
        self.active.lock().await.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::events::RecordingEventSink;
    use crate::settings::{JsonFileSettings, MemorySettings};

    fn selection(
        settings: Arc<dyn SettingsStore>,
    ) -> (EnvironmentSelection, Arc<RecordingEventSink>) {
        let events = Arc::new(RecordingEventSink::new());
        let sel =
            EnvironmentSelection::new(settings, Arc::new(SandboxService::new()), events.clone());
        (sel, events)
    }

    #[test]
    fn opens_in_cli_choice_then_last_used_then_sandbox() {
        let settings = Arc::new(MemorySettings::new());
        let (sel, _) = selection(settings.clone());
        assert_eq!(sel.initial(None).unwrap(), Environment::Sandbox);
        settings
            .remember_environment(&Environment::Testnet)
            .unwrap();
        assert_eq!(sel.initial(None).unwrap(), Environment::Testnet);
        assert_eq!(sel.initial(Some("mainnet")).unwrap(), Environment::Mainnet);
        assert!(matches!(
            sel.initial(Some("http://nc.example.com")),
            Err(Error::InvalidEnvironment { .. })
        ));
    }

    #[test]
    fn unreadable_settings_still_open_the_sandbox() {
        let dir = tempfile::tempdir().unwrap();
        let file = JsonFileSettings::in_dir(dir.path());
        std::fs::write(file.path(), b"not json").unwrap();
        let (sel, _) = selection(Arc::new(file));
        assert_eq!(sel.initial(None).unwrap(), Environment::Sandbox);
    }

    #[tokio::test]
    async fn selecting_testnet_remembers_and_announces_without_starting_the_sandbox() {
        let settings = Arc::new(MemorySettings::new());
        let (sel, events) = selection(settings.clone());
        assert_eq!(sel.active().await, None);
        let a = sel.select(Environment::Testnet).await.unwrap();
        assert_eq!(a.base_url, "https://novacore-testnet.sourceful.dev");
        assert!(a.remembered);
        assert_eq!(sel.active().await, Some(a.clone()));
        assert_eq!(
            settings.last_environment().unwrap(),
            Some(Environment::Testnet)
        );
        assert_eq!(sel.sandbox.base_url().await, None);
        assert_eq!(
            events.take(),
            vec![AppEvent::EnvironmentChanged {
                environment: Environment::Testnet,
                base_url: Some(a.base_url),
            }]
        );
    }

    #[tokio::test]
    async fn selecting_the_sandbox_starts_it_and_a_failed_save_does_not_block_the_switch() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("a-file");
        std::fs::write(&blocker, b"x").unwrap();
        let (sel, events) = selection(Arc::new(JsonFileSettings::in_dir(&blocker)));
        let a = sel.select(Environment::Sandbox).await.unwrap();
        assert!(
            a.base_url.starts_with("http://127.0.0.1:"),
            "{}",
            a.base_url
        );
        assert!(!a.remembered);
        assert_eq!(
            sel.sandbox.base_url().await.as_deref(),
            Some(a.base_url.as_str())
        );
        assert_eq!(events.events().len(), 1);
        sel.sandbox.shutdown().await;
    }
}
