//! Sealing keys: the two suites, public keys as offices publish them, and secret keys.
//!
//! An office holds one key pair per suite. Public keys travel in the log (`office.sealing_keys`)
//! and the hub's directory; secret keys never leave the office's encrypted database.
//!
//! Encodings: an X25519 key is 32 bytes (RFC 7748) for both halves. An SM2 secret key is the
//! 32-byte big-endian scalar and its public key the 65-byte uncompressed SEC1 point
//! `04 || x || y`; the compressed form is refused, so one key has one key id.

use std::fmt;
use std::str::FromStr;

use rand::rngs::OsRng;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{Result, SealError};

/// A sealing suite: how a content key is wrapped to a recipient and how the content is encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Suite {
    /// X25519 key agreement with an ephemeral key, HKDF-SHA256, AES-256-GCM.
    X25519Aes256Gcm,
    /// SM2 public-key encryption (GM/T 0003.4, C1C3C2) of an SM4 key, SM4-GCM (RFC 8998).
    Sm2Sm4,
}

impl Suite {
    /// Both suites, in the order offices publish them.
    pub const ALL: [Suite; 2] = [Suite::X25519Aes256Gcm, Suite::Sm2Sm4];

    /// The name on the wire and in the log.
    pub fn as_str(self) -> &'static str {
        match self {
            Suite::X25519Aes256Gcm => "x25519-aes256gcm",
            Suite::Sm2Sm4 => "sm2-sm4",
        }
    }

    /// The Chinese name, for screens and messages.
    pub fn label(self) -> &'static str {
        match self {
            Suite::X25519Aes256Gcm => "X25519 与 AES-256-GCM",
            Suite::Sm2Sm4 => "国密 SM2 与 SM4",
        }
    }

    fn public_key_len(self) -> usize {
        match self {
            Suite::X25519Aes256Gcm => 32,
            Suite::Sm2Sm4 => 65,
        }
    }
}

impl fmt::Display for Suite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Suite {
    type Err = SealError;

    fn from_str(s: &str) -> Result<Self> {
        Suite::ALL
            .into_iter()
            .find(|suite| suite.as_str() == s)
            .ok_or_else(|| SealError::UnknownSuite(s.chars().take(32).collect()))
    }
}

impl Serialize for Suite {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Suite {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

/// A public sealing key: its suite and its standard encoding. CBOR `{"suite": …, "bytes": bstr}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SealPublicKey {
    pub suite: Suite,
    #[serde(with = "crate::serde_bytes")]
    pub bytes: Vec<u8>,
}

impl SealPublicKey {
    /// A public key from its bytes, checked to be a usable key of `suite`.
    pub fn from_bytes(suite: Suite, bytes: &[u8]) -> Result<Self> {
        let key = SealPublicKey { suite, bytes: bytes.to_vec() };
        key.validate()?;
        Ok(key)
    }

    /// Checks the length, the point and (for SM2) the uncompressed form.
    pub fn validate(&self) -> Result<()> {
        let expected = self.suite.public_key_len();
        if self.bytes.len() != expected {
            return Err(SealError::Key(format!(
                "{} 公钥应为 {expected} 字节，实际 {} 字节",
                self.suite,
                self.bytes.len()
            )));
        }
        match self.suite {
            Suite::X25519Aes256Gcm => {
                // Every 32-byte string is an X25519 public key, but the eight low-order points give
                // an all-zero shared secret; `wrap` refuses those when it meets them.
                Ok(())
            }
            Suite::Sm2Sm4 => {
                if self.bytes[0] != 0x04 {
                    return Err(SealError::Key("SM2 公钥应为未压缩格式（以 04 开头）".into()));
                }
                self.sm2().map(|_| ())
            }
        }
    }

    pub(crate) fn x25519(&self) -> Result<x25519_dalek::PublicKey> {
        let raw: [u8; 32] =
            self.bytes.as_slice().try_into().map_err(|_| SealError::Key("X25519 公钥应为 32 字节".into()))?;
        Ok(x25519_dalek::PublicKey::from(raw))
    }

    pub(crate) fn sm2(&self) -> Result<sm2pke::PublicKey> {
        sm2pke::PublicKey::from_sec1_bytes(&self.bytes).map_err(|_| SealError::Key("SM2 公钥不是曲线上的点".into()))
    }

