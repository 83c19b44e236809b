//! [`Hub`]: the hub's key, its storage and every operation of the protocol and of the
//! administrator, independent of HTTP (the `http` module and the CLI are thin layers over it).

use std::path::{Path, PathBuf};
use std::time::Duration;

use qingfeng_log::clock::Clock;
use qingfeng_log::event::{ChainCursor, Event, GENESIS, NewEvent};
use qingfeng_log::kind;
use qingfeng_log::office::{self as identity, OfficeLevel, UnitKind};
use qingfeng_log::payload::{CalendarUpdated, OfficeCreated};
use qingfeng_sync::envelope::{AUTH_CONTEXT, CERTIFICATE_CONTEXT, ENROLLMENT_CONTEXT, FEED_CONTEXT, RECEIPT_CONTEXT};
use qingfeng_sync::{
    Alg, AuthRequest, ChangeSet, DeviceCertificate, EnrollmentRequest, FeedPage, IssuedCertificate, Outcome, PublicKey,
    Receipt, RejectCode, SecretKey, Signature, Signed, SignedChangeSet,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::chain::{self, HUB_OFFICE};
use crate::database::{Database, Storage};
use crate::error::{HubError, Result};
use crate::ingest::{self, Applied, ChainCheck, Ctx};
use crate::metrics::Metrics;
use crate::postgres::PgOptions;
use crate::storage::{
    Alarm, Counts, Device, EventStatus, FeedLimits, Head, HubStorage, HubTx, Office, StoredReceipt, Token, Waiting,
};

/// Most events one feed page carries.
pub const MAX_FEED_LIMIT: u32 = 1000;
/// Byte cap of one feed page's events (the signed page may be at most 16 MiB).
pub const FEED_PAGE_BYTES: usize = 4 * 1024 * 1024;
/// Most feed rows one page request looks at, skipped rows included.
const FEED_SCAN: usize = 50_000;

const META_KEY_ID: &str = "hub_key_id";
const META_ALG: &str = "hub_alg";

// The status and feed bodies are part of the wire contract, defined once in qingfeng-sync.
pub use qingfeng_sync::{FeedRequest, StatusResponse};

/// A token handed to an office's administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssuedToken {
    pub token: String,
    pub office_code: String,
    pub expires_at_ms: i64,
    /// The hub key's id (`PublicKey::key_id`), which the device pins at enrollment.
    pub hub_key_id: String,
    pub hub_alg: String,
    /// The fingerprint of the HTTPS certificate the token carries, when the hub serves HTTPS.
    pub tls_sha256: Option<String>,
}

/// What happened to one change set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub receipt: Receipt,
    /// The encoded `Signed<Receipt>`.
    pub signed: Vec<u8>,
}

/// The result of `events verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub ok: bool,
    pub events: u64,
    pub chains: u64,
    pub refused_events: u64,
    pub problems: Vec<String>,
    /// Attachments, evidence and PDFs the events name: held whole (re-hashed), still travelling,
    /// damaged.
    pub blobs: crate::blobs::BlobCheck,
}

/// One office to add to the directory (see [`Hub::add_offices`]).
#[derive(Debug, Clone, Copy)]
pub struct NewOffice<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub level: OfficeLevel,
    /// The parent's code; `None` for the province.
    pub parent: Option<&'a str>,
}

/// The hub: its signing key, its store and its counters.
#[derive(Debug)]
pub struct Hub<S: HubStorage = Storage> {
    storage: S,
    key: SecretKey,
    /// Offices' bundles are sealed to this key (`<db>.seal`); the hub reads no reporter with it,
    /// since identities are sealed to offices only.
    seal: qingfeng_seal::SealSecretKey,
    public: PublicKey,
    device_id: String,
    clock: Clock,
    metrics: Metrics,
    /// SHA-256 of the TLS certificate this hub serves, put into tokens and certificates.
    tls_sha256: Option<[u8; 32]>,
    /// How far ahead of the hub's clock an event's hybrid logical clock may be (issue #13).
    max_clock_ahead_ms: i64,
}

/// The default bound on how far an event's clock may be ahead of the hub's: an hour covers a
/// machine's drift and an upload's delay, and catches a machine set to the wrong day or zone.
pub const DEFAULT_MAX_CLOCK_AHEAD_MS: i64 = 60 * 60 * 1000;

impl Hub<Storage> {
    /// Creates a hub on an SQLite file: a new database at `db` and a new signing key in
    /// `key_path` (default `<db>.key`, mode 0600). Refuses if either exists.
    pub fn init(db: &Path, key_path: Option<&Path>, alg: Alg) -> Result<Self> {
        Self::init_database(&Database::Sqlite(db.to_owned()), key_path, alg)
    }

    /// Opens an existing hub on an SQLite file.
    pub fn open(db: &Path, key_path: Option<&Path>) -> Result<Self> {
        Self::open_database(&Database::Sqlite(db.to_owned()), key_path)
    }

    /// Creates a hub on `db` with a new signing key. The key file defaults to `<db>.key` beside
    /// an SQLite file; a PostgreSQL hub must name it, since every hub process needs a copy.
    pub fn init_database(db: &Database, key_path: Option<&Path>, alg: Alg) -> Result<Self> {
        let key_path = key_file(db, key_path)?;
        if key_path.exists() {
            return Err(HubError::AlreadyInitialized { path: key_path });
        }
        if let Some(path) = db.sqlite_path()
            && path.exists()
        {
            return Err(HubError::AlreadyInitialized { path: path.to_owned() });
        }
        let storage = Storage::create(db)?;
        let key = SecretKey::generate(alg);
        crate::keyfile::write(&key_path, &key)?;
        let seal = crate::keyfile::read_or_create_seal(&seal_file(db, &key_path), alg)?;
        let public = key.public_key();
        storage.write(|tx| {
            tx.lock("meta")?;
            tx.set_meta(META_KEY_ID, &public.key_id())?;
            tx.set_meta(META_ALG, alg.as_str())
        })?;
        Hub::with_storage(storage, key, seal, Clock::system())
    }

    /// Opens an existing hub.
    pub fn open_database(db: &Database, key_path: Option<&Path>) -> Result<Self> {
        Self::open_database_with(db, key_path, PgOptions::default())
    }

