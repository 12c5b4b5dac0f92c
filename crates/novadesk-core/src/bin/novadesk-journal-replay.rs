//! Test-mode replayer for the journal soak (`tests/installer_journal.rs`): opens the store file
//! `argv[2]`, signs in to the Sandbox at `argv[1]` with the identity PEM read from stdin (never
//! from argv or the environment), and replays the installer's journal until nothing is pending.
//! The test SIGKILLs it at random points and starts it again.

use std::io::Read;
use std::sync::Arc;

use novadesk_core::{
    replay, sign_in, Environment, IdentityVault, MemorySecretStore, RecordingEventSink,
    SystemClock, Workspace, WorkspaceParts,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, base_url, store_path] = args.as_slice() else {
        return Err("usage: novadesk-journal-replay BASE_URL STORE_FILE < identity.pem".into());
    };
    let mut pem = String::new();
    std::io::stdin().read_to_string(&mut pem)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(run(base_url, store_path, pem))
}

async fn run(
    base_url: &str,
    store_path: &str,
    pem: String,
) -> Result<(), Box<dyn std::error::Error>> {
    {
        let env = Environment::Sandbox;
        let vault = IdentityVault::new(Arc::new(MemorySecretStore::new()));
        vault.save_identity(&env, &novadesk_core::Secret::new(pem))?;
        let signed = sign_in(&env, base_url, &vault).await?;
        let store = novadesk_store::Store::open(std::path::Path::new(store_path))?;
        let ws = Workspace::new(
            WorkspaceParts {
                environment: env,
                base_url: base_url.to_string(),
                client: signed.client,
                identity_id: signed.identity_id,
                clock: Arc::new(SystemClock),
                events: Arc::new(RecordingEventSink::new()),
            },
            store,
        );
        loop {
            let report = replay(&ws).await?;
            println!("replayed {}", report.applied);
            if ws.store().pending_in_order()?.is_empty() {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
}
