//! A reading's wire object read in one pass: the envelope picked out as the keys go by, the rest
//! kept as (key, value) pairs until `type` says which fields they are. This replaces a detour
//! through a `serde_json::Map` (a `String` and a tree node per key, then a removal per field),
//! which was most of the decoding time on the live stream.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

use super::reading::{
    BatteryFields, Extra, MeterFields, PvFields, Reading, ReadingData, V2xFields,
};
use super::time;

/// The kind-specific fields struct of one DER kind (implemented by `fields_struct!`).
pub(super) trait Fields: Default {
    /// Sets the field the wire key names, or hands `v` back when it is not one of this kind's.
    /// `null` unsets it.
    fn set(&mut self, wire: &str, v: Value) -> Result<Option<Value>, String>;
    /// The fields not modelled.
    fn extra_mut(&mut self) -> &mut Extra;

    /// Builds the struct from the object's remaining entries, in wire order. A key given twice
    /// takes its last value, as in a JSON object, so an invalid value that a later duplicate
    /// overrides is no error.
    fn from_entries(entries: Vec<(Cow<'_, str>, Value)>) -> Result<Self, String> {
        let mut out = Self::default();
        let mut it = entries.into_iter();
        while let Some((k, v)) = it.next() {
            match out.set(&k, v) {
                Ok(None) => {}
                Ok(Some(v)) => {
                    out.extra_mut().insert(k.into_owned(), v);
                }
                Err(e) if it.as_slice().iter().any(|(later, _)| *later == k) => drop(e),
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }
}

/// Timestamp keys in order of preference; only the first present is the envelope's.
const TS_KEYS: [&str; 3] = ["timestamp", "ts", "ts_ms"];

/// One reading object as read off the wire, before its kind is known.
#[derive(Default)]
pub(super) struct WireReading<'de> {
    ty: Option<Value>,
    der_type: Option<Value>,
    ts: [Option<Value>; 3],
    read_time: Option<Value>,
    der_id: Option<Value>,
    device_id: Option<Value>,
    site_id: Option<Value>,
    make: Option<Value>,
    rest: Vec<(Cow<'de, str>, Value)>,
}

impl<'de> WireReading<'de> {
    /// Takes one entry of the object (a later duplicate key overrides an earlier one).
    pub(super) fn add(&mut self, k: Cow<'de, str>, v: Value) {
        let slot = match &*k {
            "type" => &mut self.ty,
            "der_type" => &mut self.der_type,
            "timestamp" => &mut self.ts[0],
            "ts" => &mut self.ts[1],
            "ts_ms" => &mut self.ts[2],
            "read_time_ms" => &mut self.read_time,
            "der_id" => &mut self.der_id,
            "device_id" => &mut self.device_id,
            "site_id" => &mut self.site_id,
            "make" => &mut self.make,
            _ => {
                self.rest.push((k, v));
                return;
            }
        };
        *slot = Some(v);
    }

    /// The reading, by the envelope rules: `type` (else `der_type`) names the kind, the first of
    /// `timestamp`, `ts`, `ts_ms` is the time; what is not envelope is the kind's fields. Taken
    /// out of the reader, which is left empty.
    pub(super) fn take_reading(&mut self) -> Result<Reading, String> {
        let kind = match take_str(self.ty.take()) {
            Some(kind) => {
                if let Some(d) = self.der_type.take() {
                    self.rest.push(("der_type".into(), d));
                }
                kind
            }
            None => take_str(self.der_type.take()).ok_or("reading has no `type`")?,
        };
        let mut ts_value = None;
        for (key, v) in TS_KEYS.iter().zip(std::mem::take(&mut self.ts)) {
            match v {
                Some(v) if ts_value.is_none() => ts_value = Some(v),
                Some(v) => self.rest.push(((*key).into(), v)),
                None => {}
            }
        }
        // Legacy FTW put epoch ms into read_time_ms and an RFC 3339 string into timestamp.
        let timestamp = ts_value
            .as_ref()
            .and_then(time::from_value)
            .ok_or("reading has no valid `timestamp`")?;
        let rest = std::mem::take(&mut self.rest);
        let data = match kind.as_str() {
            "pv" | "solar" => ReadingData::Pv(PvFields::from_entries(rest)?),
            "battery" => ReadingData::Battery(BatteryFields::from_entries(rest)?),
            "meter" => ReadingData::Meter(MeterFields::from_entries(rest)?),
            "v2x_charger" => ReadingData::V2xCharger(V2xFields::from_entries(rest)?),
            _ => ReadingData::Other {
                fields: rest
                    .into_iter()
                    .map(|(k, v)| (k.into_owned(), v))
                    .collect::<Map<_, _>>(),
                kind,
            },
        };
        Ok(Reading {
            der_id: take_str(self.der_id.take()),
            device_id: take_str(self.device_id.take()),
            site_id: take_str(self.site_id.take()),
            timestamp,
            make: take_str(self.make.take()),
            read_time_ms: self.read_time.take().as_ref().and_then(Value::as_f64),
            data,
        })
    }
}

/// An id-like envelope value: a string, or a number taken as its text.
fn take_str(v: Option<Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl<'de> WireReading<'de> {
    /// Reads `text` into a boxed reader, filled in place: the reader is a few hundred bytes, and
    /// moving it out of serde's visitor and into `take_reading` was ~4 % of the decoding time.
    pub(super) fn from_str(text: &'de str) -> serde_json::Result<Box<Self>> {
        let mut wire = Box::<Self>::default();
        let mut de = serde_json::Deserializer::from_str(text);
        de::DeserializeSeed::deserialize(InPlace(&mut wire), &mut de)?;
        de.end()?;
        Ok(wire)
    }
}

/// Fills a [`WireReading`] where it lies.
struct InPlace<'a, 'de>(&'a mut WireReading<'de>);

impl<'de> de::DeserializeSeed<'de> for InPlace<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for InPlace<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a reading (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.0.rest.reserve(map.size_hint().unwrap_or(16));
        while let Some(Key(k)) = map.next_key()? {
            self.0.add(k, map.next_value()?);
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for WireReading<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut wire = WireReading::default();
        de::DeserializeSeed::deserialize(InPlace(&mut wire), d)?;
        Ok(wire)
    }
}

/// An object key, borrowed from the input when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}
