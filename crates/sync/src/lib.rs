//! Qingfeng's sync: keys and signatures, signed change sets, receipts, certificates and bundles.
//!
//! The contract this crate implements is `docs/sync-protocol.md`. The modules below are pure: no
//! network, no database, no clock. Decoding never panics on any input (fuzzed, see `fuzz/`).

pub mod bundle;
mod cbor;
pub mod changeset;
pub mod client;
pub mod crypto;
pub mod envelope;
pub mod error;
pub mod restore;
mod serde_bytes;

pub use bundle::{Bundle, BundleHeader, BundleItem, BundleKind, BundleReader, BundleWriter, Prerequisite, read_all};
pub use changeset::{ChangeSet, MAX_BYTES, MAX_EVENTS, SignedChangeSet, split_into_changesets};
pub use crypto::{Alg, PublicKey, SecretKey, Signature};
pub use envelope::{
    AuthRequest, DeviceCertificate, EnrollmentRequest, FeedPage, FeedRequest, IssuedCertificate, Outcome, Receipt,
    RejectCode, Signed, StatusResponse,
};
pub use error::{Result, SyncError};
