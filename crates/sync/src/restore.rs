//! A new device of an office restored from the hub's copy of the office's log: enroll with a
//! one-time token, download everything routed to the office (its own office-private events
//! included) and then the office's own chains whole, rebuild, verify, and only then put the new
//! database in place.
//!
//! The hub keeps every chain whole "so an office can be restored from it"; what it serves here
//! is limited to an enrolled device of that office (`/v1/office-log` refuses another office's
//! device, and the client refuses a page signed for another office). What the lost machine made
//! after its last sync never reached the hub and cannot come back; the caller says so before
//! the restore starts, and the report lists when each of the office's devices last synced.

use serde::{Deserialize, Serialize};

use crate::envelope::FeedPage;
#[cfg(feature = "client")]
pub use client_side::*;

/// Signing context of office-log pages (never confused with a feed page).
pub const OFFICE_LOG_CONTEXT: &str = "qingfeng/office-log/v1";
/// Route of the office log.
pub const OFFICE_LOG_PATH: &str = "/v1/office-log";

/// `POST /v1/office-log` body: the office's whole log after hub position `after`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeLogRequest {
    /// The office the caller means to restore; must be the calling device's own.
    pub office_code: String,
    pub after: u64,
    pub limit: u32,
}

/// One page of an office's own events (every chain of its devices, refused events included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeLogPage {
    pub office_code: String,
    /// `(device, last seq the hub holds)` for each of the office's devices.
    pub heads: Vec<(String, u64)>,
    /// Events, `cursor` (the last hub position covered) and `more`, in the feed page's shape.
    pub page: FeedPage,
}

/// The office's side (feature `client`): it drives the office's store.
#[cfg(feature = "client")]
mod client_side {
    use std::path::{Path, PathBuf};
    use std::sync::Mutex;

    use qingfeng_core::files::with_suffix;
    use qingfeng_core::recovery::backup::{Progress, Stage};
    use qingfeng_core::{KeySource, Store};
    use serde::Serialize;

    use super::{OFFICE_LOG_CONTEXT, OFFICE_LOG_PATH, OfficeLogPage, OfficeLogRequest};
    use crate::client::{self, SyncClient};
    use crate::crypto::{Alg, SecretKey};
    use crate::envelope::Signed;
    use crate::error::{Result, SyncError};

    /// What the restore did.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    pub struct HubRestoreReport {
        pub office_code: String,
        pub office_name: String,
        pub db: String,
        pub device_id: String,
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        pub events: u64,
        /// The office's devices and how far the hub holds each (what came back).
        pub devices: Vec<DeviceRestored>,
        /// The sentences to show, in Chinese.
        pub notes: Vec<String>,
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    pub struct DeviceRestored {
        pub device_id: String,
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        pub events: u64,
        /// When its last event the hub holds was made (display text).
        pub last_event_at: Option<String>,
    }

