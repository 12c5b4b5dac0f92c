//! The Report panel's commands through tauri's mock runtime: arguments checked with a sentence,
//! verifying needs no sign-in, making a report does; the open dialog's absence is a sentence.

use novadesk::paths::AppPaths;
use novadesk::state::AppState;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY,
};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindow;

fn app_with(paths: AppPaths) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    app_with_env(paths, Some("sandbox"))
}

fn app_with_env(
    paths: AppPaths,
    env: Option<&str>,
) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let state = AppState::new(paths, env.map(str::to_string));
    let app = novadesk::build(mock_builder(), state)
        .build(mock_context(noop_assets()))
        .expect("app builds on the mock runtime");
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("webview");
    (app, webview)
}

fn invoke(webview: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().expect("json response"))
}

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
