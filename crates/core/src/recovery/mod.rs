//! A lost key is not lost work: the office's recovery code, the key envelope beside the
//! database, encrypted backups and restores.
//!
//! What is encrypted with what (ARCHITECTURE.md has the whole picture):
//!
//! - The **recovery code** ([`RecoveryCode`], nine groups of six digits) is made at set-up and
//!   shown once, for the office's safe. It stands for an X25519 key pair; the program stores only
//!   the public half (in the log, `recovery.key_set`), so it can seal things to the code on a
//!   schedule without ever holding what opens them.
//! - The **key envelope** (`<database>.recovery`, mode 0600, [`envelope`]) holds the database key
//!   and this device's signing key sealed to the recovery key: with the code, a database whose
//!   keyring was lost opens again on any machine.
//! - A **backup** ([`backup`]) is a SQLCipher copy of the database (made with `sqlcipher_export`)
//!   under a fresh random key, that key sealed to the recovery key, the whole file authenticated
//!   and bound to its office. It is verified after writing by restoring it into a scratch copy
//!   and walking the event log.
//! - The **sealing escrow** ([`escrow`]) holds the office's secret sealing keys sealed to the
//!   recovery key, as an office-private event in the log, so a machine restored from the hub
//!   (which never holds those keys) reads the reporters' identities again with the code.
//! - A **restore** ([`restore`]) opens a backup with the code into a new database with a new
//!   device identity, so the lost machine's chain is never continued twice.

pub mod backup;
pub mod code;
pub mod envelope;
pub mod escrow;
pub mod hub;
pub mod previous;
pub(crate) mod project;
pub mod restore;
pub mod seal;

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

pub use code::RecoveryCode;
pub use seal::RecoveryPublicKey;

use crate::authz::{Action, Actor, RecoveryAct};
use crate::error::{CoreError, Result};
use crate::events::NewEvent;
use crate::keys::KeySource;
use crate::store::{Decision, Store};

/// Event kinds of this module (their names live in the log crate's catalogue).
pub mod kind {
    pub use qingfeng_log::kind::{
        BACKUP_CREATED, RECOVERY_KEY_SET as KEY_SET, RECOVERY_RESTORED as RESTORED,
        RECOVERY_SEALING_ESCROW as SEALING_ESCROW,
    };
}

/// Whether `kind` is one of this module's kinds (office-private, projected here).
pub fn is_recovery_kind(kind: &str) -> bool {
    qingfeng_log::kind::is_recovery(kind)
}

/// `recovery.key_set`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeySet {
    pub key_id: String,
    /// The X25519 public key, hex.
    pub public_key: String,
    /// The key this one replaces; from now on its code is refused.
    pub replaces: Option<String>,
}

/// `backup.created`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupCreated {
    pub backup_id: String,
    pub device_id: String,
    /// The file's name in the backup folder (the folder itself is this machine's business).
    pub file_name: String,
    pub created_at_ms: i64,
    pub bytes: u64,
    pub events: u64,
    pub key_id: String,
}

/// `recovery.restored`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Restored {
    /// `backup` or `hub`.
    pub source: String,
    pub backup_id: Option<String>,
    pub backup_created_at_ms: Option<i64>,
    /// The device whose database this was, now retired; its chain stays in the log as it was.
    pub previous_device: Option<String>,
    /// Events in the restored log.
    pub events: u64,
}

/// The office's current recovery key and when it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentKey {
    pub public: RecoveryPublicKey,
    pub set_at: String,
}

/// The recovery key in force, if the office has made one.
pub fn current_key(conn: &Connection) -> Result<Option<CurrentKey>> {
    conn.query_row(
        "SELECT public_key, set_at FROM recovery_keys WHERE replaced_at IS NULL ORDER BY set_at DESC LIMIT 1",
        [],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
    )
    .optional()?
    .map(|(hex, set_at)| Ok(CurrentKey { public: RecoveryPublicKey::from_hex(&hex)?, set_at }))
    .transpose()
}

