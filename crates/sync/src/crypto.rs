//! Keys and signatures: Ed25519 and SM2 with SM3 (GB/T 32918), with domain-separated messages.
//!
//! Every signature covers `context || 0x00 || message`, where the context names the kind of
//! message (`qingfeng/changeset/v1`, `qingfeng/receipt/v1`, …), so a signature made for one kind
//! can never be replayed as another. Contexts are fixed constants of this crate and contain no
//! zero byte, which keeps the split between context and message unambiguous.
//!
//! Encodings: Ed25519 keys are the 32-byte seed and the 32-byte public key (RFC 8032). SM2 secret
//! keys are the 32-byte big-endian scalar and public keys the 65-byte uncompressed SEC1 point
//! (`04 || x || y`); the compressed form is refused so that one key has exactly one key id.
//! Signatures are 64 bytes in both cases (SM2: `r || s`).

use std::fmt;
use std::str::FromStr;

use ed25519_dalek::Signer as _;
use rand::rngs::OsRng;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};
// `Signer` is the same `signature` crate trait for both algorithms, imported once above.
use sm2::dsa::signature::Verifier as _;
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Result, SyncError};

/// The SM2 distinguishing identifier: the default of GB/T 32918, which other SM2 software uses
/// when none is agreed, so signatures verify elsewhere without extra configuration.
pub const SM2_DISTID: &str = "1234567812345678";

/// The length of every signature of either algorithm.
pub const SIGNATURE_LEN: usize = 64;

/// A signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Alg {
    Ed25519,
    /// SM2 signatures over SM3 digests (GB/T 32918.2, GB/T 32905), as Chinese rules may require.
    Sm2Sm3,
}

impl Alg {
    /// The name on the wire and in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Alg::Ed25519 => "ed25519",
            Alg::Sm2Sm3 => "sm2-sm3",
        }
    }

    fn public_key_len(self) -> usize {
        match self {
            Alg::Ed25519 => ed25519_dalek::PUBLIC_KEY_LENGTH,
            Alg::Sm2Sm3 => 65,
        }
    }
}

impl fmt::Display for Alg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Alg {
    type Err = SyncError;

    fn from_str(s: &str) -> Result<Self> {
        match s {
            "ed25519" => Ok(Alg::Ed25519),
            "sm2-sm3" => Ok(Alg::Sm2Sm3),
            other => Err(SyncError::UnknownAlgorithm(other.chars().take(32).collect())),
        }
    }
}

impl Serialize for Alg {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Alg {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct AlgVisitor;
        impl serde::de::Visitor<'_> for AlgVisitor {
            type Value = Alg;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("\"ed25519\" or \"sm2-sm3\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Alg, E> {
                v.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(AlgVisitor)
    }
}

/// A signing key. Its secret bytes are wiped from memory when it is dropped.
pub struct SecretKey {
    inner: SecretInner,
    public: PublicKey,
}

enum SecretInner {
    /// ed25519-dalek's key zeroizes itself on drop.
    Ed25519(ed25519_dalek::SigningKey),
    /// Kept as the curve's `SecretKey`, which zeroizes on drop. The sm2 crate's `SigningKey` does
    /// not, so one is built for each signature and lives only for its duration.
    Sm2(sm2::SecretKey),
}

impl fmt::Debug for SecretKey {
    // Never prints secret material: only which public key it belongs to.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretKey").field("alg", &self.public.alg).field("key_id", &self.public.key_id()).finish()
    }
}

impl SecretKey {
    /// A new random key from the operating system's generator.
    pub fn generate(alg: Alg) -> Self {
        match alg {
            Alg::Ed25519 => Self::from_ed25519(ed25519_dalek::SigningKey::generate(&mut OsRng)),
            Alg::Sm2Sm3 => Self::from_sm2(sm2::SecretKey::random(&mut OsRng)),
        }
    }

