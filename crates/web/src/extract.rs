//! Extractors: the signed-in caller, strict JSON bodies, the audit purpose and record ids. Each
//! turns untrusted input into a domain value once, or answers with a clear 4xx that repeats
//! nothing that was sent.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use std::collections::BTreeMap;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{DeserializeOwned, MapAccess, Visitor};

use crate::error::ApiError;

/// The member of staff a bearer token belongs to.
#[derive(Debug)]
pub(crate) struct Authenticated(pub app::Caller);

impl FromRequestParts<app::App> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &app::App,
    ) -> Result<Self, Self::Rejection> {
        let presented = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(ApiError::unauthorized)?;
        match app.authenticate(presented.trim()).await? {
            Some(caller) => Ok(Self(caller)),
            None => Err(ApiError::unauthorized()),
        }
    }
}

/// Why the caller is acting, from the optional `X-Purpose` header (default `case-work`).
#[derive(Debug)]
pub(crate) struct Purpose(pub app::Purpose);

impl<S: Send + Sync> FromRequestParts<S> for Purpose {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let Some(raw) = parts.headers.get("x-purpose") else {
            return Ok(Self(app::Purpose::default()));
        };
        raw.to_str()
            .ok()
            .and_then(app::Purpose::parse)
            .map(Self)
            .ok_or_else(|| {
                ApiError::bad_request(
                    "X-Purpose must be one of case-work, safety, supervision, legal, data-quality.",
                )
            })
    }
}

/// Whether a Content-Type names JSON, in UTF-8 (JSON's only encoding, RFC 8259 8.1): a body said
/// to be in another charset would otherwise be read as UTF-8 all the same.
fn is_utf8_json(content_type: &str) -> bool {
    let mut parts = content_type.split(';');
    let media = parts.next().unwrap_or_default().trim();
    media.eq_ignore_ascii_case("application/json")
        && parts.all(|param| match param.split_once('=') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("charset") => {
                value.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
            }
            _ => true,
        })
}

/// A JSON body that must match its type exactly (unknown fields refused, P15). Errors name the
/// field and the kind of problem, never the value sent.
#[derive(Debug)]
pub(crate) struct StrictJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for StrictJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(is_utf8_json);
        if !is_json {
            return Err(ApiError::new(
                axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Send the body as JSON in UTF-8 with `Content-Type: application/json`.",
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::new(
                        rejection.status(),
                        "too_large",
                        "The request body is too large.",
                    )
                } else {
                    ApiError::bad_request("The request body could not be read.")
                }
            })?;
        parse_json(&bytes).map(Self)
    }
}

fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let inner_message = err.inner().to_string();
        // An unknown field's path ends in the key that was sent, which we never repeat.
        let path = if inner_message.starts_with("unknown field") {
            ".".to_owned()
        } else {
            said_path(err.path())
        };
        let inner = err.into_inner();
        let problem = match inner.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                return ApiError::bad_request("The request body is not valid JSON.");
            }
            serde_json::error::Category::Io => {
                return ApiError::bad_request("The request body could not be read.");
            }
            serde_json::error::Category::Data => describe(&inner.to_string()),
        };
        if path == "." {
            ApiError::bad_request(format!("The request body {problem}."))
        } else {
            ApiError::bad_request(format!("The field `{path}` {problem}."))
        }
    })?;
    de.end()
        .map_err(|_| ApiError::bad_request("The request body has data after the JSON value."))?;
    Ok(value)
}

/// A JSON object whose keys the caller chooses (the domains of a needs assessment, the items of a
/// screening, the facts of a determination), each key at most once: a plain map keeps the last of
/// a key sent twice, and what was typed first would be lost without a word.
#[derive(Debug)]
pub(crate) struct UniqueKeys<V>(pub BTreeMap<String, V>);

/// None sent: an empty map (derived `Default` would ask it of the values too).
impl<V> Default for UniqueKeys<V> {
    fn default() -> Self {
        Self(BTreeMap::new())
    }
}

/// The problem of a key sent twice, as `describe` says it.
const KEY_TWICE: &str = "has a key twice";

