//! Moving blobs between this replica and the hub: offering what the hub lacks and fetching what
//! this replica lacks, chunk by chunk, each chunk committed on arrival so that a cut link costs at
//! most one chunk. The events that name the blobs have already travelled; until a blob arrives the
//! screens show 附件传输中, and a blob the hub does not hold yet simply waits for a later run.

use qingfeng_core::CoreError;

use super::{Replica, SyncClient, decode};
use crate::blob::{
    BLOB_CHUNK_BYTES, BlobChunk, BlobGet, BlobId, BlobPut, BlobQuery, BlobState, BlobStatus, BlobStatusReply,
    MAX_BLOB_QUERY,
};
use crate::error::{Result, SyncError};

/// What one run moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Moved {
    pub blobs: u64,
    pub bytes: u64,
}

impl SyncClient {
    async fn blob_status(&self, ids: &[BlobId]) -> Result<Vec<BlobStatus>> {
        let body = qingfeng_core::encoding::to_canonical_cbor(&BlobQuery { blobs: ids.to_vec() })?;
        let reply: BlobStatusReply = decode(&self.call("/v1/blobs/status", body).await?)?;
        if reply.blobs.len() != ids.len() || reply.blobs.iter().zip(ids).any(|(s, id)| s.sha256 != *id) {
            return Err(SyncError::malformed("省级平台对文件查询的答复与所问不符"));
        }
        Ok(reply.blobs)
    }

    /// Sends the hub every blob this replica holds that the log names and the hub lacks,
    /// continuing each from what the hub already has.
    pub(crate) async fn upload_blobs(&self, store: &impl Replica) -> Result<Moved> {
        let mut moved = Moved::default();
        let offer = store.with_store(|s| s.blobs_to_offer(MAX_BLOB_QUERY))?;
        if offer.is_empty() {
            return Ok(moved);
        }
        let ids: Vec<BlobId> = offer.iter().map(|(sha, _)| BlobId::from_hex(sha)).collect::<Result<_>>()?;
        let mut at_hub = Vec::new();
        for status in self.blob_status(&ids).await? {
            let sha = status.sha256.to_hex();
            match status.state {
                BlobState::Complete => at_hub.push(sha),
                // Not (yet) named by an accepted event this office may write: nothing to send now.
                BlobState::NotNamed => {}
                BlobState::Missing | BlobState::Partial => {
                    let mut offset = status.received;
                    while offset < status.size {
                        let bytes = store
                            .with_store(|s| s.blob_chunk(&sha, offset, BLOB_CHUNK_BYTES))?
                            .filter(|b| !b.is_empty())
                            .ok_or_else(|| {
                                SyncError::NotReady(format!("本机找不到要上传的文件内容（{}）", &sha[..12]))
                            })?;
                        let len = bytes.len() as u64;
                        let put = BlobPut { sha256: status.sha256, offset, bytes };
                        let body = qingfeng_core::encoding::to_canonical_cbor(&put)?;
                        let after: BlobStatus = decode(&self.call("/v1/blobs/put", body).await?)?;
                        moved.bytes += len;
                        if after.received <= offset && after.state != BlobState::Complete {
                            return Err(SyncError::malformed("省级平台没有接收所传的文件块"));
                        }
                        offset = after.received;
                        if after.state == BlobState::Complete {
                            break;
                        }
                    }
                    moved.blobs += 1;
                    at_hub.push(sha);
                }
            }
        }
        store.with_store(|s| s.note_blobs_at_hub(&at_hub))?;
        Ok(moved)
    }

    /// Fetches every blob the log names that is not here and the hub holds whole, resuming each
    /// after the chunks already received. Content that does not match its name is discarded and
    /// fetched again on a later run; it never stops the others.
    pub(crate) async fn download_blobs(&self, store: &impl Replica) -> Result<Moved> {
        let mut moved = Moved::default();
        let missing = store.with_store(|s| s.missing_blobs(MAX_BLOB_QUERY))?;
        if missing.is_empty() {
            return Ok(moved);
        }
        let ids: Vec<BlobId> = missing.iter().map(|m| BlobId::from_hex(&m.sha256)).collect::<Result<_>>()?;
        let statuses = self.blob_status(&ids).await?;
        for (want, status) in missing.iter().zip(statuses) {
            if status.state != BlobState::Complete {
                continue;
            }
            let mut offset = want.received;
            loop {
                let body = qingfeng_core::encoding::to_canonical_cbor(&BlobGet { sha256: status.sha256, offset })?;
                let chunk = BlobChunk::decode(&self.call("/v1/blobs/get", body).await?)?;
                if chunk.sha256 != status.sha256 || chunk.offset != offset || chunk.size != want.size {
                    return Err(SyncError::malformed("省级平台发来的文件块与所请求的不符"));
                }
                let len = chunk.bytes.len() as u64;
                let progress = match store.with_store(|s| s.put_blob_chunk(&want.sha256, offset, &chunk.bytes)) {
                    Ok(p) => p,
                    // Bytes that do not hash to the name were discarded; try again next run.
                    Err(SyncError::Core(CoreError::Tampered(_))) => break,
                    Err(e) => return Err(e),
                };
                moved.bytes += len;
                if progress.complete {
                    moved.blobs += 1;
                    store.with_store(|s| s.note_blobs_at_hub(std::slice::from_ref(&want.sha256)))?;
                    break;
                }
                if progress.received <= offset {
                    return Err(SyncError::malformed("文件块未能保存，将在下次同步时继续"));
                }
                offset = progress.received;
            }
        }
        Ok(moved)
    }
}
