//! The Report panel's commands through tauri's mock runtime: arguments checked with a sentence,
//! verifying needs no sign-in, making a report does; the open dialog's absence is a sentence.

mod mock;

use mock::{app_with, invoke};
use novadesk::paths::AppPaths;
use serde_json::json;

#[test]
fn report_commands_check_their_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app_with(AppPaths::resolve("test.novadesk", Some(dir.path().into())));
    for (source, says) in [
        (
            json!({"path": null, "contents": null}),
            "either the report file's path or its contents",
        ),
        (
            json!({"path": "/a.json", "contents": "{}"}),
            "either the report file's path or its contents",
        ),
        (
            json!({"path": "report.json", "contents": null}),
            "full path",
        ),
        (
            json!({"path": "/nonexistent/report.json", "contents": null}),
            "Could not read /nonexistent/report.json",
        ),
    ] {
        let err = invoke(&webview, "verify_report", json!({ "source": source })).unwrap_err();
        assert_eq!(err["code"], "failed", "{err}");
        assert!(err["message"].as_str().unwrap().contains(says), "{err}");
    }
    // Signed out, a file is still checked: not one of ours, each check listed.
    let v = invoke(
        &webview,
        "verify_report",
        json!({"source": {"path": null, "contents": "{\"name\": \"a shopping list\"}"}}),
    )
    .unwrap();
    assert_eq!(v["ok"], false, "{v}");
    assert_eq!(v["checks"].as_array().unwrap().len(), 5, "{v}");
    assert_eq!(v["checks"][0]["problem"], "not_ours", "{v}");

    let err = invoke(&webview, "make_report", json!({"address": " "})).unwrap_err();
    assert_eq!(err["message"], "Enter the Zap's address.", "{err}");
    let err = invoke(&webview, "make_report", json!({"address": "127.0.0.1:9"})).unwrap_err();
    assert_eq!(err["code"], "sign_in_required", "{err}");
    let err = invoke(&webview, "choose_report_file", json!({})).unwrap_err();
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("Type the report file's path"),
        "{err}"
    );
}
