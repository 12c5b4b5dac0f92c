//! The malformed variants of a command's arguments, generated from well-shaped ones.

use serde_json::{json, Value};

/// A megabyte of text, marked so an echo of it is recognisable.
pub fn megabyte() -> String {
    "MEGA".repeat(256 * 1024)
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
pub struct Mutation {
    pub what: String,
    pub args: Value,
}

/// Every malformed variant of `args`: each argument (and each field inside one) missing, of the
/// wrong JSON type, a megabyte long, path-like or with a NUL where it is text; negative,
/// fractional or far too large where it is a number; a list ten thousand long.
pub fn mutations(args: &Value) -> Vec<Mutation> {
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
