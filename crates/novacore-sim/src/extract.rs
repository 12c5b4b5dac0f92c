//! Request extractors whose rejections use the error envelope (axum's own answer in plain text).

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::Error;

/// JSON body extractor: 413 for oversize bodies, 400 for syntax errors, 422 naming the field for
/// type/shape errors.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await.map_err(|r| {
            if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Error::PayloadTooLarge
            } else {
                Error::BadRequest(format!("cannot read body: {r}"))
            }
        })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Parses JSON bytes into `T` with envelope-friendly errors.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    if bytes.is_empty() {
        return Err(Error::BadRequest(
            "request body is empty; JSON expected".into(),
        ));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    // The path to the value that failed (`site.ders[0].name`), so a wrong type names its field
    // as a missing field does; serde_json's own message only says where in the text it was.
    let value = serde_path_to_error::deserialize::<_, T>(&mut de).map_err(|e| {
        let path = e.path().to_string();
        rejection(e.into_inner(), &path)
    })?;
    de.end().map_err(|e| rejection(e, "."))?;
    Ok(value)
}

fn rejection(e: serde_json::Error, path: &str) -> Error {
    use serde_json::error::Category;
    match e.classify() {
        Category::Data => {
            let msg = e.to_string();
            // A missing field is reported at its parent: name it below that.
            let field = match (path, msg.starts_with("missing field")) {
                (".", _) => field_of(&msg),
                (p, true) => format!("{p}.{}", field_of(&msg)),
                (p, false) => p.to_string(),
            };
            Error::field(&field, msg)
        }
        _ => Error::BadRequest(format!("malformed JSON: {e}")),
    }
}

/// Best-effort field name from a serde message like "missing field `name` at line 1".
fn field_of(msg: &str) -> String {
    msg.split('`')
        .nth(1)
        .filter(|f| !f.is_empty() && !msg.starts_with("invalid type"))
        .map(str::to_string)
        .unwrap_or_else(|| "body".to_string())
}

/// Query-string extractor: 400 `bad_request` naming the parameter.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let q = parts.uri.query().unwrap_or("");
        let pairs: Vec<(String, String)> = url_decode_pairs(q);
        let obj: serde_json::Map<String, serde_json::Value> = pairs
            .into_iter()
            .map(|(k, v)| (k, serde_json::Value::String(v)))
            .collect();
        serde_json::from_value::<T>(serde_json::Value::Object(obj))
            .map(ApiQuery)
            .map_err(|e| {
                let msg = e.to_string();
                Error::BadRequest(format!("query parameter {}: {msg}", field_of(&msg)))
            })
    }
}

fn url_decode_pairs(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|s| !s.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (pct_decode(k), pct_decode(v))
        })
        .collect()
}

fn pct_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => match (hex_digit(b.get(i + 1)), hex_digit(b.get(i + 2))) {
                (Some(hi), Some(lo)) => {
                    out.push(hi << 4 | lo);
                    i += 2;
                }
                // Not an escape: keep the `%` literally, as before.
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Value of one ASCII hex digit (`from_str_radix` would also accept a `+` sign).
fn hex_digit(c: Option<&u8>) -> Option<u8> {
    char::from(*c?)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct T {
        name: String,
    }

    #[test]
    fn missing_field_is_named() {
        match parse_json::<T>(b"{}") {
            Err(Error::Validation { details, .. }) => assert_eq!(details[0].field, "name"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Nested {
        site: T,
        count: u32,
    }

    fn field_named(bytes: &[u8]) -> String {
        match parse_json::<Nested>(bytes) {
            Err(Error::Validation { details, message }) => {
                assert!(message.starts_with(&details[0].field), "{message}");
                details[0].field.clone()
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn a_wrong_type_names_its_field_at_any_depth() {
        assert_eq!(
            field_named(br#"{"site":{"name":"a"},"count":"3"}"#),
            "count"
        );
        assert_eq!(
            field_named(br#"{"site":{"name":3},"count":3}"#),
            "site.name"
        );
        assert_eq!(field_named(br#"{"site":{},"count":3}"#), "site.name");
        assert_eq!(field_named(br#"{"count":3}"#), "site");
    }

    #[test]
    fn trailing_text_after_the_body_is_malformed() {
        assert!(matches!(
            parse_json::<T>(br#"{"name":"a"} x"#),
            Err(Error::BadRequest(_))
        ));
    }

    #[test]
    fn syntax_error_is_bad_request() {
        assert!(matches!(parse_json::<T>(b"{"), Err(Error::BadRequest(_))));
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(pct_decode("a%2Bb+c%3A"), "a+b c:");
        assert_eq!(pct_decode("bad%zz%"), "bad%zz%");
    }

    #[test]
    fn percent_escapes_need_two_hex_digits() {
        // Regression: `%+5` decoded to byte 0x05 because from_str_radix accepts a sign; now the
        // `%` stays literal and `+` is a space, as in form decoding.
        assert_eq!(pct_decode("a%+5b"), "a% 5b");
        assert_eq!(pct_decode("%41%4a%4"), "AJ%4");
        assert_eq!(pct_decode("x%"), "x%");
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        count: Option<u32>,
    }

    proptest! {
        // Any bytes give a value or a 4xx-class error, never a panic or a 5xx.
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
            if let Err(e) = parse_json::<Body>(&bytes) {
                let status = e.status_code().0.as_u16();
                prop_assert!(status == 400 || status == 422);
            }
        }

        #[test]
        fn query_decoding_never_panics(q in ".{0,64}") {
            let _ = url_decode_pairs(&q);
        }
    }
}
