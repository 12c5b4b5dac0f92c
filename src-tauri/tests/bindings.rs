//! `ui/js/bindings.js` is generated from the Rust declarations in `ipc.rs`. This test fails when the
//! checked-in file is stale; `make bindings` (UPDATE_BINDINGS=1) rewrites it.

#[test]
fn checked_in_bindings_match_the_rust_declarations() {
    let generated = novadesk::ipc::render_bindings().expect("render bindings");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(novadesk::ipc::BINDINGS_PATH);
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "{} is stale: run `make bindings` and commit the result",
        path.display()
    );
    for name in ["appInfo", "getSettings", "setTheme", "themeChanged"] {
        assert!(generated.contains(name), "bindings lack {name}");
    }
}