    /// Opens an existing hub with the given PostgreSQL pool settings.
    pub fn open_database_with(db: &Database, key_path: Option<&Path>, options: PgOptions) -> Result<Self> {
        let key_path = key_file(db, key_path)?;
        // The key first: a missing key file is a setup mistake to report before any connection.
        let key = crate::keyfile::read(&key_path)?;
        let seal = crate::keyfile::read_or_create_seal(&seal_file(db, &key_path), key.alg())?;
        let storage = Storage::open_with(db, options)?;
        Hub::with_storage(storage, key, seal, Clock::system())
    }
}

/// The sealing key file: `<db>.seal` beside an SQLite file, `<key file>.seal` beside the signing
/// key of a hub on PostgreSQL (every process of a province needs a copy of both).
fn seal_file(db: &Database, key_path: &Path) -> PathBuf {
    match db {
        Database::Sqlite(path) => crate::keyfile::seal_path(path),
        Database::Postgres(_) => crate::keyfile::seal_path(key_path),
    }
}

/// The signing key file of a hub: as given, or `<db>.key` beside an SQLite file.
fn key_file(db: &Database, key_path: Option<&Path>) -> Result<PathBuf> {
    match (key_path, db) {
        (Some(path), _) => Ok(path.to_owned()),
        (None, Database::Sqlite(path)) => Ok(crate::keyfile::default_path(path)),
        (None, Database::Postgres(_)) => Err(HubError::Invalid(
            "使用 PostgreSQL 时请用 --key-file（或 QINGFENG_HUB_KEY_FILE）指明签名密钥文件：每个枢纽进程都须有同一把密钥。"
                .into(),
        )),
    }
}

impl<S: HubStorage> Hub<S> {
    /// A hub over any storage. Refuses a key other than the one the store was created with, since
    /// every device pinned that one.
    pub fn with_storage(storage: S, key: SecretKey, seal: qingfeng_seal::SealSecretKey, clock: Clock) -> Result<Self> {
        let public = key.public_key();
        let key_id = public.key_id();
        let recorded = storage.write(|tx| {
            // Two processes creating one hub at once record one key.
            tx.lock("meta")?;
            match tx.meta(META_KEY_ID)? {
                Some(id) => Ok(id),
                None => {
                    tx.set_meta(META_KEY_ID, &key_id)?;
                    tx.set_meta(META_ALG, public.alg.as_str())?;
                    Ok(key_id.clone())
                }
            }
        })?;
        if recorded != key_id {
            return Err(HubError::Invalid(format!(
                "签名密钥（{key_id}）不是建立本枢纽时的密钥（{recorded}）。各设备已认定原密钥，请使用原密钥文件。"
            )));
        }
        Ok(Hub {
            storage,
            device_id: chain::hub_device_id(&key_id),
            key,
            seal,
            public,
            clock,
            metrics: Metrics::default(),
            tls_sha256: None,
            max_clock_ahead_ms: DEFAULT_MAX_CLOCK_AHEAD_MS,
        })
    }

    /// The SHA-256 of the TLS certificate the hub serves (every process of a province serves the
    /// same one): tokens and certificates issued from now on carry it, and offices pin it.
    pub fn with_tls_certificate(mut self, sha256: Option<[u8; 32]>) -> Self {
        self.tls_sha256 = sha256;
        self
    }

    pub fn tls_certificate_sha256(&self) -> Option<[u8; 32]> {
        self.tls_sha256
    }

    /// Replaces the clock (tests move time forward to expire tokens).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Sets how far ahead of the hub's clock an event's clock may be before its change set is
    /// held back with an alarm.
    pub fn with_max_clock_ahead(mut self, bound: Duration) -> Self {
        self.max_clock_ahead_ms = bound.as_millis().min(i64::MAX as u128) as i64;
        self
    }

    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// The hub's public sealing key, which devices receive in their certificates.
    pub fn seal_public_key(&self) -> &qingfeng_seal::SealPublicKey {
        self.seal.public_key()
    }

    /// Opens sealed bundles offices send.
    pub(crate) fn seal_secret(&self) -> &qingfeng_seal::SealSecretKey {
        &self.seal
    }

    /// The sealing keys `office` has published (none if it never did).
    pub fn office_seal_keys(&self, office: &str) -> Result<Vec<qingfeng_seal::SealPublicKey>> {
        self.storage.read(|tx| crate::ingest::office_seal_keys(tx, office))
    }

