//! Qingfeng's sync: keys and signatures, signed change sets, receipts, certificates and bundles.
//!
//! The contract this crate implements is `docs/sync-protocol.md`. The modules below are pure: no
//! network, no database, no clock. Decoding never panics on any input (fuzzed, see `fuzz/`).

#[allow(dead_code)] // Used by the change set and envelope modules that follow.
mod cbor;
pub mod crypto;
pub mod error;
#[allow(dead_code)]
mod serde_bytes;

pub use crypto::{Alg, PublicKey, SecretKey, Signature};
pub use error::{Result, SyncError};
