//! Every command the window can call, sent malformed and oversized arguments through the mock
//! runtime while signed in to the Sandbox: each answer must be a refusal (the `{code, message}`
//! envelope, or Tauri's own "invalid args" when the JSON does not even have the argument's type),
//! within a time limit, with a short message that does not echo the input — and afterwards
//! nothing the app shows has changed. The command list comes from the typed registry
//! (`ipc::builder`, via the generated bindings): a registered command without a case here, or a
//! case whose arguments differ from the command's, fails the test.

#[path = "ipc_input/cases.rs"]
mod cases;
mod mock;
#[path = "ipc_input/mutations.rs"]
mod mutations;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use cases::cases;
use mock::{app_with, invoke};
use mutations::{megabyte, mutations};
use novadesk::paths::AppPaths;
use serde_json::{json, Value};

/// Longest an answer may take (a refusal is immediate; this only bounds a hang).
const LIMIT: Duration = Duration::from_secs(20);

/// Longest refusal message: a sentence, never the megabyte it refused.
const MAX_MESSAGE: usize = 600;

/// The registered commands and their argument names, as the generated bindings invoke them.
fn registered() -> BTreeMap<String, BTreeSet<String>> {
    let bindings = novadesk::ipc::render_bindings().expect("render bindings");
    let mut out = BTreeMap::new();
    for rest in bindings.split("__TAURI_INVOKE(\"").skip(1) {
        let (name, after) = rest.split_once('"').expect("command name");
        let call = &after[..after.find(')').expect("invoke call ends")];
        let args = match (call.find('{'), call.find('}')) {
            (Some(a), Some(b)) => call[a + 1..b]
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            _ => BTreeSet::new(),
        };
        out.insert(name.to_string(), args);
    }
    out
}

