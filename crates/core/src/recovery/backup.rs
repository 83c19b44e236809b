//! Encrypted backups of the office's database, to a folder or a USB drive: written, verified by
//! restoring into a scratch copy and walking the event log, then rotated.
//!
//! A backup file (`清风备份-<office>-<date>-<time>.qfbak`, mode 0600):
//!
//! ```text
//! "QFBACKUP" | version (1 byte) | u32 length | header (canonical CBOR, readable)
//!            | u32 length | key block (CBOR `Sealed`: the backup key and the device's
//!              signing key, sealed to the office's recovery key, the header as associated data)
//!            | body: the database exported with `sqlcipher_export` under the backup key
//!            | HMAC-SHA256 over every byte before it (key derived from the backup key)
//! ```
//!
//! The copy is taken with `sqlcipher_export` from a read transaction on its own connection, so
//! it is one consistent snapshot even while officers keep working, and it is never a copy of a
//! live file. The body is SQLCipher-encrypted under a random key used once; only the recovery
//! code opens that key, and the program never holds the code. The header names the office, and
//! both the key block and the MAC cover it, so a file cannot be passed off as another office's.
//! The MAC is checked before any byte of the body is used, so a truncated or altered file is
//! refused as such.

use std::collections::BTreeMap;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use rand::RngCore;
use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::seal::{self, RecoveryPublicKey, Sealed};
use super::{BackupCreated, create_private, kind, state_set, sync_dir};
use crate::authz::{Action, Actor, RecoveryAct};
use crate::error::{CoreError, Result};
use crate::events::NewEvent;
use crate::keys::{DbKey, KeySource};
use crate::store::{Decision, Store};

/// Backup files end in this.
pub const EXTENSION: &str = "qfbak";
const MAGIC: &[u8; 8] = b"QFBACKUP";
const VERSION: u8 = 1;
pub(crate) const KEY_CONTEXT: &str = "qingfeng/backup-key/v1";
const MAC_INFO: &[u8] = b"qingfeng/backup-mac/v1";
const MAC_LEN: usize = 32;
/// Headers and key blocks are a few hundred bytes; anything larger is not a backup.
const MAX_PART: u32 = 64 * 1024;
const CHUNK: usize = 256 * 1024;

type HmacSha256 = Hmac<Sha256>;

/// A backup's readable header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BackupHeader {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub format: u32,
    pub backup_id: String,
    pub office_code: String,
    pub office_name: String,
    /// The device whose database this is.
    pub device_id: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub created_at_ms: i64,
    /// The recovery key the backup key is sealed to.
    pub key_id: String,
    /// Events in the backup.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub events: u64,
    /// Bytes of the encrypted database.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub body_len: u64,
}

/// What the key block seals.
#[derive(Serialize, Deserialize)]
pub(crate) struct BackupKeys {
    #[serde(with = "qingfeng_seal::serde_bytes::array32")]
    pub backup_key: [u8; 32],
    /// The device's secrets beside its database key (its signing key), so a restore can still
    /// send the old device's unsent events.
    pub secrets: BTreeMap<String, String>,
}

impl Drop for BackupKeys {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.backup_key.zeroize();
        for v in self.secrets.values_mut() {
            v.zeroize();
        }
    }
}

/// The stage a long backup or restore is in, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Stage {
    /// Copying the database into an encrypted snapshot.
    Export,
    /// Writing the backup file.
    Write,
    /// Reading the file back, restoring it into a scratch copy and walking the event log.
    Verify,
    /// Checking a backup's integrity before a restore.
    Check,
    /// Decrypting a backup into the new database.
    Decrypt,
    /// Downloading the office's log from the hub.
    Download,
    /// Putting the restored database in place.
    Install,
}

impl Stage {
    /// What the progress bar says.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Export => "正在导出数据库快照",
            Stage::Write => "正在写入备份文件",
            Stage::Verify => "正在校验备份（试恢复并核对事件日志）",
            Stage::Check => "正在检查备份文件是否完整",
            Stage::Decrypt => "正在解密并恢复数据库",
            Stage::Download => "正在从省级平台下载本机关记录",
            Stage::Install => "正在启用恢复后的数据库",
        }
    }
}

/// Progress of a backup or a restore.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Progress {
    pub stage: Stage,
    /// What the progress bar says (the stage's label).
    pub label: &'static str,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub done: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total: u64,
}

