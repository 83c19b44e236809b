//! Deterministic binary encoding of events (canonical CBOR, RFC 8949 §4.2) and their hashes.
//!
//! Events are hashed and later signed as bytes, never as JSON text, so two replicas that hold
//! the same event always compute the same hash. Payloads are encoded with ciborium and then put
//! into canonical form (map keys sorted by their encoded bytes, no floats); the envelope is
//! written by hand because its shape is fixed and it sits on the hot path of `verify`.

use ciborium::Value;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use crate::error::{LogError, Result};

/// Hex SHA-256 of bytes: how blobs, templates, library texts and migrations are named.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Version of the envelope layout below. Bump only with a migration of every stored hash.
pub const ENCODING_VERSION: u64 = 1;

/// Encodes a payload as canonical CBOR.
pub fn to_canonical_cbor<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    let mut value = Value::serialized(value).map_err(|e| LogError::Encoding(e.to_string()))?;
    canonicalize(&mut value)?;
    let mut out = Vec::with_capacity(128);
    ciborium::into_writer(&value, &mut out).map_err(|e| LogError::Encoding(e.to_string()))?;
    Ok(out)
}

/// Decodes a CBOR payload.
pub fn from_cbor<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    ciborium::from_reader(bytes).map_err(|e| LogError::Encoding(e.to_string()))
}

/// A CBOR value as JSON for people and scripts: byte strings become hexadecimal text, map keys
/// that are not text are written as their JSON text.
pub fn cbor_to_json(value: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        Value::Integer(i) => {
            let n = i128::from(*i);
            i64::try_from(n)
                .map(J::from)
                .or_else(|_| u64::try_from(n).map(J::from))
                .unwrap_or_else(|_| J::String(n.to_string()))
        }
        Value::Bytes(b) => J::String(hex::encode(b)),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        Value::Text(t) => J::String(t.clone()),
        Value::Bool(b) => J::Bool(*b),
        Value::Null => J::Null,
        Value::Tag(_, inner) => cbor_to_json(inner),
        Value::Array(items) => J::Array(items.iter().map(cbor_to_json).collect()),
        Value::Map(entries) => J::Object(
            entries
                .iter()
                .map(|(k, v)| {
                    let key = match k {
                        Value::Text(t) => t.clone(),
                        other => cbor_to_json(other).to_string(),
                    };
                    (key, cbor_to_json(v))
                })
                .collect(),
        ),
        _ => J::Null,
    }
}

/// Puts a CBOR value into canonical form in place.
fn canonicalize(value: &mut Value) -> Result<()> {
    match value {
        Value::Map(entries) => {
            let mut keyed = Vec::with_capacity(entries.len());
            for (mut k, mut v) in std::mem::take(entries) {
                canonicalize(&mut k)?;
                canonicalize(&mut v)?;
                let mut key_bytes = Vec::new();
                ciborium::into_writer(&k, &mut key_bytes).map_err(|e| LogError::Encoding(e.to_string()))?;
                keyed.push((key_bytes, k, v));
            }
            keyed.sort_by(|a, b| a.0.cmp(&b.0));
            if keyed.windows(2).any(|w| w[0].0 == w[1].0) {
                return Err(LogError::Encoding("duplicate map key".into()));
            }
            *entries = keyed.into_iter().map(|(_, k, v)| (k, v)).collect();
        }
        Value::Array(items) => items.iter_mut().try_for_each(canonicalize)?,
        Value::Tag(_, inner) => canonicalize(inner)?,
        // Floats have several encodings and rounding hazards; amounts are decimal strings instead.
        Value::Float(_) => {
            return Err(LogError::Encoding("floating-point values are not allowed in events".into()));
        }
        _ => {}
    }
    Ok(())
}

/// The fields of an event that its hash covers.
#[derive(Debug, Clone, Copy)]
pub struct EventBody<'a> {
    pub id: &'a str,
    pub origin_office: &'a str,
    pub origin_device: &'a str,
    pub seq: u64,
    pub hlc: u64,
    pub actor: &'a str,
    pub kind: &'a str,
    pub aggregate: &'a str,
    pub payload: &'a [u8],
    pub prev: &'a [u8; 32],
}

