//! List responses: a bare array or an `{items|data|results, next_cursor}` envelope.
//!
//! Decoded in one pass straight into the items (a history page used to go through a whole
//! `serde_json::Value` first: the app's largest allocation source at sign-in). Whenever that
//! pass fails, the body is read again the exact way (`decode_page_exact`), so which key wins,
//! which error is reported and which item it names are what they were with the `Value` detour.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
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

const BAD_SHAPE: &str = "expected an array or {items|data} envelope";

/// Decodes either list shape; an item that does not decode fails the whole page with its index.
pub fn decode_page<T: DeserializeOwned>(body: &[u8]) -> Result<Page<T>> {
    match read::<Items<T>>(body) {
        Ok(Some((Items::Array(items), next_cursor))) => Ok(Page { items, next_cursor }),
        // Which error to report, if any, depends on the whole document (a syntax error further
        // on, a list key that loses, a duplicate key): the exact path decides.
        _ => decode_page_exact(body),
    }
}

/// The page's items kept as slices of the body, then decoded one by one: the reference
/// semantics, at the price of a second pass, for bodies the one-pass decoder rejected.
#[cold]
fn decode_page_exact<T: DeserializeOwned>(body: &[u8]) -> Result<Page<T>> {
    // A syntax error anywhere wins, worded as a whole-document parse words it (skipping a value
    // words some differently, and lets numbers beyond f64 through).
    serde_json::from_slice::<Value>(body).map_err(|e| Error::decode(e, body))?;
    let (raw, next_cursor) = read::<&RawValue>(body)
        .map_err(|e| Error::decode(e, body))?
        .ok_or_else(|| Error::decode(BAD_SHAPE, body))?;
    let elems: Vec<&RawValue> =
        serde_json::from_str(raw.get()).map_err(|e| Error::decode(e, body))?;
    let items = elems
        .iter()
        .enumerate()
        .map(|(i, el)| {
            serde_json::from_str(el.get())
                // An item decoded through a `Value`, as every item was before: the same error
                // text, and the same tolerance of duplicate keys (a `Value` keeps the last).
                .or_else(|_| {
                    serde_json::from_str::<Value>(el.get()).and_then(serde_json::from_value)
                })
                .map_err(|e| Error::decode(format!("item {i}: {e}"), body))
        })
        .collect::<Result<Vec<T>>>()?;
    Ok(Page { items, next_cursor })
}

/// The candidate list (`C`: decoded items or a raw slice) and cursor of a body; `None` when
/// it is valid JSON of neither shape.
fn read<'de, C: Candidate + Deserialize<'de>>(
    body: &'de [u8],
) -> serde_json::Result<Option<(C, Option<String>)>> {
    match body
        .iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        Some(b'[') => Ok(Some((serde_json::from_slice(body)?, None))),
        Some(b'{') => Ok(serde_json::from_slice::<Envelope<C>>(body)?.pick()),
        // A scalar or not JSON at all: a syntax error wins over the shape error, as before.
        _ => serde_json::from_slice::<Value>(body).map(|_| None),
    }
}

/// What an envelope key holds: the items when it is an array.
trait Candidate {
    fn is_array(&self) -> bool;
}

/// A candidate key's value decoded on the fly: its items, or a value that is not an array.
enum Items<T> {
    Array(Vec<T>),
    NotArray,
}

impl<T> Candidate for Items<T> {
    fn is_array(&self) -> bool {
        matches!(self, Items::Array(_))
    }
}

impl Candidate for &RawValue {
    fn is_array(&self) -> bool {
        self.get().starts_with('[')
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Items<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(ItemsVisitor(PhantomData))
    }
}

struct ItemsVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ItemsVisitor<T> {
    type Value = Items<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Items<T>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Items::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<Items<T>, A::Error> {
        IgnoredAny.visit_map(map).map(|_| Items::NotArray)
    }

    fn visit_bool<E>(self, _: bool) -> std::result::Result<Items<T>, E> {
        Ok(Items::NotArray)
    }

    fn visit_i64<E>(self, _: i64) -> std::result::Result<Items<T>, E> {
        Ok(Items::NotArray)
    }

    fn visit_u64<E>(self, _: u64) -> std::result::Result<Items<T>, E> {
        Ok(Items::NotArray)
    }