impl Progress {
    pub fn new(stage: Stage, done: u64, total: u64) -> Self {
        Progress { stage, label: stage.label(), done, total }
    }
}

/// What one backup did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BackupReport {
    pub file: String,
    pub backup_id: String,
    pub office_code: String,
    pub created_at: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub events: u64,
    /// Older backups removed from the folder (beyond the number to keep, or sealed to a replaced
    /// recovery code).
    pub removed: Vec<String>,
}

fn backup_error(code: &'static str, message: String) -> CoreError {
    CoreError::Recovery { code, message }
}

/// Checks that `dir` is a folder this program can write to.
pub fn check_dir(dir: &Path) -> Result<()> {
    let meta = std::fs::metadata(dir).map_err(|_| {
        backup_error(
            "backup_dir_missing",
            format!(
                "备份位置 {} 不存在或无法访问。若备份到U盘，请先插好U盘；否则请重新选择备份文件夹。",
                dir.display()
            ),
        )
    })?;
    if !meta.is_dir() {
        return Err(backup_error(
            "backup_dir_missing",
            format!("备份位置 {} 不是文件夹，请选择一个文件夹。", dir.display()),
        ));
    }
    let probe = dir.join(format!(".qingfeng-probe-{}", uuid::Uuid::now_v7()));
    match create_private(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) => Err(backup_error(
            "backup_dir_unwritable",
            format!(
                "无法在备份位置 {} 写入文件（{e}）。请检查U盘是否写保护、空间是否已满，或换一个文件夹。",
                dir.display()
            ),
        )),
    }
}

/// A scratch folder beside the database (so nothing leaves the machine's disk unencrypted and
/// renames stay on one file system), removed with everything in it when dropped.
#[derive(Debug)]
pub(crate) struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    pub(crate) fn beside(path: &Path) -> Result<Scratch> {
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let dir = parent.join(format!(".qingfeng-scratch-{}", uuid::Uuid::now_v7()));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(&dir)?;
        Ok(Scratch { dir })
    }

    pub(crate) fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A raw SQLCipher connection to `path` under `key` (no migrations, no store), for exports and
/// checks of snapshots. A wrong key or a file that is no database is reported as `what`.
pub(crate) fn open_raw(path: &Path, key: &DbKey, flags: OpenFlags, what: impl Fn() -> CoreError) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.execute_batch(&format!("PRAGMA key = \"{}\";", key.pragma_value().as_str()))?;
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)).map_err(|e| {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) | Some(rusqlite::ErrorCode::DatabaseCorrupt) => what(),
            _ => CoreError::Sqlite(e),
        }
    })?;
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    Ok(conn)
}

/// Exports the database open on `conn` into a new SQLCipher file at `target` under `key`, in one
/// read transaction, and returns how many events the copy holds.
pub(crate) fn export(conn: &Connection, target: &Path, key: &DbKey) -> Result<u64> {
    // Made empty and private first: the copy is never readable by others, and the connection
    // (opened without the create flag, as a store is) can attach an existing file.
    drop(create_private(target)?);
    conn.execute(
        "ATTACH DATABASE ?1 AS qf_export KEY ?2",
        rusqlite::params![target.to_string_lossy(), key.pragma_value().as_str()],
    )?;
    let result = (|| -> Result<u64> {
        conn.execute_batch("BEGIN")?;
        let inner = (|| -> Result<u64> {
            let events: i64 = conn.query_row("SELECT count(*) FROM main.events", [], |r| r.get(0))?;
            conn.query_row("SELECT sqlcipher_export('qf_export')", [], |_| Ok(()))?;
            Ok(events as u64)
        })();
        match inner {
            Ok(n) => {
                conn.execute_batch("COMMIT")?;
                Ok(n)
            }
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    })();
    let detached = conn.execute_batch("DETACH DATABASE qf_export");
    let events = result?;
    detached?;
    Ok(events)
}

fn mac_key(backup_key: &[u8; 32]) -> Zeroizing<[u8; 32]> {
    let hk = Hkdf::<Sha256>::new(None, backup_key);
    let mut key = Zeroizing::new([0u8; 32]);
    if hk.expand(MAC_INFO, key.as_mut()).is_err() {
        unreachable!("HKDF-SHA256 expands 32 bytes");
    }
    key
}

fn new_mac(backup_key: &[u8; 32]) -> HmacSha256 {
    match <HmacSha256 as Mac>::new_from_slice(mac_key(backup_key).as_ref()) {
        Ok(m) => m,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    }
}

/// Everything a backup needs from the store, taken while holding it for a moment, so the
/// long part ([`BackupJob::write`]) runs without it and officers keep working.
#[derive(Debug)]
pub struct BackupJob {
    db: PathBuf,
    db_key: DbKey,
    office_code: String,
    office_name: String,
    device_id: String,
    recipient: RecoveryPublicKey,
    secrets: BTreeMap<String, String>,
    dir: PathBuf,
    keep: u32,
    now_ms: i64,
}

impl Drop for BackupJob {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        for v in self.secrets.values_mut() {
            v.zeroize();
        }
    }
}

