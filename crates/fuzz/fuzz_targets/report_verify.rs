//! A commissioning report file as the installer opens it (`report::verify`): JSON, digest,
//! signer, the Zap's `digest|nonce|timestamp|serial` message and its ES256 signature, then the
//! platform check against an empty and a one-gateway listing. Oracle: no panic; a verification
//! that names no failure is `ok()`, and one that does has a sentence for it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use novacore::models::Gateway;
use novacore::report::{platform_key_check, verify};

fuzz_target!(|data: &[u8]| {
    let mut v = verify(data);
    assert_eq!(v.ok(), v.first_failure().is_none());
    assert!(!v.checks.is_empty(), "a verification without checks");
    if let Some(summary) = v.report.clone() {
        let gateway: Gateway = serde_json::from_value(serde_json::json!({
            "serial": summary.serial,
            "public_key": summary.public_key,
            "org_id": summary.org_id,
        }))
        .expect("a gateway from the report's own fields");
        let _ = platform_key_check(&summary, &[]);
        v.set_platform(platform_key_check(&summary, &[gateway]));
        assert_eq!(v.ok(), v.first_failure().is_none());
    }
});
