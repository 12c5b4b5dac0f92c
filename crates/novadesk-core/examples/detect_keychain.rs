//! Prints which secret store the app would use here, and how long the probe took.
//! `cargo run -p novadesk-core --example detect_keychain`
//! (Probes the keychain of the current session with a throwaway entry it deletes again.)

use std::time::Instant;

use novadesk_core::SecretStoreChoice;

fn main() {
    let t = Instant::now();
    let choice = SecretStoreChoice::detect();
    let took = t.elapsed();
    println!("persistence: {:?}", choice.store().persistence());
    println!("notice: {}", choice.user_notice().unwrap_or("(none)"));
    println!("probe took: {took:?}");
}
