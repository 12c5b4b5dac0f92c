//! The session lifecycle through `Connections`, as the window drives it, against in-process
//! sandboxes: connect (and remember), sign out, forget, import, the offline start from the kept
//! session and coming back. The single steps (sign_in, the vault) are in tests/signin.rs and the
//! unit tests.

use std::sync::Arc;
use std::time::Duration;

use novadesk_core::{
    store_path, AppEvent, Connections, Environment, Error, ErrorKind, KeyringSecretStore,
    RecordingEventSink, SandboxService, SecretStoreChoice, SettingsFile, Workspace,
};

struct App {
    dir: tempfile::TempDir,
    settings: Arc<SettingsFile>,
    connections: Connections,
    events: Arc<RecordingEventSink>,
}

/// A fresh app over a temp dir, with session-only secrets (tests never touch a keychain).
fn app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let settings = Arc::new(SettingsFile::open(dir.path().join("config")));
    let no_keychain = SecretStoreChoice::from_probe(
        KeyringSecretStore::with_service("novadesk.test.unused"),
        Err(Error::KeychainUnavailable {
            reason: "no Secret Service in tests".into(),
        }),
    );
    let connections =
        Connections::new(dir.path().join("data"), settings.clone()).with_secret_store(no_keychain);
    let events = Arc::new(RecordingEventSink::new());
    connections.set_events(events.clone());
    App {
        dir,
        settings,
        connections,
        events,
    }
}

fn not_signed_in(result: novadesk_core::Result<Workspace>) -> bool {
    matches!(result, Err(Error::NotSignedIn))
}

/// Waits until only the test holds the workspace: the connection that held it ended and its
/// reconnector task was aborted (an abort takes effect when the runtime next polls the task).
async fn released(ws: &Workspace) -> bool {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while Arc::strong_count(&ws.store) > 1 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    Arc::strong_count(&ws.store) == 1
}

#[tokio::test]
async fn connecting_signs_in_opens_the_store_and_remembers_the_environment() {
    let app = app();
    let before = app.connections.workspace().await;
    assert!(not_signed_in(before), "nothing connected yet");
    assert_eq!(Error::NotSignedIn.kind(), ErrorKind::SignInRequired);

    let first = app.connections.connect(Environment::Sandbox).await.unwrap();
    assert_eq!(first.environment, "sandbox");
    assert_eq!(first.environment_id, "sandbox");
    assert_eq!(first.environment_name, "Sandbox");
    assert!(
        first.base_url.starts_with("http://127.0.0.1:"),
        "{}",
        first.base_url
    );
    assert!(first.new_identity);
    assert!(!first.offline);
    assert!(!first.public_key.is_empty());
    let notice = first.secrets_notice.as_deref().expect("no keychain notice");
    assert!(notice.starts_with("No keychain is available"), "{notice}");
    assert_eq!(
        app.connections.secrets_notice().await.unwrap().as_deref(),
        Some(notice)
    );

    let ws = app.connections.workspace().await.unwrap();
    assert_eq!(ws.identity_id, first.identity_id);
    assert_eq!(ws.base_url, first.base_url);
    assert!(store_path(
        &app.dir.path().join("data"),
        &Environment::Sandbox,
        &ws.identity_id
    )
    .exists());
    assert_eq!(ws.connectivity.status().online, Some(true));
    assert!(app
        .events
        .events()
        .contains(&AppEvent::ConnectivityChanged {
            online: true,
            reason: None
        }));
    assert!(app
        .connections
        .has_identity(&Environment::Sandbox)
        .await
        .unwrap());
    assert!(!app
        .connections
        .has_identity(&Environment::Testnet)
        .await
        .unwrap());

    // Remembered for the next start, on disk.
    let saved = SettingsFile::open(app.dir.path().join("config")).get();
    assert_eq!(saved.last_environment.as_deref(), Some("sandbox"));
    assert!(saved.reopen_last);
    assert_eq!(app.settings.get(), saved);
    assert_eq!(saved.environment_to_open(None).as_deref(), Some("sandbox"));

    // Connecting again reuses the identity and ends the first connection with its reconnector.
    let again = app.connections.connect(Environment::Sandbox).await.unwrap();
    assert!(!again.new_identity);
    assert_eq!(again.identity_id, first.identity_id);
    assert_eq!(again.public_key, first.public_key);
    assert!(released(&ws).await, "the first connection still runs");
}

