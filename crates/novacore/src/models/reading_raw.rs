//! A value of a reading's wire object as it is parsed ([`Raw`]), read in place ([`RawInto`]), and
//! the conversions of the modelled fields from it ([`FromRaw`]).

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

use super::time;

/// A value of the reading object as parsed: scalars as they are, strings borrowed from the input
/// when they have no escapes; only arrays and objects become a `Value` tree. A reading is mostly
/// numbers, and building, moving, converting and dropping a `Value` for each was a fifth of its
/// decoding.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Raw<'de> {
    Null,
    Bool(bool),
    Num(serde_json::Number),
    Str(Cow<'de, str>),
    Tree(Value),
}

impl<'de> Raw<'de> {
    /// The value as JSON, e.g. for the fields a kind does not model.
    pub(super) fn into_value(self) -> Value {
        match self {
            Raw::Null => Value::Null,
            Raw::Bool(b) => Value::Bool(b),
            Raw::Num(n) => Value::Number(n),
            Raw::Str(s) => Value::String(s.into_owned()),
            Raw::Tree(v) => v,
        }
    }

    /// Any number as `f64` (as `serde_json::Value::as_f64`).
    pub(super) fn as_f64(&self) -> Option<f64> {
        match self {
            Raw::Num(n) => n.as_f64(),
            _ => None,
        }
    }

    /// A timestamp: ISO 8601 text or epoch s/ms (as `time::from_value`).
    pub(super) fn timestamp(self) -> Option<chrono::DateTime<chrono::Utc>> {
        match self {
            Raw::Str(s) => time::parse_str(&s),
            Raw::Num(n) => n.as_f64().and_then(time::from_number),
            _ => None,
        }
    }

    /// serde's error text for this value where `expected` was wanted.
    fn invalid(&self, expected: &str) -> String {
        let unexpected = match self {
            Raw::Null => de::Unexpected::Unit,
            Raw::Bool(b) => de::Unexpected::Bool(*b),
            Raw::Num(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => de::Unexpected::Unsigned(u),
                (_, Some(i)) => de::Unexpected::Signed(i),
                _ => de::Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Raw::Str(s) => de::Unexpected::Str(s),
            Raw::Tree(Value::Array(_)) => de::Unexpected::Seq,
            Raw::Tree(_) => de::Unexpected::Map,
        };
        <serde_json::Error as de::Error>::invalid_type(unexpected, &expected).to_string()
    }
}

impl From<Value> for Raw<'_> {
    fn from(v: Value) -> Self {
        match v {
            Value::Null => Raw::Null,
            Value::Bool(b) => Raw::Bool(b),
            Value::Number(n) => Raw::Num(n),
            Value::String(s) => Raw::Str(Cow::Owned(s)),
            tree => Raw::Tree(tree),
        }
    }
}

/// A modelled field's type, read from a [`Raw`] value (`null`: unset).
pub(super) trait FromRaw: Sized {
    /// The value, or serde's error text for a value of the wrong type.
    fn from_raw(v: Raw<'_>) -> Result<Option<Self>, String>;
}

impl FromRaw for f64 {
    fn from_raw(v: Raw<'_>) -> Result<Option<Self>, String> {
        match v {
            Raw::Null => Ok(None),
            Raw::Num(ref n) => n.as_f64().map(Some).ok_or_else(|| v.invalid("f64")),
            v => Err(v.invalid("f64")),
        }
    }
}

impl FromRaw for bool {
    fn from_raw(v: Raw<'_>) -> Result<Option<Self>, String> {
        match v {
            Raw::Null => Ok(None),
            Raw::Bool(b) => Ok(Some(b)),
            v => Err(v.invalid("a boolean")),
        }
    }
}

impl FromRaw for String {
    fn from_raw(v: Raw<'_>) -> Result<Option<Self>, String> {
        match v {
            Raw::Null => Ok(None),
            Raw::Str(s) => Ok(Some(s.into_owned())),
            v => Err(v.invalid("a string")),
        }
    }
}

impl FromRaw for Value {
    fn from_raw(v: Raw<'_>) -> Result<Option<Self>, String> {
        Ok(match v {
            Raw::Null => None,
            v => Some(v.into_value()),
        })
    }
}

/// Reads one value into its slot in the reader. Written where it stays rather than returned:
/// a returned value is copied out of serde's result right after being stored, and the loads of
/// those copies, stalled on the stores just made, held a fifth of the profile; keys and values
/// read in place decode a reading 10 % faster.
pub(super) struct RawInto<'a, 'de>(pub(super) &'a mut Raw<'de>);

impl<'de> de::DeserializeSeed<'de> for RawInto<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RawInto<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        *self.0 = Raw::Null;
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.visit_unit()
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<(), E> {
        *self.0 = Raw::Bool(b);
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<(), E> {
        *self.0 = Raw::Num(n.into());
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<(), E> {
        *self.0 = Raw::Num(n.into());
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<(), E> {
        // As `Value`: a non-finite float (not JSON) is null.
        *self.0 = serde_json::Number::from_f64(n).map_or(Raw::Null, Raw::Num);
        Ok(())
    }
    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<(), E> {
        *self.0 = Raw::Str(Cow::Borrowed(s));
        Ok(())
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<(), E> {
        *self.0 = Raw::Str(Cow::Owned(s.to_owned()));
        Ok(())
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<(), E> {
        *self.0 = Raw::Str(Cow::Owned(s));
        Ok(())
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        *self.0 = Raw::Tree(Value::deserialize(de::value::SeqAccessDeserializer::new(
            seq,
        ))?);
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        *self.0 = Raw::Tree(Value::deserialize(de::value::MapAccessDeserializer::new(
            map,
        ))?);
        Ok(())
    }
}
