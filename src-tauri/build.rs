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
    "watch_peak",
    "set_peak_notifications",
    "watch_fleet",
    "unwatch_fleet",
    "chart_options",
    "set_site_chart_prefs",
    "render_site_chart",
    "cancel_chart",
    "export_site_chart",
    "compare_tariffs",
    "cancel_tariff_comparison",
    "export_tariff_comparison",
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
    "get_journal_edit_form",
    "edit_journal_item",
    "drop_journal_item",
    "set_zap_publishing",
    "wait_first_reading",
    "cancel_first_reading",
    "make_report",
    "verify_report",
    "choose_report_file",
];

// One copy of the commit logic, kept beside the CLI (the other binary that prints it).
include!("../crates/novacore-cli/git_commit.rs");

fn main() {
    println!("cargo:rustc-env=NOVADESK_COMMIT={}", commit());
    link_startup_order();
    // The Tauri config lives at the repository root (the design's top level), not beside this crate.
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .config_path("../tauri.conf.json")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script failed: check ../tauri.conf.json and src-tauri/capabilities");
}

/// Release builds on Linux link the functions listed in startup-order.txt (those the app runs from
/// launch to an idle organizations list; `make startup-order` writes it) first in the binary's
/// text. Scattered over all 22 MiB, start-up code left 16.8 MiB of text resident (each first touch
/// maps the 64 KiB around it); contiguous, about 11 MiB. Needs LLD (`--symbol-ordering-file`),
/// which rustup's toolchain ships beside rustc as gcc-ld/ld.lld; without it the link is unordered.
/// Names the build does not define (another toolchain or lockfile) are skipped, not an error.
fn link_startup_order() {
    const ORDER: &str = "startup-order.txt";
    println!("cargo:rerun-if-changed={ORDER}");
    let env = |key: &str| std::env::var(key).unwrap_or_default();
    if env("PROFILE") != "release" || env("CARGO_CFG_TARGET_OS") != "linux" {
        return;
    }
    let sysroot = std::process::Command::new(env("RUSTC"))
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned());
    let gcc_ld = sysroot.map(|root| {
        std::path::Path::new(&root)
            .join("lib/rustlib")
            .join(env("HOST"))
            .join("bin/gcc-ld")
    });
    let Some(gcc_ld) = gcc_ld.filter(|dir| dir.join("ld.lld").exists()) else {
        println!("cargo:warning=rustc's LLD (gcc-ld/ld.lld) not found: the release binary is linked without {ORDER} (more of it resident at start)");
        return;
    };
    let order = std::path::Path::new(&env("CARGO_MANIFEST_DIR")).join(ORDER);
    if !order.exists() {
        println!("cargo:warning={ORDER} is missing: the release binary is linked unordered (`make startup-order` writes it)");
        return;
    }
    for arg in [
        "-fuse-ld=lld".to_owned(),
        format!("-B{}", gcc_ld.display()),
        format!("-Wl,--symbol-ordering-file={}", order.display()),
        "-Wl,--no-warn-symbol-ordering".to_owned(),
    ] {
        println!("cargo:rustc-link-arg-bin=novadesk={arg}");
    }
}
