//! The recovery code an office keeps in its safe: 128 random bits written as nine groups of six
//! digits, each group checked on its own and the whole checked once more.
//!
//! Digits, because officers copy and type them and a Chinese input method never turns a digit
//! into something else (full-width digits are read as digits). Each data group is a 16-bit
//! number times 11, so any single wrong digit and any two neighbouring digits swapped inside a
//! group make that group wrong, and the message names it. The ninth group is a checksum of the
//! whole code (times 11 as well), so groups swapped with each other, a group left out or a group
//! copied twice are caught too. A code that passes every check but opens nothing is a *wrong*
//! code, which the caller reports differently from a *mistyped* one.

use hkdf::Hkdf;
use rand::RngCore;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{CoreError, Result};

/// Bytes of secret in a code.
const SECRET_LEN: usize = 16;
/// Groups of six digits: eight carry the secret, the ninth the checksum.
pub const GROUPS: usize = 9;
const DIGITS_PER_GROUP: usize = 6;
/// Every group's value is a multiple of this; 65535 × 11 still fits in six digits.
const GROUP_MODULUS: u32 = 11;

/// Error code for a code that is not well formed (a copying or typing mistake).
pub const MISTYPED: &str = "recovery_code_mistyped";

/// The secret behind a recovery code. Wiped from memory when dropped; never stored anywhere by
/// the program, which keeps only the public half of the key derived from it.
#[derive(Clone)]
pub struct RecoveryCode {
    secret: Zeroizing<[u8; SECRET_LEN]>,
}

impl std::fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryCode(…)")
    }
}

fn mistyped(message: String) -> CoreError {
    CoreError::Recovery { code: MISTYPED, message }
}

fn checksum(secret: &[u8; SECRET_LEN]) -> u16 {
    let digest = Sha256::new().chain_update(b"qingfeng/recovery-code/v1\0").chain_update(secret).finalize();
    u16::from_be_bytes([digest[0], digest[1]])
}

impl RecoveryCode {
    /// A new code from the operating system's random generator.
    pub fn generate() -> Self {
        let mut secret = Zeroizing::new([0u8; SECRET_LEN]);
        rand::rngs::OsRng.fill_bytes(secret.as_mut());
        RecoveryCode { secret }
    }

    /// A code from given bytes (tests that need reproducible codes; real codes come from
    /// [`RecoveryCode::generate`]).
    #[doc(hidden)]
    pub fn from_secret(secret: [u8; SECRET_LEN]) -> Self {
        RecoveryCode { secret: Zeroizing::new(secret) }
    }

    /// The nine groups of six digits, as printed on the recovery page.
    pub fn groups(&self) -> Zeroizing<Vec<String>> {
        let mut values: Vec<u16> =
            self.secret.chunks_exact(2).map(|pair| u16::from_be_bytes([pair[0], pair[1]])).collect();
        values.push(checksum(&self.secret));
        Zeroizing::new(values.iter().map(|v| format!("{:06}", u32::from(*v) * GROUP_MODULUS)).collect())
    }

    /// The code as one line, groups joined by hyphens (what the QR code holds).
    pub fn to_text(&self) -> Zeroizing<String> {
        Zeroizing::new(self.groups().join("-"))
    }

