//! Blobs at the hub: an office sends the content its events name (attachments, evidence, issued
//! PDFs) in chunks and fetches the content its feed names, each only where its office's feed
//! carries an accepted event naming the blob.
//!
//! The size is the one the naming event states, known before the first byte; a chunk must start
//! where the received bytes end (otherwise nothing is written and the answer says where to
//! resume), and the whole is hashed when the last chunk arrives: a match makes it fetchable, a
//! mismatch discards every chunk so it is sent again. The events themselves never wait for their
//! blobs.

use qingfeng_sync::blob::{
    BLOB_CHUNK_BYTES, BlobChunk, BlobGet, BlobId, BlobPut, BlobState, BlobStatus, MAX_BLOB_BYTES, MAX_BLOB_QUERY,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{HubError, Result};
use crate::hub::Hub;
use crate::storage::{Device, HubStorage, HubTx};

/// What `events verify` found about content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BlobCheck {
    /// Blobs accepted events name.
    pub named: u64,
    /// Of which the hub holds whole, re-hashed just now.
    pub complete: u64,
    /// Named but not (wholly) sent yet by any office: still travelling, not an error.
    pub pending: u64,
    /// Held whole but no longer matching their name.
    pub damaged: Vec<String>,
}

fn status_of(tx: &mut dyn HubTx, office: &str, id: BlobId) -> Result<BlobStatus> {
    let not_named = BlobStatus { sha256: id, state: BlobState::NotNamed, size: 0, received: 0 };
    if !tx.blob_in_feed_of(office, &id.0)? {
        return Ok(not_named);
    }
    let Some(size) = tx.blob_ref_size(&id.0)? else {
        return Ok(not_named);
    };
    Ok(match tx.blob_progress(&id.0)? {
        None => BlobStatus { sha256: id, state: BlobState::Missing, size, received: 0 },
        Some(p) if p.complete => BlobStatus { sha256: id, state: BlobState::Complete, size, received: p.size },
        Some(p) => BlobStatus { sha256: id, state: BlobState::Partial, size, received: p.received },
    })
}

impl<S: HubStorage> Hub<S> {
    /// What the hub holds of each blob, as far as the device's office may know.
    pub fn blob_status(&self, device: &Device, ids: &[BlobId]) -> Result<Vec<BlobStatus>> {
        if ids.len() > MAX_BLOB_QUERY {
            return Err(HubError::Invalid(format!("一次最多查询 {MAX_BLOB_QUERY} 个文件，请分批查询。")));
        }
        self.storage().read(|tx| ids.iter().map(|id| status_of(tx, &device.office_code, *id)).collect())
    }

    /// Stores one chunk a device sends, and completes the blob when it is the last.
    pub fn put_blob(&self, device: &Device, put: &BlobPut) -> Result<BlobStatus> {
        let now = self.now_ms();
        let id = put.sha256;
        self.storage().write(|tx| {
            // Two hub processes given chunks of one blob at once take turns (a no-op on SQLite,
            // whose single writer already serialises them).
            tx.lock(&format!("blob:{}", id.to_hex()))?;
            let status = status_of(tx, &device.office_code, id)?;
            match status.state {
                BlobState::NotNamed => {
                    return Err(HubError::Forbidden(format!(
                        "文件 {} 不是本机关任何已接收记录所附的文件，省级中心不接收。",
                        &id.to_hex()[..12]
                    )));
                }
                BlobState::Complete => return Ok(status),
                BlobState::Missing | BlobState::Partial => {}
            }
            if status.size > MAX_BLOB_BYTES {
                return Err(HubError::TooLarge(format!(
                    "记录所附文件为 {} 字节，超过同步上限 {MAX_BLOB_BYTES} 字节。",
                    status.size
                )));
            }
            let chunk = BlobChunk { sha256: id, size: status.size, offset: put.offset, bytes: put.bytes.clone() };
            // A chunk that does not start where the received bytes end writes nothing: the answer
            // tells the sender where to resume (another device may have sent it meanwhile).
            if put.offset != status.received || chunk.check().is_err() {
                return Ok(status);
            }
            tx.put_blob_chunk(&id.0, status.size, put.offset, &put.bytes)?;
            let end = put.offset + put.bytes.len() as u64;
            if end < status.size {
                return Ok(BlobStatus { state: BlobState::Partial, received: end, ..status });
            }
            let mut hasher = Sha256::new();
            tx.for_each_blob_chunk(&id.0, &mut |bytes| {
                hasher.update(bytes);
                Ok(())
            })?;
            let whole: [u8; 32] = hasher.finalize().into();
            tx.finish_blob(&id.0, whole == id.0, now)?;
            Ok(if whole == id.0 {
                BlobStatus { state: BlobState::Complete, received: status.size, ..status }
            } else {
                BlobStatus { state: BlobState::Missing, received: 0, ..status }
            })
        })
    }

