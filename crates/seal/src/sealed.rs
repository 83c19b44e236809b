//! Sealed values: a small plaintext (a reporter's identity, a file name) encrypted once with a
//! fresh content key, and that key wrapped to each recipient office's key.
//!
//! A [`SealedBox`] is CBOR `{"v": 1, "suite": …, "recipients": [{"office", "key_id", "wrapped"}],
//! "nonce": bstr 12, "ciphertext": bstr}`. A field sealed to offices of both suites is a list of
//! boxes, one per suite. The content is bound to a *binding* string naming where it belongs (e.g.
//! `complaint:<id>#identity`): it is part of the authenticated data, so a box copied into another
//! record does not open there.
//!
//! Wrapping, per suite:
//! - `x25519-aes256gcm`: an ephemeral X25519 key `e`; `kek = HKDF-SHA256(salt = E || R, ikm =
//!   X25519(e, R), info = "qingfeng/seal/x25519-aes256gcm/v1")`; `wrapped = E || AES-256-GCM(kek,
//!   nonce 0, content key)`. The 32-byte content key encrypts with AES-256-GCM.
//! - `sm2-sm4`: `wrapped = SM2-Encrypt(R, content key)` (GM/T 0003.4, C1C3C2, SM3). The 16-byte
//!   content key encrypts with SM4-GCM.

use aes_gcm::aead::consts::U12;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, AesGcm};
use rand::RngCore;
use rand::rngs::OsRng;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{Result, SealError};
use crate::keys::{SealPublicKey, SealSecretKey, Suite};

/// SM4 in Galois/Counter Mode with a 96-bit nonce (RFC 8998).
pub(crate) type Sm4Gcm = AesGcm<sm4::Sm4, U12>;

/// The format version of boxes.
pub const VERSION: u64 = 1;

const HKDF_INFO: &[u8] = b"qingfeng/seal/x25519-aes256gcm/v1";

/// One office's key to seal to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub office: String,
    pub key: SealPublicKey,
}

/// The content key wrapped for one recipient key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wrapped {
    pub office: String,
    pub key_id: String,
    #[serde(with = "crate::serde_bytes")]
    pub wrapped: Vec<u8>,
}

/// A value sealed to one or more recipients of one suite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedBox {
    pub v: u64,
    pub suite: Suite,
    pub recipients: Vec<Wrapped>,
    #[serde(with = "crate::serde_bytes")]
    pub nonce: Vec<u8>,
    #[serde(with = "crate::serde_bytes")]
    pub ciphertext: Vec<u8>,
}

impl SealedBox {
    /// The offices this box is sealed to.
    pub fn offices(&self) -> impl Iterator<Item = &str> {
        self.recipients.iter().map(|r| r.office.as_str())
    }
}

fn content_aad(suite: Suite, binding: &str) -> Vec<u8> {
    let mut aad = b"qingfeng/sealed/v1\x00".to_vec();
    aad.extend_from_slice(suite.as_str().as_bytes());
    aad.push(0);
    aad.extend_from_slice(binding.as_bytes());
    aad
}

fn content_key_len(suite: Suite) -> usize {
    match suite {
        Suite::X25519Aes256Gcm => 32,
        Suite::Sm2Sm4 => 16,
    }
}

/// Encrypts `plaintext` under `key` with the suite's cipher.
pub(crate) fn encrypt(suite: Suite, key: &[u8], nonce: &[u8], plaintext: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
    let payload = Payload { msg: plaintext, aad };
    let nonce = aes_gcm::Nonce::from_slice(nonce);
    match suite {
        Suite::X25519Aes256Gcm => {
            Aes256Gcm::new_from_slice(key).map_err(|_| SealError::Tampered)?.encrypt(nonce, payload)
        }
        Suite::Sm2Sm4 => Sm4Gcm::new_from_slice(key).map_err(|_| SealError::Tampered)?.encrypt(nonce, payload),
    }
    .map_err(|_| SealError::Tampered)
}

/// Decrypts and authenticates.
pub(crate) fn decrypt(
    suite: Suite,
    key: &[u8],
    nonce: &[u8],
    ciphertext: &[u8],
    aad: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    if nonce.len() != 12 {
        return Err(SealError::Malformed(format!("随机数应为 12 字节，实际 {} 字节", nonce.len())));
    }
    let payload = Payload { msg: ciphertext, aad };
    let nonce = aes_gcm::Nonce::from_slice(nonce);
    match suite {
        Suite::X25519Aes256Gcm => {
            Aes256Gcm::new_from_slice(key).map_err(|_| SealError::Tampered)?.decrypt(nonce, payload)
        }
        Suite::Sm2Sm4 => Sm4Gcm::new_from_slice(key).map_err(|_| SealError::Tampered)?.decrypt(nonce, payload),
    }
    .map(Zeroizing::new)
    .map_err(|_| SealError::Tampered)
}

