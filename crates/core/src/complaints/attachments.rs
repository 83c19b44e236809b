//! Attachments (scanned letters, recordings, photos): content-addressed inside the encrypted store.
//!
//! The bytes go into `blobs` keyed by their SHA-256, in the same transaction as the
//! `complaint.attachment_added` event that names the hash, so the log pins every file's content.
//! A scanned letter shows who wrote it, so opening a file is allowed only to the posts that may
//! see the reporter's identity, and each opening is recorded; other posts see only "附件 N（类型）".

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::ops;
use crate::authz::{Action, Actor, ComplaintAct, authorize};
use crate::error::{CoreError, Result};
use crate::events::NewEvent;
use crate::projector::kind;
use crate::store::{Decision, Store};

/// The largest file accepted: a many-page colour scan or an hour of compressed audio.
pub const MAX_ATTACHMENT_BYTES: usize = 20 * 1024 * 1024;

/// File types an office receives, by what the bytes are (not what the name says).
const ACCEPTED: &[(&str, &str)] = &[
    ("application/pdf", "PDF"),
    ("image/jpeg", "JPEG 图片"),
    ("image/png", "PNG 图片"),
    ("image/tiff", "TIFF 扫描件"),
    ("audio/mpeg", "MP3 录音"),
    ("audio/x-wav", "WAV 录音"),
    ("audio/m4a", "M4A 录音"),
    ("audio/amr", "AMR 录音"),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word 文档"),
    ("application/msword", "Word 文档"),
    ("text/plain", "文本"),
];

/// Payload of `complaint.attachment_added`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AttachmentAdded {
    pub complaint_id: String,
    pub sha256: String,
    /// The file's name in old logs; empty since issue #14, when the name is in `sealed_name`.
    pub name: String,
    pub media_type: String,
    pub size: u64,
    /// The file's name sealed to the offices the complaint's identity is sealed to (a name often
    /// says who wrote the letter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed_name: Option<Vec<qingfeng_seal::SealedBox>>,
}

/// Payload of `complaint.attachment_viewed`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AttachmentViewed {
    pub complaint_id: String,
    pub sha256: String,
    pub purpose: String,
}

/// An attachment as a complaint's page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AttachmentView {
    pub sha256: String,
    /// The file's name for posts that may open it; "附件 N" for the others.
    pub name: String,
    pub kind_label: String,
    pub media_type: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: u64,
    pub added_at: String,
    pub added_by: String,
    /// False while the file's content is still on its way from another office (附件传输中): the
    /// event that names it arrived first.
    pub available: bool,
}

/// An opened attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedAttachment {
    pub name: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
}

/// What the bytes are, or why they are refused.
fn sniff(name: &str, bytes: &[u8]) -> Result<(&'static str, &'static str)> {
    if bytes.is_empty() {
        return Err(CoreError::invalid(format!("附件“{name}”是空文件，无法读取，请重新扫描或选择文件。")));
    }
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(CoreError::invalid(format!(
            "附件“{name}”有 {:.1} MB，超过 {} MB 的上限。请压缩或分成几个文件后再添加。",
            bytes.len() as f64 / 1024.0 / 1024.0,
            MAX_ATTACHMENT_BYTES / 1024 / 1024
        )));
    }
    let detected = infer::get(bytes).map(|t| t.mime_type());
    let mime = match detected {
        Some(m) => m,
        // Plain text has no magic number: accept it only if it is valid UTF-8 without control bytes.
        None if std::str::from_utf8(bytes).is_ok_and(|t| !t.chars().any(|c| c.is_control() && !c.is_whitespace())) => {
            "text/plain"
        }
        None => "",
    };
    ACCEPTED.iter().find(|(m, _)| *m == mime).copied().ok_or_else(|| {
        CoreError::invalid(format!(
            "附件“{name}”的内容不是可接受的类型（可接受 PDF、JPEG/PNG/TIFF 图片、MP3/WAV/M4A/AMR 录音、Word 文档或文本）。文件可能已损坏或改了扩展名。"
        ))
    })
}

fn clean_name(name: &str) -> Result<String> {
    // Keep only the last path component: a name is a label, never a path.
    let base = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    if base.is_empty() {
        return Err(CoreError::invalid("请为附件提供文件名。"));
    }
    crate::input::check_line("附件文件名", base)?;
    Ok(base.chars().take(120).collect())
}