    /// One chunk of a whole blob, for a device whose office's feed names it.
    pub fn get_blob(&self, device: &Device, get: &BlobGet) -> Result<BlobChunk> {
        self.storage().read(|tx| {
            let status = status_of(tx, &device.office_code, get.sha256)?;
            if status.state != BlobState::Complete {
                return Err(HubError::NotFound {
                    what: "文件（尚未完整送达省级中心）", id: get.sha256.to_hex()
                });
            }
            if get.offset % BLOB_CHUNK_BYTES as u64 != 0 || get.offset >= status.size {
                return Err(HubError::Invalid(format!("文件块位置 {} 不合规。", get.offset)));
            }
            let bytes = tx
                .blob_chunk(&get.sha256.0, get.offset)?
                .ok_or_else(|| HubError::Internal(format!("文件 {} 的块缺失", get.sha256.to_hex())))?;
            Ok(BlobChunk { sha256: get.sha256, size: status.size, offset: get.offset, bytes })
        })
    }

    /// Every chunk of a whole blob `office` may read, in order (return bundles).
    pub(crate) fn blob_chunks_for(&self, office: &str, id: BlobId) -> Result<Vec<BlobChunk>> {
        self.storage().read(|tx| {
            let status = status_of(tx, office, id)?;
            if status.state != BlobState::Complete {
                return Ok(Vec::new());
            }
            let mut out = Vec::new();
            let mut offset = 0u64;
            tx.for_each_blob_chunk(&id.0, &mut |bytes| {
                out.push(BlobChunk { sha256: id, size: status.size, offset, bytes: bytes.to_vec() });
                offset += bytes.len() as u64;
                Ok(())
            })?;
            Ok(out)
        })
    }

    /// Stores a chunk that arrived in a bundle from `device` (same rules as online).
    pub(crate) fn put_bundle_chunk(&self, device: &Device, chunk: &BlobChunk) -> Result<BlobStatus> {
        self.put_blob(device, &BlobPut { sha256: chunk.sha256, offset: chunk.offset, bytes: chunk.bytes.clone() })
    }

    /// Re-hashes every whole blob and counts those still travelling.
    pub fn verify_blobs(&self) -> Result<BlobCheck> {
        self.storage().read(|tx| {
            let mut check = BlobCheck::default();
            for entry in tx.blob_list()? {
                check.named += 1;
                if !entry.complete {
                    check.pending += 1;
                    continue;
                }
                let sha: [u8; 32] = entry.sha256.as_slice().try_into().unwrap_or([0; 32]);
                let mut hasher = Sha256::new();
                let mut len = 0u64;
                tx.for_each_blob_chunk(&sha, &mut |bytes| {
                    hasher.update(bytes);
                    len += bytes.len() as u64;
                    Ok(())
                })?;
                let whole: [u8; 32] = hasher.finalize().into();
                if whole == sha && len == entry.size {
                    check.complete += 1;
                } else {
                    check.damaged.push(hex::encode(&entry.sha256));
                }
            }
            Ok(check)
        })
    }
}