    fn visit_f64<E>(self, _: f64) -> std::result::Result<Items<T>, E> {
        Ok(Items::NotArray)
    }

    fn visit_str<E>(self, _: &str) -> std::result::Result<Items<T>, E> {
        Ok(Items::NotArray)
    }

    fn visit_unit<E>(self) -> std::result::Result<Items<T>, E> {
        Ok(Items::NotArray)
    }
}

/// The keys of an envelope; every occurrence is read and the last one of a key counts, as in a
/// `serde_json::Map`.
struct Envelope<C> {
    /// `items`, `data`, `results`, in priority order.
    lists: [Option<C>; 3],
    next_cursor: Option<Value>,
    cursor: Option<Value>,
}

impl<C: Candidate> Envelope<C> {
    /// The first list key holding an array, whatever the document order, and the cursor:
    /// `next_cursor` when present (even null), else `cursor`.
    fn pick(self) -> Option<(C, Option<String>)> {
        let list = self.lists.into_iter().flatten().find(Candidate::is_array)?;
        let cursor = match self.next_cursor.or(self.cursor) {
            Some(Value::String(s)) => Some(s),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        Some((list, cursor))
    }
}

enum Key {
    List(usize),
    NextCursor,
    Cursor,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E>(self, k: &str) -> std::result::Result<Key, E> {
                Ok(match k {
                    "items" => Key::List(0),
                    "data" => Key::List(1),
                    "results" => Key::List(2),
                    "next_cursor" => Key::NextCursor,
                    "cursor" => Key::Cursor,
                    _ => Key::Other,
                })
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de, C: Deserialize<'de>> Deserialize<'de> for Envelope<C> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V<C>(PhantomData<C>);
        impl<'de, C: Deserialize<'de>> Visitor<'de> for V<C> {
            type Value = Envelope<C>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list envelope")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Envelope<C>, A::Error> {
                let mut env = Envelope {
                    lists: [None, None, None],
                    next_cursor: None,
                    cursor: None,
                };
                while let Some(key) = map.next_key()? {
                    match key {
                        Key::List(i) => env.lists[i] = Some(map.next_value()?),
                        Key::NextCursor => env.next_cursor = Some(map.next_value()?),
                        Key::Cursor => env.cursor = Some(map.next_value()?),
                        Key::Other => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(env)
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Debug;

    /// The decoder as it was, through a whole `Value`: the reference the new one must match.
    fn decode_page_value<T: DeserializeOwned>(body: &[u8]) -> Result<Page<T>> {
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
                    .ok_or_else(|| Error::decode(BAD_SHAPE, body))?;
                let cursor = match m.remove("next_cursor").or_else(|| m.remove("cursor")) {
                    Some(Value::String(s)) => Some(s),
                    Some(Value::Number(n)) => Some(n.to_string()),
                    _ => None,
                };
                (items, cursor)
            }
            _ => return Err(Error::decode(BAD_SHAPE, body)),
        };
        let items = items
            .into_iter()
            .enumerate()
            .map(|(i, item)| {
                serde_json::from_value(item)
                    .map_err(|e| Error::decode(format!("item {i}: {e}"), body))
            })
            .collect::<Result<Vec<T>>>()?;
        Ok(Page { items, next_cursor })
    }

    type Outcome<T> = std::result::Result<(Vec<T>, Option<String>), String>;

    fn outcome<T>(r: Result<Page<T>>) -> Outcome<T> {
        r.map(|p| (p.items, p.next_cursor))
            .map_err(|e| e.to_string())
    }

    fn decode<T: DeserializeOwned>(body: &str) -> Outcome<T> {
        outcome(decode_page(body.as_bytes()))
    }

    /// New and reference agree on `body`, success or error text.
    fn agree<T: DeserializeOwned + PartialEq + Debug>(body: &str) {
        let reference = outcome(decode_page_value::<T>(body.as_bytes()));
        assert_eq!(decode::<T>(body), reference, "{body}");
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Item {
        id: u32,
        #[serde(default)]
        name: Option<String>,
    }

    #[test]
    fn both_shapes() {
        let p: Page<u32> = decode_page(b"[1,2]").unwrap();
        assert_eq!((p.items, p.next_cursor), (vec![1, 2], None));
        let p: Page<u32> = decode_page(br#"{"items":[3],"next_cursor":"c2"}"#).unwrap();
        assert_eq!((p.items, p.next_cursor.as_deref()), (vec![3], Some("c2")));
        let p: Page<u32> = decode_page(br#"{"data":[4],"next_cursor":null}"#).unwrap();
        assert_eq!((p.items, p.next_cursor), (vec![4], None));
        let p: Page<u32> = decode_page(br#" {"results":[5],"cursor":17} "#).unwrap();
        assert_eq!((p.items, p.next_cursor.as_deref()), (vec![5], Some("17")));
    }

    #[test]
    fn bad_shapes_are_decode_errors() {
        for body in [
            &b"{\"x\":1}"[..],
            b"42",
            b"[1,",
            b"<html>",
            br#"["a"]"#,
            b"",
        ] {
            assert!(
                matches!(decode_page::<u32>(body), Err(Error::Decode { .. })),
                "{body:?}"
            );
        }
        let e = decode::<u32>(r#"{"items":{"a":[1]},"data":"x"}"#).unwrap_err();
        assert!(e.contains(BAD_SHAPE), "{e}");
    }

    #[test]
    fn list_key_priority_is_not_document_order() {
        // `items` wins over `data` and `results` wherever it stands…
        assert_eq!(
            decode::<u32>(r#"{"results":[3],"data":[2],"items":[1]}"#),
            Ok((vec![1], None))
        );
        // …but only when it holds an array: then `data`, then `results`.
        assert_eq!(
            decode::<u32>(r#"{"data":[2],"items":null,"results":[3]}"#),
            Ok((vec![2], None))
        );
        assert_eq!(
            decode::<u32>(r#"{"results":[3],"items":{"x":1},"data":"no"}"#),
            Ok((vec![3], None))
        );
        // A losing list is not decoded as items: its strings do not fail a page of numbers.
        assert_eq!(
            decode::<u32>(r#"{"data":["a","b"],"items":[1]}"#),
            Ok((vec![1], None))
        );
        // The last occurrence of a key counts, as in a JSON object read into a map.
        assert_eq!(
            decode::<u32>(r#"{"items":[1],"data":[2],"items":false}"#),
            Ok((vec![2], None))
        );
    }

    #[test]
    fn cursor_rules() {
        let c = |body: &str| decode::<u32>(body).unwrap().1;
        assert_eq!(
            c(r#"{"items":[],"next_cursor":"n","cursor":"c"}"#).as_deref(),
            Some("n")
        );
        assert_eq!(c(r#"{"cursor":"c","items":[]}"#).as_deref(), Some("c"));
        assert_eq!(
            c(r#"{"items":[],"next_cursor":12.5}"#).as_deref(),
            Some("12.5")
        );
        assert_eq!(c(r#"{"items":[],"next_cursor":-3}"#).as_deref(), Some("-3"));
        // Present but null (or not a string/number) means no cursor, not "look at `cursor`".
        assert_eq!(c(r#"{"items":[],"next_cursor":null,"cursor":"c"}"#), None);
        assert_eq!(
            c(r#"{"items":[],"next_cursor":{"a":1},"cursor":"c"}"#),
            None
        );
        assert_eq!(c(r#"{"items":[],"cursor":true}"#), None);
    }

    #[test]
    fn item_errors_name_the_index() {
        let e = decode::<u32>(r#"{"data":[1,2,"x",4]}"#).unwrap_err();
        assert!(e.contains("item 2: invalid type: string \"x\""), "{e}");
        let e = decode::<Item>(r#"[{"id":1},{"name":"b"}]"#).unwrap_err();
        assert!(e.contains("item 1: missing field `id`"), "{e}");
        // A bad item in the winning list fails the page even after a good losing list.
        let e = decode::<u32>(r#"{"data":[1],"items":[1,-1]}"#).unwrap_err();
        assert!(e.contains("item 1: invalid value"), "{e}");
    }

    /// Representative and odd bodies: the one-pass decoder says exactly what the `Value`
    /// decoder said, on success and on error.
    #[test]
    fn matches_the_value_decoder() {
        let bodies = [
            "[]",
            "[1,2,3]",
            " \n[1]\t",
            r#"{"items":[1,2],"next_cursor":"abc"}"#,
            r#"{"data":[1],"next_cursor":null}"#,
            r#"{"results":[7],"cursor":123456789012345678901234567890}"#,
            r#"{"next_cursor":1e3,"data":[1]}"#,
            r#"{"next_cursor":-0.0,"data":[1]}"#,
            r#"{"items":"x","data":[2],"results":[3]}"#,
            r#"{"it\u0065ms":[1],"data":[2]}"#,
            r#"{"data":[1],"data":[2,3]}"#,
            r#"{"data":[1],"data":{}}"#,
            r#"{"items":["a"],"items":[5]}"#,
            r#"{"data":["a"],"items":[5]}"#,
            r#"{"data":["a"],"items":5}"#,
            r#"{"items":[1,"x"],"items":[2]}"#,
            r#"{"meta":{"total":3,"deep":[[{}]]},"items":[1]}"#,
            r#"{"x":1}"#,
            "{}",
            "42",
            "\"items\"",
            "null",
            "",
            "[1,",
            "[1 2]",
            "[1,]",
            r#"{"items":[1],}"#,
            r#"{"items":[1]} x"#,
            r#"{"items":["x"],"data":[1"#,
            r#"{"items":[1,"x"],"data":[1"#,
            r#"["x", tru]"#,
            "[1e400]",
            r#"{"items":[1],"next_cursor":1e400}"#,
            "[4294967296]",
            "[-1]",
            "[1.5]",
            "<html>",
        ];
        for body in bodies {
            agree::<u32>(body);
            agree::<Value>(body);
        }
        for body in [
            r#"[{"id":1},{"id":2,"name":"b"}]"#,
            r#"{"data":[{"id":1,"extra":[1,{"a":null}]}],"next_cursor":"n"}"#,
            r#"[{"id":1,"id":2}]"#,
            r#"[{"id":1},{"name":"x"}]"#,
            r#"[{"id":"1"}]"#,
            r#"[[3,"n"]]"#,
            r#"{"items":[{"id":1}],"data":[{"nope":1}]}"#,
        ] {
            agree::<Item>(body);
        }
    }

    /// Valid JSON that a `Value` cannot hold (a number beyond f64, a lone surrogate escape)
    /// failed the whole page before; where the one pass skips it, it now passes. (A page the
    /// one pass rejects is judged as before, this included.)
    #[test]
    fn skipped_values_are_only_checked_for_syntax() {
        for body in [
            r#"{"items":[1],"x":1e400}"#,
            r#"{"items":[1],"x":"\ud800"}"#,
        ] {
            assert_eq!(decode::<u32>(body), Ok((vec![1], None)), "{body}");
        }
        assert!(decode_page_value::<u32>(br#"{"items":[1],"x":1e400}"#).is_err());
        agree::<u32>(r#"{"items":[1,"x"],"other":1e400}"#);
        let e = decode::<u32>("[1e400]").unwrap_err();
        assert!(e.contains("number out of range"), "{e}");
    }

    /// A history page as the history endpoint's envelope would carry it.
    #[test]
    fn matches_the_value_decoder_on_history() {
        use crate::history::Series;
        for body in [
            r#"{"data":[{"der_id":"d1","type":"pv","resolution":"1m","points":[
                {"ts":1772791200000,"n":1,"fields":{"W":{"avg":-1.5,"min":-2,"max":0,"last":-1}}},
                {"ts":"2026-03-06T10:01:00Z","W":3,"note":"x"}]}],"next_cursor":"p2"}"#,
            r#"[{"der_id":"d1","points":[{"n":1}]}]"#,
            r#"[{"der_id":"d1","points":[{"ts":1,"fields":{"W":{"avg":"x"}}}]}]"#,
            r#"[{"der_id":"d1","points":[{"ts":[1]}]},{"der_id":"d2"}]"#,
            r#"[{"der_id":"d1","points":[{"ts":1,"fields":5}]}]"#,
            r#"[{"der_id":"d1","der_id":"d2"}]"#,
        ] {
            agree::<Series>(body);
        }
    }
}