impl<'de, V: Deserialize<'de>> Deserialize<'de> for UniqueKeys<V> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Keys<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Keys<V> {
            type Value = UniqueKeys<V>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut keys = BTreeMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value = map.next_value()?;
                    if keys.insert(key, value).is_some() {
                        return Err(serde::de::Error::custom(KEY_TWICE));
                    }
                }
                Ok(UniqueKeys(keys))
            }
        }
        deserializer.deserialize_map(Keys(PhantomData))
    }
}

/// Where in the body a problem is, as `needs.housing.level`: a key of a map the caller chose
/// (the domains of a needs assessment, the items of a screening, the facts of a determination)
/// is named only when it is written as our codes are; any other key could be a name or a phone
/// number typed in the wrong place, and is shown as `…`.
fn said_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let is_code = |key: &str| {
        key.len() <= 64
            && key.starts_with(|c: char| c.is_ascii_lowercase())
            && key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
    };
    let parts: Vec<String> = path
        .iter()
        .map(|segment| match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } | Segment::Enum { variant: key } if is_code(key) => key.clone(),
            _ => "…".to_owned(),
        })
        .collect();
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join(".")
    }
}

/// Serde's message, reduced to a kind of problem: its text can quote the value sent.
fn describe(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default();
        return format!("is missing `{field}`");
    }
    let kind = if message.starts_with("unknown field") {
        "is not a field this request accepts"
    } else if message.starts_with("invalid type") {
        "has the wrong type"
    } else if message.starts_with(KEY_TWICE) {
        KEY_TWICE
    } else if message.starts_with("invalid length") {
        "has the wrong number of items"
    } else {
        "has a value that is not allowed"
    };
    kind.to_owned()
}

/// A record id from the path. A malformed id is answered exactly like an unknown one (P7).
pub(crate) fn record_id<T: std::str::FromStr>(raw: &str) -> Result<T, ApiError> {
    raw.parse().map_err(|_| ApiError::not_found())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_taken_in_utf_8_only() {
        for ok in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/json; charset=\"UTF-8\"",
        ] {
            assert!(is_utf8_json(ok), "{ok}");
        }
        for refused in [
            "application/json; charset=utf-16",
            "application/json;charset=latin1",
            "text/json",
            "application/jsonp",
        ] {
            assert!(!is_utf8_json(refused), "{refused}");
        }
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        n: u32,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Keyed {
        answers: UniqueKeys<String>,
    }

    fn message(json: &str) -> String {
        format!("{:?}", parse_json::<Body>(json.as_bytes()).unwrap_err())
    }

    #[test]
    fn errors_name_fields_but_never_repeat_values() {
        let wrong = message(r#"{"name": "Canary", "n": "Secret Value"}"#);
        assert!(wrong.contains("`n` has the wrong type"), "{wrong}");
        assert!(!wrong.contains("Secret Value"));
        let unknown = message(r#"{"name": "a", "n": 1, "Private Key": 2}"#);
        assert!(unknown.contains("is not a field"), "{unknown}");
        assert!(!unknown.contains("Private Key"));
        assert!(message(r#"{"n": 1}"#).contains("missing `name`"));
        let keyed = |json: &str| {
            let err = parse_json::<Keyed>(json.as_bytes()).unwrap_err();
            format!("{err:?}")
        };
        let named = keyed(r#"{"answers": {"Maria Lopez 555-0142": 5}}"#);
        assert!(named.contains("`answers.…` has the wrong type"), "{named}");
        assert!(
            !named.contains("Maria") && !named.contains("555"),
            "{named}"
        );
        let coded = keyed(r#"{"answers": {"traded-sex": 5}}"#);
        assert!(
            coded.contains("`answers.traded-sex` has the wrong type"),
            "{coded}"
        );
        let twice = keyed(r#"{"answers": {"housing": "a", "housing": "b"}}"#);
        assert!(twice.contains("`answers` has a key twice"), "{twice}");
        assert!(message("{").contains("not valid JSON"));
        assert!(message(r#"{"name": "a", "n": 1} x"#).contains("after the JSON"));
    }
}
