//! Everything a use-case needs once the user is signed in to an environment: the way to call
//! Novacore, the offline store for this environment + identity, the clock, the event sink and
//! reachability. [`crate::Connections`] holds the signed-in one; use-cases take `&Workspace`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use futures::{Stream, StreamExt};
use novacore::stream::StreamEvent;
use novacore::Client;
use novadesk_store::Store;

use crate::clock::Clock;
use crate::connectivity::Connectivity;
use crate::environment::Environment;
use crate::error::Result;
use crate::events::EventSink;

/// A signed-in (or, offline, restored) connection plus its offline store. Cheap to clone.
#[derive(Clone)]
pub struct Workspace {
    /// The environment signed in to.
    pub environment: Environment,
    /// Its base URL (the Sandbox's loopback URL, testnet, mainnet or the custom one).
    pub base_url: String,
    /// The SDK client (holds identity and session; re-authenticates by itself). Private: use-cases
    /// reach it only through [`Workspace::novacore`], which reports what each call saw.
    client: Client,
    /// The identity id the session belongs to.
    pub identity_id: String,
    /// The offline store for (environment, identity). SQLite calls are short: take the lock with
    /// [`Workspace::store`], never hold it across an `.await`.
    pub store: Arc<Mutex<Store>>,
    /// Time source (fake in tests).
    pub clock: Arc<dyn Clock>,
    /// Where events for the window go.
    pub events: Arc<dyn EventSink>,
    /// Whether the environment is reachable; use-cases report what their requests saw.
    pub connectivity: Arc<Connectivity>,
    /// Held while the installer's journal replays, so two replays never send the same entry.
    pub journal_lock: Arc<tokio::sync::Mutex<()>>,
    /// Unique per opened workspace (clones share it): tasks keyed by it belong to this sign-in,
    /// not to a later one of the same identity.
    pub instance: u64,
}

/// The next [`Workspace::instance`].
static INSTANCES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl std::fmt::Debug for Workspace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workspace")
            .field("environment", &self.environment)
            .field("base_url", &self.base_url)
            .field("identity_id", &self.identity_id)
            .finish_non_exhaustive()
    }
}

/// What [`Workspace::new`] needs besides the store.
pub struct WorkspaceParts {
    pub environment: Environment,
    pub base_url: String,
    pub client: Client,
    pub identity_id: String,
    pub clock: Arc<dyn Clock>,
    pub events: Arc<dyn EventSink>,
}

impl Workspace {
    /// A workspace over an already opened store.
    pub fn new(parts: WorkspaceParts, store: Store) -> Self {
        let connectivity = Arc::new(Connectivity::new(parts.clock.clone(), parts.events.clone()));
        Self {
            environment: parts.environment,
            base_url: parts.base_url,
            client: parts.client,
            identity_id: parts.identity_id,
            store: Arc::new(Mutex::new(store)),
            clock: parts.clock,
            events: parts.events,
            connectivity,
            journal_lock: Arc::default(),
            instance: INSTANCES.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// A workspace whose store is the file for (environment, identity) under `data_dir`.
    pub fn open(parts: WorkspaceParts, data_dir: &Path) -> Result<Self> {
        let path = store_path(data_dir, &parts.environment, &parts.identity_id);
        let store = Store::open(&path)?;
        Ok(Self::new(parts, store))
    }

    /// A workspace with a private in-memory store (tests).
    pub fn in_memory(parts: WorkspaceParts) -> Result<Self> {
        Ok(Self::new(parts, Store::open_in_memory()?))
    }

    /// The store, locked. A poisoned lock (a panic while holding it) still yields the store:
    /// SQLite transactions keep the file consistent whatever the panicking code was doing.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Calls Novacore: `call` gets the SDK client, and what it returns tells [`Connectivity`] what
    /// it saw (success: online; an offline-kind error: offline, the banner). The only way to the
    /// client, so no call can skip the report.
    pub async fn novacore<T>(
        &self,
        call: impl AsyncFnOnce(&Client) -> novacore::Result<T>,
    ) -> novacore::Result<T> {
        let result = call(&self.client).await;
        match &result {
            Ok(_) => {
                self.connectivity.report_online();
            }
            Err(e) => self.report_error(e),
        }
        result
    }

    /// A live stream opened by `open`, reporting as it goes: a reading or a reconnect means
    /// online, a failure of the offline kind means offline. Disconnects and keep-alive timeouts
    /// are the stream's own retries, not a verdict on the environment.
    pub fn novacore_stream<S>(
        &self,
        open: impl FnOnce(Client) -> S,
    ) -> impl Stream<Item = novacore::Result<StreamEvent>> + Send + 'static
    where
        S: Stream<Item = novacore::Result<StreamEvent>> + Send + 'static,
    {
        let ws = self.clone();
        open(self.client.clone()).inspect(move |event| match event {
            Ok(StreamEvent::Reading { .. } | StreamEvent::Reconnected { .. }) => {
                ws.connectivity.report_online();
            }
            Ok(_) => {}
            Err(e) => ws.report_error(e),
        })
    }

    fn report_error(&self, e: &novacore::Error) {
        if e.is_offline() {
            self.connectivity.report_offline(format!(
                "{} cannot be reached.",
                self.environment.display_name()
            ));
        } else if let novacore::Error::Server { status, .. } = e {
            if e.is_unavailable() {
                // It answers, but serves nothing: offline as far as the window is concerned.
                self.connectivity.report_offline(format!(
                    "{} is unavailable right now (HTTP {status}).",
                    self.environment.display_name()
                ));
            }
        }
    }

    /// Now, in epoch milliseconds (the store's time unit).
    pub fn now_ms(&self) -> i64 {
        self.clock.now().timestamp_millis()
    }
}

/// `data_dir/stores/<environment>/<identity>.db`, with both parts reduced to file-name-safe
/// characters (a custom environment is a URL).
pub fn store_path(data_dir: &Path, env: &Environment, identity_id: &str) -> PathBuf {
    data_dir
        .join("stores")
        .join(file_safe(&env.id()))
        .join(format!("{}.db", file_safe(identity_id)))
}

fn file_safe(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(120)
        .collect();
    if cleaned.is_empty() {
        "_".into()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_paths_are_file_safe_and_distinct_per_environment_and_identity() {
        let dir = Path::new("/data");
        let custom = Environment::parse("https://nova.example.com:8443/api").unwrap();
        let p = store_path(dir, &custom, "idt/../x");
        let name = p.strip_prefix("/data/stores").unwrap();
        assert_eq!(name.components().count(), 2, "{p:?}");
        assert!(!p.to_string_lossy().contains(".."), "{p:?}");
        let sandbox = store_path(dir, &Environment::parse("sandbox").unwrap(), "idt-1");
        assert_eq!(sandbox, Path::new("/data/stores/sandbox/idt-1.db"));
        assert_ne!(
            sandbox,
            store_path(dir, &Environment::parse("testnet").unwrap(), "idt-1")
        );
    }
}
