//! Every command the window can call, sent malformed and oversized arguments through the mock
//! runtime while signed in to the Sandbox: each answer must be a refusal (the `{code, message}`
//! envelope, or Tauri's own "invalid args" when the JSON does not even have the argument's type),
//! within a time limit, with a short message that does not echo the input — and afterwards
//! nothing the app shows has changed. The command list comes from the typed registry
//! (`ipc::builder`, via the generated bindings): a registered command without a case here, or a
//! case whose arguments differ from the command's, fails the test.

mod mock;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use mock::{app_with, invoke};
use novadesk::paths::AppPaths;
use serde_json::{json, Value};

/// Longest an answer may take (a refusal is immediate; this only bounds a hang).
const LIMIT: Duration = Duration::from_secs(20);

/// Longest refusal message: a sentence, never the megabyte it refused.
const MAX_MESSAGE: usize = 600;

/// A megabyte of text, marked so an echo of it is recognisable.
fn megabyte() -> String {
    "MEGA".repeat(256 * 1024)
}

/// Every command with well-shaped arguments. `$org`, `$site`, `$device`, `$me`, `$zap` and
/// `$serial` become the Sandbox's real ids, so only the malformed argument is wrong. These
/// arguments themselves are never sent (some would delete or claim things); only their
/// malformed variants are. A command without arguments is listed with `{}`: there is nothing
/// to malform (Tauri does not read a body it has no argument for).
fn cases() -> BTreeMap<&'static str, Value> {
    let chan = || json!("__CHANNEL__:7");
    let chart = json!({
        "request_id": "c1", "site_id": "$site", "preset": "day", "from_ms": null,
        "to_ms": null, "series": [], "width": 800, "height": 400, "dark": false,
    });
    BTreeMap::from([
        ("app_info", json!({})),
        ("get_settings", json!({})),
        ("set_theme", json!({"theme": "dark"})),
        ("connect", json!({"environment": "sandbox"})),
        ("sign_out", json!({})),
        ("forget_identity", json!({"environment": "sandbox"})),
        (
            "import_identity",
            json!({"environment": "sandbox", "key": "0000000000000000000000000000000000000000000000000000000000000001"}),
        ),
        ("has_identity", json!({"environment": "sandbox"})),
        ("get_organizations", json!({"source": "cache"})),
        (
            "get_organization",
            json!({"orgId": "$org", "source": "cache"}),
        ),
        ("get_sites", json!({"source": "cache"})),
        ("get_site", json!({"siteId": "$site", "source": "cache"})),
        (
            "get_device",
            json!({"deviceId": "$device", "source": "cache"}),
        ),
        ("create_organization", json!({"name": "Acme"})),
        (
            "rename_organization",
            json!({"orgId": "$org", "name": "Acme"}),
        ),
        ("delete_organization", json!({"orgId": "$org"})),
        (
            "create_site",
            json!({"orgId": "$org", "name": "Home", "timezone": null, "priceArea": null}),
        ),
        ("rename_site", json!({"siteId": "$site", "name": "Home"})),
        ("delete_site", json!({"siteId": "$site"})),
        (
            "add_member",
            json!({"orgId": "$org", "identityId": "$me", "role": "viewer"}),
        ),
        (
            "set_member_role",
            json!({"orgId": "$org", "identityId": "$me", "role": "owner"}),
        ),
        (
            "remove_member",
            json!({"orgId": "$org", "identityId": "$me"}),
        ),
        (
            "rename_device",
            json!({"deviceId": "$device", "name": "Inverter"}),
        ),
        ("delete_device", json!({"deviceId": "$device"})),
        (
            "add_der",
            json!({"deviceId": "$device", "name": "pv2", "derType": "solar"}),
        ),
        ("watch_site", json!({"siteId": "$site", "channel": chan()})),
        ("unwatch_site", json!({"subscription": 1})),
        ("chart_options", json!({"siteId": "$site"})),
        (
            "set_site_chart_prefs",
            json!({"siteId": "$site", "prefs": {"price_area": "SE3", "currency": "SEK", "tariff_id": null}}),
        ),
        (
            "render_site_chart",
            json!({"request": chart.clone(), "progress": chan()}),
        ),
        ("cancel_chart", json!({"requestId": "c1"})),
        (
            "export_site_chart",
            json!({"request": chart, "format": "csv"}),
        ),
        (
            "sweep_zaps",
            json!({"network": "127.0.15.0/30", "port": null, "requestId": "s1", "onUpdate": chan()}),
        ),
        ("watch_mdns", json!({"requestId": "m1", "onUpdate": chan()})),
        ("stop_mdns", json!({"requestId": "m1"})),
        ("sandbox_zaps", json!({})),
        ("cancel_sweep", json!({"requestId": "s1"})),
        ("inspect_zap", json!({"address": "$zap"})),
        ("check_zap_health", json!({"address": "$zap"})),
        ("get_claim_targets", json!({"source": "cache"})),
        (
            "claim_zap",
            json!({"address": "$zap", "orgId": "$org", "confirmTransfer": false}),
        ),
        (
            "release_gateway",
            json!({"orgId": "$org", "serial": "$serial"}),
        ),
        (
            "start_batch_claim",
            json!({
                "batch": {"addresses": ["$zap"], "org_id": "$org", "confirm_transfer": false, "provision": null},
                "requestId": "b1", "onUpdate": chan(),
            }),
        ),
        ("cancel_batch_claim", json!({"requestId": "b1"})),
        ("scan_zap_wifi", json!({"address": "$zap"})),
        (
            "join_zap_wifi",
            json!({"address": "$zap", "ssid": "Home", "passphrase": "correct horse", "onProgress": chan()}),
        ),
        ("get_zap_device_form", json!({"address": "$zap"})),
        ("get_zap_devices", json!({"address": "$zap"})),
        (
            "add_zap_device",
            json!({"address": "$zap", "connType": "modbus_tcp", "values": [["host", "10.0.0.9"]]}),
        ),
        (
            "get_zap_device_readings",
            json!({"address": "$zap", "sn": "SN1"}),
        ),
        ("remove_zap_device", json!({"address": "$zap", "sn": "SN1"})),
        (
            "set_zap_der_publishing",
            json!({"address": "$zap", "sn": "SN1", "derType": "solar", "on": true}),
        ),
        ("get_provision_form", json!({"address": "$zap"})),
        (
            "provision_zap_device",
            json!({"form": {
                "address": "$zap", "sn": "SN1", "site_id": "$site", "device_type": "inverter",
                "name": null, "manufacturer": null, "model": null,
                "ders": [{"name": "pv", "der_type": "solar"}],
            }}),
        ),
        (
            "set_zap_publishing",
            json!({"address": "$zap", "sn": "SN1", "on": true}),
        ),
        (
            "wait_first_reading",
            json!({"address": "$zap", "siteId": "$site", "deviceId": "$device", "requestId": "f1", "onUpdate": chan()}),
        ),
        ("cancel_first_reading", json!({"requestId": "f1"})),
        ("make_report", json!({"address": "$zap"})),
        (
            "verify_report",
            json!({"source": {"path": "/etc/hostname", "contents": null}}),
        ),
        ("choose_report_file", json!({})),
        ("get_installer_journal", json!({})),
        ("get_journal_counts", json!({})),
        ("retry_journal_item", json!({"id": 1})),
        ("drop_journal_item", json!({"id": 1})),
    ])
}

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

