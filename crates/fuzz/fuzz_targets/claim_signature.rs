//! The claim proof's parts as both sides read them: a public key, the signed message and the
//! signature (three lines of the input), through the SDK's `es256` and `PublicKey` readers and
//! the Sandbox's (server-side) key parser and verifier, plus an identity import. Oracle: no
//! panic, and the app and the server agree: a proof the SDK accepts for a P-256 key verifies on
//! the server too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use novacore::{es256, models::PublicKey, Identity};
use novacore_sim::auth::keys::PublicKey as ServerKey;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.splitn(3, '\n');
    let key = lines.next().unwrap_or("");
    let message = lines.next().unwrap_or("");
    let signature = lines.next().unwrap_or("");

    let _ = es256::parse_signature(signature);
    let sdk_key = es256::parse_key(key);
    let sdk_ok = es256::verify(key, message.as_bytes(), signature).is_ok();
    let _ = es256::same_key(key, signature);
    if let Ok(k) = PublicKey::parse(key) {
        assert_eq!(
            PublicKey::parse(&k.to_hex()).ok(),
            Some(k),
            "hex form reads back"
        );
    }
    let server = ServerKey::parse(key);
    if let Some(k) = &server {
        let _ = (k.canonical(), k.is_human());
        let server_ok = k.verify(message.as_bytes(), signature);
        if sdk_ok {
            assert!(server_ok, "the SDK accepts a proof the server refuses");
        }
    }
    if sdk_key.is_ok() {
        assert!(
            server.is_some_and(|k| !k.is_human()),
            "a P-256 key the server cannot read"
        );
    }
    if let Ok(id) = Identity::import(text.trim()) {
        let _ = id.public_key_hex();
    }
});
