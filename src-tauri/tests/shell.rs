//! The shell through tauri's mock runtime: the app is built with its real state and commands, and
//! commands are called through IPC exactly as the webview calls them.

mod mock;

use mock::{app_with, app_with_env, invoke};
use novadesk::paths::AppPaths;
use serde_json::json;

#[test]
fn app_info_through_ipc_reports_version_dirs_and_profile() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app_with(AppPaths::resolve("test.novadesk", Some(dir.path().into())));
    let info = invoke(&webview, "app_info", json!({})).expect("app_info ok");
    assert_eq!(info["name"], "Novadesk");
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    let commit = info["commit"].as_str().expect("commit");
    assert!(
        commit == "unknown"
            || (commit.len() == 10 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "{commit}"
    );
    assert_eq!(
        info["profile"],
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    assert_eq!(info["data_dir"], dir.path().display().to_string());
    assert_eq!(
        info["log_dir"],
        dir.path().join("logs").display().to_string()
    );
    assert_eq!(info["requested_env"], "sandbox");
}

#[test]
fn theme_is_persisted_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let paths = AppPaths::resolve("test.novadesk", Some(dir.path().into()));
    let (_app, webview) = app_with(paths.clone());
    assert_eq!(
        invoke(&webview, "get_settings", json!({})).unwrap()["theme"],
        "system"
    );
    assert_eq!(
        invoke(&webview, "set_theme", json!({"theme": "dark"})).unwrap()["theme"],
        "dark"
    );
    // A new app over the same directory starts dark.
    let (_app2, webview2) = app_with(paths);
    assert_eq!(
        invoke(&webview2, "get_settings", json!({})).unwrap()["theme"],
        "dark"
    );
}

#[test]
fn the_last_environment_is_reopened_unless_the_user_signed_out() {
    let dir = tempfile::tempdir().unwrap();
    let paths = AppPaths::resolve("test.novadesk", Some(dir.path().into()));
    std::fs::create_dir_all(&paths.config_dir).unwrap();
    let settings = paths.config_dir.join("settings.json");
    let url = "http://127.0.0.1:8123";

    std::fs::write(
        &settings,
        json!({"last_environment": url, "reopen_last": true}).to_string(),
    )
    .unwrap();
    let (_app, webview) = app_with_env(paths.clone(), None);
    let info = invoke(&webview, "app_info", json!({})).unwrap();
    assert_eq!(info["open_env"], url);
    assert_eq!(info["last_env"], url);

    // Signed out last time: preselect it, but wait for the user.
    std::fs::write(
        &settings,
        json!({"last_environment": url, "reopen_last": false}).to_string(),
    )
    .unwrap();
    let (_app, webview) = app_with_env(paths.clone(), None);
    let info = invoke(&webview, "app_info", json!({})).unwrap();
    assert_eq!(info["open_env"], serde_json::Value::Null);
    assert_eq!(info["last_env"], url);

    // --env wins over both.
    let (_app, webview) = app_with_env(paths, Some("testnet"));
    assert_eq!(
        invoke(&webview, "app_info", json!({})).unwrap()["open_env"],
        "testnet"
    );
}

#[test]
fn bad_arguments_are_rejected_not_panicked() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app_with(AppPaths::resolve("test.novadesk", Some(dir.path().into())));
    let err = invoke(&webview, "set_theme", json!({"theme": "purple"})).unwrap_err();
    assert!(
        err.to_string().contains("purple") || err.to_string().contains("variant"),
        "{err}"
    );
    assert!(invoke(&webview, "no_such_command", json!({})).is_err());
}

#[test]
fn a_write_failure_comes_back_as_the_error_envelope() {
    let dir = tempfile::tempdir().unwrap();
    // The config dir path is occupied by a file, so settings cannot be saved.
    let paths = AppPaths::resolve("test.novadesk", Some(dir.path().into()));
    std::fs::write(&paths.config_dir, b"not a directory").unwrap();
    let (_app, webview) = app_with(paths);
    let err = invoke(&webview, "set_theme", json!({"theme": "light"})).unwrap_err();
    assert_eq!(err["code"], "failed", "{err}");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("Could not save settings"),
        "{err}"
    );
    // The in-memory choice did not change, so the UI shows what is really saved.
    assert_eq!(
        invoke(&webview, "get_settings", json!({})).unwrap()["theme"],
        "system"
    );
}

