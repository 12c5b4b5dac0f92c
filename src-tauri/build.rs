/// The app's own commands. Listing them makes Tauri generate an `allow-<command>` permission for
/// each and deny any command a capability does not grant (src-tauri/capabilities/main.json).
/// Keep in step with `ipc::builder`; the E2E suite fails if the window lacks one it uses.
const COMMANDS: &[&str] = &[
    "app_info",
    "get_settings",
    "set_theme",
    "connect",
    "list_organizations",
    "chart_sites",
    "chart_options",
    "set_site_chart_prefs",
    "render_site_chart",
    "cancel_chart",
    "export_site_chart",
];

fn main() {
    // The Tauri config lives at the repository root (the design's top level), not beside this crate.
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .config_path("../tauri.conf.json")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script failed: check ../tauri.conf.json and src-tauri/capabilities");
}
