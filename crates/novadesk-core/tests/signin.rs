//! Sign-in against the in-process Sandbox: the identity is created once and kept in the vault,
//! the session token is stored (organizations with roles: tests/browse.rs).

use std::sync::Arc;

use novadesk_core::{sign_in, Environment, IdentityVault, MemorySecretStore, SandboxService};

#[tokio::test]
async fn first_sign_in_creates_the_identity_and_later_ones_reuse_it() {
    let sandbox = SandboxService::new();
    let env = Environment::Sandbox;
    let base = sandbox.base_url_for(&env).await.unwrap();
    let store = Arc::new(MemorySecretStore::new());
    let vault = IdentityVault::new(store.clone());

    let first = sign_in(&env, &base, &vault).await.expect("sign in");
    assert!(first.created_identity);
    assert!(vault.identity(&env).unwrap().is_some(), "identity kept");
    assert!(vault.session(&env).unwrap().is_some(), "session kept");
    assert!(!first.public_key.is_empty());

    let again = sign_in(&env, &base, &vault).await.expect("sign in again");
    assert!(!again.created_identity);
    assert_eq!(again.identity_id, first.identity_id);
    assert_eq!(again.public_key, first.public_key);

    sandbox.shutdown().await;
}

#[tokio::test]
async fn an_unreachable_environment_is_an_offline_error() {
    let store = Arc::new(MemorySecretStore::new());
    let vault = IdentityVault::new(store);
    let env = Environment::parse("http://127.0.0.1:9").unwrap();
    let err = sign_in(&env, "http://127.0.0.1:9", &vault)
        .await
        .unwrap_err();
    match err {
        novadesk_core::Error::Novacore(e) => assert!(e.is_offline(), "{e:?}"),
        other => panic!("expected an SDK error, got {other:?}"),
    }
}

/// The offline start: a stored session lets the app open (cached data) when the server is gone,
/// with the same identity id (so the same offline store); nothing stored means a plain error.
#[tokio::test]
async fn with_the_server_gone_the_stored_session_signs_in_offline() {
    let sandbox = SandboxService::new();
    let env = Environment::Sandbox;
    let base = sandbox.base_url_for(&env).await.unwrap();
    let vault = IdentityVault::new(Arc::new(MemorySecretStore::new()));
    let online = sign_in(&env, &base, &vault).await.expect("sign in");
    assert!(!online.offline);
    sandbox.shutdown().await;

    let offline = sign_in(&env, &base, &vault).await.expect("offline sign-in");
    assert!(offline.offline);
    assert_eq!(offline.identity_id, online.identity_id);
    assert_eq!(offline.public_key, online.public_key);
    let session = offline.client.session().expect("session restored");
    assert_eq!(session.identity_id, online.identity_id);
    // Requests still fail as offline (the view shows cached data), not as "signed out".
    let err = offline.client.organizations().list().await.unwrap_err();
    assert!(err.is_offline(), "{err:?}");

    // After sign-out (session dropped) there is nothing to open offline with.
    vault.clear_session(&env).unwrap();
    let err = sign_in(&env, &base, &vault).await.unwrap_err();
    assert!(
        matches!(&err, novadesk_core::Error::Novacore(e) if e.is_offline()),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_imported_identity_is_the_one_that_signs_in() {
    let sandbox = SandboxService::new();
    let env = Environment::Sandbox;
    let base = sandbox.base_url_for(&env).await.unwrap();
    let vault = IdentityVault::new(Arc::new(MemorySecretStore::new()));
    let first = sign_in(&env, &base, &vault).await.unwrap();

    // A 32-byte seed in hex, as another tool would export it.
    let seed_hex = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    let public_key =
        novadesk_core::import_identity(&env, &vault, &format!("  {seed_hex}\n")).unwrap();
    assert!(
        vault.session(&env).unwrap().is_none(),
        "the old identity's session is dropped"
    );
    let second = sign_in(&env, &base, &vault).await.unwrap();
    assert!(!second.created_identity);
    assert_eq!(second.public_key, public_key);
    assert_ne!(second.public_key, first.public_key);
    assert_ne!(second.identity_id, first.identity_id);

    // Garbage is refused with a message that does not echo the input, and changes nothing.
    let err = novadesk_core::import_identity(&env, &vault, "not-a-key-SECRETISH").unwrap_err();
    assert!(!err.to_string().contains("SECRETISH"), "{err}");
    let again = sign_in(&env, &base, &vault).await.unwrap();
    assert_eq!(again.public_key, public_key);
    sandbox.shutdown().await;
}
