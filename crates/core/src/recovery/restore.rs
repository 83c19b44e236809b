//! Restoring an office's database from a backup, with the recovery code, on a machine whose
//! keyring or disk was lost.
//!
//! Every check runs before anything on the machine changes: the file's format and length, the
//! code (mistyped, or not this backup's), the key block, the MAC over the whole file, the office,
//! and the event log of the restored copy (decrypted into a scratch folder and walked). Then the
//! user is told plainly what the backup holds and what it does not ([`preview`]); a database
//! already on the machine is never replaced without confirmation, and never deleted: it is
//! renamed beside the new one.
//!
//! The restored database becomes a **new device** of the office. The lost machine may have gone
//! on working, and even synced, after the backup was made; continuing its chain here could give
//! the hub two different events with the same number (an equivocation). So the old device's
//! chain stays in the log exactly as backed up, and new work starts a chain of its own.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use rusqlite::{OpenFlags, OptionalExtension, params};
use serde::Serialize;
use zeroize::Zeroizing;

use super::backup::{self, BackupHeader, BackupKeys, KEY_CONTEXT, Layout, MacReader, Progress, Scratch, Stage};
use super::code::RecoveryCode;
use super::seal::{self, OpenError};
use super::{Restored, create_private, kind, sync_dir};
use crate::authz::{Action, Actor, RecoveryAct};
use crate::error::{CoreError, Result};
use crate::events::NewEvent;
use crate::files::with_suffix;
use crate::keys::{DbKey, KeySource};
use crate::store::{Decision, Store};

const CHUNK: usize = 256 * 1024;

pub(crate) fn truncated(path: &Path) -> CoreError {
    CoreError::Recovery {
        code: "backup_truncated",
        message: format!(
            "备份文件 {} 不完整（文件被截断，可能是复制时中断或U盘被提前拔出）。请换一份备份文件；本机没有任何改动。",
            path.display()
        ),
    }
}

pub(crate) fn tampered(path: &Path) -> CoreError {
    CoreError::Recovery {
        code: "backup_tampered",
        message: format!(
            "备份文件 {} 已损坏或被改动（校验不符），不能用于恢复。请换一份备份文件；本机没有任何改动。",
            path.display()
        ),
    }
}

/// A backup's readable part, checked for length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupInfo {
    pub path: String,
    pub header: BackupHeader,
    pub file_len: u64,
}

fn open_file(path: &Path) -> Result<std::fs::File> {
    std::fs::File::open(path).map_err(|_| CoreError::Recovery {
        code: "backup_missing",
        message: format!("找不到备份文件 {}，或没有权限读取。请确认文件位置（U盘是否插好）。", path.display()),
    })
}

/// Reads a backup's header and checks that the file has exactly the length it announces.
/// Needs no code: it is what lets a screen list backups and say whose they are.
pub fn inspect(path: &Path) -> Result<BackupInfo> {
    let file = open_file(path)?;
    let file_len = file.metadata()?.len();
    let layout = backup::read_layout(&mut BufReader::new(file), path)?;
    let expected = backup::expected_len(&layout);
    if file_len < expected {
        return Err(truncated(path));
    }
    if file_len > expected {
        return Err(tampered(path));
    }
    Ok(BackupInfo { path: path.display().to_string(), header: layout.header, file_len })
}

/// A backup whose key is in hand.
pub(crate) struct OpenedBackup {
    pub path: PathBuf,
    pub layout: Layout,
    pub backup_key: Zeroizing<[u8; 32]>,
    pub secrets: BTreeMap<String, String>,
}

impl Drop for OpenedBackup {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        for v in self.secrets.values_mut() {
            v.zeroize();
        }
    }
}

impl OpenedBackup {
    pub(crate) fn header(&self) -> &BackupHeader {
        &self.layout.header
    }
}

fn read_checked_layout(path: &Path) -> Result<Layout> {
    let info = inspect(path)?;
    let layout = backup::read_layout(&mut BufReader::new(open_file(path)?), path)?;
    if layout.header != info.header {
        return Err(tampered(path));
    }
    Ok(layout)
}

