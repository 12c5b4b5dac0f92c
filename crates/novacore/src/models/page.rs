//! List responses: a bare array or an `{items|data, next_cursor}` envelope.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, Result};

/// One page of a list.
#[derive(Debug)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Cursor of the next page, if any.
    pub next_cursor: Option<String>,
}

/// Decodes either list shape; an item that does not decode fails the whole page with its index.
pub fn decode_page<T: DeserializeOwned>(body: &[u8]) -> Result<Page<T>> {
    let v: Value = serde_json::from_slice(body).map_err(|e| Error::decode(e, body))?;
    let (items, next_cursor) = match v {
        Value::Array(a) => (a, None),
        Value::Object(mut m) => {
            let items = ["items", "data", "results"]
                .iter()
                .find_map(|k| match m.remove(*k) {
                    Some(Value::Array(a)) => Some(a),
                    _ => None,
                })
                .ok_or_else(|| Error::decode("expected an array or {items|data} envelope", body))?;
            let cursor = match m.remove("next_cursor").or_else(|| m.remove("cursor")) {
                Some(Value::String(s)) => Some(s),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            };
            (items, cursor)
        }
        _ => {
            return Err(Error::decode(
                "expected an array or {items|data} envelope",
                body,
            ))
        }
    };
    let items = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            serde_json::from_value(item).map_err(|e| Error::decode(format!("item {i}: {e}"), body))
        })
        .collect::<Result<Vec<T>>>()?;
    Ok(Page { items, next_cursor })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_shapes() {
        let p: Page<u32> = decode_page(b"[1,2]").unwrap();
        assert_eq!((p.items, p.next_cursor), (vec![1, 2], None));
        let p: Page<u32> = decode_page(br#"{"items":[3],"next_cursor":"c2"}"#).unwrap();
        assert_eq!((p.items, p.next_cursor.as_deref()), (vec![3], Some("c2")));
        let p: Page<u32> = decode_page(br#"{"data":[4],"next_cursor":null}"#).unwrap();
        assert_eq!((p.items, p.next_cursor), (vec![4], None));
    }

    #[test]
    fn bad_shapes_are_decode_errors() {
        for body in [&b"{\"x\":1}"[..], b"42", b"[1,", b"<html>", br#"["a"]"#] {
            assert!(
                matches!(decode_page::<u32>(body), Err(Error::Decode { .. })),
                "{body:?}"
            );
        }
    }
}