/// Keys that were replaced, with when: `(key_id, replaced_at)`.
pub fn replaced_keys(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn
        .prepare("SELECT key_id, replaced_at FROM recovery_keys WHERE replaced_at IS NOT NULL ORDER BY replaced_at")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Makes the office's first recovery code (administrator). The key envelope beside the database
/// is sealed to it at once. The code is returned to be shown and printed once; it is stored
/// nowhere.
pub fn create_key(store: &mut Store, actor: &Actor, keys: &KeySource) -> Result<RecoveryCode> {
    if current_key(store.conn())?.is_some() {
        return Err(CoreError::Recovery {
            code: "recovery_key_exists",
            message: "本机关已有恢复码。如果恢复码遗失或可能泄露，请使用“更换恢复码”，旧恢复码随即作废。".into(),
        });
    }
    set_key(store, actor, keys, None)
}

/// Replaces the recovery code (administrator): the old code is refused from now on by this
/// database, its key envelope and the backups made after this; the backups in the backup folder
/// sealed to the old code are removed by the next backup once it has verified (see
/// [`backup::prune`]).
pub fn replace_key(store: &mut Store, actor: &Actor, keys: &KeySource) -> Result<RecoveryCode> {
    let Some(old) = current_key(store.conn())? else {
        return Err(CoreError::Recovery {
            code: "recovery_key_missing",
            message: "本机关还没有恢复码，请先生成恢复码。".into(),
        });
    };
    set_key(store, actor, keys, Some(old.public.key_id()))
}

fn set_key(store: &mut Store, actor: &Actor, keys: &KeySource, replaces: Option<String>) -> Result<RecoveryCode> {
    let office = store.office()?;
    let code = RecoveryCode::generate();
    let public = code.key_pair().public();
    // The envelope is written before the event and put in place after it, so a failure of
    // either leaves the database and the envelope as they were.
    let staged = envelope::stage(store, keys, &public, replaces.as_deref())?;
    let payload = KeySet { key_id: public.key_id(), public_key: public.to_hex(), replaces };
    store.execute(actor, Action::Recovery { office: office.clone(), act: RecoveryAct::ManageKey }, |tx, _ctx| {
        // The office's secret sealing keys are escrowed to the new code in the same step, so the
        // log never holds a code without an escrow that it opens.
        let mut events = vec![NewEvent::new(kind::KEY_SET, format!("office:{office}"), &payload)?];
        events.extend(escrow::escrow_event(tx, &office, &public)?);
        Ok(Decision::events(events))
    })?;
    staged.commit()?;
    Ok(code)
}

/// What the desktop and `qingfeng backup status` show the administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RecoveryStatus {
    /// Whether the office has a recovery code.
    pub has_code: bool,
    /// When the current code was made.
    pub code_set_at: Option<String>,
    /// Whether this machine's key envelope is sealed to the current code.
    pub envelope_ok: bool,
    /// This device's last verified backup.
    pub last_backup: Option<BackupView>,
    /// Whole days since that backup (none when there is none).
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub days_since_backup: Option<i64>,
    /// Set when there is no backup, or the last one is older than the warning threshold: the
    /// sentence to show, in Chinese.
    pub warning: Option<String>,
    /// The backup folder on this machine, if chosen.
    pub backup_dir: Option<String>,
    pub keep: u32,
    pub interval_hours: u32,
    pub warn_days: u32,
    /// The last failed attempt's reason, cleared by the next success.
    pub last_error: Option<String>,
    pub last_attempt: Option<String>,
    /// Whether a scheduled backup is due now (a folder is set and the interval has passed).
    pub due: bool,
}

/// One backup as the screens list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BackupView {
    pub backup_id: String,
    pub file_name: String,
    /// RFC 3339.
    pub created_at: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub events: u64,
}