/// `$name` placeholders replaced by the Sandbox's real ids.
fn resolve(args: &Value, ids: &BTreeMap<&str, String>) -> Value {
    match args {
        Value::String(s) => match s.strip_prefix('$').and_then(|k| ids.get(k)) {
            Some(v) => json!(v),
            None => args.clone(),
        },
        Value::Array(a) => Value::Array(a.iter().map(|v| resolve(v, ids)).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), resolve(v, ids)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The first string under `key` anywhere in `v`.
fn find(v: &Value, key: &str) -> Option<String> {
    match v {
        Value::Object(o) => o
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| o.values().find_map(|x| find(x, key))),
        Value::Array(a) => a.iter().find_map(|x| find(x, key)),
        _ => None,
    }
}

/// Every `(id, name)` pair in `v`: what the window shows, without the fetch times.
fn names(v: &Value, out: &mut BTreeSet<(String, String)>) {
    match v {
        Value::Object(o) => {
            if let (Some(id), Some(name)) = (
                o.get("id").and_then(Value::as_str),
                o.get("name").and_then(Value::as_str),
            ) {
                out.insert((id.into(), name.into()));
            }
            o.values().for_each(|x| names(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| names(x, out)),
        _ => {}
    }
}

/// Why an answer is not an acceptable refusal, if it is not.
fn problem(answer: &Result<Value, Value>) -> Option<String> {
    let err = match answer {
        Ok(v) => {
            let text = v.to_string();
            return Some(format!(
                "accepted: {}",
                &text[..text.len().min(MAX_MESSAGE)]
            ));
        }
        Err(e) => e,
    };
    let message = match err {
        // Tauri refuses JSON that does not have the argument's type before the command runs;
        // serde's reason may quote the input, so host.js shows its own sentence instead.
        Value::String(s) if s.starts_with("invalid args `") => return None,
        Value::Object(o) => {
            // core's ErrorKind: the closed set the UI switches on.
            let codes = ["sign_in_required", "offline", "cancelled", "failed"];
            match (o.get("code").and_then(Value::as_str), o.get("message")) {
                (Some(code), Some(Value::String(m))) if codes.contains(&code) => m.as_str(),
                _ => return Some(format!("not the error envelope: {err}")),
            }
        }
        other => return Some(format!("not the error envelope: {other}")),
    };
    if message.contains("MEGAMEGA") {
        return Some("the refusal quotes the megabyte".into());
    }
    if message.len() > MAX_MESSAGE {
        return Some(format!("a {}-byte message", message.len()));
    }
    None
}

fn call(
    webview: &tauri::WebviewWindow<tauri::test::MockRuntime>,
    cmd: &str,
    args: Value,
) -> Option<Result<Value, Value>> {
    let (tx, rx) = mpsc::channel();
    let webview = webview.clone();
    let cmd = cmd.to_string();
    std::thread::spawn(move || {
        let _ = tx.send(invoke(&webview, &cmd, args));
    });
    rx.recv_timeout(LIMIT).ok()
}

/// Every string under `key` anywhere in `v`.
fn all(v: &Value, key: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(o) => {
            if let Some(s) = o.get(key).and_then(Value::as_str) {
                out.insert(s.to_string());
            }
            o.values().for_each(|x| all(x, key, out));
        }
        Value::Array(a) => a.iter().for_each(|x| all(x, key, out)),
        _ => {}
    }
}

/// What the window would show: settings, identity, organizations, sites, devices, the Zaps
/// claimed into the organization, members' roles, the journal.
fn snapshot(
    webview: &tauri::WebviewWindow<tauri::test::MockRuntime>,
    ids: &BTreeMap<&str, String>,
) -> Value {
    let get = |cmd: &str, args: Value| invoke(webview, cmd, args).expect(cmd);
    let mut shown = BTreeSet::new();
    names(
        &get("get_organizations", json!({"source": "network"})),
        &mut shown,
    );
    names(&get("get_sites", json!({"source": "network"})), &mut shown);
    let site = get(
        "get_site",
        json!({"siteId": ids["site"], "source": "network"}),
    );
    names(&site["data"], &mut shown);
    let org = get(
        "get_organization",
        json!({"orgId": ids["org"], "source": "network"}),
    );
    names(&org["data"], &mut shown);
    let (mut serials, mut roles) = (BTreeSet::new(), BTreeSet::new());
    all(&org["data"], "serial", &mut serials);
    all(&org["data"], "role", &mut roles);
    json!({
        "serials": serials,
        "roles": roles,
        "settings": get("get_settings", json!({})),
        "identity": get("has_identity", json!({"environment": "sandbox"})),
        "names": shown.into_iter().collect::<Vec<_>>(),
        "journal": get("get_journal_counts", json!({})),
    })
}

#[test]
fn every_command_refuses_malformed_and_oversized_arguments() {
    // Only loopback: no mDNS on real interfaces, whatever the mutations start.
    std::env::set_var("NOVADESK_MDNS", "off");
    let registered = registered();
    let cases = cases();
    let mut gaps = Vec::new();
    for (name, args) in &registered {
        match cases.get(name.as_str()) {
            None => gaps.push(format!("{name} is registered but has no case here")),
            Some(case) => {
                let keys: BTreeSet<String> = case.as_object().unwrap().keys().cloned().collect();
                if &keys != args {
                    gaps.push(format!("{name} takes {args:?}, its case gives {keys:?}"));
                }
            }
        }
    }
    for name in cases.keys() {
        if !registered.contains_key(*name) {
            gaps.push(format!("{name} has a case but is not registered"));
        }
    }
    assert!(gaps.is_empty(), "{}", gaps.join("\n"));

    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app_with(AppPaths::resolve("test.novadesk", Some(dir.path().into())));
    let me = invoke(&webview, "connect", json!({"environment": "sandbox"})).expect("sign in");
    let orgs = invoke(&webview, "get_organizations", json!({"source": "network"})).unwrap();
    let org = find(&orgs, "id").expect("an organization");
    let sites = invoke(&webview, "get_sites", json!({"source": "network"})).unwrap();
    let site = find(&sites, "id").expect("a site");
    let detail = invoke(
        &webview,
        "get_site",
        json!({"siteId": site, "source": "network"}),
    )
    .expect("the site");
    let device = find(&detail["data"]["devices"], "id").expect("a device");
    let zaps = invoke(&webview, "sandbox_zaps", json!({})).expect("the sandbox's zaps");
    let ids = BTreeMap::from([
        ("org", org),
        ("site", site),
        ("device", device),
        ("me", find(&me, "identity_id").expect("identity id")),
        ("zap", find(&zaps, "address").expect("a zap address")),
        ("serial", find(&zaps, "serial").expect("a zap serial")),
    ]);
    let before = snapshot(&webview, &ids);
    assert!(before["names"].as_array().unwrap().len() > 3, "{before}");

    let started = Instant::now();
    let mut failures = Vec::new();
    let mut sent = 0;
    for (name, case) in &cases {
        let case = resolve(case, &ids);
        for m in mutations(&case) {
            sent += 1;
            match call(&webview, name, m.args) {
                None => failures.push(format!("{name} ({}): no answer in {LIMIT:?}", m.what)),
                Some(answer) => {
                    if let Some(p) = problem(&answer) {
                        failures.push(format!("{name} ({}): {p}", m.what));
                    }
                }
            }
        }
    }
    let after = snapshot(&webview, &ids);
    eprintln!(
        "{sent} malformed calls to {} commands in {:?}",
        cases.len(),
        started.elapsed()
    );
    assert!(sent > 300, "only {sent} malformed calls");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        before, after,
        "malformed calls changed what the window shows"
    );
}

#[test]
fn the_generator_covers_every_argument_and_the_judge_can_fail() {
    let args = json!({"orgId": "o", "n": 3, "list": [{"name": "a"}], "onUpdate": "__CHANNEL__:1"});
    let whats: Vec<String> = mutations(&args).into_iter().map(|m| m.what).collect();
    for expected in [
        "orgId: missing",
        "orgId: 1 MB of text",
        "orgId: a path",
        "orgId: a NUL",
        "n: number -1",
        "n: number 1e+20",
        "list: 10,000 items",
        "list.0.name: missing",
        "onUpdate: wrong type 42",
        "the arguments are null",
    ] {
        assert!(whats.iter().any(|w| w == expected), "{expected}: {whats:?}");
    }
    assert!(!whats.iter().any(|w| w == "onUpdate: 1 MB of text"));
    assert!(problem(&Ok(json!(true))).is_some());
    assert!(problem(&Err(json!("boom"))).is_some());
    assert!(problem(&Err(json!({"code": "failed", "message": megabyte()}))).is_some());
    assert!(problem(&Err(json!({"code": "failed", "message": "No."}))).is_none());
    assert!(problem(&Err(json!("invalid args `x` for command `y`: bad"))).is_none());
    assert!(problem(&Err(json!({"code": "teapot", "message": "No."}))).is_some());
}