    /// A key from the bytes `to_bytes` gave: the 32-byte Ed25519 seed or SM2 scalar.
    pub fn from_bytes(alg: Alg, bytes: &[u8]) -> Result<Self> {
        match alg {
            Alg::Ed25519 => {
                let seed: &[u8; 32] = bytes
                    .try_into()
                    .map_err(|_| SyncError::Key(format!("Ed25519 私钥应为 32 字节，实际 {} 字节", bytes.len())))?;
                Ok(Self::from_ed25519(ed25519_dalek::SigningKey::from_bytes(seed)))
            }
            Alg::Sm2Sm3 => {
                if bytes.len() != 32 {
                    return Err(SyncError::Key(format!("SM2 私钥应为 32 字节，实际 {} 字节", bytes.len())));
                }
                let secret = sm2::SecretKey::from_slice(bytes)
                    .map_err(|_| SyncError::Key("SM2 私钥不在曲线阶的有效范围内".into()))?;
                Ok(Self::from_sm2(secret))
            }
        }
    }

    fn from_ed25519(key: ed25519_dalek::SigningKey) -> Self {
        let public = PublicKey { alg: Alg::Ed25519, bytes: key.verifying_key().to_bytes().to_vec() };
        SecretKey { inner: SecretInner::Ed25519(key), public }
    }

    fn from_sm2(secret: sm2::SecretKey) -> Self {
        let point = sm2::elliptic_curve::sec1::ToEncodedPoint::to_encoded_point(&secret.public_key(), false);
        let public = PublicKey { alg: Alg::Sm2Sm3, bytes: point.as_bytes().to_vec() };
        SecretKey { inner: SecretInner::Sm2(secret), public }
    }

    /// The secret bytes, to be stored (encrypted) and later given to `from_bytes`.
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        // The libraries hand out the bytes by value; the copies on the stack are wiped too.
        match &self.inner {
            SecretInner::Ed25519(key) => {
                let mut seed = key.to_bytes();
                let out = Zeroizing::new(seed.to_vec());
                seed.zeroize();
                out
            }
            SecretInner::Sm2(secret) => {
                let mut scalar = secret.to_bytes();
                let out = Zeroizing::new(scalar.to_vec());
                scalar.as_mut_slice().zeroize();
                out
            }
        }
    }

    pub fn alg(&self) -> Alg {
        self.public.alg
    }

    pub fn public_key(&self) -> PublicKey {
        self.public.clone()
    }

    /// Signs `context || 0x00 || msg`.
    pub fn sign(&self, context: &str, msg: &[u8]) -> Signature {
        self.sign_raw(&domain_separated(context, msg))
    }

    /// Signs exactly `msg`, as the underlying algorithm defines it; known-answer tests use this to
    /// show that keys and signatures are the standard ones.
    fn sign_raw(&self, msg: &[u8]) -> Signature {
        let bytes = match &self.inner {
            SecretInner::Ed25519(key) => key.sign(msg).to_bytes().to_vec(),
            SecretInner::Sm2(secret) => match sm2::dsa::SigningKey::new(SM2_DISTID, secret) {
                Ok(key) => {
                    let signature: sm2::dsa::Signature = key.sign(msg);
                    signature.to_bytes().to_vec()
                }
                // `new` fails only when the identifier is longer than 8191 bytes; ours is a
                // 16-byte constant. An empty signature never verifies, so even then nothing
                // unsigned could pass as signed.
                Err(_) => Vec::new(),
            },
        };
        Signature { alg: self.public.alg, bytes }
    }
}

/// A public key: the algorithm and the key's standard encoding (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PublicKey {
    pub alg: Alg,
    #[serde(with = "crate::serde_bytes")]
    pub bytes: Vec<u8>,
}

impl PublicKey {
    /// A public key from its bytes, checked to be a valid key of `alg`.
    pub fn from_bytes(alg: Alg, bytes: &[u8]) -> Result<Self> {
        let key = PublicKey { alg, bytes: bytes.to_vec() };
        key.validate()?;
        Ok(key)
    }

    /// Checks that the bytes are a usable key of the algorithm, in the one accepted encoding.
    pub fn validate(&self) -> Result<()> {
        self.verifier().map(|_| ())
    }

