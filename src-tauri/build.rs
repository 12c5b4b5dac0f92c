fn main() {
    // The Tauri config lives at the repository root (the design's top level), not beside this crate.
    tauri_build::try_build(tauri_build::Attributes::new().config_path("../tauri.conf.json"))
        .expect("tauri build script failed: check ../tauri.conf.json and src-tauri/capabilities");
}
