//! The app on tauri's mock runtime, built with its real state and commands, and a command
//! called through IPC exactly as the webview calls it: the harness of the shell's tests.
// Each test file uses a different part of it.
#![allow(dead_code)]

use novadesk::paths::AppPaths;
use novadesk::state::AppState;
use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY,
};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindow;

pub fn app_with(paths: AppPaths) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    app_with_env(paths, Some("sandbox"))
}

pub fn app_with_env(
    paths: AppPaths,
    env: Option<&str>,
) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let state = AppState::new(paths, env.map(str::to_string));
    let app = novadesk::build(mock_builder(), state)
        .build(mock_context(noop_assets()))
        .expect("app builds on the mock runtime");
    // The app's setup (which installs the desktop notifier) runs only in a real event loop.
    tauri::Manager::manage(&app, novadesk::notify::Notifier::recording().0);
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("webview");
    (app, webview)
}

pub fn invoke(
    webview: &WebviewWindow<MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
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
