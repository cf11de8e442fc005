//! Reading a facts file's JSON: a value that keeps an object's keys in order and with duplicates,
//! and the readers of its fields, each naming the path at fault and never a value.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use time::Date;

use super::facts::{FactsError, MAX_AGE, parse_iso_date};

pub(super) fn object(value: Json, path: &'static str) -> Result<Vec<(String, Json)>, FactsError> {
    match value {
        Json::Object(entries) => Ok(entries),
        _ => Err(FactsError::field(path, "must be an object")),
    }
}

/// The index of `key` among `names`; an unknown key is an error that does not repeat it.
pub(super) fn known_key(
    key: &str,
    names: &[&str],
    parent: &'static str,
) -> Result<usize, FactsError> {
    names.iter().position(|n| *n == key).ok_or_else(|| {
        FactsError::field(
            parent,
            &format!(
                "has a field this format does not know (allowed: {})",
                names.join(", ")
            ),
        )
    })
}

pub(super) fn once(seen: u32, index: usize, path: &'static str) -> Result<u32, FactsError> {
    let bit = 1u32 << index;
    if seen & bit != 0 {
        return Err(FactsError::field(path, "appears more than once"));
    }
    Ok(seen | bit)
}

pub(super) fn flag(value: Json, path: &'static str) -> Result<Option<bool>, FactsError> {
    match value {
        Json::Null => Ok(None),
        Json::Bool(b) => Ok(Some(b)),
        _ => Err(FactsError::field(path, "must be true, false or null")),
    }
}

pub(super) fn date(value: Json, path: &'static str) -> Result<Option<Date>, FactsError> {
    let text = match value {
        Json::Null => return Ok(None),
        Json::String(text) => text,
        _ => {
            return Err(FactsError::field(
                path,
                "must be a date written YYYY-MM-DD, or null",
            ));
        }
    };
    parse_iso_date(&text)
        .map(Some)
        .ok_or_else(|| FactsError::field(path, "must be a real date written YYYY-MM-DD"))
}

pub(super) fn years(value: Json, path: &'static str) -> Result<Option<u8>, FactsError> {
    match value {
        Json::Null => Ok(None),
        Json::Unsigned(n) if n <= MAX_AGE => Ok(u8::try_from(n).ok()),
        _ => Err(FactsError::field(
            path,
            "must be a whole number of years from 0 to 130, or null",
        )),
    }
}

/// A JSON value that keeps an object's keys in order and with duplicates, so that the walk above
/// can refuse duplicates and name paths itself (serde_json's own messages can repeat values).
pub(super) enum Json {
    Null,
    Bool(bool),
    Unsigned(u64),
    OtherNumber,
    String(String),
    Array,
    Object(Vec<(String, Json)>),
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Unsigned(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Json, E> {
        Ok(u64::try_from(v).map_or(Json::OtherNumber, Json::Unsigned))
    }

    /// JSON Schema counts 16.0 as the integer 16; so does this parser.
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Json, E> {
        if v.fract() == 0.0 && (0.0..=1e15).contains(&v) {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            return Ok(Json::Unsigned(v as u64));
        }
        Ok(Json::OtherNumber)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Json::Array)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value::<Json>()?;
            entries.push((key, value));
        }
        Ok(Json::Object(entries))
    }
}
