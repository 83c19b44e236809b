//! The store's side of restoring an office from the hub's copy of its log (the HTTP part is
//! `qingfeng_sync::restore`): a new database for the office, checks that every chain of the
//! office's devices came back whole, rebuild and verify, and putting the database in place.

use std::path::Path;

use rusqlite::OpenFlags;

use super::backup;
use super::{Restored, create_private, kind, sync_dir};
use crate::authz::{Action, Actor, RecoveryAct};
use crate::error::{CoreError, Result};
use crate::events::NewEvent;
use crate::files::with_suffix;
use crate::keys::{DbKey, KeySource};
use crate::store::{Decision, Store};

/// A restore from the hub refused, with what to do in `message` (the sync crate's HTTP side refuses
/// with the same code).
pub fn refuse(message: String) -> CoreError {
    CoreError::Recovery { code: "hub_restore_refused", message }
}

/// Checks that `db` may receive a restore from the hub: no file, or the empty database a first
/// start makes. Returns that empty database's key, if it has one, so the restored database keeps
/// it (a key file is never overwritten). A database with work in it is never replaced from the
/// hub: the message says what to do instead.
pub fn check_target(db: &Path, keys: &KeySource) -> Result<Option<DbKey>> {
    if !db.exists() {
        return Ok(None);
    }
    let key = keys.load(db).map_err(|_| {
        refuse(format!(
            "本机已有数据库文件 {}，但打不开（密钥丢失或文件损坏）。若只是钥匙串丢失，请用“用恢复码解锁”找回全部记录；确需从省级平台恢复，请先把该文件移到别处。",
            db.display()
        ))
    })?;
    let office: Option<String> = {
        let conn = backup::open_raw(db, &key, OpenFlags::SQLITE_OPEN_READ_WRITE, || CoreError::WrongKeyOrCorrupt {
            path: db.display().to_string(),
        })?;
        conn.query_row("SELECT value FROM meta WHERE key = 'office_code'", [], |r| r.get(0))
            .map(Some)
            .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })?
    };
    match office {
        None => Ok(Some(key)),
        Some(code) => Err(refuse(format!(
            "本机已有机关 {code} 的数据库 {}。从省级平台恢复只用于没有数据的新电脑，不会覆盖已有记录；如需恢复，请改用“从备份恢复”，或先把该数据库移到别处。",
            db.display()
        ))),
    }
}

/// A new, empty database at `path` for `office_code`, before any event: the office's events
/// then arrive from the hub as other devices' events of the same office.
pub fn create_for_office(path: &Path, key: &DbKey, office_code: &str) -> Result<Store> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    drop(create_private(path)?);
    let mut store = Store::open_with_key(path, key, false)?;
    store.set_office_for_restore(office_code)?;
    Ok(store)
}

/// The meta key under which a restore in progress keeps the new device's signing key.
const RESUME_KEY: &str = "hub_restore_device_key";

/// Keeps the new device's signing key (its text form) inside the half-restored database, so a
/// restore stopped after enrollment (a wrong recovery code, a dropped link) resumes without a
/// new enrollment token: the token was spent when the hub enrolled this device. The database is
/// encrypted with the key the keyring or key file holds for the target, as the finished one is.
pub fn keep_for_resume(store: &Store, device_key: &str) -> Result<()> {
    crate::store::meta_set(store.conn(), RESUME_KEY, device_key)
}

/// Opens a database a stopped restore left, as it was: no sealing keys are made for the office
/// at open (the office's own come out of their escrow later in the restore).
pub fn open_staging(path: &Path, key: &DbKey) -> Result<Store> {
    Store::open_bare(path, key, false)
}

/// The signing key a stopped restore kept, if this database is one.
pub fn resumable(store: &Store) -> Result<Option<zeroize::Zeroizing<String>>> {
    Ok(crate::store::meta_get(store.conn(), RESUME_KEY)?.map(zeroize::Zeroizing::new))
}

/// Removes the kept signing key once the restore is whole (it then lives beside the database key).
pub fn forget_resume(store: &Store) -> Result<()> {
    store.conn().execute("DELETE FROM meta WHERE key = ?1", [RESUME_KEY])?;
    Ok(())
}

/// How many events of the office's own devices this store holds.
pub fn held_of_office(store: &Store, office_code: &str) -> Result<u64> {
    Ok(store
        .conn()
        .query_row("SELECT count(*) FROM events WHERE origin_office = ?1", [office_code], |r| r.get::<_, i64>(0))?
        as u64)
}

/// What the restored log holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    pub office_name: String,
    pub events: u64,
    /// `(device, events, time of its last event)` for each of the office's devices.
    pub devices: Vec<(String, u64, Option<String>)>,
}

/// Checks that every chain the hub holds of the office's devices (`heads`) is here whole,
/// rebuilds the projections from the log, verifies it, and records the restore.
pub fn finish(store: &mut Store, office_code: &str, heads: &[(String, u64)]) -> Result<Finished> {
    let mut devices = Vec::new();
    for (device, head) in heads {
        let (count, last): (i64, Option<i64>) = store.conn().query_row(
            "SELECT count(*), max(hlc) FROM events WHERE origin_device = ?1 AND seq <= ?2",
            rusqlite::params![device, *head as i64],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if count as u64 != *head {
            return Err(refuse(format!(
                "从省级平台下载的记录不完整：设备 {device} 应有 {head} 个事件，只收到 {count} 个。恢复已停止，本机没有任何改动；请稍后重试，或联系省级平台管理员。"
            )));
        }
        let last = last.map(|hlc| {
            crate::clock::display_time(chrono::DateTime::from_timestamp_millis(hlc >> 16).unwrap_or_default())
        });
        devices.push((device.clone(), count as u64, last));
    }
    let office_name = crate::accounts::home_office(store)?.map(|o| o.name).ok_or_else(|| {
        refuse(format!(
            "省级平台上没有机关 {office_code} 的记录（该机关从未同步过，或代码有误）。恢复已停止，本机没有任何改动。"
        ))
    })?;
    store.rebuild()?;
    let report = store.verify()?;
    if let Some(p) = report.problem {
        return Err(CoreError::Tampered(format!("设备 {} 序号 {}：{}", p.origin_device, p.seq, p.reason)));
    }
    let payload = Restored {
        source: "hub".into(),
        backup_id: None,
        backup_created_at_ms: None,
        previous_device: None,
        events: report.events,
    };
    let office = office_code.to_owned();
    store.execute(
        &Actor::System,
        Action::Recovery { office: office.clone(), act: RecoveryAct::Restore },
        |_tx, _ctx| Ok(Decision::events(vec![NewEvent::new(kind::RESTORED, format!("office:{office}"), &payload)?])),
    )?;
    Ok(Finished { office_name, events: report.events + 1, devices })
}

/// Puts a restored database (closed) in place of `db`, removing the empty database a first start
/// made there, if any.
pub fn install(staging: &Path, db: &Path, keys: &KeySource) -> Result<()> {
    if db.exists() {
        // Only an empty database can be here (`check_target`); check again, as time has passed.
        check_target(db, keys)?;
        for suffix in ["", "-wal", "-shm", ".recovery"] {
            let _ = std::fs::remove_file(with_suffix(db, suffix));
        }
    }
    std::fs::rename(staging, db)?;
    let _ = std::fs::remove_file(with_suffix(staging, ".recovery"));
    if let Some(dir) = db.parent() {
        sync_dir(dir);
    }
    Ok(())
}