/// A written and verified backup, not yet recorded in the log.
#[derive(Debug, Clone)]
pub struct WrittenBackup {
    pub path: PathBuf,
    pub header: BackupHeader,
    pub bytes: u64,
    keep: u32,
}

/// Prepares a backup of `store` to `dir` (or this machine's backup folder). Refuses when the
/// office has no recovery code: a backup nobody could open is worse than none, because it
/// looks like safety.
pub fn prepare(store: &Store, keys: &KeySource, dir: Option<&Path>) -> Result<BackupJob> {
    let office_code = store.office()?;
    let Some(current) = super::current_key(store.conn())? else {
        return Err(backup_error(
            "recovery_key_missing",
            "本机关还没有恢复码，不能备份：备份用恢复码加密，没有恢复码的备份谁也打不开。请管理员先在“备份与恢复”中生成恢复码。".into(),
        ));
    };
    let dir = match dir {
        Some(d) => d.to_path_buf(),
        None => {
            super::state_get(store.conn(), "dir")?.filter(|d| !d.is_empty()).map(PathBuf::from).ok_or_else(|| {
                backup_error(
                    "backup_dir_unset",
                    "还没有选择备份位置。请在“备份与恢复”中选择备份文件夹（可以是U盘）。".into(),
                )
            })?
        }
    };
    let mut secrets = BTreeMap::new();
    for name in super::envelope::CARRIED_SECRETS {
        if let Some(v) = keys.load_secret(store.path(), name)? {
            secrets.insert((*name).to_owned(), v.to_string());
        }
    }
    Ok(BackupJob {
        db: store.path().to_path_buf(),
        db_key: keys.load(store.path())?,
        office_code,
        office_name: crate::accounts::home_office(store)?.map(|o| o.name).unwrap_or_default(),
        device_id: store.device_id().to_owned(),
        recipient: current.public,
        secrets,
        dir,
        keep: crate::settings::get(store.conn(), super::setting::KEEP)?,
        now_ms: store.clock().now().timestamp_millis(),
    })
}

fn file_name(office: &str, at_ms: i64, n: u32) -> String {
    let t = chrono::DateTime::from_timestamp_millis(at_ms)
        .unwrap_or_default()
        .with_timezone(&crate::clock::business_zone());
    let suffix = if n == 0 { String::new() } else { format!("-{}", n + 1) };
    format!("清风备份-{office}-{}{suffix}.{EXTENSION}", t.format("%Y%m%d-%H%M%S"))
}