/// Arguments that are a `tauri::ipc::Channel` (only their type can be wrong).
fn is_channel(key: &str) -> bool {
    matches!(key, "channel" | "progress" | "onUpdate" | "onProgress")
}

/// Arguments that are ids, serials, addresses or paths: a path-like value must be refused.
fn is_reference(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k == "id"
        || k.ends_with("id")
        || k.ends_with("_id")
        || matches!(
            k.as_str(),
            "serial" | "sn" | "address" | "path" | "environment"
        )
}

/// Arguments whose text may legitimately hold control characters (a pasted PEM or report).
fn may_hold_newlines(key: &str) -> bool {
    matches!(key, "key" | "contents")
}

/// One malformed variant of a command's arguments.
struct Mutation {
    what: String,
    args: Value,
}

/// Every malformed variant of `args`: each argument (and each field inside one) missing, of the
/// wrong JSON type, a megabyte long, path-like or with a NUL where it is text; negative,
/// fractional or far too large where it is a number; a list ten thousand long.
fn mutations(args: &Value) -> Vec<Mutation> {
    let mut out = Vec::new();
    if args.as_object().is_some_and(|o| !o.is_empty()) {
        for body in [json!(null), json!([1, 2]), json!("args")] {
            out.push(Mutation {
                what: format!("the arguments are {body}"),
                args: body,
            });
        }
    }
    walk(args, &mut Vec::new(), args, &mut out);
    out
}

