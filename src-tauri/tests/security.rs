//! The webview's security model as shipped: the CSP in `tauri.conf.json` and what the main
//! window's capability grants. A change that loosens either fails here with the reason, so it
//! is a decision, not an accident.

use std::collections::BTreeMap;

fn read_json(rel: &str) -> serde_json::Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// The shipped CSP as directive → sources (Tauri takes it as a map or as one string).
fn csp() -> BTreeMap<String, Vec<String>> {
    let conf = read_json("../tauri.conf.json");
    let csp = &conf["app"]["security"]["csp"];
    let directives: Vec<(String, String)> = match csp {
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().expect("CSP sources are text").into()))
            .collect(),
        serde_json::Value::String(s) => s
            .split(';')
            .filter_map(|d| {
                let d = d.trim();
                let (name, sources) = d.split_once(' ').unwrap_or((d, ""));
                (!name.is_empty()).then(|| (name.to_string(), sources.to_string()))
            })
            .collect(),
        other => panic!("tauri.conf.json has no CSP (app.security.csp = {other})"),
    };
    directives
        .into_iter()
        .map(|(k, v)| {
            let sources = v.split_whitespace().map(str::to_owned).collect();
            (k.to_ascii_lowercase(), sources)
        })
        .collect()
}

/// The sources that apply to `directive` (CSP falls back to `default-src`).
fn sources<'a>(csp: &'a BTreeMap<String, Vec<String>>, directive: &str) -> &'a [String] {
    csp.get(directive)
        .or_else(|| csp.get("default-src"))
        .map(Vec::as_slice)
        .unwrap_or_else(|| panic!("the CSP has neither {directive} nor default-src"))
}

/// What a source list allows that a locked-down app must not: anything beyond its own origin,
/// Tauri's IPC and inline data images.
fn loosened(directive: &str, list: &[String]) -> Vec<String> {
    let allowed: &[&str] = match directive {
        "connect-src" => &["ipc:", "http://ipc.localhost"],
        "img-src" => &["'self'", "data:", "blob:"],
        _ => &["'self'", "'none'"],
    };
    list.iter()
        .filter(|s| !allowed.contains(&s.as_str()))
        .map(|s| format!("{directive} allows {s}"))
        .collect()
}

#[test]
fn the_csp_forbids_remote_scripts_inline_scripts_and_eval() {
    let csp = csp();
    let mut problems = Vec::new();
    for directive in [
        "default-src",
        "script-src",
        "style-src",
        "img-src",
        "font-src",
        "connect-src",
        "object-src",
        "frame-src",
        "worker-src",
    ] {
        problems.extend(loosened(directive, sources(&csp, directive)));
    }
    for (directive, list) in &csp {
        for s in list {
            let s = s.to_ascii_lowercase();
            if s.contains("unsafe-") || s == "*" || s.starts_with("https:") || s == "http:" {
                problems.push(format!("{directive} allows {s}"));
            }
        }
    }
    for (directive, want) in [("object-src", "'none'"), ("base-uri", "'none'")] {
        if csp.get(directive).map(Vec::as_slice) != Some(&[want.to_string()][..]) {
            problems.push(format!("{directive} must be {want}"));
        }
    }
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_csp_check_catches_a_loosened_policy() {
    let inline = vec!["'self'".to_string(), "'unsafe-inline'".to_string()];
    assert_eq!(
        loosened("script-src", &inline),
        ["script-src allows 'unsafe-inline'"]
    );
    let remote = vec!["https://cdn.example.com".to_string()];
    assert_eq!(
        loosened("connect-src", &remote),
        ["connect-src allows https://cdn.example.com"]
    );
}

/// Permissions beyond the app's own commands that the window may hold, each with why.
const PLUGIN_PERMISSIONS: &[(&str, &str)] = &[
    (
        "core:event:allow-listen",
        "the UI listens to the app's events",
    ),
    (
        "core:event:allow-unlisten",
        "and stops listening on leaving a view",
    ),
];

#[test]
fn the_window_holds_only_the_apps_commands_and_the_listed_plugin_permissions() {
    let cap = read_json("capabilities/main.json");
    assert_eq!(cap["windows"], serde_json::json!(["main"]), "one window");
    let extra: Vec<&str> = cap["permissions"]
        .as_array()
        .expect("permissions list")
        .iter()
        .map(|p| {
            p.as_str()
                .expect("permissions are names, not scoped objects")
        })
        // The app's own commands are bare `allow-<command>`; commands.rs checks they match.
        .filter(|p| p.contains(':'))
        .filter(|p| !PLUGIN_PERMISSIONS.iter().any(|(name, _)| name == p))
        .collect();
    assert!(
        extra.is_empty(),
        "the main window is granted {extra:?}: add each to PLUGIN_PERMISSIONS with why, if it is meant"
    );
}