    /// Reads a code as an officer typed or scanned it. Spaces, hyphens and other separators are
    /// ignored, full-width digits are digits; anything else, a wrong number of digits, a group
    /// that fails its own check or a checksum that does not match is refused as mistyped, with
    /// the group to look at when one can be named.
    pub fn parse(text: &str) -> Result<Self> {
        let mut digits = Zeroizing::new(Vec::with_capacity(GROUPS * DIGITS_PER_GROUP));
        for (i, ch) in text.trim().chars().enumerate() {
            match ch {
                '0'..='9' => digits.push(ch as u8 - b'0'),
                '０'..='９' => digits.push((ch as u32 - '０' as u32) as u8),
                ' ' | '\u{3000}' | '\t' | '\n' | '\r' | '-' | '－' | '—' | '–' | '_' | ',' | '，' | '.' | '。' =>
                    {}
                other => {
                    let shown = if other.is_control() { "控制字符".to_owned() } else { format!("“{other}”") };
                    return Err(mistyped(format!(
                        "恢复码只由数字组成，第 {} 个字符{shown}不是数字。请对照保险柜中的恢复页重新输入。",
                        i + 1
                    )));
                }
            }
        }
        if digits.len() != GROUPS * DIGITS_PER_GROUP {
            return Err(mistyped(format!(
                "恢复码应为 {} 位数字（{GROUPS} 组，每组 {DIGITS_PER_GROUP} 位），现在输入了 {} 位。请逐组核对后重新输入。",
                GROUPS * DIGITS_PER_GROUP,
                digits.len()
            )));
        }
        let mut values = Zeroizing::new([0u16; GROUPS]);
        let mut bad = Vec::new();
        for (g, chunk) in digits.chunks_exact(DIGITS_PER_GROUP).enumerate() {
            let value = chunk.iter().fold(0u32, |acc, d| acc * 10 + u32::from(*d));
            if value % GROUP_MODULUS != 0 || value / GROUP_MODULUS > u32::from(u16::MAX) {
                bad.push(g + 1);
            } else {
                values[g] = (value / GROUP_MODULUS) as u16;
            }
        }
        if !bad.is_empty() {
            let list: Vec<String> = bad.iter().map(usize::to_string).collect();
            return Err(mistyped(format!(
                "恢复码第 {} 组有误（抄写或输入时错了数字）。请对照保险柜中的恢复页核对这{}。",
                list.join("、"),
                if bad.len() == 1 { "一组" } else { "几组" }
            )));
        }
        let mut secret = Zeroizing::new([0u8; SECRET_LEN]);
        for (i, v) in values[..GROUPS - 1].iter().enumerate() {
            secret[2 * i..2 * i + 2].copy_from_slice(&v.to_be_bytes());
        }
        if checksum(&secret) != values[GROUPS - 1] {
            return Err(mistyped(
                "恢复码的校验组不符：每一组都像是对的，但组的顺序或某一组的内容不对（例如两组抄颠倒了）。请对照保险柜中的恢复页逐组核对。"
                    .into(),
            ));
        }
        Ok(RecoveryCode { secret })
    }

    /// The X25519 key pair this code stands for. Only the public half is ever stored.
    pub fn key_pair(&self) -> super::seal::RecoveryKeyPair {
        let hk = Hkdf::<Sha256>::new(Some(b"qingfeng/recovery/v1"), self.secret.as_ref());
        let mut scalar = Zeroizing::new([0u8; 32]);
        // 32 bytes is far below HKDF-SHA256's limit of 8160, so expanding cannot fail.
        if hk.expand(b"x25519 recovery key", scalar.as_mut()).is_err() {
            unreachable!("HKDF-SHA256 expands 32 bytes");
        }
        super::seal::RecoveryKeyPair::from_scalar(*scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_reads_back_from_its_text() {
        for _ in 0..200 {
            let code = RecoveryCode::generate();
            let text = code.to_text();
            assert_eq!(text.len(), GROUPS * DIGITS_PER_GROUP + GROUPS - 1);
            let back = RecoveryCode::parse(&text).expect("parses");
            assert_eq!(back.secret.as_ref(), code.secret.as_ref());
        }
    }

    #[test]
    fn separators_and_full_width_digits_are_accepted() {
        let code = RecoveryCode::generate();
        let spaced = code.groups().join(" ");
        let full: String =
            spaced
                .chars()
                .map(|c| {
                    if c.is_ascii_digit() {
                        char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c)
                    } else {
                        c
                    }
                })
                .collect();
        for text in [spaced.clone(), full, format!("  {}\n", code.groups().join("－"))] {
            assert_eq!(RecoveryCode::parse(&text).expect("parses").secret.as_ref(), code.secret.as_ref());
        }
    }
}
