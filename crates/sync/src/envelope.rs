//! Signed envelopes: receipts, enrollment requests, certificates, feed pages and request headers.
//!
//! `Signed<T>` is CBOR `[1, context, body, alg, key_id, sig]` where `body` is the canonical CBOR
//! of `T` and the signature covers `context || 0x00 || body`. The frame is read strictly (see
//! `cbor`); the body is decoded only after the signature checks, and leniently (unknown fields
//! are ignored), so a newer hub may add fields to its receipts without breaking older clients.

use std::fmt;
use std::marker::PhantomData;

use qingfeng_log::encoding::{self, EventBody};
use qingfeng_log::event::Event;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

use crate::cbor::{self, Reader};
use crate::changeset::{self, check_signer};
use crate::crypto::{Alg, PublicKey, SecretKey, Signature};
use crate::error::{Result, SyncError};

/// The encoding version of envelopes.
pub const VERSION: u64 = 1;

/// The largest encoded envelope: a feed page of `changeset::MAX_EVENTS` full events fits, with
/// room for the fields a change set leaves out (office, device, seq, prev and hash per event).
pub const MAX_ENVELOPE_BYTES: usize = 2 * changeset::MAX_BYTES;

const MAX_CONTEXT: usize = 64;
const MAX_ALG: usize = 32;
const MAX_KEY_ID: usize = 64;
const MAX_SIGNATURE: usize = 512;

/// Signature contexts, one per kind of signed message.
pub const RECEIPT_CONTEXT: &str = "qingfeng/receipt/v1";
pub const ENROLLMENT_CONTEXT: &str = "qingfeng/enrollment/v1";
pub const CERTIFICATE_CONTEXT: &str = "qingfeng/certificate/v1";
pub const FEED_CONTEXT: &str = "qingfeng/feed/v1";
pub const AUTH_CONTEXT: &str = "qingfeng/auth/v1";

/// How far an `AuthRequest`'s time may be from the hub's clock: enough for the drift of an
/// office's clock, short enough that a captured header is of little use. The hub also remembers
/// each header's nonce for twice this long, so a header is good for one request only.
pub const AUTH_WINDOW_MS: i64 = 5 * 60 * 1000;

/// The length of an `AuthRequest`'s nonce.
pub const AUTH_NONCE_LEN: usize = 16;

/// A value of type `T`, encoded canonically and signed with a context naming its kind.
pub struct Signed<T> {
    context: String,
    body: Vec<u8>,
    alg: Alg,
    key_id: String,
    signature: Vec<u8>,
    _type: PhantomData<fn() -> T>,
}

// Written out rather than derived, so that they do not require `T` itself to implement them.
impl<T> fmt::Debug for Signed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signed")
            .field("context", &self.context)
            .field("body_len", &self.body.len())
            .field("alg", &self.alg)
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl<T> Clone for Signed<T> {
    fn clone(&self) -> Self {
        Signed {
            context: self.context.clone(),
            body: self.body.clone(),
            alg: self.alg,
            key_id: self.key_id.clone(),
            signature: self.signature.clone(),
            _type: PhantomData,
        }
    }
}

impl<T> PartialEq for Signed<T> {
    fn eq(&self, other: &Self) -> bool {
        self.context == other.context
            && self.body == other.body
            && self.alg == other.alg
            && self.key_id == other.key_id
            && self.signature == other.signature
    }
}

impl<T> Eq for Signed<T> {}

impl<T: Serialize + DeserializeOwned> Signed<T> {
    /// Encodes `value` canonically and signs it for `context` (one of the `*_CONTEXT` constants).
    pub fn sign(context: &str, value: &T, key: &SecretKey) -> Result<Self> {
        let body = encoding::to_canonical_cbor(value).map_err(|e| SyncError::malformed(e.to_string()))?;
        if body.len() > MAX_ENVELOPE_BYTES {
            return Err(SyncError::TooLarge {
                what: "签名信封大小",
                actual: body.len() as u64,
                limit: MAX_ENVELOPE_BYTES as u64,
            });
        }
        let signature = key.sign(context, &body);
        Ok(Signed {
            context: context.to_owned(),
            body,
            alg: signature.alg,
            key_id: key.public_key().key_id(),
            signature: signature.bytes,
            _type: PhantomData,
        })
    }