    fn verifier(&self) -> Result<Verifier> {
        let expected = self.alg.public_key_len();
        if self.bytes.len() != expected {
            return Err(SyncError::Key(format!(
                "{} 公钥应为 {expected} 字节，实际 {} 字节",
                self.alg,
                self.bytes.len()
            )));
        }
        match self.alg {
            Alg::Ed25519 => {
                let mut raw = [0u8; 32];
                raw.copy_from_slice(&self.bytes);
                ed25519_dalek::VerifyingKey::from_bytes(&raw)
                    .map(Verifier::Ed25519)
                    .map_err(|_| SyncError::Key("Ed25519 公钥不是曲线上的点".into()))
            }
            Alg::Sm2Sm3 => {
                if self.bytes[0] != 0x04 {
                    return Err(SyncError::Key("SM2 公钥应为未压缩格式（以 04 开头）".into()));
                }
                sm2::dsa::VerifyingKey::from_sec1_bytes(SM2_DISTID, &self.bytes)
                    .map(|key| Verifier::Sm2(Box::new(key)))
                    .map_err(|_| SyncError::Key("SM2 公钥不是曲线上的点".into()))
            }
        }
    }

    /// The first 16 hex digits of SHA-256(alg || 0x00 || key bytes): a short name for the key
    /// that never matches a key of the other algorithm with the same bytes.
    pub fn key_id(&self) -> String {
        let digest = Sha256::new()
            .chain_update(self.alg.as_str().as_bytes())
            .chain_update([0u8])
            .chain_update(&self.bytes)
            .finalize();
        hex::encode(&digest[..8])
    }

    /// Checks a signature made with `SecretKey::sign(context, msg)` by this key's secret.
    pub fn verify(&self, context: &str, msg: &[u8], signature: &Signature) -> Result<()> {
        self.verify_raw(&domain_separated(context, msg), signature)
    }

    fn verify_raw(&self, msg: &[u8], signature: &Signature) -> Result<()> {
        if signature.alg != self.alg {
            return Err(SyncError::WrongKey {
                expected: format!("{} 密钥 {}", self.alg, self.key_id()),
                actual: format!("{} 签名", signature.alg),
            });
        }
        if signature.bytes.len() != SIGNATURE_LEN {
            return Err(SyncError::BadSignature);
        }
        match self.verifier()? {
            Verifier::Ed25519(key) => {
                let sig =
                    ed25519_dalek::Signature::from_slice(&signature.bytes).map_err(|_| SyncError::BadSignature)?;
                // `verify_strict` also refuses small-order keys and non-canonical signatures, so a
                // valid signature has exactly one encoding.
                key.verify_strict(msg, &sig).map_err(|_| SyncError::BadSignature)
            }
            Verifier::Sm2(key) => {
                let sig = sm2::dsa::Signature::from_slice(&signature.bytes).map_err(|_| SyncError::BadSignature)?;
                key.verify(msg, &sig).map_err(|_| SyncError::BadSignature)
            }
        }
    }
}

enum Verifier {
    Ed25519(ed25519_dalek::VerifyingKey),
    Sm2(Box<sm2::dsa::VerifyingKey>),
}

/// A signature and the algorithm that made it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Signature {
    pub alg: Alg,
    pub bytes: Vec<u8>,
}