/// A fresh random content key for `suite`.
pub(crate) fn content_key(suite: Suite) -> Zeroizing<Vec<u8>> {
    let mut key = Zeroizing::new(vec![0u8; content_key_len(suite)]);
    OsRng.fill_bytes(&mut key);
    key
}

/// Wraps `content_key` for `recipient`.
pub(crate) fn wrap(recipient: &Recipient, content_key: &[u8]) -> Result<Wrapped> {
    let key = &recipient.key;
    let wrapped = match key.suite {
        Suite::X25519Aes256Gcm => {
            let them = key.x25519()?;
            let ephemeral = x25519_dalek::EphemeralSecret::random_from_rng(OsRng);
            let ours = x25519_dalek::PublicKey::from(&ephemeral);
            let shared = ephemeral.diffie_hellman(&them);
            if !shared.was_contributory() {
                return Err(SealError::Key(format!("机关 {} 公布的 X25519 公钥是低阶点，不能使用", recipient.office)));
            }
            let kek = kek(shared.as_bytes(), ours.as_bytes(), them.as_bytes())?;
            let mut out = ours.as_bytes().to_vec();
            out.extend(encrypt(Suite::X25519Aes256Gcm, kek.as_ref(), &[0u8; 12], content_key, &[])?);
            out
        }
        Suite::Sm2Sm4 => {
            let encrypting = sm2pke::pke::EncryptingKey::new_with_mode(key.sm2()?, sm2pke::pke::Mode::C1C3C2);
            let mut rng = crate::sm2_rng();
            encrypting.encrypt(&mut rng, content_key).map_err(|_| SealError::Key("SM2 加密失败".into()))?
        }
    };
    Ok(Wrapped { office: recipient.office.clone(), key_id: key.key_id(), wrapped })
}

fn kek(shared: &[u8; 32], ephemeral: &[u8; 32], recipient: &[u8; 32]) -> Result<Zeroizing<[u8; 32]>> {
    let mut salt = [0u8; 64];
    salt[..32].copy_from_slice(ephemeral);
    salt[32..].copy_from_slice(recipient);
    let hk = hkdf::Hkdf::<sha2::Sha256>::new(Some(&salt), shared);
    let mut out = Zeroizing::new([0u8; 32]);
    hk.expand(HKDF_INFO, out.as_mut()).map_err(|_| SealError::Tampered)?;
    Ok(out)
}

/// Recovers the content key from `wrapped` with `key`.
pub(crate) fn unwrap(key: &SealSecretKey, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    match key.suite() {
        Suite::X25519Aes256Gcm => {
            let secret = key.x25519().ok_or(SealError::Tampered)?;
            if wrapped.len() != 32 + 32 + 16 {
                return Err(SealError::Tampered);
            }
            let mut eph = [0u8; 32];
            eph.copy_from_slice(&wrapped[..32]);
            let eph = x25519_dalek::PublicKey::from(eph);
            let shared = secret.diffie_hellman(&eph);
            if !shared.was_contributory() {
                return Err(SealError::Tampered);
            }
            let ours = x25519_dalek::PublicKey::from(secret);
            let kek = kek(shared.as_bytes(), eph.as_bytes(), ours.as_bytes())?;
            decrypt(Suite::X25519Aes256Gcm, kek.as_ref(), &[0u8; 12], &wrapped[32..], &[])
        }
        Suite::Sm2Sm4 => {
            let secret = key.sm2().ok_or(SealError::Tampered)?;
            let decrypting =
                sm2pke::pke::DecryptingKey::new_with_mode(secret.to_nonzero_scalar(), sm2pke::pke::Mode::C1C3C2);
            let plain = decrypting.decrypt(wrapped).map_err(|_| SealError::Tampered)?;
            Ok(Zeroizing::new(plain))
        }
    }
}

/// Seals `plaintext` to every recipient, bound to `binding`: one box per suite among them.
/// Refuses an empty list: sealing to nobody would lose the value.
pub fn seal(plaintext: &[u8], recipients: &[Recipient], binding: &str) -> Result<Vec<SealedBox>> {
    if recipients.is_empty() {
        return Err(SealError::NoRecipient("没有可加密的接收机关公钥，未保存。请先同步，取得机关公钥后再试。".into()));
    }
    let mut boxes = Vec::new();
    for suite in Suite::ALL {
        let mine: Vec<&Recipient> = recipients.iter().filter(|r| r.key.suite == suite).collect();
        if mine.is_empty() {
            continue;
        }
        let key = content_key(suite);
        let mut nonce = vec![0u8; 12];
        OsRng.fill_bytes(&mut nonce);
        let ciphertext = encrypt(suite, &key, &nonce, plaintext, &content_aad(suite, binding))?;
        let mut wrapped = Vec::with_capacity(mine.len());
        for r in mine {
            r.key.validate()?;
            if wrapped.iter().any(|w: &Wrapped| w.key_id == r.key.key_id()) {
                continue;
            }
            wrapped.push(wrap(r, &key)?);
        }
        boxes.push(SealedBox { v: VERSION, suite, recipients: wrapped, nonce, ciphertext });
    }
    Ok(boxes)
}