impl BackupJob {
    /// The folder the backup goes to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Exports, writes, and verifies the backup. The file appears under its final name only
    /// once verified; until then it is `….part`, removed on failure.
    pub fn write(&self, mut progress: impl FnMut(Progress)) -> Result<WrittenBackup> {
        check_dir(&self.dir)?;
        progress(Progress::new(Stage::Export, 0, 1));
        let scratch = Scratch::beside(&self.db)?;
        let snapshot = scratch.file("snapshot.db");
        let mut backup_key = Zeroizing::new([0u8; 32]);
        rand::rngs::OsRng.fill_bytes(backup_key.as_mut());
        let snapshot_key = DbKey::from_hex(&hex::encode(backup_key.as_ref()))?;
        let events = {
            let conn = open_raw(&self.db, &self.db_key, OpenFlags::SQLITE_OPEN_READ_WRITE, || {
                CoreError::WrongKeyOrCorrupt { path: self.db.display().to_string() }
            })?;
            export(&conn, &snapshot, &snapshot_key)?
        };
        progress(Progress::new(Stage::Export, 1, 1));

        let body_len = std::fs::metadata(&snapshot)?.len();
        let header = BackupHeader {
            format: 1,
            backup_id: uuid::Uuid::now_v7().to_string(),
            office_code: self.office_code.clone(),
            office_name: self.office_name.clone(),
            device_id: self.device_id.clone(),
            created_at_ms: self.now_ms,
            key_id: self.recipient.key_id(),
            events,
            body_len,
        };
        let header_bytes = crate::encoding::to_canonical_cbor(&header)?;
        let keys = BackupKeys { backup_key: *backup_key, secrets: self.secrets.clone() };
        let plain = Zeroizing::new(crate::encoding::to_canonical_cbor(&keys)?);
        let key_block =
            crate::encoding::to_canonical_cbor(&seal::seal(&self.recipient, KEY_CONTEXT, &header_bytes, &plain)?)?;

        let (part, final_path) = (0u32..1000)
            .map(|n| {
                let name = file_name(&self.office_code, self.now_ms, n);
                (self.dir.join(format!("{name}.part")), self.dir.join(name))
            })
            .find(|(part, path)| !part.exists() && !path.exists())
            .ok_or_else(|| backup_error("backup_write_failed", "备份文件夹中同名文件过多，请清理后重试。".into()))?;
        let cleanup = PartFile(part.clone());
        let file = create_private(&part)
            .map_err(|e| backup_error("backup_write_failed", format!("无法在备份位置写入文件：{e}")))?;
        let mut out = BufWriter::with_capacity(CHUNK, file);
        let mut mac = new_mac(&backup_key);
        let put = |out: &mut BufWriter<std::fs::File>, mac: &mut HmacSha256, bytes: &[u8]| -> Result<()> {
            mac.update(bytes);
            out.write_all(bytes).map_err(|e| write_failed(&self.dir, e))
        };
        put(&mut out, &mut mac, MAGIC)?;
        put(&mut out, &mut mac, &[VERSION])?;
        put(&mut out, &mut mac, &(header_bytes.len() as u32).to_be_bytes())?;
        put(&mut out, &mut mac, &header_bytes)?;
        put(&mut out, &mut mac, &(key_block.len() as u32).to_be_bytes())?;
        put(&mut out, &mut mac, &key_block)?;
        let mut body = BufReader::with_capacity(CHUNK, std::fs::File::open(&snapshot)?);
        let mut buf = vec![0u8; CHUNK];
        let mut done = 0u64;
        loop {
            let n = body.read(&mut buf)?;
            if n == 0 {
                break;
            }
            put(&mut out, &mut mac, &buf[..n])?;
            done += n as u64;
            progress(Progress::new(Stage::Write, done, body_len));
        }
        if done != body_len {
            return Err(backup_error("backup_write_failed", "数据库快照在写入时发生了变化，请重试。".into()));
        }
        out.write_all(&mac.finalize().into_bytes()).map_err(|e| write_failed(&self.dir, e))?;
        let file = out.into_inner().map_err(|e| write_failed(&self.dir, e.into_error()))?;
        file.sync_all().map_err(|e| write_failed(&self.dir, e))?;
        drop(file);
        drop(body);
        let _ = std::fs::remove_file(&snapshot);

        // Read back what is on the disk (a USB stick may have lied) and restore it into a
        // scratch copy, exactly as a restore would.
        let opened = super::restore::open_with_backup_key(&part, &header, &backup_key)?;
        let check = scratch.file("verify.db");
        super::restore::extract_body(&opened, &check, |done, total| {
            progress(Progress::new(Stage::Verify, done, total))
        })?;
        let verified = super::restore::verify_snapshot(&check, &opened)?;
        if verified != events {
            return Err(backup_error(
                "backup_verify_failed",
                format!("备份校验失败：备份中有 {verified} 个事件，应为 {events} 个。备份文件未启用，请重试。"),
            ));
        }
        std::fs::rename(&part, &final_path).map_err(|e| write_failed(&self.dir, e))?;
        cleanup.keep();
        sync_dir(&self.dir);
        let bytes = std::fs::metadata(&final_path)?.len();
        Ok(WrittenBackup { path: final_path, header, bytes, keep: self.keep })
    }
}