#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn describe(path: &[Step]) -> String {
    path.iter()
        .map(|s| match s {
            Step::Key(k) => k.clone(),
            Step::Index(i) => i.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn replaced(root: &Value, path: &[Step], with: Option<Value>) -> Value {
    let mut root = root.clone();
    let (last, parents) = path.split_last().expect("non-empty path");
    let mut at = &mut root;
    for step in parents {
        at = match step {
            Step::Key(k) => &mut at[k.as_str()],
            Step::Index(i) => &mut at[*i],
        };
    }
    match (last, with) {
        (Step::Key(k), Some(v)) => at[k.as_str()] = v,
        (Step::Key(k), None) => {
            at.as_object_mut().unwrap().remove(k);
        }
        (Step::Index(i), Some(v)) => at[*i] = v,
        (Step::Index(i), None) => {
            at.as_array_mut().unwrap().remove(*i);
        }
    }
    root
}

fn walk(root: &Value, path: &mut Vec<Step>, here: &Value, out: &mut Vec<Mutation>) {
    let key = path.iter().rev().find_map(|s| match s {
        Step::Key(k) => Some(k.clone()),
        Step::Index(_) => None,
    });
    if let (Some(key), false) = (&key, path.is_empty()) {
        let name = describe(path);
        let mut push = |what: String, v: Option<Value>| {
            out.push(Mutation {
                what: format!("{name}: {what}"),
                args: replaced(root, path, v),
            })
        };
        if matches!(path.last(), Some(Step::Key(_))) && !here.is_null() {
            push("missing".into(), None);
        }
        let wrong = match here {
            Value::String(_) => json!(42),
            // A null stands for an absent Option of any type; no baseline null is a bool.
            Value::Null => json!(true),
            Value::Number(_) => json!("7"),
            Value::Bool(_) => json!("true"),
            Value::Array(_) => json!({"a": 1}),
            Value::Object(_) => json!([]),
        };
        push(format!("wrong type {wrong}"), Some(wrong));
        if is_channel(key) {
            return;
        }
        match here {
            Value::String(_) | Value::Null => {
                push("1 MB of text".into(), Some(json!(megabyte())));
                if !may_hold_newlines(key) {
                    push("a NUL".into(), Some(json!("a\u{0}b")));
                }
                if is_reference(key) {
                    push("a path".into(), Some(json!("../../../etc/passwd")));
                }
            }
            Value::Number(_) => {
                for n in [json!(-1), json!(1.5), json!(1e20), json!(-1e20)] {
                    push(format!("number {n}"), Some(n));
                }
            }
            Value::Array(items) if !items.is_empty() => {
                let many = vec![items[0].clone(); 10_000];
                push("10,000 items".into(), Some(Value::Array(many)));
            }
            _ => {}
        }
    }
    match here {
        Value::Object(map) => {
            for (k, v) in map {
                path.push(Step::Key(k.clone()));
                walk(root, path, v, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(Step::Index(i));
                walk(root, path, v, out);
                path.pop();
            }
        }
        _ => {}
    }
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
