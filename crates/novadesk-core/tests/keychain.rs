//! Keychain tests against a REAL Secret Service. They run only with NOVADESK_KEYRING_TESTS=1,
//! which `.ci/with-keyring.sh` sets after starting a throwaway gnome-keyring on a private
//! D-Bus session; otherwise each test returns early with a note, so a developer's own
//! keychain is never touched. They use their own service name for the same reason.

use novadesk_core::{
    KeyringSecretStore, Persistence, Secret, SecretKey, SecretStore, SecretStoreChoice,
};

const TEST_SERVICE: &str = "dev.novadesk.desktop.tests";

fn enabled(test: &str) -> bool {
    let on = std::env::var("NOVADESK_KEYRING_TESTS").as_deref() == Ok("1");
    if !on {
        println!("{test}: skipped — set NOVADESK_KEYRING_TESTS=1 (see .ci/with-keyring.sh) to run against a real Secret Service");
    }
    on
}

fn key(env: &str, name: &str) -> SecretKey {
    // Unique per run so reruns against the same keyring cannot see stale entries.
    let run = std::process::id();
    SecretKey::new(format!("{env}-{run}"), name).unwrap()
}

#[test]
fn probe_passes_and_detect_picks_the_keychain() {
    if !enabled("probe_passes_and_detect_picks_the_keychain") {
        return;
    }
    KeyringSecretStore::with_service(TEST_SERVICE)
        .probe()
        .expect("probe");
    let choice = SecretStoreChoice::detect();
    assert!(choice.user_notice().is_none(), "{:?}", choice.user_notice());
    assert_eq!(choice.store().persistence(), Persistence::Keychain);
}

#[test]
fn set_get_replace_delete_through_the_real_keychain() {
    if !enabled("set_get_replace_delete_through_the_real_keychain") {
        return;
    }
    let store = KeyringSecretStore::with_service(TEST_SERVICE);
    let k = key("testnet", "identity");
    assert!(store.get(&k).unwrap().is_none());
    store.set(&k, &Secret::new("first")).unwrap();
    // A second store instance (as after an app restart) reads what the first wrote.
    let reopened = KeyringSecretStore::with_service(TEST_SERVICE);
    assert_eq!(reopened.get(&k).unwrap().unwrap().expose(), "first");
    store.set(&k, &Secret::new("second")).unwrap();
    assert_eq!(reopened.get(&k).unwrap().unwrap().expose(), "second");
    assert!(store.delete(&k).unwrap());
    assert!(!store.delete(&k).unwrap());
    assert!(reopened.get(&k).unwrap().is_none());
}

#[test]
fn environments_and_services_are_separate_accounts() {
    if !enabled("environments_and_services_are_separate_accounts") {
        return;
    }
    let store = KeyringSecretStore::with_service(TEST_SERVICE);
    let other_service = KeyringSecretStore::with_service(format!("{TEST_SERVICE}.other"));
    let t = key("testnet", "identity");
    let m = key("mainnet", "identity");
    store.set(&t, &Secret::new("t-value")).unwrap();
    store.set(&m, &Secret::new("m-value")).unwrap();
    assert_eq!(store.get(&t).unwrap().unwrap().expose(), "t-value");
    assert_eq!(store.get(&m).unwrap().unwrap().expose(), "m-value");
    assert!(other_service.get(&t).unwrap().is_none());
    assert!(store.delete(&t).unwrap());
    assert_eq!(store.get(&m).unwrap().unwrap().expose(), "m-value");
    assert!(store.delete(&m).unwrap());
}
