//! Offline exchange: importing an office's outbound bundle and answering with a return bundle.
//!
//! Import is idempotent and order-tolerant because every change set goes through the same path
//! as online (`Hub::accept_changeset`): one already held gets its stored receipt again, one whose
//! prerequisite is missing waits and is applied when the bundle carrying it is imported.

use std::io::{BufRead, BufReader, Read, Write};

use qingfeng_seal::stream::{OpenReader, PURPOSE_OUTBOUND, PURPOSE_RETURN, SealWriter, is_sealed};
use qingfeng_seal::{Recipient, SealError};

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
    while let Some(item) = reader.next_item()? {
        match item {
            BundleItem::ChangeSet(set) => staged.push(set),
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
    loop {
        let page = hub.office_feed_page(&device.office_code, &device.device_id, after)?;
        let more = page.more && page.cursor > after;
        after = page.cursor;
        report.feed_events += page.events.len();
        if !page.events.is_empty() {
            writer.write_item(&BundleItem::FeedPage(hub.sign_feed(&page)?))?;
        }
        if !more {
            break;
        }
    }
    writer.finish(hub.secret_key())?.finish().map_err(sealing)?;
    Ok(report)
}