#[test]
fn session_commands_refuse_bad_environments_and_need_a_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app_with(AppPaths::resolve("test.novadesk", Some(dir.path().into())));
    let err = invoke(
        &webview,
        "connect",
        json!({"environment": "ftp://nova.example"}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "failed", "{err}");
    assert!(err["message"].as_str().unwrap().contains("https"), "{err}");
    let err = invoke(
        &webview,
        "connect",
        json!({"environment": "http://192.168.1.5"}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "failed", "{err}");
    assert!(err["message"].as_str().unwrap().contains("https"), "{err}");
    let err = invoke(&webview, "get_organizations", json!({"source": "network"})).unwrap_err();
    assert_eq!(err["code"], "sign_in_required", "{err}");
}

#[test]
fn installer_commands_check_their_arguments_and_need_a_sign_in_only_to_claim() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app_with(AppPaths::resolve("test.novadesk", Some(dir.path().into())));
    let err = invoke(&webview, "inspect_zap", json!({"address": "  "})).unwrap_err();
    assert_eq!(err["code"], "failed", "{err}");
    assert_eq!(err["message"], "Enter the Zap's address.", "{err}");
    let long = "a".repeat(300);
    let err = invoke(&webview, "check_zap_health", json!({"address": long})).unwrap_err();
    assert!(
        err["message"].as_str().unwrap().contains("too long"),
        "{err}"
    );
    // Signed out, a Zap can still be checked: nothing listens on port 1, so the first link is red
    // and the rest wait on it.
    let chain = invoke(
        &webview,
        "check_zap_health",
        json!({"address": "127.0.0.1:1"}),
    )
    .unwrap();
    assert_eq!(chain["links"][0]["link"], "reachable", "{chain}");
    assert_eq!(chain["links"][0]["status"], "red", "{chain}");
    assert!(chain["first_problem"].is_string(), "{chain}");
    // Claiming, releasing and the claim targets need the signed-in workspace.
    let claim = json!({"address": "127.0.0.1:1", "orgId": "org-1", "confirmTransfer": false});
    for (cmd, args) in [
        ("claim_zap", claim),
        (
            "release_gateway",
            json!({"orgId": "org-1", "serial": "zap-1"}),
        ),
        ("get_claim_targets", json!({"source": "cache"})),
    ] {
        let err = invoke(&webview, cmd, args).unwrap_err();
        assert_eq!(err["code"], "sign_in_required", "{cmd}: {err}");
    }
    assert_eq!(
        invoke(&webview, "cancel_sweep", json!({"requestId": "none"})).unwrap(),
        json!(false)
    );
}

#[test]
fn batch_claim_bounds_its_list_before_asking_for_a_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app_with(AppPaths::resolve("test.novadesk", Some(dir.path().into())));
    let batch = |addresses: Vec<String>| {
        json!({
            "batch": {"addresses": addresses, "org_id": "org-1", "confirm_transfer": false, "provision": null},
            "requestId": "b1",
            "onUpdate": "__CHANNEL__:1",
        })
    };
    let many = (0..300).map(|i| format!("127.0.15.{}", i % 250)).collect();
    let err = invoke(&webview, "start_batch_claim", batch(many)).unwrap_err();
    assert_eq!(err["code"], "failed", "{err}");
    assert!(
        err["message"].as_str().unwrap().contains("at most 256"),
        "{err}"
    );
    let err = invoke(&webview, "start_batch_claim", batch(vec!["a\nb".into()])).unwrap_err();
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("control characters"),
        "{err}"
    );
    let err = invoke(
        &webview,
        "start_batch_claim",
        batch(vec!["127.0.15.2".into()]),
    )
    .unwrap_err();
    assert_eq!(err["code"], "sign_in_required", "{err}");
    assert_eq!(
        invoke(&webview, "cancel_batch_claim", json!({"requestId": "none"})).unwrap(),
        json!(false)
    );
}

/// Plain http to any host but this computer is refused when an environment is chosen, signed in
/// to, imported into or asked about, with the sentence saying why — before any client exists —
/// and the refused URL is not remembered as the environment to reopen.
#[test]
fn plain_http_environments_are_refused_with_a_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app_with_env(
        AppPaths::resolve("test.novadesk", Some(dir.path().into())),
        None,
    );
    let key = "0000000000000000000000000000000000000000000000000000000000000001";
    for url in [
        "http://example.test",
        "http://nc.example.test:8080/api",
        "http://localhost.example.test",
        "http://192.168.1.10",
        "http://[fd00::1]:8080",
    ] {
        for (cmd, args) in [
            ("connect", json!({"environment": url})),
            ("has_identity", json!({"environment": url})),
            ("forget_identity", json!({"environment": url})),
            ("import_identity", json!({"environment": url, "key": key})),
        ] {
            let err = invoke(&webview, cmd, args).unwrap_err();
            assert_eq!(err["code"], "failed", "{cmd} {url}: {err}");
            assert_eq!(
                err["message"],
                "plain http is only allowed on this computer (127.0.0.1, ::1, localhost); use https",
                "{cmd} {url}"
            );
        }
    }
    let info = invoke(&webview, "app_info", json!({})).unwrap();
    assert_eq!(info["last_env"], serde_json::Value::Null, "{info}");
}