    /// Checks the context and `key`'s signature, then decodes the value.
    pub fn open(&self, expected_context: &str, key: &PublicKey) -> Result<T> {
        if self.context != expected_context {
            return Err(SyncError::WrongContext {
                expected: expected_context.to_owned(),
                actual: self.context.chars().take(MAX_CONTEXT).collect(),
            });
        }
        check_signer(key, self.alg, &self.key_id)?;
        key.verify(expected_context, &self.body, &Signature { alg: self.alg, bytes: self.signature.clone() })?;
        self.peek()
    }

    /// The value without checking the signature, for example to read the device id of an
    /// enrollment request before its key is known. Nothing from it may be trusted.
    pub fn peek(&self) -> Result<T> {
        decode_body(&self.body, "签名信封的内容")
    }
}

impl<T> Signed<T> {
    /// The key id the envelope claims signed it (unverified until `open`).
    pub fn signer_key_id(&self) -> &str {
        &self.key_id
    }

    pub fn alg(&self) -> Alg {
        self.alg
    }

    /// The context the envelope claims (unverified until `open`).
    pub fn context(&self) -> &str {
        &self.context
    }

    /// The signed body: the canonical CBOR of the value.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.body.len() + 160);
        cbor::array(&mut out, 6);
        cbor::uint(&mut out, VERSION);
        cbor::text(&mut out, &self.context);
        cbor::bytes(&mut out, &self.body);
        cbor::text(&mut out, self.alg.as_str());
        cbor::text(&mut out, &self.key_id);
        cbor::bytes(&mut out, &self.signature);
        out
    }

    /// Decodes the frame (canonical CBOR only, so `decode(b)?.encode() == b`). The value inside
    /// is decoded by `open` or `peek`.
    pub fn decode(bytes: &[u8]) -> Result<Self> {
        let limit = MAX_ENVELOPE_BYTES + 1024;
        if bytes.len() > limit {
            return Err(SyncError::TooLarge {
                what: "签名信封大小", actual: bytes.len() as u64, limit: limit as u64
            });
        }
        let mut r = Reader::new(bytes, "签名信封");
        r.array_of(6)?;
        let version = r.uint()?;
        if version != VERSION {
            return Err(SyncError::UnknownVersion(version));
        }
        let context = r.text(MAX_CONTEXT)?.to_owned();
        let body = r.bytes(MAX_ENVELOPE_BYTES)?.to_vec();
        let alg = r.text(MAX_ALG)?.parse()?;
        let key_id = r.text(MAX_KEY_ID)?.to_owned();
        let signature = r.bytes(MAX_SIGNATURE)?.to_vec();
        r.finish()?;
        Ok(Signed { context, body, alg, key_id, signature, _type: PhantomData })
    }
}

/// Inside other CBOR messages (the enrollment response, certificate files) an envelope is
/// embedded as a byte string holding its encoding, so that it keeps its exact bytes.
impl<T> Serialize for Signed<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.encode())
    }
}

impl<'de, T> Deserialize<'de> for Signed<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let bytes = crate::serde_bytes::deserialize(deserializer)?;
        Signed::decode(&bytes).map_err(serde::de::Error::custom)
    }
}

/// Decodes one CBOR value of type `T` that must fill `bytes` exactly (ciborium alone would stop
/// after the value and ignore whatever follows).
pub(crate) fn decode_body<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T> {
    let mut rest = bytes;
    let value = ciborium::from_reader(&mut rest).map_err(|e| SyncError::malformed(format!("{what}无法解读：{e}")))?;
    if !rest.is_empty() {
        return Err(SyncError::malformed(format!("{what}之后还有 {} 字节多余的数据", rest.len())));
    }
    Ok(value)
}

/// The hub's answer to one change set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    #[serde(with = "crate::serde_bytes::array32")]
    pub changeset_id: [u8; 32],
    pub origin_device: String,
    pub first_seq: u64,
    pub last_seq: u64,
    pub outcome: Outcome,
    pub hub_time_ms: i64,
}

/// Whether the hub took a change set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Accepted,
    Rejected { code: RejectCode, reason: String },
}

