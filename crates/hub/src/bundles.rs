//! Offline exchange: importing an office's outbound bundle and answering with a return bundle.
//!
//! Import is idempotent and order-tolerant because every change set goes through the same path
//! as online (`Hub::accept_changeset`): one already held gets its stored receipt again, one whose
//! prerequisite is missing waits and is applied when the bundle carrying it is imported.

use std::io::{BufRead, BufReader, Read, Write};

use qingfeng_seal::stream::{OpenReader, PURPOSE_OUTBOUND, PURPOSE_RETURN, SealWriter, is_sealed};
use qingfeng_seal::{Recipient, SealError};

use qingfeng_sync::blob::{BlobChunk, BlobId};
use qingfeng_sync::{
    BundleHeader, BundleItem, BundleKind, BundleReader, BundleWriter, Outcome, Receipt, Signed, SignedChangeSet,
};
use serde::Serialize;

use crate::error::{HubError, Result};
use crate::hub::Hub;
use crate::storage::HubStorage;

/// What one import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub office_code: String,
    pub device_id: String,
    /// Change sets in the bundle.
    pub changesets: usize,
    pub accepted: usize,
    pub rejected: usize,
    /// Still waiting for a change set of an earlier bundle.
    pub waiting: usize,
    /// Receipts put into the return bundle (this bundle's and any earlier set now settled).
    pub receipts: usize,
    /// Events of the office's feed put into the return bundle.
    pub feed_events: usize,
    /// Blobs the bundle completed at the hub, and blobs put into the return bundle.
    pub blobs_received: usize,
    pub blobs_returned: usize,
}

fn sealing(e: SealError) -> HubError {
    HubError::Invalid(e.to_string())
}

/// Imports the bundle read from `input` and writes the return bundle to `output`: the receipts
/// the device has not had yet and the office's feed after `feed_after`, or, when that is None,
/// after the feed cursor the bundle's header says the office has reached.
///
/// An office seals its bundle to the hub's sealing key and the hub seals the return bundle to the
/// office's published keys, so a lost USB stick reveals nothing. A plain bundle of an office still
/// running a version from before issue #14 is read as well (it is signed either way); the return
/// bundle is always sealed, and refused while the office has published no key.
pub fn import_bundle<S: HubStorage>(
    hub: &Hub<S>,
    input: impl Read,
    output: impl Write,
    feed_after: Option<u64>,
) -> Result<ImportReport> {
    let mut input = BufReader::new(input);
    let sealed = is_sealed(input.fill_buf().map_err(|e| HubError::Invalid(format!("无法读取同步包：{e}")))?);
    let input: Box<dyn Read> = if sealed {
        Box::new(OpenReader::new(input, std::slice::from_ref(hub.seal_secret()), PURPOSE_OUTBOUND).map_err(sealing)?)
    } else {
        Box::new(input)
    };
    let mut reader = BundleReader::new(input)?;
    let claimed = reader.header().clone();
    if claimed.kind != BundleKind::Outbound {
        return Err(HubError::Invalid("这是省级中心发出的回执包，不能导入省级中心。请导入机关导出的同步包。".into()));
    }
    let device = hub.device(&claimed.origin_device)?.ok_or_else(|| {
        HubError::Invalid(format!("同步包来自未登记的设备 {}，请先为该设备办理登记。", claimed.origin_device))
    })?;
    let key = crate::hub::device_key(&device)?;
    // Items are untrusted until the trailer checks, so change sets are staged and applied only
    // after `finish` has verified the whole file.
    let mut staged: Vec<SignedChangeSet> = Vec::new();
    // Blob chunks can be large: they wait in a temporary file (deleted on close) rather than in
    // memory, and are stored after the change sets naming them have been applied.
    let mut spool = ChunkSpool::new()?;
    while let Some(item) = reader.next_item()? {
        match item {
            BundleItem::ChangeSet(set) => staged.push(set),
            BundleItem::BlobChunk(chunk) => spool.push(&chunk)?,
            _ => return Err(HubError::Invalid("同步包中含有不应由机关发出的条目（回执、订阅或证书）。".into())),
        }
    }
    let header = reader.finish(&key)?;
    if header.office_code != device.office_code {
        return Err(HubError::Invalid(format!(
            "同步包声称来自机关 {}，而设备 {} 登记在机关 {}。",
            header.office_code, device.device_id, device.office_code
        )));
    }
    let mut report = ImportReport {
        office_code: device.office_code.clone(),
        device_id: device.device_id.clone(),
        changesets: staged.len(),
        ..ImportReport::default()
    };
    let mut still_waiting = Vec::new();
    for set in &staged {
        let answer = hub.accept_changeset(&set.encode())?;
        match answer.receipt.outcome {
            Outcome::Accepted => report.accepted += 1,
            Outcome::Rejected { code: qingfeng_sync::RejectCode::Gap, .. } => still_waiting.push(set),
            Outcome::Rejected { .. } => report.rejected += 1,
        }
    }
    for chunk in spool.drain()? {
        // Content the office's accepted events do not name is not taken in; bytes that do not
        // match their name are discarded at the last chunk. Neither stops the import.
        match hub.put_bundle_chunk(&device, &chunk?) {
            Ok(s) if s.state == qingfeng_sync::blob::BlobState::Complete => report.blobs_received += 1,
            Ok(_) | Err(HubError::Forbidden(_) | HubError::TooLarge(_)) => {}
            Err(e) => return Err(e),
        }
    }
    // A set that waited at first may have been applied by a later set of the same bundle.
    let acked_before = header.prerequisites.iter().find(|p| p.0 == device.device_id).map_or(0, |p| p.1);
    let receipts = hub.receipts_after(&device.device_id, acked_before)?;
    let mut gap_receipts = Vec::new();
    for set in still_waiting {
        if hub.stored_receipt(&set.id())?.is_some() {
            report.accepted += 1;
        } else {
            report.waiting += 1;
            gap_receipts.push(hub.waiting_receipt(set)?.signed);
        }
    }

    let keys = hub.office_seal_keys(&device.office_code)?;
    let suite = hub.seal_public_key().suite;
    let suite = if keys.iter().any(|k| k.suite == suite) { suite } else { keys.first().map_or(suite, |k| k.suite) };
    let to: Vec<Recipient> = keys
        .into_iter()
        .filter(|k| k.suite == suite)
        .map(|key| Recipient { office: device.office_code.clone(), key })
        .collect();
    if to.is_empty() {
        return Err(HubError::Invalid(format!(
            "机关 {} 尚未公布加密公钥，不能为它写出加密的回执包。请该机关升级清风后重新导出同步包（同步包中会带上公钥）。",
            device.office_code
        )));
    }
    let sealed_out = SealWriter::new(output, &to, PURPOSE_RETURN).map_err(sealing)?;
    let mut writer = BundleWriter::new(
        sealed_out,
        &BundleHeader::new(BundleKind::Return, &device.office_code, hub.device_id(), hub.now_ms()),
    )?;
    for signed in receipts.iter().map(|r| &r.signed).chain(&gap_receipts) {
        writer.write_item(&BundleItem::Receipt(Signed::<Receipt>::decode(signed)?))?;
        report.receipts += 1;
    }
    let mut after = feed_after.unwrap_or(header.feed_cursor);
    // The content the office lacks: what it asked for, and what the events sent now name.
    let mut wanted: Vec<BlobId> = header.wants.clone();
    loop {
        let page = hub.office_feed_page(&device.office_code, &device.device_id, after)?;
        let more = page.more && page.cursor > after;
        after = page.cursor;
        report.feed_events += page.events.len();
        for e in &page.events {
            for r in qingfeng_log::blob::refs_of(&e.kind, &e.payload) {
                if let Ok(id) = BlobId::from_hex(&r.sha256) {
                    wanted.push(id);
                }
            }
        }
        if !page.events.is_empty() {
            writer.write_item(&BundleItem::FeedPage(hub.sign_feed(&page)?))?;
        }
        if !more {
            break;
        }
    }
    let mut seen = std::collections::HashSet::new();
    for id in wanted {
        if !seen.insert(id) {
            continue;
        }
        let chunks = hub.blob_chunks_for(&device.office_code, id)?;
        if !chunks.is_empty() {
            report.blobs_returned += 1;
        }
        for chunk in chunks {
            writer.write_item(&BundleItem::BlobChunk(chunk))?;
        }
    }
    writer.finish(hub.secret_key())?.finish().map_err(sealing)?;
    Ok(report)
}

