/// The app's own commands. Listing them makes Tauri generate an `allow-<command>` permission for
/// each and deny any command a capability does not grant (src-tauri/capabilities/main.json).
/// Keep in step with `ipc::builder` and the capability: tests/commands.rs names any difference.
const COMMANDS: &[&str] = &[
    "app_info",
    "get_settings",
    "set_theme",
    "set_silence_threshold",
    "connect",
    "sign_out",
    "forget_identity",
    "import_identity",
    "has_identity",
    "get_organizations",
    "get_organization",
    "get_sites",
    "get_site",
    "get_device",
    "create_organization",
    "rename_organization",
    "delete_organization",
    "create_site",
    "rename_site",
    "delete_site",
    "add_member",
    "set_member_role",
    "remove_member",
    "rename_device",
    "delete_device",
    "add_der",
    "watch_site",
    "unwatch_site",
    "watch_fleet",
    "unwatch_fleet",
    "chart_options",
    "set_site_chart_prefs",
    "render_site_chart",
    "cancel_chart",
    "export_site_chart",
    "sweep_zaps",
    "cancel_sweep",
    "watch_mdns",
    "stop_mdns",
    "sandbox_zaps",
    "inspect_zap",
    "check_zap_health",
    "get_claim_targets",
    "claim_zap",
    "release_gateway",
    "start_batch_claim",
    "cancel_batch_claim",
    "scan_zap_wifi",
    "join_zap_wifi",
    "get_zap_device_form",
    "get_zap_devices",
    "add_zap_device",
    "get_zap_device_readings",
    "remove_zap_device",
    "set_zap_der_publishing",
    "get_provision_form",
    "provision_zap_device",
    "get_installer_journal",
    "get_journal_counts",
    "retry_journal_item",
    "drop_journal_item",
    "set_zap_publishing",
    "wait_first_reading",
    "cancel_first_reading",
    "make_report",
    "verify_report",
    "choose_report_file",
];

/// `git` with `args` in this crate's directory, its trimmed output if it ran and succeeded.
fn git(args: &[&str]) -> Option<String> {
    let out = std::process::Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

/// The commit the binary is built from (`--version`, the About box), `unknown` outside a git
/// checkout (a source tarball).
fn commit() -> String {
    let Some(commit) = git(&["rev-parse", "--short=10", "HEAD"]) else {
        return "unknown".into();
    };
    // Rebuild when HEAD moves: HEAD itself (a checkout) and the branch it points to (a commit),
    // loose or packed. A path that does not exist would make cargo rerun this on every build.
    let branch = git(&["symbolic-ref", "-q", "HEAD"]);
    for path in ["HEAD", "packed-refs"].into_iter().chain(branch.as_deref()) {
        if let Some(p) = git(&["rev-parse", "--git-path", path]) {
            if std::path::Path::new(&p).exists() {
                println!("cargo:rerun-if-changed={p}");
            }
        }
    }
    commit
}

fn main() {
    println!("cargo:rustc-env=NOVADESK_COMMIT={}", commit());
    // The Tauri config lives at the repository root (the design's top level), not beside this crate.
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .config_path("../tauri.conf.json")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script failed: check ../tauri.conf.json and src-tauri/capabilities");
}