    /// The first 16 hex digits of SHA-256(suite || 0x00 || key bytes).
    pub fn key_id(&self) -> String {
        let digest =
            Sha256::new().chain_update(self.suite.as_str()).chain_update([0u8]).chain_update(&self.bytes).finalize();
        hex::encode(&digest[..8])
    }
}

/// A secret sealing key. Its secret bytes are wiped from memory when it is dropped.
pub struct SealSecretKey {
    inner: SecretInner,
    public: SealPublicKey,
}

enum SecretInner {
    /// x25519-dalek's static secret zeroizes itself on drop.
    X25519(x25519_dalek::StaticSecret),
    /// The curve's secret key zeroizes itself on drop.
    Sm2(sm2pke::SecretKey),
}

impl fmt::Debug for SealSecretKey {
    // Never prints secret material: only which public key it belongs to.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SealSecretKey")
            .field("suite", &self.public.suite)
            .field("key_id", &self.public.key_id())
            .finish()
    }
}

impl SealSecretKey {
    /// A new random key from the operating system's generator.
    pub fn generate(suite: Suite) -> Self {
        match suite {
            Suite::X25519Aes256Gcm => Self::from_x25519(x25519_dalek::StaticSecret::random_from_rng(OsRng)),
            Suite::Sm2Sm4 => {
                use sm2pke::elliptic_curve::Generate as _;
                Self::from_sm2(sm2pke::SecretKey::generate_from_rng(&mut crate::sm2_rng()))
            }
        }
    }

    /// A key from the bytes `to_bytes` gave.
    pub fn from_bytes(suite: Suite, bytes: &[u8]) -> Result<Self> {
        if bytes.len() != 32 {
            return Err(SealError::Key(format!("{suite} 私钥应为 32 字节，实际 {} 字节", bytes.len())));
        }
        match suite {
            Suite::X25519Aes256Gcm => {
                let mut raw = Zeroizing::new([0u8; 32]);
                raw.copy_from_slice(bytes);
                Ok(Self::from_x25519(x25519_dalek::StaticSecret::from(*raw)))
            }
            Suite::Sm2Sm4 => {
                let secret = sm2pke::SecretKey::from_slice(bytes)
                    .map_err(|_| SealError::Key("SM2 私钥不在曲线阶的有效范围内".into()))?;
                Ok(Self::from_sm2(secret))
            }
        }
    }

    fn from_x25519(secret: x25519_dalek::StaticSecret) -> Self {
        let public = SealPublicKey {
            suite: Suite::X25519Aes256Gcm,
            bytes: x25519_dalek::PublicKey::from(&secret).as_bytes().to_vec(),
        };
        SealSecretKey { inner: SecretInner::X25519(secret), public }
    }

    fn from_sm2(secret: sm2pke::SecretKey) -> Self {
        use sm2pke::elliptic_curve::sec1::ToSec1Point;
        let point = secret.public_key().to_sec1_point(false);
        let public = SealPublicKey { suite: Suite::Sm2Sm4, bytes: point.as_bytes().to_vec() };
        SealSecretKey { inner: SecretInner::Sm2(secret), public }
    }

    /// The secret bytes, to be stored (encrypted) and later given to `from_bytes`.
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        match &self.inner {
            SecretInner::X25519(secret) => Zeroizing::new(secret.to_bytes().to_vec()),
            SecretInner::Sm2(secret) => Zeroizing::new(secret.to_bytes().to_vec()),
        }
    }

    pub fn suite(&self) -> Suite {
        self.public.suite
    }

    pub fn public_key(&self) -> &SealPublicKey {
        &self.public
    }

    pub(crate) fn x25519(&self) -> Option<&x25519_dalek::StaticSecret> {
        match &self.inner {
            SecretInner::X25519(s) => Some(s),
            SecretInner::Sm2(_) => None,
        }
    }

    pub(crate) fn sm2(&self) -> Option<&sm2pke::SecretKey> {
        match &self.inner {
            SecretInner::Sm2(s) => Some(s),
            SecretInner::X25519(_) => None,
        }
    }
}

/// An office's published keys: payload of `office.sealing_keys`, written by the office on its own
/// chain (aggregate `office:<code>`) and re-published by the hub on its chain for every office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealingKeysPublished {
    pub office_code: String,
    pub keys: Vec<SealPublicKey>,
}

impl SealingKeysPublished {
    /// Checks every key, and that the list is not empty and names each key once.
    pub fn validate(&self) -> Result<()> {
        if self.keys.is_empty() || self.keys.len() > 8 {
            return Err(SealError::Key(format!("机关公布的加密公钥数目不正确（{} 把）", self.keys.len())));
        }
        for (i, key) in self.keys.iter().enumerate() {
            key.validate()?;
            if self.keys[..i].contains(key) {
                return Err(SealError::Key("机关公布的加密公钥有重复".into()));
            }
        }
        Ok(())
    }
}
