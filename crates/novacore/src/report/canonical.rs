//! The canonical bytes of a report, the ones its digest is taken over.
//!
//! Definition (version 1), applied to the report's JSON object with its top-level `signature`
//! member removed:
//! - objects: `{`, members sorted by key in ascending order of the keys' UTF-8 bytes, each
//!   `"key":value`, separated by `,`, then `}`; arrays: `[`, elements in order separated by `,`,
//!   then `]`; no whitespace anywhere;
//! - strings: `"`, the characters as UTF-8, with only `"` → `\"`, `\` → `\\`, and the control
//!   characters U+0000–U+001F escaped (`\b \f \n \r \t`, the others as `\u00xx`, lowercase hex);
//!   no other character is escaped (so `/` and non-ASCII stay as they are);
//! - `true`, `false`, `null`; integers in plain decimal (`-42`); other numbers in the shortest
//!   form that reads back to the same IEEE-754 double (reports of this version hold integers only).
//!
//! The digest is SHA-256 over those bytes, written as 64 lowercase hex characters.
//! Member order and whitespace in the saved file therefore do not matter; any change of a key, a
//! value or the nesting does.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The canonical bytes of `value` with its top-level `signature` member left out.
pub fn canonical_bytes(value: &Value) -> Vec<u8> {
    let mut out = Vec::with_capacity(2048);
    match value {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().filter(|k| *k != "signature").collect();
            keys.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
            write_object(&mut out, keys.into_iter().map(|k| (k, &m[k])));
        }
        other => write(&mut out, other),
    }
    out
}

/// SHA-256 of [`canonical_bytes`], lowercase hex.
pub fn digest(value: &Value) -> String {
    hex::encode(Sha256::digest(canonical_bytes(value)))
}

fn write_object<'a>(out: &mut Vec<u8>, members: impl Iterator<Item = (&'a String, &'a Value)>) {
    out.push(b'{');
    for (i, (k, v)) in members.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_string(out, k);
        out.push(b':');
        write(out, v);
    }
    out.push(b'}');
}

fn write(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Number(n) => out.extend_from_slice(number(n).as_bytes()),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push(b'[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(out, v);
            }
            out.push(b']');
        }
        Value::Object(m) => {
            // Sorted here, whatever order the map keeps (serde_json may preserve insertion order).
            let mut members: Vec<(&String, &Value)> = m.iter().collect();
            members.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            write_object(out, members.into_iter());
        }
    }
}

fn number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        i.to_string()
    } else if let Some(u) = n.as_u64() {
        u.to_string()
    } else {
        // serde_json prints an f64 in its shortest round-trip form.
        n.to_string()
    }
}

fn write_string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\u{08}' => out.extend_from_slice(b"\\b"),
            '\u{0c}' => out.extend_from_slice(b"\\f"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            c if (c as u32) < 0x20 => {
                out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes())
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sorted_compact_and_minimally_escaped() {
        let v = json!({"b": [1, -2, true, null], "a": {"z": "x\"y\\\n\u{1}/é", "m": 1.5}, "signature": {"x": 1}});
        let text = String::from_utf8(canonical_bytes(&v)).unwrap();
        assert_eq!(
            text,
            "{\"a\":{\"m\":1.5,\"z\":\"x\\\"y\\\\\\n\\u0001/é\"},\"b\":[1,-2,true,null]}"
        );
    }

    #[test]
    fn order_and_whitespace_do_not_matter_values_do() {
        let a: Value = serde_json::from_str(r#"{"x": 1, "y": {"q": "a", "p": [1, 2]}}"#).unwrap();
        let b: Value =
            serde_json::from_str("{\"y\":{\"p\":[1,2],\"q\":\"a\"},\n \"x\":1}").unwrap();
        let c: Value = serde_json::from_str(r#"{"x": 1, "y": {"q": "b", "p": [1, 2]}}"#).unwrap();
        assert_eq!(digest(&a), digest(&b));
        assert_ne!(digest(&a), digest(&c));
        assert_eq!(digest(&a).len(), 64);
        // The signature member is not part of what is signed; anything else is.
        let signed = json!({"x": 1, "y": {"q": "a", "p": [1, 2]}, "signature": "s"});
        assert_eq!(digest(&a), digest(&signed));
        let extra = json!({"x": 1, "y": {"q": "a", "p": [1, 2]}, "z": null});
        assert_ne!(digest(&a), digest(&extra));
    }

    #[test]
    fn known_digest() {
        // SHA-256 of the 2 bytes `{}`.
        assert_eq!(
            digest(&json!({})),
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
    }
}
