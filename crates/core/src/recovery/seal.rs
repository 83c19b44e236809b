//! Sealing to the office's recovery key: X25519 key agreement with a fresh ephemeral key,
//! HKDF-SHA256, and AES-256-GCM (the ECIES shape of HPKE's base mode).
//!
//! The program keeps only the recovery key's public half, so it can seal backups and key
//! envelopes on a schedule without holding anything that opens them: a thief who takes the
//! machine and its keyring still cannot read a backup, and neither can the hub that keeps an
//! escrowed envelope. Only the code in the office's safe opens what is sealed here.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use hkdf::Hkdf;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use crate::error::{CoreError, Result};

/// The algorithm named in every sealed value, so another suite can be added beside it.
pub const ALG: &str = "x25519-hkdf-sha256-aes256gcm";

/// The public half of a recovery key, as stored in the log (`recovery.key_set`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecoveryPublicKey(pub [u8; 32]);

impl RecoveryPublicKey {
    /// A short fingerprint: the first 16 hex digits of SHA-256 over a label and the key.
    pub fn key_id(&self) -> String {
        let digest = Sha256::new().chain_update(b"qingfeng/recovery-key/v1\0").chain_update(self.0).finalize();
        hex::encode(&digest[..8])
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    pub fn from_hex(text: &str) -> Result<Self> {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text.trim(), &mut bytes)
            .map_err(|_| CoreError::Encoding("恢复公钥的格式不正确（应为 64 位十六进制数字）".into()))?;
        Ok(RecoveryPublicKey(bytes))
    }
}

/// The key pair behind a recovery code; exists only while a code is in hand.
pub struct RecoveryKeyPair {
    secret: StaticSecret,
    public: RecoveryPublicKey,
}

impl std::fmt::Debug for RecoveryKeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecoveryKeyPair").field("key_id", &self.public.key_id()).finish_non_exhaustive()
    }
}

impl RecoveryKeyPair {
    pub(super) fn from_scalar(scalar: [u8; 32]) -> Self {
        let secret = StaticSecret::from(scalar);
        let public = RecoveryPublicKey(PublicKey::from(&secret).to_bytes());
        RecoveryKeyPair { secret, public }
    }

    pub fn public(&self) -> RecoveryPublicKey {
        self.public
    }

    pub fn key_id(&self) -> String {
        self.public.key_id()
    }
}

/// A value sealed to a recovery key. `context` names what it is (a backup's key block, a key
/// envelope) and is bound into the key derivation, so one kind can never be opened as another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sealed {
    pub alg: String,
    /// The recovery key it is sealed to, so a wrong code is named as such before any decryption.
    pub key_id: String,
    #[serde(with = "qingfeng_seal::serde_bytes::array32")]
    pub ephemeral: [u8; 32],
    #[serde(with = "qingfeng_seal::serde_bytes")]
    pub nonce: Vec<u8>,
    #[serde(with = "qingfeng_seal::serde_bytes")]
    pub ciphertext: Vec<u8>,
}

fn derive_key(shared: &[u8; 32], ephemeral: &[u8; 32], recipient: &[u8; 32], context: &str) -> Zeroizing<[u8; 32]> {
    let mut salt = [0u8; 64];
    salt[..32].copy_from_slice(ephemeral);
    salt[32..].copy_from_slice(recipient);
    let hk = Hkdf::<Sha256>::new(Some(&salt), shared);
    let mut key = Zeroizing::new([0u8; 32]);
    if hk.expand(context.as_bytes(), key.as_mut()).is_err() {
        unreachable!("HKDF-SHA256 expands 32 bytes");
    }
    key
}

/// Seals `plaintext` to `recipient`; `aad` (not secret) is authenticated with it.
pub fn seal(recipient: &RecoveryPublicKey, context: &str, aad: &[u8], plaintext: &[u8]) -> Result<Sealed> {
    let ephemeral = StaticSecret::random_from_rng(rand::rngs::OsRng);
    let ephemeral_public = PublicKey::from(&ephemeral).to_bytes();
    let shared = ephemeral.diffie_hellman(&PublicKey::from(recipient.0));
    if !shared.was_contributory() {
        return Err(CoreError::Encoding("恢复公钥无效（低阶点），请重新生成恢复码".into()));
    }
    let key = derive_key(shared.as_bytes(), &ephemeral_public, &recipient.0, context);
    let mut nonce = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let cipher = Aes256Gcm::new_from_slice(key.as_ref()).map_err(|e| CoreError::Encoding(e.to_string()))?;
    let ciphertext = cipher
        .encrypt(Nonce::from_slice(&nonce), Payload { msg: plaintext, aad })
        .map_err(|_| CoreError::Encoding("加密失败".into()))?;
    Ok(Sealed {
        alg: ALG.into(),
        key_id: recipient.key_id(),
        ephemeral: ephemeral_public,
        nonce: nonce.to_vec(),
        ciphertext,
    })
}

/// Why a sealed value did not open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenError {
    /// Sealed to another recovery key: the code is not the one this was made with.
    OtherKey,
    /// Sealed to this key, but the bytes or the authenticated data were changed.
    Damaged,
}

/// Opens a value sealed with [`seal`] under the same `context` and `aad`.
pub fn open(
    pair: &RecoveryKeyPair,
    sealed: &Sealed,
    context: &str,
    aad: &[u8],
) -> Result<Zeroizing<Vec<u8>>, OpenError> {
    if sealed.key_id != pair.key_id() {
        return Err(OpenError::OtherKey);
    }
    if sealed.alg != ALG || sealed.nonce.len() != 12 {
        return Err(OpenError::Damaged);
    }
    let shared = pair.secret.diffie_hellman(&PublicKey::from(sealed.ephemeral));
    if !shared.was_contributory() {
        return Err(OpenError::Damaged);
    }
    let key = derive_key(shared.as_bytes(), &sealed.ephemeral, &pair.public.0, context);
    let cipher = Aes256Gcm::new_from_slice(key.as_ref()).map_err(|_| OpenError::Damaged)?;
    cipher
        .decrypt(Nonce::from_slice(&sealed.nonce), Payload { msg: &sealed.ciphertext, aad })
        .map(Zeroizing::new)
        .map_err(|_| OpenError::Damaged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recovery::code::RecoveryCode;

    #[test]
    fn sealed_values_open_only_with_their_code_context_and_data() {
        let code = RecoveryCode::generate();
        let pair = code.key_pair();
        let sealed = seal(&pair.public(), "ctx/a", b"header", b"secret bytes").expect("seals");
        assert_eq!(open(&pair, &sealed, "ctx/a", b"header").expect("opens").as_slice(), b"secret bytes");
        assert_eq!(open(&pair, &sealed, "ctx/b", b"header"), Err(OpenError::Damaged));
        assert_eq!(open(&pair, &sealed, "ctx/a", b"other"), Err(OpenError::Damaged));
        let other = RecoveryCode::generate().key_pair();
        assert_eq!(open(&other, &sealed, "ctx/a", b"header"), Err(OpenError::OtherKey));
        let mut flipped = sealed.clone();
        flipped.ciphertext[0] ^= 1;
        assert_eq!(open(&pair, &flipped, "ctx/a", b"header"), Err(OpenError::Damaged));
        // The same code always gives the same key; the program stores only its public half.
        let again = RecoveryCode::parse(&code.to_text()).expect("parses").key_pair();
        assert_eq!(again.public(), pair.public());
    }
}