    /// The hub's device id on its own chain: `hub-<key_id>`.
    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    pub fn storage(&self) -> &S {
        &self.storage
    }

    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now().timestamp_millis()
    }

    fn ctx(&self) -> Ctx<'_> {
        Ctx { hub_device: &self.device_id, now_ms: self.now_ms() }
    }

    // ---- administration ----

    /// Adds an office to the directory and writes the hub's `office.created`, which goes into
    /// every office's feed; the new office's feed starts with the whole directory.
    pub fn add_office(&self, code: &str, name: &str, level: OfficeLevel, parent: Option<&str>) -> Result<Office> {
        let entry = NewOffice { code, name, level, parent };
        self.add_offices(std::slice::from_ref(&entry))?.pop().ok_or_else(|| HubError::Internal("新建机关未找到".into()))
    }

    /// Adds many offices in one transaction, in the order given (a parent may come earlier in
    /// the same list): all of them or, on the first bad entry, none. The feeds end up exactly as
    /// if each had been added on its own, but the directory is read once and every feed is
    /// appended to once, so a province of some 1,600 offices is set up in seconds rather than
    /// in one transaction (and one rewrite of every office row) per office.
    pub fn add_offices(&self, entries: &[NewOffice<'_>]) -> Result<Vec<Office>> {
        let mut checked = Vec::with_capacity(entries.len());
        for entry in entries {
            let code = entry.code.trim();
            let name = entry.name.trim();
            let level = entry.level;
            identity::validate_division_code(code, level)?;
            identity::validate_name("机关名称", name)?;
            let parent = entry.parent.map(str::trim).filter(|p| !p.is_empty());
            match (level, parent) {
                (OfficeLevel::Province, Some(_)) => {
                    return Err(HubError::Invalid("省级机关没有上级机关，请去掉 --parent。".into()));
                }
                (OfficeLevel::Province, None) => {}
                (_, None) => {
                    return Err(HubError::Invalid("州市级和县级机关须用 --parent 指明上级机关代码。".into()));
                }
                (_, Some(p)) => identity::validate_parent(code, level, p)?,
            }
            checked.push((code, name, level, parent));
        }
        let ctx = self.ctx();
        self.storage.write(|tx| {
            let mut added = Vec::with_capacity(checked.len());
            for &(code, name, level, parent) in &checked {
                if tx.office(code)?.is_some() {
                    return Err(HubError::Conflict(format!("机关 {code} 已在名录中。")));
                }
                if let Some(p) = parent
                    && tx.office(p)?.is_none()
                {
                    return Err(HubError::Invalid(format!("上级机关 {p} 不在名录中，请先添加上级机关。")));
                }
                let office = Office {
                    code: code.to_owned(),
                    name: name.to_owned(),
                    level,
                    parent_code: parent.map(str::to_owned),
                    created_at_ms: ctx.now_ms,
                    feed_head: 0,
                    short_name: None,
                    unit: UnitKind::Office,
                };
                tx.insert_office(&office)?;
                added.push(office);
            }
            // Each new office first receives the directory as it was, then everyone receives the
            // new entries, so every feed lists offices in the order they were created. The
            // province's calendars published so far come with it, in the order they were, and
            // every office's published sealing keys, so it can seal to the offices above it.
            let earlier = province_wide_positions(tx)?;
            if !earlier.is_empty() {
                for office in &added {
                    tx.feed_append(&office.code, &earlier)?;
                }
            }
            // The new entries come after everything already in any feed, so appending them to
            // every office at once (new ones included) gives each the order one add at a time
            // would have given it.
            let mut created = Vec::with_capacity(added.len());
            for office in &added {
                let event = NewEvent::new(
                    kind::OFFICE_CREATED,
                    format!("office:{}", office.code),
                    &OfficeCreated {
                        code: office.code.clone(),
                        name: office.name.clone(),
                        level: office.level,
                        parent_code: office.parent_code.clone(),
                    },
                )?;
                created.push(chain::append(tx, ctx.hub_device, event, ctx.now_ms)?.1);
            }
            if !created.is_empty() {
                tx.feed_append_all(&created)?;
            }
            let mut out = Vec::with_capacity(added.len());
            for office in &added {
                out.push(tx.office(&office.code)?.ok_or_else(|| HubError::Internal("新建机关未找到".into()))?);
            }
            Ok(out)
        })
    }

    /// Publishes a year's official working-day calendar to every office, as a hub-signed
    /// `calendar.updated` on the hub's chain. Offices that join later receive it with the
    /// directory. The update is checked first exactly as an office checks its own import.
    pub fn publish_calendar(&self, update: &qingfeng_calendar::CalendarUpdate) -> Result<u64> {
        let mut trial = qingfeng_calendar::Calendar::builtin();
        trial.apply_update(update).map_err(|e| HubError::Invalid(format!("日历有误：{e}")))?;
        let ctx = self.ctx();
        self.storage.write(|tx| {
            let published = NewEvent::new(
                kind::CALENDAR_UPDATED,
                format!("calendar:{}", update.year),
                &CalendarUpdated { update: update.clone() },
            )?;
            let (_, pos) = chain::append(tx, ctx.hub_device, published, ctx.now_ms)?;
            tx.feed_append_all(&[pos])?;
            Ok(pos as u64)
        })
    }

    /// Publishes a version of the key-problem catalogue (重点问题目录) to every office, as a
    /// hub-signed `catalogue.published` on the hub's chain; offices that join later receive it
    /// with the directory. The version is checked by the rules every replica checks again, must
    /// be above the built-in one, and a number once used is never published with another text.
    pub fn publish_catalogue(&self, doc: &qingfeng_log::catalogue::CatalogueDoc) -> Result<u64> {
        use qingfeng_log::catalogue;
        let doc = catalogue::check(doc).map_err(|e| HubError::Invalid(format!("重点问题目录有误：{e}")))?;
        let builtin = catalogue::builtin().version;
        if doc.version <= builtin {
            return Err(HubError::Invalid(format!(
                "重点问题目录的版本号应大于程序内置的第 {builtin} 版（文件中是第 {} 版）。",
                doc.version
            )));
        }
        let payload = doc.published()?;
        let aggregate = catalogue::aggregate(doc.version);
        let ctx = self.ctx();
        self.storage.write(|tx| {
            if !tx.aggregate_positions(&aggregate)?.is_empty() {
                return Err(HubError::Invalid(format!(
                    "重点问题目录第 {} 版已经发布过，已发布的版本不能更改；请把版本号加一后再发布。",
                    doc.version
                )));
            }
            let published = NewEvent::new(kind::CATALOGUE_PUBLISHED, aggregate.clone(), &payload)?;
            let (_, pos) = chain::append(tx, ctx.hub_device, published, ctx.now_ms)?;
            tx.feed_append_all(&[pos])?;
            Ok(pos as u64)
        })
    }

    /// Publishes a version of a province-wide document (a regulation, a notice template or a
    /// checklist template) to every office, as a hub-signed `content.published` on the hub's
    /// chain; offices that join later receive it with the directory. The envelope is checked by
    /// the rules every replica checks again, and a version number once used for a document is
    /// never published again, whatever its text.
    pub fn publish_content(&self, doc: &qingfeng_log::content::ProvinceDoc) -> Result<u64> {
        use qingfeng_log::content;
        let doc = content::check(doc).map_err(|e| HubError::Invalid(e.to_string()))?;
        let payload = doc.published()?;
        let aggregate = content::aggregate(doc.kind, &doc.id, doc.version);
        let ctx = self.ctx();
        self.storage.write(|tx| {
            if !tx.aggregate_positions(&aggregate)?.is_empty() {
                return Err(HubError::Invalid(format!(
                    "{}已经发布过，已发布的版本不能更改；请把版本号加一后再发布。",
                    doc.describe()
                )));
            }
            let published = NewEvent::new(kind::CONTENT_PUBLISHED, aggregate.clone(), &payload)?;
            let (_, pos) = chain::append(tx, ctx.hub_device, published, ctx.now_ms)?;
            tx.feed_append_all(&[pos])?;
            Ok(pos as u64)
        })
    }

    pub fn offices(&self) -> Result<Vec<Office>> {
        self.storage.read(|tx| tx.offices())
    }

    /// Issues a one-time enrollment token for `office`, valid for `valid_for`.
    pub fn issue_token(&self, office: &str, valid_for: Duration) -> Result<IssuedToken> {
        let mut raw = [0u8; qingfeng_sync::tls::SECRET_HEX / 2];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut raw);
        // Groups of five hex digits are easy to read aloud and to type on an office's machine;
        // an HTTPS hub's certificate fingerprint follows, so the office pins it at enrollment.
        let token = qingfeng_sync::tls::join_token(&hex::encode(raw), self.tls_sha256.as_ref());
        let now = self.now_ms();
        let expires_at_ms = now.saturating_add(valid_for.as_millis().min(i64::MAX as u128) as i64);
        self.storage.write(|tx| {
            if tx.office(office)?.is_none() {
                return Err(HubError::NotFound { what: "机关", id: office.to_owned() });
            }
            tx.insert_token(
                &token_hash(&token),
                &Token {
                    office_code: office.to_owned(),
                    issued_at_ms: now,
                    expires_at_ms,
                    used_at_ms: None,
                    used_by: None,
                },
            )
        })?;
        Ok(IssuedToken {
            token,
            office_code: office.to_owned(),
            expires_at_ms,
            hub_key_id: self.public.key_id(),
            hub_alg: self.public.alg.as_str().to_owned(),
            tls_sha256: self.tls_sha256.map(|s| qingfeng_sync::tls::fingerprint_text(&s)),
        })
    }

    pub fn devices(&self) -> Result<Vec<Device>> {
        self.storage.read(|tx| tx.devices())
    }

    /// Revokes a device: from now on its change sets are refused (and raise an alarm) and its
    /// authenticated requests answered 403.
    pub fn revoke_device(&self, device_id: &str, reason: &str) -> Result<()> {
        let now = self.now_ms();
        self.storage.write(|tx| {
            if tx.device(device_id)?.is_none() {
                return Err(HubError::NotFound { what: "设备", id: device_id.to_owned() });
            }
            if !tx.revoke_device(device_id, now, reason)? {
                return Err(HubError::Conflict(format!("设备 {device_id} 已被吊销。")));
            }
            Ok(())
        })
    }

    pub fn alarms(&self) -> Result<Vec<Alarm>> {
        self.storage.read(|tx| tx.alarms())
    }

    pub fn counts(&self) -> Result<Counts> {
        self.storage.read(|tx| tx.counts())
    }

    /// Ownership of one aggregate, if any office has written it.
    pub fn aggregate(&self, id: &str) -> Result<Option<crate::storage::Aggregate>> {
        self.storage.read(|tx| tx.aggregate(id))
    }

    /// Walks every chain the hub holds (the offices' and its own): seq contiguous from 1, each
    /// `prev` the previous hash, each hash recomputed, and each head as recorded.
    pub fn verify_events(&self) -> Result<VerifyReport> {
        // A damaged file is named first, in words, rather than failing half-way in English.
        let pages = self.storage.read(|tx| tx.integrity_problems())?;
        if !pages.is_empty() {
            return Ok(VerifyReport {
                ok: false,
                events: 0,
                chains: 0,
                refused_events: 0,
                problems: std::iter::once(
                    "枢纽数据库文件已损坏。请停止枢纽服务，从最近的备份恢复数据库文件后再启动；各机关设备会在下次同步时补交备份之后的记录。".to_owned(),
                )
                .chain(pages.into_iter().map(|p| format!("SQLite 检查：{p}")))
                .collect(),
                blobs: crate::blobs::BlobCheck::default(),
            });
        }
        self.storage
            .read(|tx| {
                let mut report = VerifyReport {
                    ok: true,
                    events: 0,
                    chains: 0,
                    refused_events: 0,
                    problems: Vec::new(),
                    blobs: crate::blobs::BlobCheck::default(),
                };
                let mut device = String::new();
                let mut cursor = ChainCursor::default();
                let mut heads: Vec<(String, u64, [u8; 32])> = Vec::new();
                tx.for_each_event(&mut |e, status| {
                    report.events += 1;
                    if status == EventStatus::Refused {
                        report.refused_events += 1;
                    }
                    if e.origin_device != device {
                        if !device.is_empty() {
                            heads.push((std::mem::take(&mut device), cursor.seq(), cursor.hash()));
                        }
                        device = e.origin_device.clone();
                        cursor = ChainCursor::default();
                        report.chains += 1;
                    }
                    // The hub holds every chain whole, so each is checked strictly. After a break the
                    // walk carries on from the broken event, so one problem is reported once.
                    if let Err(problem) = cursor.follow(&e.body(), &e.hash) {
                        if report.problems.len() < 100 {
                            report.problems.push(format!("设备 {} 序号 {}：{problem}", e.origin_device, e.seq));
                        }
                        cursor = ChainCursor::after(e.seq, e.hash);
                    }
                    Ok(())
                })?;
                if !device.is_empty() {
                    heads.push((device, cursor.seq(), cursor.hash()));
                }
                for (device, seq, hash) in heads {
                    let recorded = tx.head(&device)?;
                    if recorded.map(|h| (h.seq, h.hash)) != Some((seq, hash)) {
                        report.problems.push(format!(
                            "设备 {device} 记录的链头（序号 {}）与事件不符（序号 {}）",
                            recorded.map_or(0, |h| h.seq),
                            seq
                        ));
                    }
                }
                report.ok = report.problems.is_empty();
                Ok(report)
            })
            .and_then(|mut report| {
                report.blobs = self.verify_blobs()?;
                for sha in &report.blobs.damaged {
                    report.problems.push(format!("文件 {sha} 的内容与其哈希不符（已损坏或被改动）"));
                }
                report.ok = report.problems.is_empty();
                Ok(report)
            })
    }

    // ---- enrollment ----

    /// Enrolls a device online: the request must carry a valid one-time token for its office.
    pub fn enroll(&self, request: &Signed<EnrollmentRequest>) -> Result<IssuedCertificate> {
        self.enroll_inner(request, true)
    }

    /// Enrolls a device from an offline request file: no token, because the administrator who
    /// runs this saw the file and the person who brought it.
    pub fn enroll_offline(&self, request: &Signed<EnrollmentRequest>) -> Result<IssuedCertificate> {
        self.enroll_inner(request, false)
    }

    fn enroll_inner(&self, request: &Signed<EnrollmentRequest>, need_token: bool) -> Result<IssuedCertificate> {
        let claimed = request.peek().map_err(|e| HubError::Invalid(format!("登记申请无法解读：{e}")))?;
        let req = request
            .open(ENROLLMENT_CONTEXT, &claimed.public_key)
            .map_err(|e| HubError::Unauthenticated(format!("登记申请的签名无效：{e}")))?;
        req.public_key.validate().map_err(|e| HubError::Invalid(format!("登记申请中的公钥无效：{e}")))?;
        validate_device_id(&req.device_id)?;
        let now = self.now_ms();
        let device = self.storage.write(|tx| {
            if tx.office(&req.office_code)?.is_none() {
                return Err(HubError::NotFound { what: "机关", id: req.office_code.clone() });
            }
            let existing = tx.device(&req.device_id)?;
            if let Some(d) = &existing
                && (d.public_key != req.public_key.bytes || d.office_code != req.office_code)
            {
                return Err(HubError::Conflict(format!(
                    "设备编号 {} 已登记为另一把密钥或另一机关。请换用新的设备编号重新申请。",
                    req.device_id
                )));
            }
            if need_token {
                let token = req.token.as_deref().map(str::trim).filter(|t| !t.is_empty()).ok_or_else(|| {
                    HubError::Unauthenticated("在线登记需要登记口令，请向省级中心管理员索取。".into())
                })?;
                let sha = token_hash(token);
                let stored = tx
                    .token(&sha)?
                    .ok_or_else(|| HubError::Unauthenticated("登记口令不正确，请核对后重新输入。".into()))?;
                if stored.office_code != req.office_code {
                    return Err(HubError::Unauthenticated(format!(
                        "该登记口令只能用于机关 {}，不能用于 {}。",
                        stored.office_code, req.office_code
                    )));
                }
                match (&stored.used_by, &existing) {
                    // A retry after a lost answer: the same device with the same key gets its
                    // certificate again.
                    (Some(by), Some(_)) if *by == req.device_id => {}
                    (Some(_), _) => {
                        return Err(HubError::Unauthenticated("该登记口令已经用过，请向管理员索取新的口令。".into()));
                    }
                    (None, _) if stored.expires_at_ms < now => {
                        return Err(HubError::Unauthenticated("登记口令已过期，请向管理员索取新的口令。".into()));
                    }
                    (None, _) => tx.use_token(&sha, &req.device_id, now)?,
                }
            }
            if let Some(d) = existing {
                return Ok(d);
            }
            let device = Device {
                device_id: req.device_id.clone(),
                office_code: req.office_code.clone(),
                alg: req.public_key.alg.as_str().to_owned(),
                public_key: req.public_key.bytes.clone(),
                key_id: req.public_key.key_id(),
                cert_serial: tx.next_cert_serial()?,
                enrolled_at_ms: now,
                revoked_at_ms: None,
                revoke_reason: None,
            };
            tx.insert_device(&device)?;
            Ok(device)
        })?;
        // The office's sealing keys, when the request carries them, are published to every office
        // now, so that offices above and below can seal to it before its log ever arrives.
        if let Some(published) = &req.office_seal_keys {
            if published.office_code != req.office_code {
                return Err(HubError::Invalid("登记申请中的加密公钥不属于申请的机关。".into()));
            }
            published.validate().map_err(|e| HubError::Invalid(format!("登记申请中的加密公钥无效：{e}")))?;
            let ctx = self.ctx();
            self.storage.write(|tx| {
                if let Some(pos) = crate::ingest::record_office_keys(tx, ctx, published)? {
                    // One append to every feed, taking the office locks in the order every
                    // other writer takes them.
                    tx.feed_append_all(&[pos])?;
                }
                Ok(())
            })?;
        }
        if device.revoked_at_ms.is_some() {
            return Err(HubError::Forbidden(format!("设备 {} 已被吊销，不能再次登记。", device.device_id)));
        }
        let certificate = DeviceCertificate {
            office_code: device.office_code,
            device_id: device.device_id,
            public_key: req.public_key,
            hub_key_id: self.public.key_id(),
            serial: device.cert_serial,
            issued_at_ms: device.enrolled_at_ms,
            hub_tls_sha256: self.tls_sha256.map(|s| s.to_vec()),
            hub_seal_key: Some(self.seal.public_key().clone()),
        };
        Ok(IssuedCertificate {
            certificate: Signed::sign(CERTIFICATE_CONTEXT, &certificate, &self.key)?,
            hub_key: self.public.clone(),
        })
    }

    // ---- authenticated requests ----

    /// Checks an `X-Qingfeng-Auth` header (base64 of `Signed<AuthRequest>`) for `path` and
    /// `body`, and returns the calling device.
    pub fn authenticate(&self, header: Option<&str>, path: &str, body: &[u8]) -> Result<Device> {
        use base64::Engine;
        let header = header.ok_or_else(|| HubError::Unauthenticated("缺少认证信息（X-Qingfeng-Auth）。".into()))?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(header.trim())
            .map_err(|_| HubError::Unauthenticated("认证信息不是有效的 base64。".into()))?;
        let signed = Signed::<AuthRequest>::decode(&bytes)
            .map_err(|e| HubError::Unauthenticated(format!("认证信息无法解读：{e}")))?;
        let claimed = signed.peek().map_err(|e| HubError::Unauthenticated(format!("认证信息无法解读：{e}")))?;
        let device = self
            .storage
            .read(|tx| tx.device(&claimed.device_id))?
            .ok_or_else(|| HubError::Unauthenticated(format!("设备 {} 未在省级中心登记。", claimed.device_id)))?;
        let key = device_key(&device)?;
        if device.revoked_at_ms.is_some() {
            // A revoked device is refused here, before any change set reaches `accept_signed`, so
            // this is where its attempt must raise the alarm (a lost laptop still trying to sync).
            // Only a request really signed with the device's key raises it, so nobody else can
            // flood the alarm list in the device's name.
            if signed.open(AUTH_CONTEXT, &key).is_ok() {
                let detail = format!(
                    "已吊销的设备尝试同步（{path}）；吊销原因：{}",
                    device.revoke_reason.as_deref().unwrap_or("未说明")
                );
                self.raise(&device, "revoked_device", &detail)?;
            }
            return Err(HubError::Forbidden(format!("设备 {} 的证书已被吊销，不能再同步。", device.device_id)));
        }
        let request =
            signed.open(AUTH_CONTEXT, &key).map_err(|e| HubError::Unauthenticated(format!("认证信息签名无效：{e}")))?;
        let now = self.now_ms();
        request.check(path, body, now).map_err(|e| HubError::Unauthenticated(e.to_string()))?;
        // A header is good for one request: its nonce is remembered for as long as its time could
        // still pass the check, so a captured header sent again is refused.
        let expires = request.ts_ms.saturating_add(qingfeng_sync::envelope::AUTH_WINDOW_MS * 2);
        let fresh =
            self.storage.write_grouped(|tx| tx.remember_nonce(&device.device_id, &request.nonce, expires, now))?;
        if !fresh {
            return Err(HubError::Unauthenticated(
                "该认证信息已经用过（可能是他人截获后重发），请求被拒绝。本机会自动重新认证，无需处理；如反复出现，请联系省级中心管理员。"
                    .into(),
            ));
        }
        Ok(device)
    }

    /// What the hub holds of the calling device and its office's feed.
    pub fn status(&self, device: &Device) -> Result<StatusResponse> {
        self.storage.read(|tx| {
            let head = tx.head(&device.device_id)?.unwrap_or(Head { seq: 0, hash: GENESIS, hlc: 0 });
            let feed_head = tx.office(&device.office_code)?.map_or(0, |o| o.feed_head);
            Ok(StatusResponse {
                acked_seq: head.seq,
                acked_hash: head.hash,
                feed_head,
                hub_time_ms: self.now_ms(),
                max_clock_ahead_ms: self.max_clock_ahead_ms,
            })
        })
    }

    /// One signed page of the office's feed after `after`, without the device's own events.
    pub fn feed(&self, device: &Device, after: u64, limit: u32) -> Result<Signed<FeedPage>> {
        let page = self.feed_page(&device.office_code, &device.device_id, after, limit)?;
        Ok(Signed::sign(FEED_CONTEXT, &page, &self.key)?)
    }

    fn feed_page(&self, office: &str, device_id: &str, after: u64, limit: u32) -> Result<FeedPage> {
        let limits = FeedLimits {
            max_events: limit.clamp(1, MAX_FEED_LIMIT) as usize,
            max_bytes: FEED_PAGE_BYTES,
            max_scan: FEED_SCAN,
        };
        let rows = self.storage.read(|tx| tx.feed_page(office, after, device_id, limits))?;
        self.metrics.feed_page();
        Ok(FeedPage { office_code: office.to_owned(), events: rows.events, cursor: rows.cursor, more: rows.more })
    }

    // ---- change sets ----

    /// Answers one encoded `SignedChangeSet` with a signed receipt. Bytes that are not a change
    /// set at all (nothing to attribute a receipt to) fail with `HubError::Invalid`.
    pub fn accept_changeset(&self, bytes: &[u8]) -> Result<Answer> {
        let started = std::time::Instant::now();
        let signed = SignedChangeSet::decode(bytes).map_err(|e| HubError::Invalid(format!("变更集无法解读：{e}")))?;
        self.metrics.verified(started.elapsed());
        let answer = self.accept_signed(&signed)?;
        self.drain_waiting(&answer)?;
        Ok(answer)
    }

    fn accept_signed(&self, signed: &SignedChangeSet) -> Result<Answer> {
        let id = signed.id();
        if let Some(stored) = self.storage.read(|tx| tx.receipt(&id))? {
            let receipt = Signed::<Receipt>::decode(&stored.signed)?.peek()?;
            self.count(&receipt);
            return Ok(Answer { receipt, signed: stored.signed });
        }
        let started = std::time::Instant::now();
        let set = signed.peek().map_err(|e| HubError::Invalid(format!("变更集无法解读：{e}")))?;
        self.metrics.verified(started.elapsed());
        let Some(device) = self.storage.read(|tx| tx.device(set.origin_device()))? else {
            return self.answer(&set, id, reject(RejectCode::UnknownDevice, "省级中心没有该设备的登记"));
        };
        if device.revoked_at_ms.is_some() {
            let detail = format!(
                "已吊销的设备提交了变更集（序号 {}–{}）；吊销原因：{}",
                set.first_seq(),
                set.last_seq(),
                device.revoke_reason.as_deref().unwrap_or("未说明")
            );
            self.raise(&device, "revoked_device", &detail)?;
            return self.answer(&set, id, reject(RejectCode::Revoked, "本设备的证书已被吊销"));
        }
        let started = std::time::Instant::now();
        let key = device_key(&device)?;
        // The body was decoded by `peek` already; checking the signature over the same bytes here
        // instead of `open` saves decoding and re-hashing a set of thousands of events twice.
        let signature_ok = signed.alg == key.alg
            && signed.key_id == key.key_id()
            && key
                .verify(
                    qingfeng_sync::changeset::CONTEXT,
                    &signed.body,
                    &Signature { alg: signed.alg, bytes: signed.signature.clone() },
                )
                .is_ok();
        self.metrics.verified(started.elapsed());
        if !signature_ok {
            return self.answer(&set, id, reject(RejectCode::BadSignature, "签名与登记的设备密钥不符"));
        }
        if let Some(outcome) = self.clock_ahead(&set, &device)? {
            return self.answer(&set, id, outcome);
        }
        self.apply(&set, id, &device, signed)
    }

    /// Holds back a set whose clock is further ahead of the hub's than the bound: the answer is not
    /// stored (the same set is accepted once the hub's time reaches it) and an alarm names the
    /// office and the device, at most once an hour per device. The hub never takes such a clock
    /// into its own, so one wrong machine cannot shift every office's timeline.
    fn clock_ahead(&self, set: &ChangeSet, device: &Device) -> Result<Option<Outcome>> {
        let now = self.now_ms();
        let limit = now.saturating_add(self.max_clock_ahead_ms);
        let Some(ahead) =
            set.events().iter().filter(|e| qingfeng_log::clock::is_valid_hlc(e.hlc)).find(|e| e.hlc_millis() > limit)
        else {
            return Ok(None);
        };
        let by = qingfeng_log::clock::spoken_duration(ahead.hlc_millis().saturating_sub(now));
        let detail = format!(
            "机关 {} 的设备 {} 的时钟比省级中心快{by}（序号 {} 起），其变更集暂缓接收；请该单位把电脑的日期和时间调准",
            device.office_code, device.device_id, ahead.seq
        );
        let recent = self.storage.read(|tx| tx.latest_alarm_ms("clock_ahead", &device.device_id))?;
        if recent.is_none_or(|at| now.saturating_sub(at) > 60 * 60 * 1000) {
            self.raise(device, "clock_ahead", &detail)?;
        }
        Ok(Some(reject(RejectCode::ClockAhead, &format!("本机时钟比省级中心快{by}，本批暂缓接收"))))
    }

    /// Applies a verified set in one transaction; if it breaks an authority rule, records it as
    /// refused in another.
    fn apply(&self, set: &ChangeSet, id: [u8; 32], device: &Device, signed: &SignedChangeSet) -> Result<Answer> {
        let ctx = self.ctx();
        let started = std::time::Instant::now();
        let first = self.storage.write_grouped(|tx| {
            // One writer per chain, in any process: the lock is taken before anything of the
            // chain is read, so a set arriving twice at once is applied once.
            tx.lock(&chain::lock_name(&device.device_id))?;
            // The same set may have been settled by a concurrent request since the read above;
            // answering with its stored receipt keeps the answer byte for byte the same.
            if let Some(stored) = tx.receipt(&id)? {
                let receipt = Signed::<Receipt>::decode(&stored.signed)?.peek()?;
                return Ok(Settled {
                    answer: Answer { receipt, signed: stored.signed },
                    new_events: 0,
                    refused_events: 0,
                    alarm: false,
                });
            }
            tx.remove_waiting(&id)?;
            let applied = ingest::apply(tx, ctx, set, device, false)?;
            self.settle(tx, ctx, set, id, device, signed, applied, None)
        });
        let settled = match first {
            Err(HubError::Refused(reason)) => self.storage.write_grouped(|tx| {
                tx.lock(&chain::lock_name(&device.device_id))?;
                tx.remove_waiting(&id)?;
                let applied = ingest::apply(tx, ctx, set, device, true)?;
                self.settle(tx, ctx, set, id, device, signed, applied, Some(reason.clone()))
            }),
            other => other,
        }?;
        // Counted once the transaction committed (a write may run more than once).
        self.metrics.stored(started.elapsed());
        self.metrics.events(settled.new_events);
        self.metrics.refused_events(settled.refused_events);
        if settled.alarm {
            self.metrics.alarm();
        }
        self.count(&settled.answer.receipt);
        Ok(settled.answer)
    }

    /// Turns what `ingest::apply` did into a signed receipt, stored when it is final.
    #[allow(clippy::too_many_arguments)]
    fn settle(
        &self,
        tx: &mut dyn HubTx,
        ctx: Ctx<'_>,
        set: &ChangeSet,
        id: [u8; 32],
        device: &Device,
        signed: &SignedChangeSet,
        applied: Applied,
        refused: Option<String>,
    ) -> Result<Settled> {
        let mut alarm = false;
        let mut new_events = 0;
        let mut refused_events = 0;
        let outcome = match (&applied, refused) {
            (Applied::Chain(ChainCheck::Gap { head }), _) => {
                tx.put_waiting(
                    &Waiting {
                        changeset_id: id,
                        device_id: device.device_id.clone(),
                        first_seq: set.first_seq(),
                        last_seq: set.last_seq(),
                        signed: signed.encode(),
                    },
                    ctx.now_ms,
                )?;
                let reason =
                    format!("省级中心只收到序号 {head} 为止，本批从 {} 开始，已暂存，补齐后自动接收", set.first_seq());
                let answer = self.sign_receipt(set, id, reject(RejectCode::Gap, &reason))?;
                return Ok(Settled { answer, new_events: 0, refused_events: 0, alarm: false });
            }
            (Applied::Chain(ChainCheck::BrokenChain { head }), _) => {
                reject(RejectCode::BrokenChain, &format!("本批的前序哈希与省级中心所存序号 {head} 的事件不符"))
            }
            (Applied::Chain(ChainCheck::Equivocation { seq, held, got }), _) => {
                let detail = format!(
                    "序号 {seq} 出现两份不同的事件：中心所存哈希 {}，新收到 {}",
                    hex::encode(held),
                    hex::encode(got)
                );
                tx.insert_alarm(
                    "equivocation",
                    Some(&device.office_code),
                    Some(&device.device_id),
                    &detail,
                    ctx.now_ms,
                )?;
                alarm = true;
                reject(RejectCode::Equivocation, &detail)
            }
            (Applied::Chain(other), _) => {
                return Err(HubError::Internal(format!("未预料的链检查结果：{other:?}")));
            }
            (_, Some(reason)) => {
                if let Applied::Appended { new_events: n, .. } = &applied {
                    refused_events = *n;
                }
                reject(RejectCode::Unauthorized, &reason)
            }
            (Applied::Appended { new_events: n, .. }, None) => {
                new_events = *n;
                Outcome::Accepted
            }
            (Applied::AlreadyHeld, None) => Outcome::Accepted,
        };
        let answer = self.sign_receipt(set, id, outcome)?;
        tx.put_receipt(
            &StoredReceipt {
                changeset_id: id,
                device_id: device.device_id.clone(),
                first_seq: set.first_seq(),
                last_seq: set.last_seq(),
                outcome: outcome_name(&answer.receipt.outcome).to_owned(),
                signed: answer.signed.clone(),
            },
            ctx.now_ms,
        )?;
        Ok(Settled { answer, new_events, refused_events, alarm })
    }

    /// Applies the device's waiting sets whose prerequisite is now held, each in its own
    /// transaction, until none is ready.
    fn drain_waiting(&self, answer: &Answer) -> Result<()> {
        if !matches!(
            answer.receipt.outcome,
            Outcome::Accepted | Outcome::Rejected { code: RejectCode::Unauthorized, .. }
        ) {
            return Ok(());
        }
        let device = answer.receipt.origin_device.as_str();
        // Each round applies or settles at least one waiting set (it is removed either way), so
        // the loop ends; the bound guards against a storage that fails to remove one.
        for _ in 0..100_000 {
            let ready = self.storage.read(|tx| {
                let head = tx.head(device)?.map_or(0, |h| h.seq);
                tx.waiting_ready(device, head + 1)
            })?;
            let Some(next) = ready.into_iter().next() else {
                return Ok(());
            };
            let signed = SignedChangeSet::decode(&next.signed)?;
            let result = self.accept_signed(&signed);
            // Whatever the answer, the set no longer waits: a final receipt is stored for it, or
            // it was refused before reaching storage (revoked, bad signature) and would never pass.
            self.storage.write(|tx| tx.remove_waiting(&next.changeset_id))?;
            result?;
        }
        Ok(())
    }

    fn sign_receipt(&self, set: &ChangeSet, id: [u8; 32], outcome: Outcome) -> Result<Answer> {
        let receipt = Receipt {
            changeset_id: id,
            origin_device: set.origin_device().to_owned(),
            first_seq: set.first_seq(),
            last_seq: set.last_seq(),
            outcome,
            hub_time_ms: self.now_ms(),
        };
        let signed = Signed::sign(RECEIPT_CONTEXT, &receipt, &self.key)?.encode();
        Ok(Answer { receipt, signed })
    }

    /// A receipt that is not stored (the answer may differ when the set comes again).
    fn answer(&self, set: &ChangeSet, id: [u8; 32], outcome: Outcome) -> Result<Answer> {
        let answer = self.sign_receipt(set, id, outcome)?;
        self.count(&answer.receipt);
        Ok(answer)
    }

    fn count(&self, receipt: &Receipt) {
        match &receipt.outcome {
            Outcome::Accepted => self.metrics.changeset(None),
            Outcome::Rejected { code, .. } => self.metrics.changeset(Some(*code)),
        }
    }

    fn raise(&self, device: &Device, kind: &str, detail: &str) -> Result<()> {
        let now = self.now_ms();
        self.storage
            .write(|tx| tx.insert_alarm(kind, Some(&device.office_code), Some(&device.device_id), detail, now))?;
        self.metrics.alarm();
        Ok(())
    }

    /// The signed receipt stored for a change set, if it has a final one.
    pub fn stored_receipt(&self, changeset_id: &[u8; 32]) -> Result<Option<Vec<u8>>> {
        Ok(self.storage.read(|tx| tx.receipt(changeset_id))?.map(|r| r.signed))
    }

    /// Every event the hub holds of `device`, in seq order (for tests and audits).
    pub fn chain_of(&self, device_id: &str) -> Result<Vec<(Event, EventStatus)>> {
        self.storage.read(|tx| {
            let mut out = Vec::new();
            tx.for_each_event(&mut |e, status| {
                if e.origin_device == device_id {
                    out.push((e.clone(), status));
                }
                Ok(())
            })?;
            Ok(out)
        })
    }

    /// Signs with the hub's key (bundles).
    pub(crate) fn secret_key(&self) -> &SecretKey {
        &self.key
    }

    /// One unsigned feed page of `office`, for return bundles.
    pub(crate) fn office_feed_page(&self, office: &str, device_id: &str, after: u64) -> Result<FeedPage> {
        self.feed_page(office, device_id, after, MAX_FEED_LIMIT)
    }

    /// Signs a feed page.
    pub(crate) fn sign_feed(&self, page: &FeedPage) -> Result<Signed<FeedPage>> {
        Ok(Signed::sign(FEED_CONTEXT, page, &self.key)?)
    }

    /// Final receipts of a device for sets ending after `after_seq`.
    pub(crate) fn receipts_after(&self, device_id: &str, after_seq: u64) -> Result<Vec<StoredReceipt>> {
        self.storage.read(|tx| tx.receipts_after(device_id, after_seq))
    }

    /// A device's certified key.
    pub(crate) fn device(&self, device_id: &str) -> Result<Option<Device>> {
        self.storage.read(|tx| tx.device(device_id))
    }

    /// A fresh gap receipt for a set still waiting.
    pub(crate) fn waiting_receipt(&self, signed: &SignedChangeSet) -> Result<Answer> {
        let set = signed.peek()?;
        let reason = "省级中心尚缺此前的变更集，本批已暂存，补齐后自动接收";
        self.sign_receipt(&set, signed.id(), reject(RejectCode::Gap, reason))
    }
}

