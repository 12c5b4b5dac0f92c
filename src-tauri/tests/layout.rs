//! House rules read from `cargo metadata`, so a new dependency anywhere is caught: no crate under
//! `crates/` depends on tauri (directly or through another crate), only `src-tauri` does; and
//! `src-tauri` reaches the app's libraries through `novadesk-core` alone.

use std::collections::{HashMap, HashSet};
use std::process::Command;

use serde_json::Value;

/// `cargo metadata` for the host platform, offline.
fn metadata() -> Value {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    // Only the host's crates are in a fresh machine's cache: without the filter, `--offline` asks
    // for every platform's (android_system_properties …) and fails there.
    let host = host_triple();
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--offline", "--locked"])
        .args(["--filter-platform", &host])
        .current_dir(root)
        .output()
        .expect("run cargo metadata");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Package id → its dependencies: only the normal and build ones when `shipped_only`
/// (dev-dependencies are test-only: they do not ship).
fn dependencies(meta: &Value, shipped_only: bool) -> HashMap<&str, Vec<&str>> {
    meta["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let deps = n["deps"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| {
                    !shipped_only
                        || d["dep_kinds"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|k| k["kind"].is_null() || k["kind"] == "build")
                })
                .map(|d| d["pkg"].as_str().unwrap())
                .collect();
            (n["id"].as_str().unwrap(), deps)
        })
        .collect()
}

fn package_names(meta: &Value) -> HashMap<&str, &str> {
    meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["name"].as_str().unwrap()))
        .collect()
}

fn workspace_members(meta: &Value) -> HashSet<&str> {
    meta["workspace_members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect()
}

#[test]
fn the_shell_depends_on_novadesk_core_alone_of_the_workspace_crates() {
    let meta = metadata();
    let names = package_names(&meta);
    // Not even a dev-dependency: the shell's tests go through the core too.
    let nodes = dependencies(&meta, false);
    let workspace = workspace_members(&meta);
    let shell = workspace
        .iter()
        .copied()
        .find(|id| names[id] == "novadesk")
        .expect("the shell is a workspace member");
    let mut internal: Vec<&str> = nodes[shell]
        .iter()
        .filter(|dep| workspace.contains(*dep))
        .map(|dep| names[dep])
        .collect();
    internal.sort_unstable();
    assert_eq!(
        internal,
        vec!["novadesk-core"],
        "src-tauri reaches the SDK, store and charts through novadesk-core only"
    );
}

#[test]
fn no_crate_under_crates_depends_on_tauri() {
    let meta = metadata();
    let names = package_names(&meta);
    let nodes = dependencies(&meta, true);

    let crates_dir = format!("{}/crates/", meta["workspace_root"].as_str().unwrap());
    let workspace = workspace_members(&meta);
    let members: Vec<(&str, String)> = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| workspace.contains(p["id"].as_str().unwrap()))
        .filter(|p| {
            p["manifest_path"]
                .as_str()
                .unwrap()
                .starts_with(&crates_dir)
        })
        .map(|p| {
            (
                p["id"].as_str().unwrap(),
                p["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        !members.is_empty(),
        "expected workspace crates under crates/"
    );

    for (id, name) in members {
        let mut seen = HashSet::new();
        let mut stack = vec![(id, vec![name.clone()])];
        while let Some((pkg, path)) = stack.pop() {
            if !seen.insert(pkg) {
                continue;
            }
            for dep in nodes.get(pkg).into_iter().flatten() {
                let dep_name = names[dep];
                let mut next = path.clone();
                next.push(dep_name.to_string());
                assert!(
                    dep_name != "tauri" && !dep_name.starts_with("tauri-"),
                    "crates/{name} depends on tauri: {}",
                    next.join(" -> ")
                );
                stack.push((dep, next));
            }
        }
    }
}

/// The host target triple, as rustc reports it (`host: x86_64-unknown-linux-gnu`).
fn host_triple() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(rustc)
        .arg("-vV")
        .output()
        .expect("run rustc -vV");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("rustc -vV names the host")
        .trim()
        .to_string()
}