/// Blob chunks read from a bundle, kept in an unnamed temporary file until the bundle's signature
/// has been checked and its change sets applied.
struct ChunkSpool {
    file: std::io::BufWriter<std::fs::File>,
    count: usize,
}

impl ChunkSpool {
    fn new() -> Result<Self> {
        let file = tempfile::tempfile().map_err(|e| HubError::Internal(format!("无法建立临时文件：{e}")))?;
        Ok(ChunkSpool { file: std::io::BufWriter::new(file), count: 0 })
    }

    fn push(&mut self, chunk: &BlobChunk) -> Result<()> {
        let bytes = chunk.encode()?;
        self.file.write_all(&(bytes.len() as u32).to_be_bytes()).map_err(spool_error)?;
        self.file.write_all(&bytes).map_err(spool_error)?;
        self.count += 1;
        Ok(())
    }

    /// The chunks in the order they were read.
    fn drain(self) -> Result<impl Iterator<Item = Result<BlobChunk>>> {
        use std::io::Seek;
        let mut file = self.file.into_inner().map_err(|e| spool_error(e.into_error()))?;
        file.seek(std::io::SeekFrom::Start(0)).map_err(spool_error)?;
        let mut input = std::io::BufReader::new(file);
        Ok((0..self.count).map(move |_| {
            let mut len = [0u8; 4];
            input.read_exact(&mut len).map_err(spool_error)?;
            let mut bytes = vec![0u8; u32::from_be_bytes(len) as usize];
            input.read_exact(&mut bytes).map_err(spool_error)?;
            Ok(BlobChunk::decode(&bytes)?)
        }))
    }
}

fn spool_error(e: std::io::Error) -> HubError {
    HubError::Internal(format!("读写临时文件失败：{e}。请检查服务器磁盘空间。"))
}
