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
    serde_json::from_slice::<T>(bytes).map_err(|e| {
        use serde_json::error::Category;
        match e.classify() {
            Category::Data => {
                let msg = e.to_string();
                Error::field(&field_of(&msg), msg)
            }
            _ => Error::BadRequest(format!("malformed JSON: {e}")),
        }
    })
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
            b'%' if i + 2 < b.len() => {
                match u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16)
                {
                    Ok(v) => {
                        out.push(v);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
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

    #[test]
    fn syntax_error_is_bad_request() {
        assert!(matches!(parse_json::<T>(b"{"), Err(Error::BadRequest(_))));
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(pct_decode("a%2Bb+c%3A"), "a+b c:");
        assert_eq!(pct_decode("bad%zz%"), "bad%zz%");
    }
}