fn write_failed(dir: &Path, e: std::io::Error) -> CoreError {
    backup_error(
        "backup_write_failed",
        format!("写入备份位置 {} 失败（{e}）。请检查U盘是否已拔出、空间是否已满，然后重试。", dir.display()),
    )
}

/// A `.part` file removed unless kept.
struct PartFile(PathBuf);

impl PartFile {
    fn keep(mut self) {
        self.0 = PathBuf::new();
    }
}

impl Drop for PartFile {
    fn drop(&mut self) {
        if !self.0.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

/// Records a verified backup in the log (`backup.created`), then removes older backups of this
/// office beyond the number to keep and any sealed to a replaced recovery code.
pub fn record(store: &mut Store, actor: &Actor, written: &WrittenBackup) -> Result<BackupReport> {
    let office = store.office()?;
    let h = &written.header;
    let payload = BackupCreated {
        backup_id: h.backup_id.clone(),
        device_id: h.device_id.clone(),
        file_name: written.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        created_at_ms: h.created_at_ms,
        bytes: written.bytes,
        events: h.events,
        key_id: h.key_id.clone(),
    };
    store.execute(actor, Action::Recovery { office: office.clone(), act: RecoveryAct::Backup }, |_tx, _ctx| {
        Ok(Decision::events(vec![NewEvent::new(kind::BACKUP_CREATED, format!("office:{office}"), &payload)?]))
    })?;
    state_set(store.conn(), "last_error", "")?;
    let removed = match written.path.parent() {
        Some(dir) => prune(dir, &office, &h.key_id, written.keep)?,
        None => Vec::new(),
    };
    Ok(BackupReport {
        file: written.path.display().to_string(),
        backup_id: h.backup_id.clone(),
        office_code: office,
        created_at: chrono::DateTime::from_timestamp_millis(h.created_at_ms).unwrap_or_default().to_rfc3339(),
        bytes: written.bytes,
        events: h.events,
        removed: removed.iter().map(|p| p.display().to_string()).collect(),
    })
}

/// Notes when a backup was last attempted.
pub fn note_attempt(store: &Store) -> Result<()> {
    state_set(store.conn(), "last_attempt", &store.clock().now().to_rfc3339())
}

/// Notes a failed attempt for the screens (the last error, cleared by the next success).
pub fn note_failure(store: &Store, error: &CoreError) -> Result<()> {
    state_set(store.conn(), "last_error", &error.to_string())?;
    state_set(store.conn(), "last_attempt", &store.clock().now().to_rfc3339())
}

/// A whole backup holding the store throughout (the command line): prepare, write, record; a
/// failure is noted for the screens and returned.
pub fn run(
    store: &mut Store,
    keys: &KeySource,
    actor: &Actor,
    dir: Option<&Path>,
    progress: impl FnMut(Progress),
) -> Result<BackupReport> {
    let office = store.office()?;
    crate::authz::authorize(actor, &Action::Recovery { office, act: RecoveryAct::Backup })?;
    note_attempt(store)?;
    let result = prepare(store, keys, dir).and_then(|job| {
        // The envelope beside the database follows the keys as they are now (a signing key made
        // at enrollment since the last backup, say).
        super::envelope::refresh(store, keys)?;
        job.write(progress)
    });
    match result {
        Ok(written) => record(store, actor, &written),
        Err(e) => {
            note_failure(store, &e)?;
            Err(e)
        }
    }
}

/// A backup file found in a folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ListedBackup {
    pub path: String,
    pub header: BackupHeader,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
}

/// The backups of `office` in `dir`, newest first. Files that are not backups, or are damaged,
/// are skipped (never removed).
pub fn list(dir: &Path, office: &str) -> Result<Vec<ListedBackup>> {
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(_) => return Ok(out),
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some(EXTENSION) {
            continue;
        }
        if let Ok(info) = super::restore::inspect(&path)
            && info.header.office_code == office
        {
            out.push(ListedBackup { path: path.display().to_string(), header: info.header, bytes: info.file_len });
        }
    }
    out.sort_by(|a, b| b.header.created_at_ms.cmp(&a.header.created_at_ms).then(b.path.cmp(&a.path)));
    Ok(out)
}