/// What one transaction made of a change set, for the counters to record after it committed.
struct Settled {
    answer: Answer,
    new_events: usize,
    refused_events: usize,
    alarm: bool,
}

fn reject(code: RejectCode, reason: &str) -> Outcome {
    Outcome::Rejected { code, reason: reason.to_owned() }
}

fn outcome_name(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Accepted => "accepted",
        Outcome::Rejected { code, .. } => code.as_str(),
    }
}

/// Every province-wide event the hub has published so far (directory, calendars), in the order it
/// published them: the start of a new office's feed.
pub(crate) fn province_wide_positions(tx: &mut dyn HubTx) -> Result<Vec<i64>> {
    let mut earlier = Vec::new();
    for k in kind::PROVINCE_WIDE {
        earlier.extend(tx.positions_of_kind(HUB_OFFICE, k)?);
    }
    earlier.sort_unstable();
    Ok(earlier)
}

/// The SHA-256 of a token's secret as typed, ignoring case, separators and the certificate
/// fingerprint that follows the secret when the hub serves HTTPS.
fn token_hash(token: &str) -> [u8; 32] {
    let normal = match qingfeng_sync::tls::split_token(token) {
        Ok(parts) => parts.secret,
        Err(_) => token.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect(),
    };
    Sha256::digest(normal.as_bytes()).into()
}

pub(crate) fn device_key(device: &Device) -> Result<PublicKey> {
    let alg: Alg = device.alg.parse()?;
    Ok(PublicKey::from_bytes(alg, &device.public_key)?)
}

/// Device ids are chosen by the device; keep them short and plain, and away from the hub's own.
fn validate_device_id(id: &str) -> Result<()> {
    let ok = (1..=64).contains(&id.len())
        && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !id.starts_with("hub-");
    if ok {
        Ok(())
    } else {
        Err(HubError::Invalid(format!(
            "设备编号“{id}”不符合要求：应为 1–64 位英文字母、数字或 - _ .，且不以 hub- 开头。"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_compared_as_typed_without_case_or_separators() {
        assert_eq!(token_hash("1da36-e737d"), token_hash("1DA36 E737D"));
        assert_ne!(token_hash("1da36-e737d"), token_hash("1da36-e737e"));
    }

    #[test]
    fn device_ids_are_plain_and_never_the_hubs() {
        assert!(validate_device_id("wuhua-laptop.1").is_ok());
        for bad in ["", "hub-abc", "有中文", "a b", &"x".repeat(65)] {
            assert!(validate_device_id(bad).is_err(), "{bad}");
        }
    }
}
