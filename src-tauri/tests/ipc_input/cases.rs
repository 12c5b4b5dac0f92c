//! Every command with well-shaped arguments, the ground the malformed variants are made from.

use std::collections::BTreeMap;

use serde_json::{json, Value};

/// Every command with well-shaped arguments. `$org`, `$site`, `$device`, `$me`, `$zap` and
/// `$serial` become the Sandbox's real ids, so only the malformed argument is wrong. These
/// arguments themselves are never sent (some would delete or claim things); only their
/// malformed variants are. A command without arguments is listed with `{}`: there is nothing
/// to malform (Tauri does not read a body it has no argument for).
pub fn cases() -> BTreeMap<&'static str, Value> {
    let chan = || json!("__CHANNEL__:7");
    let chart = json!({
        "request_id": "c1", "site_id": "$site", "preset": "day", "from_ms": null,
        "to_ms": null, "series": [], "width": 800, "height": 400, "dark": false,
    });
    let whatif = json!({
        "request_id": "w1", "site_id": "$site", "from_ms": null, "to_ms": null,
        "width": 800, "height": 300, "dark": false,
    });
    BTreeMap::from([
        ("app_info", json!({})),
        ("get_settings", json!({})),
        ("set_theme", json!({"theme": "dark"})),
        ("connect", json!({"environment": "sandbox"})),
        ("sign_out", json!({})),
        ("forget_identity", json!({"environment": "sandbox"})),
        (
            "import_identity",
            json!({"environment": "sandbox", "key": "0000000000000000000000000000000000000000000000000000000000000001"}),
        ),
        ("has_identity", json!({"environment": "sandbox"})),
        ("get_organizations", json!({"source": "cache"})),
        (
            "get_organization",
            json!({"orgId": "$org", "source": "cache"}),
        ),
        ("get_sites", json!({"source": "cache"})),
        ("get_site", json!({"siteId": "$site", "source": "cache"})),
        (
            "get_device",
            json!({"deviceId": "$device", "source": "cache"}),
        ),
        ("create_organization", json!({"name": "Acme"})),
        (
            "rename_organization",
            json!({"orgId": "$org", "name": "Acme"}),
        ),
        ("delete_organization", json!({"orgId": "$org"})),
        (
            "create_site",
            json!({"orgId": "$org", "name": "Home", "timezone": null, "priceArea": null}),
        ),
        ("rename_site", json!({"siteId": "$site", "name": "Home"})),
        ("delete_site", json!({"siteId": "$site"})),
        (
            "add_member",
            json!({"orgId": "$org", "identityId": "$me", "role": "viewer"}),
        ),
        (
            "set_member_role",
            json!({"orgId": "$org", "identityId": "$me", "role": "owner"}),
        ),
        (
            "remove_member",
            json!({"orgId": "$org", "identityId": "$me"}),
        ),
        (
            "rename_device",
            json!({"deviceId": "$device", "name": "Inverter"}),
        ),
        ("delete_device", json!({"deviceId": "$device"})),
        (
            "add_der",
            json!({"deviceId": "$device", "name": "pv2", "derType": "solar"}),
        ),
        ("watch_site", json!({"siteId": "$site", "channel": chan()})),
        ("unwatch_site", json!({"subscription": 1})),
        ("chart_options", json!({"siteId": "$site"})),
        (
            "set_site_chart_prefs",
            json!({"siteId": "$site", "prefs": {"price_area": "SE3", "currency": "SEK", "tariff_id": null}}),
        ),
        (
            "render_site_chart",
            json!({"request": chart.clone(), "progress": chan()}),
        ),
        ("cancel_chart", json!({"requestId": "c1"})),
        (
            "export_site_chart",
            json!({"request": chart, "format": "csv"}),
        ),
        (
            "sweep_zaps",
            json!({"network": "127.0.15.0/30", "port": null, "requestId": "s1", "onUpdate": chan()}),
        ),
        ("watch_mdns", json!({"requestId": "m1", "onUpdate": chan()})),
        ("stop_mdns", json!({"requestId": "m1"})),
        ("sandbox_zaps", json!({})),
        ("cancel_sweep", json!({"requestId": "s1"})),
        ("inspect_zap", json!({"address": "$zap"})),
        ("check_zap_health", json!({"address": "$zap"})),
        ("get_claim_targets", json!({"source": "cache"})),
        (
            "claim_zap",
            json!({"address": "$zap", "orgId": "$org", "confirmTransfer": false}),
        ),
        (
            "release_gateway",
            json!({"orgId": "$org", "serial": "$serial"}),
        ),
        (
            "start_batch_claim",
            json!({
                "batch": {"addresses": ["$zap"], "org_id": "$org", "confirm_transfer": false, "provision": null},
                "requestId": "b1", "onUpdate": chan(),
            }),
        ),
        ("cancel_batch_claim", json!({"requestId": "b1"})),
        ("scan_zap_wifi", json!({"address": "$zap"})),
        (
            "join_zap_wifi",
            json!({"address": "$zap", "ssid": "Home", "passphrase": "correct horse", "onProgress": chan()}),
        ),
        ("get_zap_device_form", json!({"address": "$zap"})),
        ("get_zap_devices", json!({"address": "$zap"})),
        (
            "add_zap_device",
            json!({"address": "$zap", "connType": "modbus_tcp", "values": [["host", "10.0.0.9"]]}),
        ),
        (
            "get_zap_device_readings",
            json!({"address": "$zap", "sn": "SN1"}),
        ),
        ("remove_zap_device", json!({"address": "$zap", "sn": "SN1"})),
        (
            "set_zap_der_publishing",
            json!({"address": "$zap", "sn": "SN1", "derType": "solar", "on": true}),
        ),
        ("get_provision_form", json!({"address": "$zap"})),
        (
            "provision_zap_device",
            json!({"form": {
                "address": "$zap", "sn": "SN1", "site_id": "$site", "device_type": "inverter",
                "name": null, "manufacturer": null, "model": null,
                "ders": [{"name": "pv", "der_type": "solar"}],
            }}),
        ),
        (
            "set_zap_publishing",
            json!({"address": "$zap", "sn": "SN1", "on": true}),
        ),
        (
            "wait_first_reading",
            json!({"address": "$zap", "siteId": "$site", "deviceId": "$device", "requestId": "f1", "onUpdate": chan()}),
        ),
        ("cancel_first_reading", json!({"requestId": "f1"})),
        ("make_report", json!({"address": "$zap"})),
        (
            "verify_report",
            json!({"source": {"path": "/etc/hostname", "contents": null}}),
        ),
        ("choose_report_file", json!({})),
        ("get_installer_journal", json!({})),
        ("get_journal_counts", json!({})),
        ("retry_journal_item", json!({"id": 1})),
        ("drop_journal_item", json!({"id": 1})),
        ("get_journal_edit_form", json!({"id": 1})),
        (
            "edit_journal_item",
            json!({"id": 1, "edit": {"step": "provision", "site_id": "$site", "device_type": "meter",
                "name": "Meter", "manufacturer": null, "model": null,
                "ders": [{"name": "Grid", "der_type": "meter"}]}}),
        ),
        ("watch_peak", json!({"siteId": "$site", "channel": chan()})),
        ("set_silence_threshold", json!({"minutes": 15})),
        ("watch_fleet", json!({"channel": chan()})),
        ("unwatch_fleet", json!({"subscription": 1})),
        (
            "compare_tariffs",
            json!({"request": whatif.clone(), "progress": chan()}),
        ),
        ("cancel_tariff_comparison", json!({"requestId": "w1"})),
        ("export_tariff_comparison", json!({"request": whatif})),
        (
            "set_peak_notifications",
            json!({"siteId": "$site", "enabled": false}),
        ),
    ])
}
