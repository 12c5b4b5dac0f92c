//! A command lives in three lists that Tauri cannot derive from one another: the typed registry
//! (`ipc::builder`), the app manifest in `build.rs` (which makes Tauri generate its
//! `allow-<command>` permission) and the window's capability (`capabilities/main.json`). Adding
//! a command to one and not the others fails here, naming the difference.

use std::collections::BTreeSet;

fn read(rel: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The commands `ipc::builder` registers, as the generated bindings invoke them.
fn registered() -> BTreeSet<String> {
    let bindings = novadesk::ipc::render_bindings().expect("render bindings");
    bindings
        .split("__TAURI_INVOKE(\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

/// The `COMMANDS` list of `build.rs`.
fn in_manifest() -> BTreeSet<String> {
    let text = read("build.rs");
    let start = text
        .find("const COMMANDS")
        .expect("build.rs declares COMMANDS");
    let list = &text[start..];
    let list = &list[list.find("= &[").expect("COMMANDS is a list") + 4..];
    let list = &list[..list.find(']').expect("COMMANDS ends")];
    list.split(',')
        .map(|s| s.trim().trim_matches('"'))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The app's own `allow-<command>` permissions the main window's capability grants.
fn in_capability() -> BTreeSet<String> {
    let json: serde_json::Value =
        serde_json::from_str(&read("capabilities/main.json")).expect("main.json is JSON");
    json["permissions"]
        .as_array()
        .expect("permissions list")
        .iter()
        .filter_map(|p| p.as_str())
        // `core:…` and plugin permissions are namespaced; the app's own are bare.
        .filter_map(|p| p.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect()
}

fn differences(a: (&str, &BTreeSet<String>), b: (&str, &BTreeSet<String>)) -> Vec<String> {
    let mut out = Vec::new();
    for name in a.1.difference(b.1) {
        out.push(format!("{name} is in {} but not in {}", a.0, b.0));
    }
    for name in b.1.difference(a.1) {
        out.push(format!("{name} is in {} but not in {}", b.0, a.0));
    }
    out
}

#[test]
fn the_registry_the_manifest_and_the_capability_list_the_same_commands() {
    let ipc = registered();
    assert!(
        ipc.contains("app_info") && ipc.len() > 10,
        "bindings parsed: {ipc:?}"
    );
    let ipc = ("ipc.rs (collect_commands!)", &ipc);
    let manifest = in_manifest();
    let capability = in_capability();
    let mut problems = differences(ipc, ("build.rs (COMMANDS)", &manifest));
    problems.extend(differences(
        ipc,
        ("capabilities/main.json (allow-…)", &capability),
    ));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_missing_command_is_named() {
    let all: BTreeSet<String> = ["a", "b"].map(str::to_owned).into();
    let less: BTreeSet<String> = ["a"].map(str::to_owned).into();
    assert_eq!(
        differences(("x", &all), ("y", &less)),
        ["b is in x but not in y"]
    );
    assert_eq!(
        differences(("x", &less), ("y", &all)),
        ["b is in y but not in x"]
    );
}