/// Opens whichever box names one of `keys`, checking it against `binding`. `Ok(None)` when none
/// of the keys is a recipient (the value was not sealed to this office); an error when a box
/// names one of them but does not authenticate (altered, or copied from another record).
pub fn open(boxes: &[SealedBox], keys: &[SealSecretKey], binding: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
    for b in boxes {
        if b.v != VERSION {
            return Err(SealError::Malformed(format!("不支持的加密数据版本 {}", b.v)));
        }
        for w in &b.recipients {
            let Some(key) = keys.iter().find(|k| k.suite() == b.suite && k.public_key().key_id() == w.key_id) else {
                continue;
            };
            let content_key = unwrap(key, &w.wrapped)?;
            if content_key.len() != content_key_len(b.suite) {
                return Err(SealError::Tampered);
            }
            return decrypt(b.suite, &content_key, &b.nonce, &b.ciphertext, &content_aad(b.suite, binding)).map(Some);
        }
    }
    Ok(None)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn recipient(office: &str, key: &SealSecretKey) -> Recipient {
        Recipient { office: office.into(), key: key.public_key().clone() }
    }

    #[test]
    fn both_suites_seal_and_open_for_every_recipient() {
        for suite in Suite::ALL {
            let county = SealSecretKey::generate(suite);
            let prefecture = SealSecretKey::generate(suite);
            let boxes = seal(
                "王某 13800001234".as_bytes(),
                &[recipient("530102", &county), recipient("530100", &prefecture)],
                "c:1",
            )
            .unwrap();
            assert_eq!(boxes.len(), 1);
            assert_eq!(boxes[0].suite, suite);
            for key in [county, prefecture] {
                let plain = open(&boxes, std::slice::from_ref(&key), "c:1").unwrap().unwrap();
                assert_eq!(plain.as_slice(), "王某 13800001234".as_bytes());
            }
            let outsider = SealSecretKey::generate(suite);
            assert!(open(&boxes, &[outsider], "c:1").unwrap().is_none());
        }
    }

    #[test]
    fn recipients_of_two_suites_get_a_box_each() {
        let x = SealSecretKey::generate(Suite::X25519Aes256Gcm);
        let s = SealSecretKey::generate(Suite::Sm2Sm4);
        let boxes = seal(b"secret", &[recipient("a", &x), recipient("b", &s)], "bind").unwrap();
        assert_eq!(boxes.len(), 2);
        assert_eq!(open(&boxes, &[s], "bind").unwrap().unwrap().as_slice(), b"secret");
        assert_eq!(open(&boxes, &[x], "bind").unwrap().unwrap().as_slice(), b"secret");
    }

    #[test]
    fn another_binding_or_any_altered_byte_is_refused() {
        for suite in Suite::ALL {
            let key = SealSecretKey::generate(suite);
            let boxes = seal(b"identity", &[recipient("a", &key)], "complaint:1#identity").unwrap();
            let keys = [key];
            assert!(matches!(open(&boxes, &keys, "complaint:2#identity"), Err(SealError::Tampered)));
            for i in 0..boxes[0].ciphertext.len() {
                let mut bad = boxes.clone();
                bad[0].ciphertext[i] ^= 1;
                assert!(open(&bad, &keys, "complaint:1#identity").is_err(), "{suite} ciphertext byte {i}");
            }
            for i in 0..boxes[0].recipients[0].wrapped.len() {
                let mut bad = boxes.clone();
                bad[0].recipients[0].wrapped[i] ^= 1;
                assert!(open(&bad, &keys, "complaint:1#identity").is_err(), "{suite} wrapped byte {i}");
            }
            let mut bad = boxes.clone();
            bad[0].nonce[0] ^= 1;
            assert!(open(&bad, &keys, "complaint:1#identity").is_err());
        }
    }

    #[test]
    fn nothing_is_sealed_to_nobody() {
        assert!(matches!(seal(b"x", &[], "b"), Err(SealError::NoRecipient(_))));
    }

    #[test]
    fn secret_keys_round_trip_and_bad_keys_are_refused() {
        for suite in Suite::ALL {
            let key = SealSecretKey::generate(suite);
            let again = SealSecretKey::from_bytes(suite, &key.to_bytes()).unwrap();
            assert_eq!(again.public_key(), key.public_key());
            assert!(SealSecretKey::from_bytes(suite, &[1u8; 31]).is_err());
            assert_eq!(key.public_key().key_id().len(), 16);
            key.public_key().validate().unwrap();
        }
        assert!(SealSecretKey::from_bytes(Suite::Sm2Sm4, &[0u8; 32]).is_err());
        assert!(SealPublicKey::from_bytes(Suite::Sm2Sm4, &[4u8; 65]).is_err());
        assert!(SealPublicKey::from_bytes(Suite::X25519Aes256Gcm, &[4u8; 31]).is_err());
        // A low-order X25519 point is refused when sealing to it.
        let zero =
            Recipient { office: "a".into(), key: SealPublicKey { suite: Suite::X25519Aes256Gcm, bytes: vec![0; 32] } };
        assert!(matches!(seal(b"x", &[zero], "b"), Err(SealError::Key(_))));
        let shown = format!("{:?}", SealSecretKey::from_bytes(Suite::X25519Aes256Gcm, &[0x42; 32]).unwrap());
        assert!(!shown.contains("42, 66") && !shown.contains("4242"));
    }

    #[test]
    fn boxes_are_cbor_maps_with_byte_strings() {
        let key = SealSecretKey::generate(Suite::X25519Aes256Gcm);
        let boxes = seal(b"x", &[recipient("a", &key)], "b").unwrap();
        let mut cbor = Vec::new();
        ciborium::into_writer(&boxes[0], &mut cbor).unwrap();
        let back: SealedBox = ciborium::from_reader(cbor.as_slice()).unwrap();
        assert_eq!(back, boxes[0]);
        // The 12-byte nonce is one byte string (0x4c), not an array of numbers.
        assert!(cbor.windows(1).any(|w| w == [0x4c]));
    }

    /// SM2 encryption interoperates with OpenSSL 3.0: a 16-byte key encrypted by
    /// `openssl pkeyutl -encrypt` (GM/T 0009 DER of C1, C3, C2) to a key made by
    /// `openssl genpkey -algorithm SM2`, rearranged as the raw C1C3C2 of GM/T 0003.4, unwraps
    /// with the same secret key here.
    #[test]
    fn sm2_unwraps_what_openssl_encrypted() {
        let unhex = |s: &str| hex::decode(s.split_whitespace().collect::<String>()).unwrap();
        let secret = unhex("406f68ae8780e36eb21dff81c5fdf4c84c8e147fce5e60a647c3bd49e8ef571a");
        let key = SealSecretKey::from_bytes(Suite::Sm2Sm4, &secret).unwrap();
        assert_eq!(
            key.public_key().bytes,
            unhex(
                "041df3179e45b2ee6ca843fdb124d703ba34b9dbf09ba25495b91e589db222d8174e9d7e5cbeb3c90fb5a5f639876149730266750
                 4e77af511008e8a41976e8973"
            )
        );
        let mut raw = vec![0x04];
        raw.extend(unhex("0E3BBACCD78A437DD7F6E46E29A5A41AEEE45998D5CF798DEBE1571DA1861BCE"));
        raw.extend(unhex("90FB54D7023217E7A291CAEE6AA7E6DB605BE1F8D2AF2F02319DAF32E5340995"));
        raw.extend(unhex("2CEF5EDFA041081495B44F9F865B5EB7C9DCF0A2B647E90555D6B8D73D4E3B86"));
        raw.extend(unhex("D758A736CB51DF81753AFF3CFD24FAD6"));
        assert_eq!(unwrap(&key, &raw).unwrap().as_slice(), b"0123456789abcdef");
        raw[70] ^= 1;
        assert!(unwrap(&key, &raw).is_err());
    }

    /// SM4-GCM is the one of RFC 8998 (test vector of its appendix A.1).
    #[test]
    fn sm4_gcm_known_answer_rfc8998() {
        let unhex = |s: &str| hex::decode(s.split_whitespace().collect::<String>()).unwrap();
        let key = unhex("0123456789ABCDEFFEDCBA9876543210");
        let iv = unhex("00001234567800000000ABCD");
        let aad = unhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2");
        let plain = unhex(
            "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD
             EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA",
        );
        let expected = unhex(
            "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735
             D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D
             83DE3541E4C2B58177E065A9BF7B62EC",
        );
        assert_eq!(encrypt(Suite::Sm2Sm4, &key, &iv, &plain, &aad).unwrap(), expected);
        assert_eq!(decrypt(Suite::Sm2Sm4, &key, &iv, &expected, &aad).unwrap().as_slice(), plain.as_slice());
    }
}