impl EventBody<'_> {
    /// The canonical CBOR encoding: an array of the version and the fields, in this order.
    pub fn encode_into(&self, out: &mut Vec<u8>) {
        head(out, 4, 11);
        head(out, 0, ENCODING_VERSION);
        text(out, self.id);
        text(out, self.origin_office);
        text(out, self.origin_device);
        head(out, 0, self.seq);
        head(out, 0, self.hlc);
        text(out, self.actor);
        text(out, self.kind);
        text(out, self.aggregate);
        bytes(out, self.payload);
        bytes(out, self.prev);
    }

    /// SHA-256 over the canonical encoding, reusing `buf` so that loops do not allocate.
    pub fn hash_with(&self, buf: &mut Vec<u8>) -> [u8; 32] {
        buf.clear();
        self.encode_into(buf);
        Sha256::digest(buf.as_slice()).into()
    }
}

/// Writes a CBOR head (major type and argument) in its shortest form, as canonical CBOR requires.
/// Public so the sync crate's fixed-shape frames are written by this same code.
pub fn head(out: &mut Vec<u8>, major: u8, n: u64) {
    let m = major << 5;
    if n < 24 {
        out.push(m | n as u8);
    } else if n <= u64::from(u8::MAX) {
        out.extend_from_slice(&[m | 24, n as u8]);
    } else if n <= u64::from(u16::MAX) {
        out.push(m | 25);
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else if n <= u64::from(u32::MAX) {
        out.push(m | 26);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    } else {
        out.push(m | 27);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

/// Writes a CBOR text string.
pub fn text(out: &mut Vec<u8>, s: &str) {
    head(out, 3, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Writes a CBOR byte string.
pub fn bytes(out: &mut Vec<u8>, b: &[u8]) {
    head(out, 2, b.len() as u64);
    out.extend_from_slice(b);
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn map_key_order_does_not_change_the_encoding() {
        let mut a = HashMap::new();
        let mut b = HashMap::new();
        for (k, v) in [("zeta", 1), ("a", 2), ("mid", 3), ("bb", 4)] {
            a.insert(k, v);
        }
        for (k, v) in [("bb", 4), ("mid", 3), ("a", 2), ("zeta", 1)] {
            b.insert(k, v);
        }
        assert_eq!(to_canonical_cbor(&a).unwrap(), to_canonical_cbor(&b).unwrap());
    }

    #[test]
    fn shorter_keys_sort_first_as_rfc_8949_requires() {
        let value = serde_json::json!({"bb": 1, "a": 2, "c": 3});
        let bytes = to_canonical_cbor(&value).unwrap();
        let back: Value = ciborium::from_reader(bytes.as_slice()).unwrap();
        let keys: Vec<_> = back.as_map().unwrap().iter().map(|(k, _)| k.as_text().unwrap().to_owned()).collect();
        assert_eq!(keys, ["a", "c", "bb"]);
    }

    #[test]
    fn floats_are_refused() {
        assert!(to_canonical_cbor(&1.5f64).is_err());
    }

    #[test]
    fn envelope_matches_ciborium_for_the_same_array() {
        let prev = [7u8; 32];
        let body = EventBody {
            id: "e1",
            origin_office: "530102",
            origin_device: "dev",
            seq: 300,
            hlc: 1 << 40,
            actor: "u1",
            kind: "user.created",
            aggregate: "user:u1",
            payload: &[0xa0],
            prev: &prev,
        };
        let mut ours = Vec::new();
        body.encode_into(&mut ours);
        let reference = Value::Array(vec![
            Value::Integer(ENCODING_VERSION.into()),
            Value::Text("e1".into()),
            Value::Text("530102".into()),
            Value::Text("dev".into()),
            Value::Integer(300u64.into()),
            Value::Integer((1u64 << 40).into()),
            Value::Text("u1".into()),
            Value::Text("user.created".into()),
            Value::Text("user:u1".into()),
            Value::Bytes(vec![0xa0]),
            Value::Bytes(prev.to_vec()),
        ]);
        let mut theirs = Vec::new();
        ciborium::into_writer(&reference, &mut theirs).unwrap();
        assert_eq!(ours, theirs);
    }
}
