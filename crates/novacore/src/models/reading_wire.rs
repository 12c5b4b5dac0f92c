//! A reading's wire object read in one pass: the envelope picked out as the keys go by, the rest
//! kept as (key, value) pairs until `type` says which fields they are. This replaces a detour
//! through a `serde_json::Map` (a `String` and a tree node per key, then a removal per field),
//! which was most of the decoding time on the live stream. Values are [`Raw`]: numbers and
//! unescaped strings without a `Value` tree node.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Map;
use std::borrow::Cow;
use std::fmt;

use super::reading::{
    BatteryFields, Extra, MeterFields, PvFields, Reading, ReadingData, V2xFields,
};
use super::reading_raw::{Raw, RawInto};

/// The kind-specific fields struct of one DER kind (implemented by `fields_struct!`).
pub(super) trait Fields: Default {
    /// Sets the field the wire key names, or hands `v` back when it is not one of this kind's.
    /// `null` unsets it.
    fn set<'de>(&mut self, wire: &str, v: Raw<'de>) -> Result<Option<Raw<'de>>, String>;
    /// The fields not modelled.
    fn extra_mut(&mut self) -> &mut Extra;

    /// Builds the struct from the object's remaining entries, in wire order. A key given twice
    /// takes its last value, as in a JSON object, so an invalid value that a later duplicate
    /// overrides is no error.
    fn from_entries(entries: Vec<(Cow<'_, str>, Raw<'_>)>) -> Result<Self, String> {
        let mut out = Self::default();
        let mut it = entries.into_iter();
        while let Some((k, v)) = it.next() {
            match out.set(&k, v) {
                Ok(None) => {}
                Ok(Some(v)) => {
                    out.extra_mut().insert(k.into_owned(), v.into_value());
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
    ty: Option<Raw<'de>>,
    der_type: Option<Raw<'de>>,
    ts: [Option<Raw<'de>>; 3],
    read_time: Option<Raw<'de>>,
    der_id: Option<Raw<'de>>,
    device_id: Option<Raw<'de>>,
    site_id: Option<Raw<'de>>,
    make: Option<Raw<'de>>,
    rest: Vec<(Cow<'de, str>, Raw<'de>)>,
}

impl<'de> WireReading<'de> {
    /// Takes one entry of the object (a later duplicate key overrides an earlier one).
    pub(super) fn add(&mut self, k: Cow<'de, str>, v: Raw<'de>) {
        self.rest.push((k, Raw::Null));
        *self.slot_of_last_key() = v;
    }

    /// Where the value of the key last pushed on `rest` goes (null until it is read into it): an
    /// envelope slot, the key then taken off `rest` again, or its own entry there.
    fn slot_of_last_key(&mut self) -> &mut Raw<'de> {
        let last = self.rest.len() - 1;
        let slot = match &*self.rest[last].0 {
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
            _ => return &mut self.rest[last].1,
        };
        self.rest.truncate(last);
        slot.insert(Raw::Null)
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
            .and_then(Raw::timestamp)
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
                    .map(|(k, v)| (k.into_owned(), v.into_value()))
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
            read_time_ms: self.read_time.take().and_then(|v| v.as_f64()),
            data,
        })
    }
}

/// An id-like envelope value: a string, or a number taken as its text.
fn take_str(v: Option<Raw<'_>>) -> Option<String> {
    match v? {
        Raw::Str(s) => Some(s.into_owned()),
        Raw::Num(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Decodes one reading from JSON text with a reader on the stack, filled where it lies and read
/// out by `take_reading` without being moved: the reader is a few hundred bytes, and moving it out
/// of serde's visitor and into `take_reading` was ~4 % of the decoding time (boxing it instead
/// costs an allocation per reading).
pub(super) fn decode(text: &str) -> Result<Reading, String> {
    let mut wire = WireReading::default();
    let mut de = serde_json::Deserializer::from_str(text);
    de::DeserializeSeed::deserialize(InPlace(&mut wire), &mut de)
        .and_then(|()| de.end())
        .map_err(|e| e.to_string())?;
    wire.take_reading()
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
        // Each key is read into a new entry of `rest` and each value into its slot, where they
        // stay: see `RawInto`.
        loop {
            let rest = &mut self.0.rest;
            rest.push((Cow::Borrowed(""), Raw::Null));
            let last = rest.len() - 1;
            if map.next_key_seed(KeyInto(&mut rest[last].0))?.is_none() {
                rest.truncate(last);
                return Ok(());
            }
            map.next_value_seed(RawInto(self.0.slot_of_last_key()))?;
        }
    }
}

impl<'de> Deserialize<'de> for WireReading<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut wire = WireReading::default();
        de::DeserializeSeed::deserialize(InPlace(&mut wire), d)?;
        Ok(wire)
    }
}

/// Reads an object key into its entry, borrowed from the input when it has no escapes.
struct KeyInto<'a, 'de>(&'a mut Cow<'de, str>);

impl<'de> de::DeserializeSeed<'de> for KeyInto<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyInto<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<(), E> {
        *self.0 = Cow::Borrowed(s);
        Ok(())
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<(), E> {
        *self.0 = Cow::Owned(s.to_owned());
        Ok(())
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<(), E> {
        *self.0 = Cow::Owned(s);
        Ok(())
    }
}