/// Attaches a file to a complaint (petitions, or the handling department).
pub fn add(store: &mut Store, actor: &Actor, complaint_id: &str, name: &str, bytes: &[u8]) -> Result<AttachmentView> {
    let name = clean_name(name)?;
    let (media_type, _) = sniff(&name, bytes)?;
    let cur = ops::current(store.conn(), complaint_id)?;
    let office = store.office()?;
    let sha256 = crate::encoding::sha256_hex(bytes);
    let act = ComplaintAct::Attach { department: cur.department };
    store.execute(actor, Action::Complaint { office, act }, |tx, _ctx| {
        ops::current(tx, complaint_id)?;
        let already: bool = tx
            .prepare_cached("SELECT 1 FROM complaint_attachments WHERE complaint_id = ?1 AND sha256 = ?2")?
            .query_row(params![complaint_id, sha256], |_| Ok(true))
            .optional()?
            .unwrap_or(false);
        if already {
            return Err(CoreError::invalid(format!("该检举控告已有内容相同的附件（“{name}”重复添加）。")));
        }
        // The bytes are content, not a projection: stored once per hash and never rebuilt.
        tx.prepare_cached("INSERT OR IGNORE INTO blobs (sha256, size, bytes) VALUES (?1, ?2, ?3)")?
            .execute(params![sha256, bytes.len() as i64, bytes])?;
        let sealed_name = crate::sealing::seal_attachment_name(tx, complaint_id, &sha256, &name)?;
        Ok(Decision::events(vec![NewEvent::new(
            kind::COMPLAINT_ATTACHMENT_ADDED,
            format!("complaint:{complaint_id}"),
            &AttachmentAdded {
                complaint_id: complaint_id.to_owned(),
                sha256: sha256.clone(),
                name: String::new(),
                media_type: media_type.to_owned(),
                size: bytes.len() as u64,
                sealed_name: Some(sealed_name),
            },
        )?]))
    })?;
    list(store, actor, complaint_id)?
        .into_iter()
        .find(|a| a.sha256 == sha256)
        .ok_or_else(|| CoreError::Encoding("attachment vanished after saving".into()))
}

/// A complaint's attachments, names masked for posts that may not see the reporter.
pub fn list(store: &Store, actor: &Actor, complaint_id: &str) -> Result<Vec<AttachmentView>> {
    let office = store.office_code().unwrap_or_default().to_owned();
    let may_open = authorize(actor, &Action::Complaint { office, act: ComplaintAct::ViewIdentity }).is_ok();
    let mut stmt = store.conn().prepare_cached(
        "SELECT a.sha256, a.name, a.media_type, a.size, a.added_at, coalesce(u.display_name, a.added_by),
                EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = a.sha256)
         FROM complaint_attachments a LEFT JOIN users u ON u.id = a.added_by
         WHERE a.complaint_id = ?1 ORDER BY a.added_at, a.sha256",
    )?;
    let rows = stmt.query_map([complaint_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, bool>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for (i, row) in rows.enumerate() {
        let (sha256, name, media_type, size, added_at, added_by, available) = row?;
        let kind_label = ACCEPTED.iter().find(|(m, _)| *m == media_type).map_or("文件", |(_, l)| l).to_owned();
        out.push(AttachmentView {
            // A name sealed only to other offices is empty here; the file is still listed.
            name: if may_open && !name.is_empty() { name } else { format!("附件 {}", i + 1) },
            kind_label,
            sha256,
            media_type,
            size: size as u64,
            added_at: crate::clock::display_stored(&added_at),
            added_by,
            available,
        });
    }
    Ok(out)
}

/// Opens an attachment (petitions or leader), checking its bytes still match their hash, and
/// records the opening.
pub fn open(
    store: &mut Store,
    actor: &Actor,
    complaint_id: &str,
    sha256: &str,
    purpose: &str,
) -> Result<OpenedAttachment> {
    let purpose = purpose.trim();
    if purpose.is_empty() {
        return Err(CoreError::invalid("请填写查看事由（附件可能含有检举人身份信息，查看将留痕）。"));
    }
    let office = store.office()?;
    // A file still on its way is said so before anything is recorded: there is nothing to view.
    let named = store
        .conn()
        .prepare_cached("SELECT name FROM complaint_attachments WHERE complaint_id = ?1 AND sha256 = ?2")?
        .query_row(params![complaint_id, sha256], |r| r.get::<_, String>(0))
        .optional()?
        .ok_or_else(|| CoreError::NotFound { what: "附件", id: sha256.to_owned() })?;
    if !crate::blobs::present(store.conn(), sha256)? {
        return Err(CoreError::invalid(format!(
            "附件“{named}”传输中：记录已从其他单位同步到本机，文件内容还在路上。联网同步后即可打开。"
        )));
    }
    store.execute(actor, Action::Complaint { office, act: ComplaintAct::ViewIdentity }, |_tx, _ctx| {
        Ok(Decision::events(vec![NewEvent::new(
            kind::COMPLAINT_ATTACHMENT_VIEWED,
            format!("complaint:{complaint_id}"),
            &AttachmentViewed {
                complaint_id: complaint_id.to_owned(),
                sha256: sha256.to_owned(),
                purpose: purpose.to_owned(),
            },
        )?]))
    })?;
    let (name, media_type, bytes): (String, String, Vec<u8>) = store
        .conn()
        .query_row(
            "SELECT a.name, a.media_type, b.bytes FROM complaint_attachments a JOIN blobs b ON b.sha256 = a.sha256
             WHERE a.complaint_id = ?1 AND a.sha256 = ?2",
            params![complaint_id, sha256],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?
        .ok_or_else(|| CoreError::NotFound { what: "附件", id: sha256.to_owned() })?;
    if crate::encoding::sha256_hex(&bytes) != sha256 {
        return Err(CoreError::Tampered(format!(
            "附件“{name}”的内容与登记时的哈希不符，文件已被改动。请从备份恢复并报告。"
        )));
    }
    Ok(OpenedAttachment { name, media_type, bytes })
}