/// The backup settings (office-wide, changed through `settings::set`).
pub mod setting {
    pub const KEEP: &str = "backup.keep";
    pub const INTERVAL_HOURS: &str = "backup.interval_hours";
    pub const WARN_DAYS: &str = "backup.warn_days";
}

pub(crate) fn state_get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM backup_state WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

pub(crate) fn state_set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO backup_state (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// This device's last verified backup.
pub fn last_backup(store: &Store) -> Result<Option<BackupView>> {
    Ok(store
        .conn()
        .query_row(
            "SELECT backup_id, file_name, created_at, bytes, events FROM backups WHERE device_id = ?1
             ORDER BY created_at DESC LIMIT 1",
            [store.device_id()],
            |r| {
                Ok(BackupView {
                    backup_id: r.get(0)?,
                    file_name: r.get(1)?,
                    created_at: r.get(2)?,
                    bytes: r.get::<_, i64>(3)? as u64,
                    events: r.get::<_, i64>(4)? as u64,
                })
            },
        )
        .optional()?)
}

/// The backup and recovery state of this machine.
pub fn status(store: &Store) -> Result<RecoveryStatus> {
    let conn = store.conn();
    let current = current_key(conn)?;
    let envelope_ok = match &current {
        Some(c) => {
            envelope::read(&envelope::path_for(store.path())).is_ok_and(|e| e.header.key_id == c.public.key_id())
        }
        None => false,
    };
    let last = last_backup(store)?;
    let now = store.clock().now();
    let days = last.as_ref().and_then(|b| chrono::DateTime::parse_from_rfc3339(&b.created_at).ok()).map(|t| {
        let elapsed = now.signed_duration_since(t.with_timezone(&chrono::Utc));
        elapsed.num_days()
    });
    let keep = crate::settings::get(conn, setting::KEEP)?;
    let interval_hours = crate::settings::get(conn, setting::INTERVAL_HOURS)?;
    let warn_days = crate::settings::get(conn, setting::WARN_DAYS)?;
    let backup_dir = state_get(conn, "dir")?.filter(|d| !d.is_empty());
    let warning = match (&last, days) {
        (None, _) => Some("本机还没有做过备份。这台电脑损坏或丢失时，尚未同步到省级平台的记录将无法找回。请在“备份与恢复”中选择备份位置并立即备份。".to_owned()),
        (Some(_), Some(d)) if d >= i64::from(warn_days) => Some(format!(
            "已有 {d} 天没有成功备份（超过规定的 {warn_days} 天）。请插入备份盘并点“立即备份”，或检查备份位置是否可用。"
        )),
        _ => None,
    };
    let due = backup_dir.is_some()
        && match &last {
            None => true,
            Some(b) => chrono::DateTime::parse_from_rfc3339(&b.created_at).is_ok_and(|t| {
                now.signed_duration_since(t.with_timezone(&chrono::Utc)).num_minutes() >= i64::from(interval_hours) * 60
            }),
        };
    Ok(RecoveryStatus {
        has_code: current.is_some(),
        code_set_at: current.map(|c| c.set_at),
        envelope_ok,
        last_backup: last,
        days_since_backup: days,
        warning,
        backup_dir,
        keep,
        interval_hours,
        warn_days,
        last_error: state_get(conn, "last_error")?.filter(|e| !e.is_empty()),
        last_attempt: state_get(conn, "last_attempt")?,
        due,
    })
}

/// Chooses this machine's backup folder (administrator). The folder must exist and be writable;
/// it is this machine's setting, not the office's, so it is not an event.
pub fn set_backup_dir(store: &mut Store, actor: &Actor, dir: &Path) -> Result<()> {
    let office = store.office()?;
    crate::authz::authorize(actor, &Action::Recovery { office, act: RecoveryAct::Backup })?;
    backup::check_dir(dir)?;
    let absolute = std::path::absolute(dir)?;
    state_set(store.conn(), "dir", &absolute.to_string_lossy())
}

pub(crate) use crate::files::{create_new_private as create_private, sync_dir};