    /// A restore from the hub.
    #[derive(Debug)]
    pub struct HubRestoreRequest<'a> {
        pub hub_url: &'a str,
        /// The one-time enrollment token the hub's administrator issued for this office.
        pub token: &'a str,
        /// The office being restored (six digits).
        pub office_code: &'a str,
        pub db: &'a Path,
        pub keys: &'a KeySource,
        /// Signature algorithm for the new device's key.
        pub alg: Alg,
        /// The office's recovery code: it opens the escrow of the office's secret sealing keys in
        /// the log, without which no reporter's identity sealed before the loss can be read.
        pub code: Option<&'a qingfeng_core::recovery::RecoveryCode>,
    }

    /// What is said before a restore from the hub, whatever the office: it is all that can be said
    /// before the device is enrolled.
    pub fn what_is_lost() -> &'static str {
        "从省级平台恢复的是本机关各台电脑最后一次同步时平台保存的记录。丢失的电脑在最后一次同步之后所做、尚未同步的工作不在平台上，无法恢复；若另有较新的备份文件，应改用“从备份恢复”。"
    }

    fn refuse(message: String) -> SyncError {
        SyncError::Core(qingfeng_core::recovery::hub::refuse(message))
    }

    /// Removes a half-built database and its companions unless kept.
    struct Staging(PathBuf, bool);

    impl Drop for Staging {
        fn drop(&mut self) {
            if !self.1 {
                for s in ["", "-wal", "-shm", ".recovery"] {
                    let _ = std::fs::remove_file(with_suffix(&self.0, s));
                }
            }
        }
    }

    /// Said when a restore stops after the hub enrolled this machine: what was downloaded is kept.
    const KEPT: &str =
        "已下载的记录暂存在本机：备好后再次从省级平台恢复，沿用原来的登记口令即可，不必重新申请登记口令。";

    /// A restore of `office_code` that stopped after enrollment, found at `staging`: the
    /// half-built database opened with the key kept for the target, and the device's signing key
    /// kept inside it. Anything else found there (another office's, unreadable, never enrolled)
    /// is removed, and the restore starts afresh.
    fn resume(
        staging: &Path,
        db: &Path,
        keys: &KeySource,
        office_code: &str,
    ) -> Option<(Store, SecretKey, qingfeng_core::DbKey)> {
        if !staging.exists() {
            return None;
        }
        let found = (|| {
            let db_key = keys.load(db).ok()?;
            let store = qingfeng_core::recovery::hub::open_staging(staging, &db_key).ok()?;
            if store.office_code() != Some(office_code) {
                return None;
            }
            let text = qingfeng_core::recovery::hub::resumable(&store).ok()??;
            let key = client::decode_device_key(&text).ok()?;
            Some((store, key, db_key))
        })();
        if found.is_none() {
            drop(Staging(staging.to_owned(), false));
        }
        found
    }

    /// Restores the office onto this machine from the hub. The database at `req.db` must not
    /// exist yet (or be the empty one a first start makes): a database with work in it is never
    /// replaced from the hub.
    pub async fn restore_from_hub(
        req: &HubRestoreRequest<'_>,
        mut progress: impl FnMut(Progress),
    ) -> Result<HubRestoreReport> {
        let db = std::path::absolute(req.db)?;
        qingfeng_core::identity::validate_division_code(
            req.office_code.trim(),
            qingfeng_core::identity::OfficeLevel::County,
        )
        .or_else(|_| {
            qingfeng_core::identity::validate_division_code(
                req.office_code.trim(),
                qingfeng_core::identity::OfficeLevel::Prefecture,
            )
        })
        .or_else(|_| {
            qingfeng_core::identity::validate_division_code(
                req.office_code.trim(),
                qingfeng_core::identity::OfficeLevel::Province,
            )
        })?;
        let office_code = req.office_code.trim().to_owned();
        let existing_key = qingfeng_core::recovery::hub::check_target(&db, req.keys)?;
        if req.keys.load_secret(&db, client::SIGNING_SECRET)?.is_some() {
            return Err(refuse(format!(
                "{}中已有数据库 {} 的同步签名密钥（旧设备留下的）。从省级平台恢复会登记一台新设备：请换一个数据库文件名，或先把旧密钥移走后重试。",
                req.keys.describe(),
                db.display()
            )));
        }

        // Built beside the target under another name and moved into place only when whole. The
        // name is fixed, so a restore stopped after enrollment is found again and resumed.
        let staging_path = with_suffix(&db, ".restoring");
        let (store, key, db_key, mut staging) = match resume(&staging_path, &db, req.keys, &office_code) {
            Some((store, key, db_key)) => {
                progress(Progress::new(Stage::Download, 0, 0));
                (store, key, db_key, Staging(staging_path.clone(), true))
            }
            None => {
                let staging = Staging(staging_path.clone(), false);
                // The key of the empty database a first start made there, if any (a key file is
                // never overwritten), or the one a stopped restore left for the target, else a new
                // one.
                let db_key =
                    existing_key.or_else(|| req.keys.load(&db).ok()).unwrap_or_else(qingfeng_core::DbKey::generate);
                let mut store = qingfeng_core::recovery::hub::create_for_office(&staging_path, &db_key, &office_code)?;
                let key = SecretKey::generate(req.alg);

                // Enrollment: the token is bound to an office at the hub, so a token for another
                // office is refused there; the certificate is checked against this device here.
                progress(Progress::new(Stage::Download, 0, 0));
                let request = client::restore_enrollment_request(&store, &key, req.token.trim())?;
                let issued = SyncClient::enroll(req.hub_url, &request).await?;
                client::install_certificate(&mut store, &key, &issued, Some(req.hub_url))?;
                // The token is spent: from here on, whatever stops the restore keeps what it has
                // (the half-built database, its key where the target's will be, the device's key
                // inside it), so the next attempt resumes with no new token.
                req.keys.install_key(&db, &db_key)?;
                qingfeng_core::recovery::hub::keep_for_resume(&store, &client::encode_device_key(&key))?;
                let mut staging = staging;
                staging.1 = true;
                (store, key, db_key, staging)
            }
        };

        // Everything routed to the office, in the hub's order (what a replica applies), with the
        // office's own office-private events, which the hub routes to the office's other devices.
        let sync = SyncClient::new(&store, SecretKey::from_bytes(key.alg(), &key.to_bytes())?, Some(req.hub_url))?;
        let shared = Mutex::new(store);
        sync.sync_once(&shared).await?;
        let mut store = shared.into_inner().unwrap_or_else(|p| p.into_inner());
        progress(Progress::new(Stage::Download, store.verify()?.events, 0));

        // Then the office's own chains whole, so every chain of its devices is complete here (events
        // the hub refused are in a chain but in no feed).
        let mut after = 0u64;
        let mut heads = Vec::new();
        for _ in 0..100_000 {
            let body = qingfeng_core::encoding::to_canonical_cbor(&OfficeLogRequest {
                office_code: office_code.clone(),
                after,
                limit: client::FEED_LIMIT,
            })?;
            let signed: Signed<OfficeLogPage> = Signed::decode(&sync.post(OFFICE_LOG_PATH, body).await?)?;
            let page = signed.open(OFFICE_LOG_CONTEXT, sync.hub_key())?;
            if page.office_code != office_code || page.page.office_code != office_code {
                // Nothing of another office is ever kept, not even for a retry.
                staging.1 = false;
                return Err(refuse(format!(
                    "省级平台返回的是另一个机关（{}）的记录，不是本机关（{office_code}）的。恢复已停止，本机没有任何改动。请联系省级平台管理员。",
                    page.office_code
                )));
            }
            heads = page.heads;
            let total: u64 = heads.iter().map(|(_, h)| h).sum();
            let feed_cursor = store.sync_status()?.feed_cursor;
            // This device's own events are held already: it made them during this restore (the
            // re-sealing a sync does, say) before a retry resumed here.
            let own = store.device_id().to_owned();
            let others: Vec<_> = page.page.events.iter().filter(|e| e.origin_device != own).cloned().collect();
            store.ingest_remote(&others, feed_cursor)?;
            let held = qingfeng_core::recovery::hub::held_of_office(&store, &office_code)?;
            progress(Progress::new(Stage::Download, held.min(total), total));
            if !page.page.more || page.page.cursor <= after {
                break;
            }
            after = page.page.cursor;
        }

        // The office's secret sealing keys, from their escrow in the log, before the projections
        // are rebuilt (`finish`), so the rebuild opens the sealed identities. A wrong code is
        // refused here, before anything is put in place.
        let escrow = qingfeng_core::recovery::escrow::latest(&store, &office_code)?;
        let keys_restored = match (&escrow, req.code) {
            (None, _) => None,
            (Some(_), None) => {
                return Err(refuse(format!(
                    "本机关设置了恢复码：从省级平台恢复须输入恢复码（保险柜中恢复页上的九组数字），才能重新读取举报人的身份信息。恢复已停止，尚未启用。{KEPT}"
                )));
            }
            (Some(_), Some(code)) => Some(
                qingfeng_core::recovery::escrow::open_latest(&mut store, &office_code, code).map_err(|e| match e {
                    qingfeng_core::CoreError::Recovery { code, message } => {
                        SyncError::Core(qingfeng_core::CoreError::Recovery {
                            code,
                            message: format!("{message}{KEPT}"),
                        })
                    }
                    other => other.into(),
                })?,
            ),
        };

        progress(Progress::new(Stage::Verify, 0, 1));
        let outcome = qingfeng_core::recovery::hub::finish(&mut store, &office_code, &heads)?;
        progress(Progress::new(Stage::Verify, 1, 1));

        progress(Progress::new(Stage::Install, 0, 1));
        let device_id = store.device_id().to_owned();
        qingfeng_core::recovery::hub::forget_resume(&store)?;
        drop(store);
        req.keys.install_key(&db, &db_key)?;
        req.keys.store_secret(&db, client::SIGNING_SECRET, &client::encode_device_key(&key))?;
        qingfeng_core::recovery::hub::install(&staging_path, &db, req.keys)?;
        staging.1 = true;
        let store = Store::open(&db, req.keys)?;
        qingfeng_core::recovery::envelope::refresh(&store, req.keys)?;
        progress(Progress::new(Stage::Install, 1, 1));

        let devices: Vec<DeviceRestored> = outcome
            .devices
            .iter()
            .map(|d| DeviceRestored { device_id: d.0.clone(), events: d.1, last_event_at: d.2.clone() })
            .collect();
        let mut notes = vec![what_is_lost().to_owned()];
        for d in &devices {
            notes.push(format!(
                "设备 {} 在平台上的记录共 {} 个事件，最后一条记录于 {}，已全部恢复。",
                short(&d.device_id),
                d.events,
                d.last_event_at.as_deref().unwrap_or("未知时间")
            ));
        }
        match keys_restored {
            Some(_) => notes.push("举报人身份信息的解密密钥已用恢复码找回，原有的加密身份信息可以照常查看。".into()),
            None => notes.push("平台上没有本机关身份加密密钥的托管记录（本机关当时尚未设置恢复码），此前加密保存的举报人身份信息在本机无法查看；本机将生成新的密钥，今后登记的不受影响。请尽快在“备份与恢复”中生成恢复码。".into()),
        }
        notes.push("本机已作为本机关的新设备登记到省级平台。请省级平台管理员吊销丢失的那台电脑的设备证书。".into());
        Ok(HubRestoreReport {
            office_code,
            office_name: outcome.office_name,
            db: db.display().to_string(),
            device_id,
            events: outcome.events,
            devices,
            notes,
        })
    }

    /// What sending the replaced device's events did.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
    pub struct PreviousSent {
        pub events: u64,
        /// Why the rest could not be sent, in Chinese (a revoked old device, say).
        pub stopped: Option<String>,
    }

    /// Sends the events of the device a restored database replaced that the hub never receipted,
    /// signed with that device's key (kept from the backup), as ordinary change sets. They are a
    /// prefix of that device's true chain, so the hub takes them as it would have from the device
    /// itself (those it holds already are acknowledged again), and never as a second version.
    pub async fn send_previous_device(
        sync: &SyncClient,
        store: &impl client::Replica,
        keys: &KeySource,
    ) -> Result<PreviousSent> {
        use crate::changeset::{SignedChangeSet, split_into_changesets};
        use crate::envelope::{Outcome, RECEIPT_CONTEXT, Receipt, RejectCode};
        use qingfeng_core::recovery::previous;
        let mut sent = PreviousSent::default();
        let db = store.with_store(|s| Ok(s.path().to_path_buf()))?;
        let Some(text) = keys.load_secret(&db, previous::SIGNING_SECRET)? else {
            return Ok(sent);
        };
        let key = client::decode_device_key(&text)?;
        for _ in 0..10_000 {
            let Some((prev, events)) = store.with_store(|s| previous::unsent(s, client::UPLOAD_EVENTS))? else {
                return Ok(sent);
            };
            if events.is_empty() {
                return Ok(sent);
            }
            for set in split_into_changesets(events, client::UPLOAD_EVENTS, client::UPLOAD_BYTES)? {
                let signed = SignedChangeSet::sign(&set, &key);
                let raw = sync.post("/v1/changesets", signed.encode()).await?;
                let receipt = Signed::<Receipt>::decode(&raw)?.open(RECEIPT_CONTEXT, sync.hub_key())?;
                // An unauthorized set is kept in the device's chain at the hub (never blocks it).
                let done = match &receipt.outcome {
                    Outcome::Accepted => true,
                    Outcome::Rejected { code, .. } => *code == RejectCode::Unauthorized,
                };
                if !done {
                    let reason = match &receipt.outcome {
                        Outcome::Rejected { reason, .. } => reason.clone(),
                        Outcome::Accepted => String::new(),
                    };
                    sent.stopped = Some(format!("原设备 {} 尚未报送的事件未能补报：{reason}", short(&prev.device_id)));
                    return Ok(sent);
                }
                sent.events += set.events().len() as u64;
                let (seq, hash) = (set.last_seq(), *set.last_hash());
                store.with_store(|s| previous::note_sent(s, seq, &hash))?;
            }
        }
        Ok(sent)
    }

    /// The first eight characters of a device id, enough for an administrator to tell devices apart.
    fn short(id: &str) -> &str {
        id.get(..8).unwrap_or(id)
    }
}
