//! Qingfeng's sealing: values and files encrypted to offices' keys, so that what a reporter
//! entrusted to an office reaches only the offices entitled to read it.
//!
//! Two suites are supported and named in every sealed value, like the signature algorithms of
//! `qingfeng-sync`: X25519 with AES-256-GCM, and the Chinese commercial algorithms SM2 (public-key
//! encryption, GM/T 0003.4) with SM4-GCM. [`sealed`] seals small values (a reporter's identity)
//! inside events; [`stream`] seals whole files (bundles carried on a USB stick). No database, no
//! network: callers bring the keys.

pub mod error;
pub mod keys;
pub mod sealed;
pub mod serde_bytes;
pub mod stream;

pub use error::{Result, SealError};
pub use keys::{SealPublicKey, SealSecretKey, SealingKeysPublished, Suite};
pub use sealed::{Recipient, SealedBox, Wrapped, open, seal};
pub use stream::{OpenReader, SealWriter};

/// The operating system's generator in the form the SM2 crate (rand_core 0.10) takes.
pub(crate) fn sm2_rng()
-> sm2pke::elliptic_curve::rand_core::UnwrapErr<sm2pke::elliptic_curve::common::getrandom::SysRng> {
    sm2pke::elliptic_curve::rand_core::UnwrapErr(sm2pke::elliptic_curve::common::getrandom::SysRng)
}