fn domain_separated(context: &str, msg: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(context.len() + 1 + msg.len());
    out.extend_from_slice(context.as_bytes());
    out.push(0);
    out.extend_from_slice(msg);
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const ALGS: [Alg; 2] = [Alg::Ed25519, Alg::Sm2Sm3];

    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s.split_whitespace().collect::<String>()).unwrap()
    }

    #[test]
    fn sign_and_verify_with_both_algorithms() {
        for alg in ALGS {
            let key = SecretKey::generate(alg);
            let public = key.public_key();
            public.validate().unwrap();
            let sig = key.sign("qingfeng/test/v1", b"hello");
            assert_eq!(sig.alg, alg);
            assert_eq!(sig.bytes.len(), SIGNATURE_LEN);
            public.verify("qingfeng/test/v1", b"hello", &sig).unwrap();
        }
    }

    #[test]
    fn tampered_message_signature_or_context_is_refused() {
        for alg in ALGS {
            let key = SecretKey::generate(alg);
            let public = key.public_key();
            let sig = key.sign("qingfeng/test/v1", b"hello");
            assert!(matches!(public.verify("qingfeng/test/v1", b"hellp", &sig), Err(SyncError::BadSignature)));
            assert!(matches!(public.verify("qingfeng/other/v1", b"hello", &sig), Err(SyncError::BadSignature)));
            // Moving the boundary between context and message changes the signed bytes.
            assert!(public.verify("qingfeng/test/v", b"1hello", &sig).is_err());
            for i in 0..sig.bytes.len() {
                let mut bad = sig.clone();
                bad.bytes[i] ^= 0x01;
                assert!(public.verify("qingfeng/test/v1", b"hello", &bad).is_err(), "{alg} byte {i}");
            }
            let mut short = sig.clone();
            short.bytes.pop();
            assert!(matches!(public.verify("qingfeng/test/v1", b"hello", &short), Err(SyncError::BadSignature)));
            let other = SecretKey::generate(alg).public_key();
            assert!(matches!(other.verify("qingfeng/test/v1", b"hello", &sig), Err(SyncError::BadSignature)));
        }
    }

    #[test]
    fn a_signature_of_the_other_algorithm_is_refused() {
        let ed = SecretKey::generate(Alg::Ed25519);
        let sm = SecretKey::generate(Alg::Sm2Sm3);
        let ed_sig = ed.sign("c", b"m");
        let sm_sig = sm.sign("c", b"m");
        assert!(matches!(sm.public_key().verify("c", b"m", &ed_sig), Err(SyncError::WrongKey { .. })));
        assert!(matches!(ed.public_key().verify("c", b"m", &sm_sig), Err(SyncError::WrongKey { .. })));
        // Relabelling the signature does not help either.
        let relabelled = Signature { alg: Alg::Sm2Sm3, bytes: ed_sig.bytes.clone() };
        assert!(sm.public_key().verify("c", b"m", &relabelled).is_err());
    }

    #[test]
    fn secret_keys_round_trip_through_bytes() {
        for alg in ALGS {
            let key = SecretKey::generate(alg);
            let again = SecretKey::from_bytes(alg, &key.to_bytes()).unwrap();
            assert_eq!(again.public_key(), key.public_key());
            let sig = again.sign("c", b"m");
            key.public_key().verify("c", b"m", &sig).unwrap();
            assert!(SecretKey::from_bytes(alg, &[1u8; 31]).is_err());
        }
        // Zero is not a valid SM2 scalar, and neither is anything at or above the group order.
        assert!(matches!(SecretKey::from_bytes(Alg::Sm2Sm3, &[0u8; 32]), Err(SyncError::Key(_))));
        assert!(matches!(SecretKey::from_bytes(Alg::Sm2Sm3, &[0xff; 32]), Err(SyncError::Key(_))));
    }

    #[test]
    fn debug_output_shows_no_secret() {
        let key = SecretKey::from_bytes(Alg::Ed25519, &[0x42; 32]).unwrap();
        let shown = format!("{key:?}");
        assert!(shown.contains(&key.public_key().key_id()));
        assert!(!shown.contains("4242"));
        assert!(!shown.contains("66, 66"));
    }

    #[test]
    fn key_ids_are_16_hex_digits_and_depend_on_the_algorithm() {
        let key = PublicKey { alg: Alg::Ed25519, bytes: vec![7; 32] };
        let id = key.key_id();
        assert_eq!(id.len(), 16);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
        let mut h = Sha256::new();
        h.update(b"ed25519\x00");
        h.update([7u8; 32]);
        assert_eq!(id, hex::encode(&h.finalize()[..8]));
        assert_ne!(id, PublicKey { alg: Alg::Sm2Sm3, bytes: vec![7; 32] }.key_id());
    }

    #[test]
    fn invalid_public_keys_are_refused() {
        assert!(PublicKey::from_bytes(Alg::Ed25519, &[0u8; 31]).is_err());
        assert!(PublicKey::from_bytes(Alg::Sm2Sm3, &[4u8; 65]).is_err());
        // The compressed form of a valid SM2 key is refused: one key, one encoding, one key id.
        let sm = SecretKey::generate(Alg::Sm2Sm3).public_key();
        let x = &sm.bytes[1..33];
        let mut compressed = vec![2 + (sm.bytes[64] & 1)];
        compressed.extend_from_slice(x);
        assert!(PublicKey::from_bytes(Alg::Sm2Sm3, &compressed).is_err());
        assert!(PublicKey::from_bytes(Alg::Sm2Sm3, &sm.bytes).is_ok());
        // A signature checked against a broken key is an error, not a panic.
        let bad = PublicKey { alg: Alg::Ed25519, bytes: vec![1, 2, 3] };
        let sig = Signature { alg: Alg::Ed25519, bytes: vec![0; 64] };
        assert!(matches!(bad.verify("c", b"m", &sig), Err(SyncError::Key(_))));
    }

    #[test]
    fn algorithm_names_round_trip() {
        for alg in ALGS {
            assert_eq!(alg.as_str().parse::<Alg>().unwrap(), alg);
            let mut cbor = Vec::new();
            ciborium::into_writer(&alg, &mut cbor).unwrap();
            let back: Alg = ciborium::from_reader(cbor.as_slice()).unwrap();
            assert_eq!(back, alg);
        }
        assert!(matches!("rsa".parse::<Alg>(), Err(SyncError::UnknownAlgorithm(a)) if a == "rsa"));
    }

    #[test]
    fn public_keys_serialize_with_the_key_as_a_byte_string() {
        let key = SecretKey::generate(Alg::Sm2Sm3).public_key();
        let cbor = qingfeng_log::encoding::to_canonical_cbor(&key).unwrap();
        // {"alg": "sm2-sm3", "bytes": h'04…'}: a map of two entries, the key as one byte string.
        assert_eq!(cbor[0], 0xa2);
        assert!(cbor.windows(3).any(|w| w == [0x58, 65, 0x04]));
        let back: PublicKey = ciborium::from_reader(cbor.as_slice()).unwrap();
        assert_eq!(back, key);
    }

    /// RFC 8032 §7.1, test 1: the seed gives the published public key, and signing the empty
    /// message gives the published signature, so our keys interoperate with any Ed25519.
    #[test]
    fn ed25519_known_answer_rfc8032_test_1() {
        let seed = unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        let public = unhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        let expected = unhex(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        );
        let key = SecretKey::from_bytes(Alg::Ed25519, &seed).unwrap();
        assert_eq!(key.public_key().bytes, public);
        let sig = key.sign_raw(b"");
        assert_eq!(sig.bytes, expected);
        key.public_key().verify_raw(b"", &sig).unwrap();
        // And `sign` is the raw signature of the domain-separated message.
        assert_eq!(key.sign("ctx", b"m").bytes, key.sign_raw(b"ctx\x00m").bytes);
    }

    /// The SM2 signature example of GM/T 0003.5-2012 (recommended curve, identifier
    /// 1234567812345678, message "message digest"): the published private key gives the published
    /// public key, and the published signature verifies. A second signature, made with OpenSSL 3.0
    /// (`openssl pkeyutl -sign -rawin -digest sm3 -pkeyopt distid:1234567812345678`), verifies too,
    /// so our SM2 keys and signatures interoperate with other GB/T 32918 software.
    #[test]
    fn sm2_known_answer_gmt_0003_5_and_openssl() {
        let secret = unhex("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8");
        let public = unhex(
            "04 09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020
                CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13",
        );
        let key = SecretKey::from_bytes(Alg::Sm2Sm3, &secret).unwrap();
        assert_eq!(key.public_key().bytes, public);
        let published = unhex(
            "F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3
             B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA",
        );
        let openssl = unhex(
            "9A54E4771509A1F08ED73082E638DD62FDCB1C37CB6DFB1C4B1E5CBCF3B69827
             AEF54031574B6440FE959AD7743A0BF9447F74D534A519EE141859A638DFBF8D",
        );
        for bytes in [published, openssl] {
            let sig = Signature { alg: Alg::Sm2Sm3, bytes };
            key.public_key().verify_raw(b"message digest", &sig).unwrap();
            assert!(key.public_key().verify_raw(b"message digesT", &sig).is_err());
        }
        let ours = key.sign_raw(b"message digest");
        key.public_key().verify_raw(b"message digest", &ours).unwrap();
    }
}
