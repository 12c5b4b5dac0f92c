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
