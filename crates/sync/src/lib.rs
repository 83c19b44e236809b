//! Qingfeng's sync: keys and signatures, signed change sets, receipts, certificates and bundles.
//!
//! The contract this crate implements is `docs/sync-protocol.md`. The modules below are pure: no
//! network, no database, no clock. Decoding never panics on any input (fuzzed, see `fuzz/`).
//! Events and their hashes come from the shared log crate (`qingfeng-log`), so the hub uses this
//! crate without the office's store; the office's sync loop over HTTP (`client`) is behind the
//! `client` feature, which the desktop and the CLI turn on.

pub mod blob;
pub mod bundle;
mod cbor;
pub mod changeset;
#[cfg(feature = "client")]
pub mod client;
pub mod crypto;
pub mod envelope;
pub mod error;
pub mod restore;
use qingfeng_seal::serde_bytes;
pub mod tls;

pub use bundle::{Bundle, BundleHeader, BundleItem, BundleKind, BundleReader, BundleWriter, Prerequisite, read_all};
pub use changeset::{
    ChangeSet, MAX_BYTES, MAX_EVENTS, MAX_SINGLE_EVENT_BYTES, SignedChangeSet, split_into_changesets, split_sendable,
};
pub use crypto::{Alg, PublicKey, SecretKey, Signature};
pub use envelope::{
    AuthRequest, DeviceCertificate, EnrollmentRequest, FeedPage, FeedRequest, IssuedCertificate, Outcome, Receipt,
    RejectCode, Signed, StatusResponse,
};
pub use error::{Result, SyncError};

/// How a bundle sealed to the hub names its recipient.
pub const HUB_RECIPIENT: &str = "hub";