/// Removes this office's backups in `dir` that are sealed to a replaced recovery key, and all
/// but the newest `keep`. Called only after a backup sealed to `current_key_id` verified.
pub fn prune(dir: &Path, office: &str, current_key_id: &str, keep: u32) -> Result<Vec<PathBuf>> {
    let mut removed = Vec::new();
    let mut kept = 0u32;
    for b in list(dir, office)? {
        if b.header.key_id == current_key_id && kept < keep.max(1) {
            kept += 1;
            continue;
        }
        let path = PathBuf::from(&b.path);
        if std::fs::remove_file(&path).is_ok() {
            removed.push(path);
        }
    }
    Ok(removed)
}

/// Reads a backup's fixed parts: header bytes, header, key block, and where the body starts.
pub(crate) struct Layout {
    pub header_bytes: Vec<u8>,
    pub header: BackupHeader,
    pub key_block: Sealed,
    pub body_offset: u64,
}

impl std::fmt::Debug for Layout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Layout").field("header", &self.header).finish_non_exhaustive()
    }
}

/// Parses the fixed parts from the start of a file.
pub(crate) fn read_layout(input: &mut impl Read, path: &Path) -> Result<Layout> {
    let not_backup = || {
        backup_error(
            "backup_not_a_backup",
            format!("{} 不是清风备份文件（文件开头不符）。请选择扩展名为 .{EXTENSION} 的备份文件。", path.display()),
        )
    };
    let truncated = || super::restore::truncated(path);
    let mut magic = [0u8; 9];
    read_exact_or(input, &mut magic, truncated)?;
    if &magic[..8] != MAGIC {
        return Err(not_backup());
    }
    if magic[8] != VERSION {
        return Err(backup_error(
            "backup_version",
            format!("备份文件 {} 的格式版本（{}）较新，本程序无法读取。请使用新版清风恢复。", path.display(), magic[8]),
        ));
    }
    let header_bytes = read_part(input, truncated)?;
    let header: BackupHeader = crate::encoding::from_cbor(&header_bytes).map_err(|_| super::restore::tampered(path))?;
    let key_bytes = read_part(input, truncated)?;
    let key_block: Sealed = crate::encoding::from_cbor(&key_bytes).map_err(|_| super::restore::tampered(path))?;
    let body_offset = 9 + 4 + header_bytes.len() as u64 + 4 + key_bytes.len() as u64;
    Ok(Layout { header_bytes, header, key_block, body_offset })
}

fn read_exact_or(input: &mut impl Read, buf: &mut [u8], truncated: impl Fn() -> CoreError) -> Result<()> {
    input.read_exact(buf).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => truncated(),
        _ => CoreError::Io(e),
    })
}

fn read_part(input: &mut impl Read, truncated: impl Fn() -> CoreError + Copy) -> Result<Vec<u8>> {
    let mut len = [0u8; 4];
    read_exact_or(input, &mut len, truncated)?;
    let len = u32::from_be_bytes(len);
    if len > MAX_PART {
        return Err(truncated());
    }
    let mut buf = vec![0u8; len as usize];
    read_exact_or(input, &mut buf, truncated)?;
    Ok(buf)
}

/// A reader that feeds every byte it hands out into the backup's MAC.
pub(crate) struct MacReader<R> {
    inner: R,
    mac: HmacSha256,
}

impl<R: Read> MacReader<R> {
    pub(crate) fn new(inner: R, backup_key: &[u8; 32]) -> Self {
        MacReader { inner, mac: new_mac(backup_key) }
    }

    /// Reads the trailer (outside the MAC) and checks it and that nothing follows.
    pub(crate) fn finish(mut self, path: &Path) -> Result<()> {
        let mut trailer = [0u8; MAC_LEN];
        read_exact_or(&mut self.inner, &mut trailer, || super::restore::truncated(path))?;
        let mut extra = [0u8; 1];
        if self.inner.read(&mut extra)? != 0 {
            return Err(super::restore::tampered(path));
        }
        self.mac.verify_slice(&trailer).map_err(|_| super::restore::tampered(path))
    }
}

impl<R: Read> Read for MacReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.mac.update(&buf[..n]);
        Ok(n)
    }
}

/// The total length a file with this layout must have.
pub(crate) fn expected_len(layout: &Layout) -> u64 {
    layout.body_offset + layout.header.body_len + MAC_LEN as u64
}