/// Opens a backup with the office's recovery code.
pub(crate) fn open_with_code(path: &Path, code: &RecoveryCode) -> Result<OpenedBackup> {
    let layout = read_checked_layout(path)?;
    let h = &layout.header;
    let whose = format!("这份备份（{}，{} 备份）", h.office_name, display_ms(h.created_at_ms));
    let pair = super::envelope::check_code(code, &h.key_id, &[], &whose)?;
    let plain = seal::open(&pair, &layout.key_block, KEY_CONTEXT, &layout.header_bytes).map_err(|e| match e {
        OpenError::OtherKey | OpenError::Damaged => tampered(path),
    })?;
    let keys: BackupKeys = crate::encoding::from_cbor(&plain).map_err(|_| tampered(path))?;
    Ok(OpenedBackup {
        path: path.to_path_buf(),
        layout,
        backup_key: Zeroizing::new(keys.backup_key),
        secrets: keys.secrets.clone(),
    })
}

/// Opens a backup just written, with the key its writer still holds (the verification step).
pub(crate) fn open_with_backup_key(path: &Path, expected: &BackupHeader, key: &[u8; 32]) -> Result<OpenedBackup> {
    let layout = read_checked_layout(path)?;
    if &layout.header != expected {
        return Err(tampered(path));
    }
    Ok(OpenedBackup { path: path.to_path_buf(), layout, backup_key: Zeroizing::new(*key), secrets: BTreeMap::new() })
}

/// Copies the encrypted database out of the backup into `target` (0600), checking the MAC over
/// the whole file on the way; on a mismatch the copy is removed and the backup refused.
pub(crate) fn extract_body(opened: &OpenedBackup, target: &Path, mut progress: impl FnMut(u64, u64)) -> Result<()> {
    let path = &opened.path;
    let mut input = MacReader::new(BufReader::with_capacity(CHUNK, open_file(path)?), &opened.backup_key);
    let layout = backup::read_layout(&mut input, path)?;
    if layout.header_bytes != opened.layout.header_bytes {
        return Err(tampered(path));
    }
    let total = layout.header.body_len;
    let result = (|| -> Result<()> {
        let mut out = BufWriter::with_capacity(CHUNK, create_private(target)?);
        let mut left = total;
        let mut buf = vec![0u8; CHUNK];
        while left > 0 {
            let want = left.min(CHUNK as u64) as usize;
            input.read_exact(&mut buf[..want]).map_err(|e| match e.kind() {
                std::io::ErrorKind::UnexpectedEof => truncated(path),
                _ => CoreError::Io(e),
            })?;
            out.write_all(&buf[..want])?;
            left -= want as u64;
            progress(total - left, total);
        }
        out.into_inner().map_err(|e| CoreError::Io(e.into_error()))?.sync_all()?;
        input.finish(path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(target);
    }
    result
}

fn backup_db_key(opened: &OpenedBackup) -> Result<DbKey> {
    DbKey::from_hex(&hex::encode(opened.backup_key.as_ref()))
}

/// Opens an extracted copy and walks its event log; returns how many events it holds.
pub(crate) fn verify_snapshot(snapshot: &Path, opened: &OpenedBackup) -> Result<u64> {
    let path = &opened.path;
    let conn =
        backup::open_raw(snapshot, &backup_db_key(opened)?, OpenFlags::SQLITE_OPEN_READ_ONLY, || tampered(path))?;
    let office: Option<String> =
        conn.query_row("SELECT value FROM meta WHERE key = 'office_code'", [], |r| r.get(0)).optional()?;
    if office.as_deref() != Some(opened.header().office_code.as_str()) {
        return Err(tampered(path));
    }
    let report = crate::events::verify(&conn, &opened.header().device_id)?;
    if let Some(p) = report.problem {
        return Err(CoreError::Recovery {
            code: "backup_log_broken",
            message: format!(
                "备份 {} 中的事件日志校验失败（设备 {} 序号 {}：{}），不能用于恢复。请换一份备份文件。",
                path.display(),
                p.origin_device,
                p.seq,
                p.reason
            ),
        });
    }
    Ok(report.events)
}

fn display_ms(ms: i64) -> String {
    crate::clock::display_time(chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default())
}

/// The database already at the restore's target, as far as it can be seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExistingDb {
    /// `none` (no file), `empty` (never set up), `openable`, or `unopenable` (key lost or damaged).
    pub state: String,
    pub office_code: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub events: u64,
    /// Events in it that the backup does not hold.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub newer_events: u64,
    /// When its newest event was made (display text).
    pub last_event_at: Option<String>,
}

/// What a restore would do, in plain words, before it does anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RestorePreview {
    pub office_code: String,
    pub office_name: String,
    /// When the backup was made (display text).
    pub backup_created_at: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub backup_events: u64,
    /// The old device's events that the hub had not receipted when the backup was made.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub unsent_at_backup: u64,
    pub existing: ExistingDb,
    /// Whether the user must confirm (a database is already there).
    pub needs_confirmation: bool,
    /// The sentences to show before the restore, in Chinese.
    pub notes: Vec<String>,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RestoreReport {
    pub office_code: String,
    pub office_name: String,
    pub db: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub events: u64,
    pub device_id: String,
    pub previous_device: String,
    /// Where the database that was there before now is.
    pub moved_aside: Option<String>,
    pub key_store: String,
}

/// A restore from a backup file.
#[derive(Debug)]
pub struct RestoreRequest<'a> {
    pub backup: &'a Path,
    pub code: &'a RecoveryCode,
    /// The database to restore to.
    pub db: &'a Path,
    pub keys: &'a KeySource,
    /// The office being restored, when known (`--office`); a backup of another office is refused.
    pub office: Option<&'a str>,
    /// The user has read the preview and confirmed replacing the database that is there.
    pub confirmed: bool,
}

