//! Which blobs an event names, read from its kind and payload alone: the one rule the replicas and
//! the hub share to know what content must travel with an event and who may fetch it.
//!
//! Three kinds name content today: `complaint.attachment_added` (a scanned letter, a recording),
//! `checklist.item_submitted` (evidence files of an execution or rectification item) and
//! `document.issued` (the issued notice's PDF). Each payload states the SHA-256 and the size, so
//! a receiver knows how large a blob is before the first byte arrives. A payload that cannot be
//! read names nothing: this function never fails, because nothing an event names may stop a feed.

use serde::Deserialize;

use crate::kind;

/// The most bytes one blob may have on the wire. Attachments are capped at 20 MiB when added and
/// evidence files at the same; PDFs are far smaller. The protocol states its own bound so a hub or
/// a replica can refuse a larger claim before reading anything.
pub const MAX_BLOB_BYTES: u64 = 32 * 1024 * 1024;

/// Blobs travel in chunks of this size (the last one shorter), each acknowledged on its own, so
/// an interrupted transfer resumes at the last whole chunk instead of starting again.
pub const BLOB_CHUNK_BYTES: usize = 1024 * 1024;

/// A blob named by an event: its SHA-256 (lower-case hex, as events write it) and stated size.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BlobRef {
    pub sha256: String,
    pub size: u64,
}

#[derive(Deserialize)]
struct Attachment {
    sha256: String,
    size: u64,
}

#[derive(Deserialize)]
struct Submission {
    #[serde(default)]
    evidence: Vec<Attachment>,
}

#[derive(Deserialize)]
struct Issued {
    pdf_sha256: String,
    pdf_size: u64,
}

/// Whether `text` is a SHA-256 in lower-case hex, the only form a blob is named by.
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The blobs an event of `event_kind` with this canonical CBOR `payload` names. Entries that are
/// not a well-formed hash are left out.
pub fn refs_of(event_kind: &str, payload: &[u8]) -> Vec<BlobRef> {
    let found: Vec<(String, u64)> = match event_kind {
        kind::COMPLAINT_ATTACHMENT_ADDED => {
            ciborium::from_reader::<Attachment, _>(payload).map(|a| vec![(a.sha256, a.size)]).unwrap_or_default()
        }
        // A supervision letter's feedback carries its evidence in the same shape as a submission.
        kind::CHECKLIST_ITEM_SUBMITTED | kind::LETTER_FEEDBACK_RECORDED => {
            ciborium::from_reader::<Submission, _>(payload)
                .map(|s| s.evidence.into_iter().map(|a| (a.sha256, a.size)).collect())
                .unwrap_or_default()
        }
        kind::DOCUMENT_ISSUED => {
            ciborium::from_reader::<Issued, _>(payload).map(|d| vec![(d.pdf_sha256, d.pdf_size)]).unwrap_or_default()
        }
        _ => Vec::new(),
    };
    let mut out: Vec<BlobRef> = Vec::with_capacity(found.len());
    for (sha256, size) in found {
        if is_sha256_hex(&sha256) && !out.iter().any(|r| r.sha256 == sha256) {
            out.push(BlobRef { sha256, size });
        }
    }
    out
}

/// Whether events of this kind can name blobs (a cheap test before decoding a payload).
pub fn names_blobs(event_kind: &str) -> bool {
    matches!(
        event_kind,
        kind::COMPLAINT_ATTACHMENT_ADDED
            | kind::CHECKLIST_ITEM_SUBMITTED
            | kind::LETTER_FEEDBACK_RECORDED
            | kind::DOCUMENT_ISSUED
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::encoding::to_canonical_cbor;

    #[test]
    fn the_three_kinds_name_their_content_and_nothing_else_does() {
        let sha = "a".repeat(64);
        let attach = to_canonical_cbor(&serde_json::json!({
            "complaint_id": "c1", "sha256": sha, "name": "信.pdf", "media_type": "application/pdf", "size": 12
        }))
        .unwrap();
        assert_eq!(refs_of(kind::COMPLAINT_ATTACHMENT_ADDED, &attach), vec![BlobRef { sha256: sha.clone(), size: 12 }]);
        let other = "b".repeat(64);
        let submitted = to_canonical_cbor(&serde_json::json!({
            "checklist_id": "k", "ord": 1, "date": "2026-01-01", "note": "n",
            "evidence": [{"sha256": sha, "name": "a", "media_type": "x", "size": 12},
                         {"sha256": other, "name": "b", "media_type": "x", "size": 7},
                         {"sha256": "../etc/passwd", "name": "c", "media_type": "x", "size": 1}]
        }))
        .unwrap();
        assert_eq!(refs_of(kind::CHECKLIST_ITEM_SUBMITTED, &submitted).len(), 2, "a malformed hash is left out");
        assert!(refs_of(kind::COMPLAINT_REGISTERED, &attach).is_empty());
        assert!(refs_of(kind::DOCUMENT_ISSUED, b"\xff\x00garbage").is_empty(), "unreadable names nothing");
    }
}