/// Why the hub refused a change set. A rejection never blocks the queue: the client records it,
/// shows it, and goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectCode {
    Malformed,
    UnknownDevice,
    Revoked,
    BadSignature,
    BrokenChain,
    /// A prerequisite is missing; the set waits.
    Gap,
    /// Same seq, other content: raises an alarm.
    Equivocation,
    /// The origin may not write this.
    Unauthorized,
    /// The set's clock is further ahead of the hub's than its bound: held back (not stored),
    /// with an alarm naming the device; sent again once the hub's time reaches it.
    ClockAhead,
}

impl RejectCode {
    pub const ALL: [RejectCode; 9] = [
        RejectCode::Malformed,
        RejectCode::UnknownDevice,
        RejectCode::Revoked,
        RejectCode::BadSignature,
        RejectCode::BrokenChain,
        RejectCode::Gap,
        RejectCode::Equivocation,
        RejectCode::Unauthorized,
        RejectCode::ClockAhead,
    ];

    /// The name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            RejectCode::Malformed => "malformed",
            RejectCode::UnknownDevice => "unknown_device",
            RejectCode::Revoked => "revoked",
            RejectCode::BadSignature => "bad_signature",
            RejectCode::BrokenChain => "broken_chain",
            RejectCode::Gap => "gap",
            RejectCode::Equivocation => "equivocation",
            RejectCode::Unauthorized => "unauthorized",
            RejectCode::ClockAhead => "clock_ahead",
        }
    }

    /// What the rejection means and what to do, for the officer at the screen.
    pub fn description(self) -> &'static str {
        match self {
            RejectCode::Malformed => "变更集格式不正确，省级中心无法解读。请将清风升级到最新版本后重新同步。",
            RejectCode::UnknownDevice => "省级中心不认识本设备。请先完成本设备的登记（申请并导入设备证书）。",
            RejectCode::Revoked => "本设备的证书已被吊销，不能再同步。请联系省级中心管理员。",
            RejectCode::BadSignature => {
                "变更集签名校验失败，数据可能被改动，或本设备密钥与登记的不符。请联系技术支持。"
            }
            RejectCode::BrokenChain => {
                "变更集的事件链与省级中心已收到的不衔接，数据可能被改动。请运行日志校验并联系技术支持。"
            }
            RejectCode::Gap => "省级中心尚缺此前的变更集，本批暂时等待，补齐后会自动接收，无需处理。",
            RejectCode::Equivocation => {
                "同一序号出现了内容不同的两份事件，省级中心已告警。请立即停止在本设备上办理，并联系省级中心管理员。"
            }
            RejectCode::Unauthorized => "本机关无权修改其中的事项（该事项归其他机关办理）。请与该事项的承办机关联系。",
            RejectCode::ClockAhead => {
                "本机记录的时间比省级平台的时钟快得太多，省级平台暂缓接收并已告警。请把本机的日期和时间调准；已有的记录会在时间到达后自动上传。"
            }
        }
    }
}

impl fmt::Display for RejectCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

/// A device asks the hub for a certificate, signed with the device's own key (proof that it
/// holds the secret). Offline, it is written to a `.qfreq` file as the encoded envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollmentRequest {
    pub office_code: String,
    pub device_id: String,
    pub public_key: PublicKey,
    /// The one-time enrollment token the hub's administrator handed out, if any.
    pub token: Option<String>,
    pub created_at_ms: i64,
    /// The office's public sealing keys, which the hub publishes to every office at enrollment
    /// (issue #14). Absent in requests of older versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office_seal_keys: Option<qingfeng_seal::SealingKeysPublished>,
}

/// The hub's statement that `public_key` is the key of `device_id` of `office_code`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceCertificate {
    pub office_code: String,
    pub device_id: String,
    pub public_key: PublicKey,
    pub hub_key_id: String,
    pub serial: u64,
    pub issued_at_ms: i64,
    /// SHA-256 of the hub's TLS certificate when it serves HTTPS: the device pins it (see
    /// `tls`). Absent from certificates of a hub without TLS and from older ones.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::serde_bytes::option")]
    pub hub_tls_sha256: Option<Vec<u8>>,
    /// The hub's sealing key: bundles for the hub are encrypted to it. Absent in certificates of
    /// hubs older than issue #14 (the device must then enroll again before exporting a bundle).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hub_seal_key: Option<qingfeng_seal::SealPublicKey>,
}