#[tokio::test]
async fn signing_out_keeps_the_identity_and_the_next_start_waits_on_the_welcome_view() {
    let app = app();
    // Signing out with nothing connected is not an error.
    app.connections.sign_out().await.unwrap();

    let first = app.connections.connect(Environment::Sandbox).await.unwrap();
    let ws = app.connections.workspace().await.unwrap();
    app.connections.sign_out().await.unwrap();
    assert!(not_signed_in(app.connections.workspace().await));
    assert!(released(&ws).await, "the reconnector outlived the sign-out");
    assert!(app
        .connections
        .has_identity(&Environment::Sandbox)
        .await
        .unwrap());
    let settings = app.settings.get();
    assert_eq!(settings.last_environment.as_deref(), Some("sandbox"));
    assert!(!settings.reopen_last);
    assert_eq!(settings.environment_to_open(None), None);

    let again = app.connections.connect(Environment::Sandbox).await.unwrap();
    assert!(!again.new_identity);
    assert_eq!(again.identity_id, first.identity_id);
}

#[tokio::test]
async fn forgetting_the_identity_signs_out_and_the_next_sign_in_is_a_new_identity() {
    let app = app();
    let first = app.connections.connect(Environment::Sandbox).await.unwrap();

    // Another environment's identity: the connection stays.
    assert!(!app
        .connections
        .forget_identity(&Environment::Testnet)
        .await
        .unwrap());
    assert!(app.connections.workspace().await.is_ok());

    assert!(app
        .connections
        .forget_identity(&Environment::Sandbox)
        .await
        .unwrap());
    assert!(not_signed_in(app.connections.workspace().await));
    assert!(!app
        .connections
        .has_identity(&Environment::Sandbox)
        .await
        .unwrap());
    assert!(!app.settings.get().reopen_last);
    assert!(!app
        .connections
        .forget_identity(&Environment::Sandbox)
        .await
        .unwrap());

    let second = app.connections.connect(Environment::Sandbox).await.unwrap();
    assert!(second.new_identity);
    assert_ne!(second.public_key, first.public_key);
    assert_ne!(second.identity_id, first.identity_id);
}

#[tokio::test]
async fn an_imported_key_replaces_the_identity_and_garbage_changes_nothing() {
    let app = app();
    let first = app.connections.connect(Environment::Sandbox).await.unwrap();

    let err = app
        .connections
        .import_identity(&Environment::Sandbox, "not-a-key-SECRETISH")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Failed);
    let text = err.user_message();
    assert!(
        text.starts_with("That is not an Ed25519 private key Novadesk can read ("),
        "{text}"
    );
    assert!(
        text.ends_with("Paste a PKCS#8 PEM, or the 32-byte seed in hex, base64 or base58."),
        "{text}"
    );
    assert!(!text.contains("SECRETISH"), "{text}");
    assert!(app.connections.workspace().await.is_ok(), "still signed in");

    let seed_hex = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    let public_key = app
        .connections
        .import_identity(&Environment::Sandbox, seed_hex)
        .await
        .unwrap();
    assert!(not_signed_in(app.connections.workspace().await));
    let second = app.connections.connect(Environment::Sandbox).await.unwrap();
    assert!(!second.new_identity);
    assert_eq!(second.public_key, public_key);
    assert_ne!(second.public_key, first.public_key);
}

#[tokio::test]
async fn an_unreachable_environment_without_a_kept_session_is_an_offline_error() {
    let app = app();
    let err = app
        .connections
        .connect(Environment::parse("http://127.0.0.1:9").unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Offline, "{err:?}");
    assert!(not_signed_in(app.connections.workspace().await));
    assert_eq!(app.settings.get().last_environment, None, "not remembered");
}

/// The server goes away: the next start opens offline from the kept session (banner with the
/// reason), and the reconnector brings it back online when the server returns on its address.
#[tokio::test]
async fn with_the_server_gone_it_opens_offline_and_comes_back_by_itself() {
    let app = app();
    let server = SandboxService::new();
    let base = server.base_url_for(&Environment::Sandbox).await.unwrap();
    let env = Environment::parse(&base).unwrap();
    let online = app.connections.connect(env.clone()).await.unwrap();
    server.shutdown().await;

    app.events.take();
    let offline = app.connections.connect(env.clone()).await.unwrap();
    assert!(offline.offline);
    assert_eq!(offline.identity_id, online.identity_id);
    let ws = app.connections.workspace().await.unwrap();
    assert_eq!(ws.connectivity.status().online, Some(false));
    let reason = format!(
        "{} cannot be reached; signed in from the saved session.",
        env.display_name()
    );
    assert_eq!(
        app.events.events().first(),
        Some(&AppEvent::ConnectivityChanged {
            online: false,
            reason: Some(reason)
        })
    );

    let addr: std::net::SocketAddr = base.trim_start_matches("http://").parse().unwrap();
    let Ok(back) = novacore_sim::Sandbox::builder()
        .demo(true)
        .control(false)
        .addr(addr)
        .start()
        .await
    else {
        return; // the port was taken meanwhile; nothing more to assert on this machine
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while ws.connectivity.status().online != Some(true) && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(ws.connectivity.status().online, Some(true), "came back");
    app.connections.sign_out().await.unwrap();
    back.shutdown().await;
}
