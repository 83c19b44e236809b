//! The wire shapes of blob transfer (attachments, evidence, issued PDFs): asking the hub what it
//! holds, sending a chunk, fetching a chunk, and a chunk carried in a bundle.
//!
//! A blob is named by its SHA-256 and travels in chunks of `BLOB_CHUNK_BYTES` at aligned offsets
//! (the last one shorter), each acknowledged on its own, so an interrupted transfer resumes at the
//! last whole chunk. The size is stated up front by the event that names the blob; the hub and the
//! replicas refuse anything beyond it or beyond `MAX_BLOB_BYTES`. Chunks are not signed: the bytes
//! are checked against the name when the last chunk arrives, and discarded if they differ.
//! Bodies are CBOR maps keyed by field name, hashes as 32-byte byte strings.

use serde::{Deserialize, Serialize};

pub use qingfeng_log::blob::{BLOB_CHUNK_BYTES, MAX_BLOB_BYTES};

use crate::error::{Result, SyncError};

/// Most blobs one status request may ask about.
pub const MAX_BLOB_QUERY: usize = 1000;

/// A blob's name: the SHA-256 of its bytes (a byte string on the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BlobId(#[serde(with = "crate::serde_bytes::array32")] pub [u8; 32]);

impl BlobId {
    /// From the lower-case hex the events write.
    pub fn from_hex(text: &str) -> Result<BlobId> {
        let bytes = hex::decode(text).map_err(|_| SyncError::malformed(format!("文件标识“{text}”不是十六进制哈希")))?;
        let array: [u8; 32] =
            bytes.try_into().map_err(|_| SyncError::malformed(format!("文件标识“{text}”不是 32 字节的哈希")))?;
        Ok(BlobId(array))
    }

    /// As the events write it.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

/// `POST /v1/blobs/status`: which of these blobs does the hub hold, and how much of each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlobQuery {
    pub blobs: Vec<BlobId>,
}

/// What the hub holds of one blob, as far as the asking office may know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlobState {
    /// Held whole and verified: it can be fetched.
    Complete,
    /// Some whole chunks have arrived (`received` bytes); an upload continues from there.
    Partial,
    /// Named by an event this office's feed carries, but no byte has arrived yet.
    Missing,
    /// No accepted event this office may read names it: the hub neither takes nor gives it.
    NotNamed,
}

/// One blob in a status answer, or the answer to a chunk sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlobStatus {
    pub sha256: BlobId,
    pub state: BlobState,
    /// The size the naming event states (0 when not named).
    pub size: u64,
    /// Bytes held, in whole chunks: where an upload resumes.
    pub received: u64,
}

/// The answer of `POST /v1/blobs/status`, one entry per blob asked about, in the same order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlobStatusReply {
    pub blobs: Vec<BlobStatus>,
}

/// `POST /v1/blobs/put`: one chunk of a blob, at `offset` (a multiple of the chunk size, where the
/// hub's received bytes end). Answered with the blob's `BlobStatus` after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlobPut {
    pub sha256: BlobId,
    pub offset: u64,
    #[serde(with = "crate::serde_bytes")]
    pub bytes: Vec<u8>,
}

/// `POST /v1/blobs/get`: the chunk of a whole blob starting at `offset`. Answered with a
/// [`BlobChunk`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlobGet {
    pub sha256: BlobId,
    pub offset: u64,
}

/// One chunk of a blob: the answer to `BlobGet`, and a bundle item (tag 5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlobChunk {
    pub sha256: BlobId,
    /// The whole blob's size.
    pub size: u64,
    pub offset: u64,
    #[serde(with = "crate::serde_bytes")]
    pub bytes: Vec<u8>,
}

impl BlobChunk {
    /// Checks the chunk's shape: aligned, within the stated size and the protocol's bound, whole
    /// unless it is the last.
    pub fn check(&self) -> Result<()> {
        let end = self.offset.saturating_add(self.bytes.len() as u64);
        let aligned = self.offset % BLOB_CHUNK_BYTES as u64 == 0;
        let whole = self.bytes.len() == BLOB_CHUNK_BYTES || end == self.size;
        if self.size > MAX_BLOB_BYTES || !aligned || !whole || self.bytes.is_empty() || end > self.size {
            return Err(SyncError::malformed(format!(
                "文件块不合规（位置 {}，长度 {}，文件大小 {}）",
                self.offset,
                self.bytes.len(),
                self.size
            )));
        }
        Ok(())
    }

    pub fn encode(&self) -> Result<Vec<u8>> {
        Ok(qingfeng_log::encoding::to_canonical_cbor(self)?)
    }

    pub fn decode(bytes: &[u8]) -> Result<BlobChunk> {
        let chunk: BlobChunk = qingfeng_log::encoding::from_cbor(bytes)?;
        chunk.check()?;
        Ok(chunk)
    }
}