/// A certificate together with the hub's public key: the answer of `POST /v1/enroll` and the
/// content of a `.qfcert` file. CBOR `[certificate envelope (bstr), hub public key]`.
///
/// The hub key inside proves nothing by itself (anyone can sign with their own key): a device
/// takes it on trust once, at enrollment, from the administrator who handed over the file, and
/// from then on checks everything from the hub against that key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedCertificate {
    pub certificate: Signed<DeviceCertificate>,
    pub hub_key: PublicKey,
}

impl IssuedCertificate {
    pub fn encode(&self) -> Result<Vec<u8>> {
        encoding::to_canonical_cbor(&(&self.certificate, &self.hub_key))
            .map_err(|e| SyncError::malformed(e.to_string()))
    }

    pub fn decode(bytes: &[u8]) -> Result<Self> {
        if bytes.len() > 64 * 1024 {
            return Err(SyncError::TooLarge {
                what: "设备证书大小", actual: bytes.len() as u64, limit: 64 * 1024
            });
        }
        let (certificate, hub_key): (Signed<DeviceCertificate>, PublicKey) = decode_body(bytes, "设备证书文件")?;
        let issued = IssuedCertificate { certificate, hub_key };
        // ciborium reads a tuple without checking that the array has no further elements, so
        // the file is held to its one canonical encoding instead: nothing unread can hide in it.
        if issued.encode()? != bytes {
            return Err(SyncError::malformed("设备证书文件不是规范编码"));
        }
        Ok(issued)
    }

    /// Checks the hub's signature with the key inside and returns the certificate.
    pub fn open(&self) -> Result<DeviceCertificate> {
        self.certificate.open(CERTIFICATE_CONTEXT, &self.hub_key)
    }
}

/// One page of the events an office is entitled to, signed by the hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedPage {
    pub office_code: String,
    /// Events in full (all fields, several origins). On decoding, each event's hash is
    /// recomputed and the page is refused if any differs.
    #[serde(with = "wire_events")]
    pub events: Vec<Event>,
    pub cursor: u64,
    pub more: bool,
}

/// The wire form of a full event: CBOR `[id, origin_office, origin_device, seq, hlc, actor, kind,
/// aggregate, payload (bstr), prev (bstr 32), hash (bstr 32)]`.
mod wire_events {
    use super::*;

    #[derive(Serialize, Deserialize)]
    struct Wire(
        String,
        String,
        String,
        u64,
        u64,
        String,
        String,
        String,
        #[serde(with = "crate::serde_bytes")] Vec<u8>,
        #[serde(with = "crate::serde_bytes::array32")] [u8; 32],
        #[serde(with = "crate::serde_bytes::array32")] [u8; 32],
    );

    #[derive(Serialize)]
    struct WireRef<'a>(
        &'a str,
        &'a str,
        &'a str,
        u64,
        u64,
        &'a str,
        &'a str,
        &'a str,
        #[serde(with = "crate::serde_bytes")] &'a [u8],
        #[serde(serialize_with = "crate::serde_bytes::serialize")] &'a [u8],
        #[serde(serialize_with = "crate::serde_bytes::serialize")] &'a [u8],
    );

    pub(super) fn serialize<S: Serializer>(events: &[Event], serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_seq(events.iter().map(|e| {
            WireRef(
                &e.id,
                &e.origin_office,
                &e.origin_device,
                e.seq,
                e.hlc,
                &e.actor,
                &e.kind,
                &e.aggregate,
                &e.payload,
                &e.prev,
                &e.hash,
            )
        }))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Vec<Event>, D::Error> {
        let wire = Vec::<Wire>::deserialize(deserializer)?;
        let mut buf = Vec::with_capacity(512);
        wire.into_iter()
            .map(|Wire(id, origin_office, origin_device, seq, hlc, actor, kind, aggregate, payload, prev, hash)| {
                let body = EventBody {
                    id: &id,
                    origin_office: &origin_office,
                    origin_device: &origin_device,
                    seq,
                    hlc,
                    actor: &actor,
                    kind: &kind,
                    aggregate: &aggregate,
                    payload: &payload,
                    prev: &prev,
                };
                if body.hash_with(&mut buf) != hash {
                    return Err(serde::de::Error::custom(format!(
                        "事件 {origin_device}#{seq} 的内容与哈希不符，事件内容被改动"
                    )));
                }
                Ok(Event { id, origin_office, origin_device, seq, hlc, actor, kind, aggregate, payload, prev, hash })
            })
            .collect()
    }
}