/// Chain heads (`device -> (head seq, events)`) of a database.
fn heads(conn: &rusqlite::Connection) -> Result<HashMap<String, u64>> {
    let mut stmt = conn.prepare("SELECT origin_device, max(seq) FROM events GROUP BY origin_device")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn examine_existing(db: &Path, keys: &KeySource, backup_heads: &HashMap<String, u64>) -> Result<ExistingDb> {
    let mut existing =
        ExistingDb { state: "none".into(), office_code: None, events: 0, newer_events: 0, last_event_at: None };
    if !db.exists() {
        return Ok(existing);
    }
    // Read-write although only read: a read-only connection to a WAL database leaves an empty
    // `-wal` file behind, and looking must leave the machine exactly as it was.
    let opened = keys.load(db).ok().and_then(|key| {
        backup::open_raw(db, &key, OpenFlags::SQLITE_OPEN_READ_WRITE, || CoreError::WrongKeyOrCorrupt {
            path: db.display().to_string(),
        })
        .ok()
    });
    let Some(conn) = opened else {
        existing.state = "unopenable".into();
        return Ok(existing);
    };
    let facts = (|| -> Result<()> {
        existing.office_code =
            conn.query_row("SELECT value FROM meta WHERE key = 'office_code'", [], |r| r.get(0)).optional()?;
        existing.events = conn.query_row("SELECT count(*) FROM events", [], |r| r.get::<_, i64>(0))? as u64;
        let last: Option<i64> = conn.query_row("SELECT max(hlc) FROM events", [], |r| r.get(0))?;
        existing.last_event_at = last.map(|hlc| display_ms(hlc >> 16));
        for (device, head) in heads(&conn)? {
            existing.newer_events += head.saturating_sub(backup_heads.get(&device).copied().unwrap_or(0));
        }
        Ok(())
    })();
    existing.state = match (facts, &existing.office_code) {
        (Err(_), _) => "unopenable".into(),
        (Ok(()), None) => "empty".into(),
        (Ok(()), Some(_)) => "openable".into(),
    };
    Ok(existing)
}

/// Checks everything and extracts the backup into `scratch`; returns the opened backup, the
/// verified snapshot and the preview.
fn prepare(
    req: &RestoreRequest<'_>,
    scratch: &Scratch,
    progress: &mut impl FnMut(Progress),
) -> Result<(OpenedBackup, PathBuf, RestorePreview)> {
    let opened = open_with_code(req.backup, req.code)?;
    let h = opened.header().clone();
    let other_office = |code: &str| CoreError::Recovery {
        code: "backup_other_office",
        message: format!(
            "这份备份属于另一个机关（{}，代码 {}），不是本机关（代码 {code}）的备份，不能恢复到本机。请选择本机关的备份文件。",
            h.office_name, h.office_code
        ),
    };
    if let Some(office) = req.office
        && office.trim() != h.office_code
    {
        return Err(other_office(office.trim()));
    }
    let snapshot = scratch.file("restore.db");
    extract_body(&opened, &snapshot, |done, total| progress(Progress::new(Stage::Check, done, total)))?;
    progress(Progress::new(Stage::Verify, 0, 1));
    verify_snapshot(&snapshot, &opened)?;
    progress(Progress::new(Stage::Verify, 1, 1));
    let conn = backup::open_raw(&snapshot, &backup_db_key(&opened)?, OpenFlags::SQLITE_OPEN_READ_ONLY, || {
        tampered(req.backup)
    })?;
    let backup_heads = heads(&conn)?;
    let acked: u64 = conn
        .query_row("SELECT value FROM sync_state WHERE key = 'acked_seq'", [], |r| r.get::<_, Vec<u8>>(0))
        .optional()?
        .and_then(|v| String::from_utf8_lossy(&v).parse().ok())
        .unwrap_or(0);
    drop(conn);
    let unsent = backup_heads.get(&h.device_id).copied().unwrap_or(0).saturating_sub(acked);
    let db = std::path::absolute(req.db)?;
    let existing = examine_existing(&db, req.keys, &backup_heads)?;
    if let Some(code) = &existing.office_code
        && existing.state == "openable"
        && code != &h.office_code
    {
        return Err(other_office(code));
    }
    let when = display_ms(h.created_at_ms);
    let mut notes = vec![
        format!(
            "这份备份是{}（{}）于 {when} 所做，包含 {} 个事件，已校验完好。",
            h.office_name, h.office_code, h.events
        ),
        format!(
            "备份之后原电脑上所做的工作不在这份备份中：其中已同步到省级平台的部分，可在本机重新登记到省级平台并同步后取回；{when} 之后既未同步也未备份的工作无法恢复。"
        ),
    ];
    if unsent > 0 {
        notes.push(format!(
            "备份时原电脑还有 {unsent} 个事件尚未报送省级平台；它们在恢复后的数据库中，本机重新登记到省级平台后，下次同步时以原电脑的名义补报（原电脑的证书被吊销前）。"
        ));
    }
    match existing.state.as_str() {
        "openable" if existing.newer_events > 0 => notes.push(format!(
            "注意：本机现有数据库中有 {} 个事件比这份备份新（最近一条记录于 {}）。恢复后这些记录不在新数据库中；原数据库不会删除，将改名保存在同一文件夹。",
            existing.newer_events,
            existing.last_event_at.as_deref().unwrap_or("未知时间")
        )),
        "openable" => notes.push(
            "本机现有数据库中的记录都已包含在这份备份中。原数据库不会删除，将改名保存在同一文件夹。".into(),
        ),
        "unopenable" => notes.push(
            "本机现有数据库文件无法打开（密钥丢失或文件损坏），无法判断其中是否有比备份更新的记录。若只是钥匙串丢失，应改用“用恢复码解锁”找回全部记录。原文件不会删除，将改名保存在同一文件夹。"
                .into(),
        ),
        _ => {}
    }
    notes.push("恢复后本机作为本机关的一台新设备使用，原设备的记录原样保留；需要重新登记到省级平台后才能同步。".into());
    let needs_confirmation = matches!(existing.state.as_str(), "openable" | "unopenable");
    let preview = RestorePreview {
        office_code: h.office_code.clone(),
        office_name: h.office_name.clone(),
        backup_created_at: when,
        backup_events: h.events,
        unsent_at_backup: unsent,
        existing,
        needs_confirmation,
        notes,
    };
    Ok((opened, snapshot, preview))
}

/// Checks a backup against the code and the machine and says what restoring it would do.
/// Changes nothing.
pub fn preview(req: &RestoreRequest<'_>, mut progress: impl FnMut(Progress)) -> Result<RestorePreview> {
    let db = std::path::absolute(req.db)?;
    let scratch = Scratch::beside(&db)?;
    Ok(prepare(req, &scratch, &mut progress)?.2)
}

/// Restores the backup into `req.db`, as a new device of the office. Refused, with the preview's
/// sentences, when a database is already there and `req.confirmed` is not set.
pub fn restore(req: &RestoreRequest<'_>, mut progress: impl FnMut(Progress)) -> Result<RestoreReport> {
    let db = std::path::absolute(req.db)?;
    if let Some(parent) = db.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let scratch = Scratch::beside(&db)?;
    let (opened, snapshot, preview) = prepare(req, &scratch, &mut progress)?;
    if preview.needs_confirmation && !req.confirmed {
        return Err(CoreError::Recovery {
            code: "restore_needs_confirmation",
            message: format!(
                "本机已有数据库 {}，恢复前需要您确认：{} 确认无误后请再次恢复并选择“确认恢复”（命令行加 --replace-existing）。本机没有任何改动。",
                db.display(),
                preview.notes.join("")
            ),
        });
    }
    let h = opened.header().clone();

    // The key: the one the key store already has for this path (so a database renamed aside
    // still opens with it), or a new one.
    let (key, new_key) = match req.keys.load(&db) {
        Ok(k) => (k, false),
        Err(CoreError::KeyMissing { .. }) => (DbKey::generate(), true),
        Err(other) => return Err(other),
    };
    progress(Progress::new(Stage::Decrypt, 0, 1));
    let staging = scratch.file("restored.db");
    {
        let conn = backup::open_raw(&snapshot, &backup_db_key(&opened)?, OpenFlags::SQLITE_OPEN_READ_WRITE, || {
            tampered(req.backup)
        })?;
        backup::export(&conn, &staging, &key)?;
    }
    let device_id = uuid::Uuid::now_v7().to_string();
    {
        let conn = backup::open_raw(&staging, &key, OpenFlags::SQLITE_OPEN_READ_WRITE, || tampered(req.backup))?;
        become_new_device(&conn, &device_id, &h.device_id)?;
    }
    progress(Progress::new(Stage::Decrypt, 1, 1));

    progress(Progress::new(Stage::Install, 0, 1));
    if new_key {
        req.keys.install_key(&db, &key)?;
    }
    let moved_aside = move_aside(&db, &preview.existing)?;
    std::fs::rename(&staging, &db)?;
    if let Some(dir) = db.parent() {
        sync_dir(dir);
    }
    let mut store = Store::open_with_key(&db, &key, false)?;
    let office = store.office()?;
    let payload = Restored {
        source: "backup".into(),
        backup_id: Some(h.backup_id.clone()),
        backup_created_at_ms: Some(h.created_at_ms),
        previous_device: Some(h.device_id.clone()),
        events: h.events,
    };
    store.execute(
        &Actor::System,
        Action::Recovery { office: office.clone(), act: RecoveryAct::Restore },
        |_tx, _ctx| Ok(Decision::events(vec![NewEvent::new(kind::RESTORED, format!("office:{office}"), &payload)?])),
    )?;
    // The replaced device's key, to send its unsent events under its own signature; carried in
    // the key envelope too, so an unlock later keeps it.
    let mut carried = BTreeMap::new();
    if let Some(signing) = opened.secrets.get("signing") {
        req.keys.install_secret(&db, super::previous::SIGNING_SECRET, signing)?;
        carried.insert(super::previous::SIGNING_SECRET.to_owned(), signing.clone());
    }
    if let Some(current) = super::current_key(store.conn())? {
        super::envelope::stage_with(&store, &key, carried, &current.public, None)?.commit()?;
    }
    let report = store.verify()?;
    if let Some(p) = report.problem {
        return Err(CoreError::Tampered(format!("设备 {} 序号 {}：{}", p.origin_device, p.seq, p.reason)));
    }
    progress(Progress::new(Stage::Install, 1, 1));
    Ok(RestoreReport {
        office_code: h.office_code.clone(),
        office_name: h.office_name.clone(),
        db: db.display().to_string(),
        events: report.events,
        device_id,
        previous_device: h.device_id.clone(),
        moved_aside: moved_aside.map(|p| p.display().to_string()),
        key_store: req.keys.describe(),
    })
}

/// Gives a restored copy a new device identity: the old device's chain stays as it was; its
/// enrollment, receipts and feed position were the old device's, so they go (the hub's pinned
/// key and address stay, and the whole feed is read again from the start, which brings back
/// what the old device synced after the backup). The old device and what the hub had receipted
/// of it are kept for sending its unsent events.
pub(crate) fn become_new_device(conn: &rusqlite::Connection, device_id: &str, previous: &str) -> Result<()> {
    let acked_seq: Option<Vec<u8>> =
        conn.query_row("SELECT value FROM sync_state WHERE key = 'acked_seq'", [], |r| r.get(0)).optional()?;
    let acked_hash: Option<Vec<u8>> =
        conn.query_row("SELECT value FROM sync_state WHERE key = 'acked_hash'", [], |r| r.get(0)).optional()?;
    let previous_json = serde_json::json!({
        "device_id": previous,
        "acked_seq": acked_seq.and_then(|v| String::from_utf8_lossy(&v).parse::<u64>().ok()).unwrap_or(0),
        "acked_hash": acked_hash.map(hex::encode),
    });
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let result = (|| -> Result<()> {
        conn.execute("UPDATE meta SET value = ?1 WHERE key = 'device_id'", [device_id])?;
        conn.execute(
            "DELETE FROM sync_state WHERE key IN ('certificate', 'acked_seq', 'acked_hash', 'feed_cursor',
                'last_success', 'last_error', 'last_attempt')",
            [],
        )?;
        conn.execute("DELETE FROM sync_receipts", [])?;
        conn.execute(
            "INSERT INTO sync_state (key, value) VALUES ('previous_device', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![previous_json.to_string().into_bytes()],
        )?;
        conn.execute("DELETE FROM backup_state WHERE key IN ('last_error', 'last_attempt')", [])?;
        Ok(())
    })();
    match result {
        Ok(()) => conn.execute_batch("COMMIT")?,
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(e);
        }
    }
    Ok(())
}

/// Renames a database that is in the way (with its WAL, shared memory and key envelope) to
/// `<db>.before-restore-<time>`; an empty, never set-up database is simply removed.
pub(crate) fn move_aside(db: &Path, existing: &ExistingDb) -> Result<Option<PathBuf>> {
    if existing.state == "none" {
        return Ok(None);
    }
    let suffixes = ["", "-wal", "-shm", ".recovery"];
    if existing.state == "empty" {
        for s in suffixes {
            let _ = std::fs::remove_file(with_suffix(db, s));
        }
        return Ok(None);
    }
    let stamp = chrono::Utc::now().with_timezone(&crate::clock::business_zone()).format("%Y%m%d-%H%M%S");
    let aside = with_suffix(db, &format!(".before-restore-{stamp}"));
    for s in suffixes {
        let from = with_suffix(db, s);
        if from.exists() {
            std::fs::rename(&from, with_suffix(&aside, s))?;
        }
    }
    Ok(Some(aside))
}