/// The answer of `POST /v1/status`: CBOR `{acked_seq, acked_hash (bstr 32), feed_head}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusResponse {
    /// The last seq of the calling device's chain the hub holds (0 if none).
    pub acked_seq: u64,
    /// That event's hash (zeros if none).
    #[serde(with = "crate::serde_bytes::array32")]
    pub acked_hash: [u8; 32],
    /// The last `feed_seq` of the device's office.
    pub feed_head: u64,
    /// The hub's clock when it answered (milliseconds since the epoch; 0 from older hubs), so a
    /// device can tell its officer that its own clock is wrong.
    #[serde(default)]
    pub hub_time_ms: i64,
    /// How far ahead of the hub's clock an event may be before the hub holds it back (0 from older
    /// hubs).
    #[serde(default)]
    pub max_clock_ahead_ms: i64,
}

/// The body of `POST /v1/feed`: CBOR `{after, limit}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedRequest {
    pub after: u64,
    pub limit: u32,
}

/// The `X-Qingfeng-Auth` header's content, signed by the calling device: which device calls
/// which path with which body, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthRequest {
    pub device_id: String,
    pub path: String,
    #[serde(with = "crate::serde_bytes::array32")]
    pub body_sha256: [u8; 32],
    pub ts_ms: i64,
    /// 16 random bytes: the hub refuses a header whose nonce it has seen within the window, so a
    /// captured header cannot be sent again. Absent in headers of older versions (refused).
    #[serde(default, with = "crate::serde_bytes")]
    pub nonce: Vec<u8>,
}

impl AuthRequest {
    /// The request for calling `path` with `body` at `ts_ms`, with a fresh random nonce.
    pub fn new(device_id: &str, path: &str, body: &[u8], ts_ms: i64) -> Self {
        let mut nonce = vec![0u8; AUTH_NONCE_LEN];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut nonce);
        AuthRequest {
            device_id: device_id.to_owned(),
            path: path.to_owned(),
            body_sha256: Sha256::digest(body).into(),
            ts_ms,
            nonce,
        }
    }

    /// Checks that this (already opened) request covers exactly `path` and `body`, and was made
    /// within `AUTH_WINDOW_MS` of `now_ms`.
    pub fn check(&self, path: &str, body: &[u8], now_ms: i64) -> Result<()> {
        if self.path != path {
            return Err(SyncError::Auth(format!("认证信息针对的是 {}，而本次请求的是 {path}", self.path)));
        }
        if self.body_sha256 != <[u8; 32]>::from(Sha256::digest(body)) {
            return Err(SyncError::Auth("认证信息与请求内容不符，请求可能在传输中被改动".to_owned()));
        }
        if self.ts_ms.abs_diff(now_ms) > AUTH_WINDOW_MS as u64 {
            return Err(SyncError::Auth(format!(
                "请求时间与省级中心相差超过 {} 分钟，请校正本机的日期和时间后重试",
                AUTH_WINDOW_MS / 60_000
            )));
        }
        if self.nonce.len() != AUTH_NONCE_LEN {
            return Err(SyncError::Auth("认证信息缺少一次性随机数，请将清风升级到最新版本后重试".to_owned()));
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn bodies_must_hold_exactly_one_value() {
        assert_eq!(decode_body::<u8>(&[0x01], "测试").unwrap(), 1);
        assert!(
            matches!(decode_body::<u8>(&[0x01, 0x02], "测试"), Err(SyncError::Malformed(m)) if m.contains("1 字节"))
        );
        assert!(decode_body::<u8>(&[], "测试").is_err());
    }
}
