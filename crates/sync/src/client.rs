//! The office's side of the protocol over HTTP: enrollment, status exchange, bounded uploads with
//! signed receipts, bounded feed pages applied one transaction each, and retry with backoff.
//!
//! The store is shared with the rest of the program behind a mutex; it is locked only to read
//! the outbox or apply a page, never across a network call, so officers keep working while a
//! slow link drags on.

use std::sync::Mutex;
use std::time::Duration;

use qingfeng_core::replication::{ReceiptRecord, SyncConfig};
use qingfeng_core::{KeySource, Store};
use serde::Serialize;

use crate::changeset::{ChangeSet, MAX_SINGLE_EVENT_BYTES, SignedChangeSet, single_event_len, split_sendable};
use crate::crypto::{Alg, PublicKey, SecretKey};
use crate::envelope::{
    AuthRequest, CERTIFICATE_CONTEXT, ENROLLMENT_CONTEXT, EnrollmentRequest, FEED_CONTEXT, FeedPage, FeedRequest,
    IssuedCertificate, Outcome, RECEIPT_CONTEXT, Receipt, Signed, StatusResponse,
};
use crate::error::{Result, SyncError};

mod transfer;

/// The keyring entry (or key-file suffix) holding this device's signing key.
pub const SIGNING_SECRET: &str = "signing";
/// Events per uploaded change set and bytes per set: small enough that a cut costs little.
pub const UPLOAD_EVENTS: usize = 2000;
pub const UPLOAD_BYTES: usize = 4 * 1024 * 1024;
/// Feed page size asked of the hub.
pub const FEED_LIMIT: u32 = 1000;
/// Upper bounds on one sync run, so a misbehaving hub can never keep the loop going forever.
const MAX_UPLOADS_PER_RUN: usize = 10_000;
const MAX_PAGES_PER_RUN: usize = 10_000;

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncReport {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub uploaded_events: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub changesets_accepted: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub changesets_rejected: u64,
    /// Reasons of the rejections, in Chinese.
    pub rejections: Vec<String>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub downloaded_events: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub applied_events: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub conflicts: u64,
    /// Complaints whose reporter was sealed again to offices above whose keys arrived.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub resealed: u64,
    /// Hand-overs that waited for the receiving office's key and were made now.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub released_handovers: u64,
    /// The record that stops this device's uploads, in words, when one is too large to send; the
    /// events before it were sent and the feed was still read.
    pub blocked: Option<String>,
    /// Attachments, evidence and PDFs sent to the hub and received from it, and their bytes.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub blobs_sent: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub blobs_received: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub blob_bytes: u64,
}

/// Where the client finds the store: shared with the rest of the program, locked only for each
/// short read or write, never across a network call.
pub trait Replica: Sync {
    fn with_store<R>(&self, f: impl FnOnce(&mut Store) -> qingfeng_core::Result<R>) -> Result<R>;
}

impl Replica for Mutex<Store> {
    fn with_store<R>(&self, f: impl FnOnce(&mut Store) -> qingfeng_core::Result<R>) -> Result<R> {
        // A panic elsewhere while holding the lock leaves the store itself consistent (every write
        // is one SQLite transaction), so carrying on with the inner value is safe.
        let mut guard = self.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        Ok(f(&mut guard)?)
    }
}

/// The algorithm of this device's key as its certificate names it, or `fallback` for a device
/// not yet enrolled (its key is made on first use).
pub fn key_alg(store: &Store, fallback: Alg) -> Result<Alg> {
    match store.sync_config()? {
        Some(c) => Ok(IssuedCertificate::decode(&c.certificate)?.certificate.peek()?.public_key.alg),
        None => Ok(fallback),
    }
}

/// This device's signing key, created on first use and kept beside the database key. Pass the
/// store's own (absolute) path, as the database key's keyring entry is named by it.
pub fn device_key(keys: &KeySource, db_path: &std::path::Path, alg: Alg) -> Result<SecretKey> {
    if let Some(text) = keys.load_secret(db_path, SIGNING_SECRET)? {
        return decode_device_key(&text);
    }
    let key = SecretKey::generate(alg);
    keys.store_secret(db_path, SIGNING_SECRET, &encode_device_key(&key))?;
    Ok(key)
}

/// Reads a device key as it is kept in the key store.
pub fn decode_device_key(text: &str) -> Result<SecretKey> {
    let (alg, hex_key) =
        text.split_once(':').ok_or_else(|| SyncError::Key("本机签名密钥的存储格式不正确，请联系技术支持。".into()))?;
    let bytes = zeroize::Zeroizing::new(
        hex::decode(hex_key).map_err(|_| SyncError::Key("本机签名密钥的存储格式不正确，请联系技术支持。".into()))?,
    );
    SecretKey::from_bytes(alg.parse()?, &bytes)
}

/// A device key as it is kept in the key store: `<alg>:<hex>`.
pub fn encode_device_key(key: &SecretKey) -> zeroize::Zeroizing<String> {
    zeroize::Zeroizing::new(format!("{}:{}", key.alg().as_str(), hex::encode(key.to_bytes().as_slice())))
}

/// A signed enrollment request (online with a token, or written to a `.qfreq` file).
pub fn enrollment_request(store: &Store, key: &SecretKey, token: Option<&str>) -> Result<Signed<EnrollmentRequest>> {
    let published = qingfeng_core::sealing::own_published_keys(store)?;
    signed_enrollment(store, key, token, Some(published))
}

/// The enrollment request of a machine being restored from the hub: it holds no event of its
/// office yet, so it has no sealing keys to publish (the hub has the office's keys already).
pub fn restore_enrollment_request(store: &Store, key: &SecretKey, token: &str) -> Result<Signed<EnrollmentRequest>> {
    signed_enrollment(store, key, Some(token), None)
}

fn signed_enrollment(
    store: &Store,
    key: &SecretKey,
    token: Option<&str>,
    office_seal_keys: Option<qingfeng_seal::SealingKeysPublished>,
) -> Result<Signed<EnrollmentRequest>> {
    let office_code = store
        .office_code()
        .ok_or_else(|| SyncError::NotReady("本机尚未完成初始设置（机关代码未定），不能登记到省级平台。".into()))?;
    let request = EnrollmentRequest {
        office_code: office_code.to_owned(),
        device_id: store.device_id().to_owned(),
        public_key: key.public_key(),
        token: token.map(str::to_owned),
        created_at_ms: store.clock().now().timestamp_millis(),
        office_seal_keys,
    };
    Signed::sign(ENROLLMENT_CONTEXT, &request, key)
}

/// Checks a certificate the hub issued (online or as a `.qfcert` file) against this device and
/// pins the hub's key.
pub fn install_certificate(
    store: &mut Store,
    key: &SecretKey,
    issued: &IssuedCertificate,
    hub_url: Option<&str>,
) -> Result<()> {
    let cert = issued.certificate.open(CERTIFICATE_CONTEXT, &issued.hub_key)?;
    if cert.device_id != store.device_id() || cert.public_key != key.public_key() {
        return Err(SyncError::NotReady(
            "这份设备证书不是为本机签发的（设备编号或公钥不符），请导入本机申请所得的证书。".into(),
        ));
    }
    if Some(cert.office_code.as_str()) != store.office_code() {
        return Err(SyncError::NotReady(format!("这份证书签发给机关 {}，与本机的机关不符。", cert.office_code)));
    }
    store.set_sync_config(&SyncConfig {
        hub_url: hub_url.map(str::to_owned),
        hub_key: qingfeng_core::encoding::to_canonical_cbor(&issued.hub_key)?,
        certificate: issued.encode()?,
    })?;
    Ok(())
}

/// The hub addresses in a setting: one, or several separated by commas or spaces (hub processes
/// of one province that share a database; any of them answers for all).
pub fn hub_addresses(setting: &str) -> Vec<String> {
    setting
        .split(|c: char| c == ',' || c == '，' || c.is_whitespace())
        .map(|a| a.trim().trim_end_matches('/'))
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Talks to the hub for one device: to the address that last answered, failing over to the
/// next when it cannot be reached or answers that it cannot serve now (HTTP 5xx). Every call is
/// safe to repeat at another hub process (a change set is idempotent by its id).
#[derive(Debug)]
pub struct SyncClient {
    http: reqwest::Client,
    bases: Vec<String>,
    /// The index in `bases` of the address that answered last.
    current: std::sync::atomic::AtomicUsize,
    key: SecretKey,
    hub_key: PublicKey,
    device_id: String,
}

/// Maps a transport failure to a message an officer can act on.
fn transport(e: reqwest::Error) -> SyncError {
    // A certificate other than the pinned one: someone may be posing as the hub.
    let mut source: Option<&dyn std::error::Error> = Some(&e);
    while let Some(s) = source {
        if s.to_string().contains(crate::tls::PIN_MISMATCH) {
            let address = e.url().map(|u| u.origin().ascii_serialization()).unwrap_or_default();
            return SyncError::Transport(format!(
                "省级平台（{address}）出示的证书与登记时认定的不符，可能有人冒充平台，本机没有发送任何数据。请联系省级平台管理员核实。"
            ));
        }
        source = s.source();
    }
    let what = if e.is_timeout() {
        "连接省级平台超时"
    } else if e.is_connect() {
        "无法连接省级平台（网络不通或平台未运行）"
    } else {
        "与省级平台的连接中断"
    };
    // The library's own text is English and names an internal path; the officer (or the person
    // they call) needs the address that was tried.
    let address = e.url().map(|u| format!("（平台地址 {}）", u.origin().ascii_serialization())).unwrap_or_default();
    SyncError::Transport(format!("{what}{address}。本机数据未受影响，网络恢复后会自动重试；也可稍后点“立即同步”。"))
}

impl SyncClient {
    /// A client for the hub this device enrolled with; `url` overrides the stored address.
    pub fn new(store: &Store, key: SecretKey, url: Option<&str>) -> Result<Self> {
        let config = store
            .sync_config()?
            .ok_or_else(|| SyncError::NotReady("本机尚未登记到省级平台。请先用登记令牌或证书文件完成登记。".into()))?;
        let bases = url.map(str::to_owned).or(config.hub_url).map(|s| hub_addresses(&s)).unwrap_or_default();
        if bases.is_empty() {
            return Err(SyncError::NotReady("没有省级平台的地址。请在同步设置中填写平台地址。".into()));
        }
        let hub_key: PublicKey = qingfeng_core::encoding::from_cbor(&config.hub_key)?;
        // The hub's TLS certificate as pinned at enrollment (inside the certificate it signed).
        let pin = IssuedCertificate::decode(&config.certificate)?.certificate.peek()?.hub_tls_sha256;
        let http = crate::tls::http_client(&bases, pin.as_deref(), Duration::from_secs(120))?;
        Ok(SyncClient {
            http,
            bases,
            current: std::sync::atomic::AtomicUsize::new(0),
            key,
            hub_key,
            device_id: store.device_id().to_owned(),
        })
    }

    /// Enrolls online with a one-time token at the first of the addresses that answers; returns
    /// the certificate to install.
    ///
    /// An HTTPS hub is reached only if its certificate matches the fingerprint the token carries
    /// (the administrator handed both over), so the hub key received here is the hub's.
    pub async fn enroll(url: &str, request: &Signed<EnrollmentRequest>) -> Result<IssuedCertificate> {
        let addresses = hub_addresses(url);
        let token = request.peek()?.token.unwrap_or_default();
        let pin = crate::tls::split_token(&token)?.pin;
        if pin.is_none() && addresses.iter().any(|a| a.starts_with("https://")) {
            return Err(SyncError::NotReady(
                "这个登记口令不含省级平台证书的指纹，无法确认连接的是真正的平台。请向管理员索取新的口令（新口令较长，含指纹）。"
                    .into(),
            ));
        }
        let http = crate::tls::http_client(&addresses, pin.as_deref(), Duration::from_secs(30))?;
        let mut last = SyncError::NotReady("没有省级平台的地址。请填写平台地址。".into());
        for base in &addresses {
            let sent = http
                .post(format!("{base}/v1/enroll"))
                .header("content-type", "application/cbor")
                .body(request.encode())
                .send()
                .await;
            match attempt(sent).await {
                Attempt::Done(bytes) => {
                    let issued = IssuedCertificate::decode(&bytes?)?;
                    let certified = issued.certificate.peek()?.hub_tls_sha256;
                    if let (Some(pin), Some(full)) = (&pin, &certified)
                        && !full.starts_with(pin)
                    {
                        return Err(SyncError::NotReady(
                            "省级平台证书中的指纹与登记口令不符。请勿继续，联系省级平台管理员核实。".into(),
                        ));
                    }
                    return Ok(issued);
                }
                Attempt::TryNext(e) => last = e,
            }
        }
        Err(last)
    }

    /// The hub's key pinned at enrollment.
    pub(crate) fn hub_key(&self) -> &PublicKey {
        &self.hub_key
    }

    /// An authenticated call to another route of the hub (`restore`).
    pub(crate) async fn post(&self, path: &str, body: Vec<u8>) -> Result<Vec<u8>> {
        self.call(path, body).await
    }

    async fn call(&self, path: &str, body: Vec<u8>) -> Result<Vec<u8>> {
        use std::sync::atomic::Ordering;
        let start = self.current.load(Ordering::Relaxed);
        let mut last = None;
        for k in 0..self.bases.len() {
            let i = (start + k) % self.bases.len();
            match self.call_at(&self.bases[i], path, &body).await? {
                Attempt::Done(result) => {
                    self.current.store(i, Ordering::Relaxed);
                    return result;
                }
                Attempt::TryNext(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| SyncError::NotReady("没有省级平台的地址。请在同步设置中填写平台地址。".into())))
    }

    async fn call_at(&self, base: &str, path: &str, body: &[u8]) -> Result<Attempt> {
        let now = chrono::Utc::now().timestamp_millis();
        let auth = Signed::sign(
            crate::envelope::AUTH_CONTEXT,
            &AuthRequest::new(&self.device_id, path, body, now),
            &self.key,
        )?;
        use base64::Engine as _;
        let sent = self
            .http
            .post(format!("{base}{path}"))
            .header("content-type", "application/cbor")
            .header("x-qingfeng-auth", base64::engine::general_purpose::STANDARD.encode(auth.encode()))
            .body(body.to_vec())
            .send()
            .await;
        Ok(attempt(sent).await)
    }

    /// One complete run: status, upload until the outbox is empty, download until the feed is.
    pub async fn sync_once(&self, store: &impl Replica) -> Result<SyncReport> {
        let result = self.run(store).await;
        let message = match &result {
            Ok(_) => String::new(),
            Err(e) => e.to_string(),
        };
        store.with_store(|s| s.note_sync_result(result.is_ok(), &message))?;
        result
    }

    async fn run(&self, store: &impl Replica) -> Result<SyncReport> {
        let mut report = self.exchange(store).await?;
        // Keys of offices above that arrived may now be sealed to, and held hand-overs released;
        // what that appends leaves at once, in a second exchange of the same run.
        let caught_up = store.with_store(qingfeng_core::sealing::catch_up)?;
        if caught_up != qingfeng_core::sealing::CatchUp::default() {
            let again = self.exchange(store).await?;
            report.uploaded_events += again.uploaded_events;
            report.changesets_accepted += again.changesets_accepted;
            report.changesets_rejected += again.changesets_rejected;
            report.rejections.extend(again.rejections);
            report.downloaded_events += again.downloaded_events;
            report.applied_events += again.applied_events;
            report.conflicts += again.conflicts;
        }
        report.resealed = caught_up.resealed as u64;
        report.released_handovers = caught_up.released as u64;
        Ok(report)
    }

    async fn exchange(&self, store: &impl Replica) -> Result<SyncReport> {
        let mut report = SyncReport::default();
        let status: StatusResponse = decode(&self.call("/v1/status", Vec::new()).await?)?;
        store.with_store(|s| s.note_hub_head(status.acked_seq, status.acked_hash))?;
        store.with_store(|s| s.note_hub_time(status.hub_time_ms))?;

        let mut blocked = None;
        for _ in 0..MAX_UPLOADS_PER_RUN {
            let (acked, _) = store.with_store(|s| s.acked_head())?;
            let events = store.with_store(|s| s.outbox(acked, UPLOAD_EVENTS))?;
            if events.is_empty() {
                break;
            }
            let mut stalled = false;
            let (sets, blocker) = split_sendable(events, UPLOAD_EVENTS, UPLOAD_BYTES)?;
            blocked = blocker;
            let nothing_before_blocker = sets.is_empty();
            for set in sets {
                let count = set.events().len() as u64;
                let receipt = self.upload(&set).await?;
                let accepted = matches!(receipt.0.outcome, Outcome::Accepted);
                let (code, reason) = match &receipt.0.outcome {
                    Outcome::Accepted => (None, None),
                    Outcome::Rejected { code, reason } => (Some(code.as_str().to_owned()), Some(reason.clone())),
                };
                if accepted {
                    report.uploaded_events += count;
                    report.changesets_accepted += 1;
                } else {
                    report.changesets_rejected += 1;
                    report.rejections.push(format!(
                        "第 {}–{} 号事件：{}",
                        set.first_seq(),
                        set.last_seq(),
                        reason.clone().unwrap_or_default()
                    ));
                }
                store.with_store(|s| {
                    s.record_receipt(&ReceiptRecord {
                        changeset_id: hex::encode(receipt.0.changeset_id),
                        first_seq: receipt.0.first_seq,
                        last_seq: receipt.0.last_seq,
                        last_hash: *set.last_hash(),
                        accepted,
                        code: code.clone(),
                        reason,
                        raw: receipt.1,
                    })
                })?;
                // A set that waits for an earlier one (a gap), or for the hub's time to reach its
                // clock, stops this run's uploads: the next status exchange says where the hub
                // stands. The feed below is still read.
                if matches!(code.as_deref(), Some("gap" | "clock_ahead")) {
                    stalled = true;
                    break;
                }
            }
            if stalled || blocked.is_some() && nothing_before_blocker {
                break;
            }
        }
        // An event too large for any change set stops its device's chain (the order cannot skip
        // it); it is named on the sync screen, and the feed and the blobs below still move.
        let blocked = match blocked {
            Some(event) => {
                let size = single_event_len(&event) as u64;
                let b = store.with_store(|s| s.describe_blocked(&event, size, MAX_SINGLE_EVENT_BYTES as u64))?;
                report.blocked = Some(format!("{}：{}", b.record, b.reason));
                Some(b)
            }
            None => None,
        };
        store.with_store(|s| s.note_blocked(blocked.as_ref()))?;
        let sent = self.upload_blobs(store).await?;
        report.blobs_sent = sent.blobs;
        report.blob_bytes += sent.bytes;

        for _ in 0..MAX_PAGES_PER_RUN {
            let cursor = store.with_store(|s| s.sync_status())?.feed_cursor;
            let body = qingfeng_core::encoding::to_canonical_cbor(&FeedRequest { after: cursor, limit: FEED_LIMIT })?;
            let signed: Signed<FeedPage> = Signed::decode(&self.call("/v1/feed", body).await?)?;
            let page = signed.open(FEED_CONTEXT, &self.hub_key)?;
            report.downloaded_events += page.events.len() as u64;
            let ingest = store.with_store(|s| s.ingest_remote(&page.events, page.cursor))?;
            report.applied_events += ingest.applied;
            report.conflicts += ingest.conflicts;
            if !page.more || page.cursor <= cursor {
                break;
            }
        }
        let received = self.download_blobs(store).await?;
        report.blobs_received = received.blobs;
        report.blob_bytes += received.bytes;
        Ok(report)
    }

    async fn upload(&self, set: &ChangeSet) -> Result<(Receipt, Vec<u8>)> {
        let signed = SignedChangeSet::sign(set, &self.key);
        let raw = self.call("/v1/changesets", signed.encode()).await?;
        let receipt = Signed::<Receipt>::decode(&raw)?.open(RECEIPT_CONTEXT, &self.hub_key)?;
        if receipt.changeset_id != signed.id() {
            return Err(SyncError::malformed("省级平台的回执与所交变更集不符，本批将在下次同步时重交。"));
        }
        Ok((receipt, raw))
    }
}

/// What one request to one hub address came to: an answer (a body or the hub's refusal), or a
/// reason to try the next address (unreachable, cut off, or a hub that cannot serve now).
enum Attempt {
    Done(Result<Vec<u8>>),
    TryNext(SyncError),
}

async fn attempt(sent: std::result::Result<reqwest::Response, reqwest::Error>) -> Attempt {
    let resp = match sent {
        Ok(resp) => resp,
        Err(e) => return Attempt::TryNext(transport(e)),
    };
    let server_side = resp.status().is_server_error();
    match answer(resp).await {
        Err(e @ SyncError::Transport(_)) => Attempt::TryNext(e),
        Err(e) if server_side => Attempt::TryNext(e),
        other => Attempt::Done(other),
    }
}

fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    Ok(qingfeng_core::encoding::from_cbor(bytes)?)
}

/// The body of a successful answer, or the hub's Chinese error.
async fn answer(resp: reqwest::Response) -> Result<Vec<u8>> {
    let status = resp.status();
    let bytes = resp.bytes().await.map_err(transport)?.to_vec();
    if status.is_success() {
        return Ok(bytes);
    }
    let message = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_owned))
        .unwrap_or_else(|| format!("省级平台返回错误（HTTP {}）", status.as_u16()));
    Err(SyncError::Hub(message))
}

/// Waits before the next attempt after `failures` failures in a row: doubling from 2 s up to
/// 5 minutes, with up to a quarter more at random so many offices coming back online at once do
/// not hit the hub in step.
pub fn backoff(failures: u32) -> Duration {
    use rand::Rng as _;
    let base = 2u64.saturating_mul(1u64 << failures.min(8)).min(300);
    let jitter = rand::thread_rng().gen_range(0..=base * 250);
    Duration::from_millis(base * 1000 + jitter)
}

/// What exporting or importing a bundle did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BundleReport {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub changesets: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub events: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub receipts: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub applied_events: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub conflicts: u64,
    pub rejections: Vec<String>,
    /// The record that could not be written into the bundle (too large to send), in words; the
    /// events before it were written.
    pub blocked: Option<String>,
    /// Attachments, evidence and PDFs written into or taken from the bundle, and their bytes.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub blobs: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub blob_bytes: u64,
}

/// The hub's sealing key from this device's certificate: bundles for the hub are sealed to it.
fn hub_seal_key(store: &impl Replica) -> Result<qingfeng_seal::SealPublicKey> {
    let config = store.with_store(|s| s.sync_config())?.ok_or_else(|| {
        SyncError::NotReady("本机尚未登记到省级平台，不能导出同步包。请先申请并导入设备证书。".into())
    })?;
    let cert = IssuedCertificate::decode(&config.certificate)?.certificate.peek()?;
    cert.hub_seal_key.ok_or_else(|| {
        SyncError::NotReady(
            "本机的设备证书中没有省级平台的加密公钥（证书签发于旧版本），同步包无法加密。请重新申请登记并导入新证书后再导出。"
                .into(),
        )
    })
}

fn sealing(e: qingfeng_seal::SealError) -> SyncError {
    match e {
        qingfeng_seal::SealError::Io(io) => SyncError::Io(io),
        qingfeng_seal::SealError::NotSealed => SyncError::NotABundle,
        qingfeng_seal::SealError::Truncated => SyncError::Truncated("加密的回执包"),
        other => SyncError::NotReady(other.to_string()),
    }
}

/// Most blobs an outbound bundle asks the hub for (the office fetches the rest next time).
const MAX_BUNDLE_WANTS: usize = 10_000;

/// Writes every event the hub has not receipted into an outbound bundle for a USB stick:
/// change sets signed by this device, the whole file signed again, and all of it sealed to the
/// hub's key from this device's certificate, so a lost stick reveals nothing. `progress` is
/// called with (events written, events to write).
pub fn export_bundle<W: std::io::Write>(
    store: &impl Replica,
    key: &SecretKey,
    out: W,
    mut progress: impl FnMut(u64, u64),
) -> Result<(W, BundleReport)> {
    use crate::bundle::{BundleHeader, BundleItem, BundleKind, BundleWriter, Prerequisite};
    let hub_key = hub_seal_key(store)?;
    let out = qingfeng_seal::SealWriter::new(
        out,
        &[qingfeng_seal::Recipient { office: crate::HUB_RECIPIENT.to_owned(), key: hub_key }],
        qingfeng_seal::stream::PURPOSE_OUTBOUND,
    )
    .map_err(sealing)?;
    let (office, device, acked, head, now, cursor) = store.with_store(|s| {
        let status = s.sync_status()?;
        Ok((
            s.office_code().map(str::to_owned),
            s.device_id().to_owned(),
            s.acked_head()?,
            status.head_seq,
            s.clock().now().timestamp_millis(),
            status.feed_cursor,
        ))
    })?;
    let office =
        office.ok_or_else(|| SyncError::NotReady("本机尚未完成初始设置（机关代码未定），不能导出同步包。".into()))?;
    let mut header = BundleHeader::new(BundleKind::Outbound, &office, &device, now);
    header.prerequisites.push(Prerequisite(device.clone(), acked.0, acked.1));
    header.feed_cursor = cursor;
    header.wants = store
        .with_store(|s| s.missing_blobs(MAX_BUNDLE_WANTS))?
        .iter()
        .map(|m| crate::blob::BlobId::from_hex(&m.sha256))
        .collect::<Result<_>>()?;
    let mut writer = BundleWriter::new(out, &header)?;
    let mut report = BundleReport::default();
    let total = head.saturating_sub(acked.0);
    let mut after = acked.0;
    let mut blocked = None;
    for _ in 0..MAX_UPLOADS_PER_RUN {
        let events = store.with_store(|s| s.outbox(after, UPLOAD_EVENTS * 5))?;
        let Some(last) = events.last() else { break };
        after = last.seq;
        let (sets, blocker) = split_sendable(events, UPLOAD_EVENTS, UPLOAD_BYTES)?;
        for set in sets {
            report.events += set.events().len() as u64;
            report.changesets += 1;
            writer.write_item(&BundleItem::ChangeSet(SignedChangeSet::sign(&set, key)))?;
            progress(report.events, total);
        }
        if let Some(event) = blocker {
            let size = single_event_len(&event) as u64;
            let b = store.with_store(|s| s.describe_blocked(&event, size, MAX_SINGLE_EVENT_BYTES as u64))?;
            report.blocked = Some(format!("{}：{}", b.record, b.reason));
            blocked = Some(b);
            break;
        }
    }
    store.with_store(|s| s.note_blocked(blocked.as_ref()))?;
    // The content the hub may not have yet, after the events that name it.
    for (sha, size) in store.with_store(|s| s.blobs_to_offer(MAX_BUNDLE_WANTS))? {
        let id = crate::blob::BlobId::from_hex(&sha)?;
        let mut offset = 0u64;
        while offset < size {
            let Some(bytes) = store.with_store(|s| s.blob_chunk(&sha, offset, crate::blob::BLOB_CHUNK_BYTES))? else {
                break;
            };
            if bytes.is_empty() {
                break;
            }
            let len = bytes.len() as u64;
            writer.write_item(&BundleItem::BlobChunk(crate::blob::BlobChunk { sha256: id, size, offset, bytes }))?;
            report.blob_bytes += len;
            offset += len;
        }
        report.blobs += 1;
    }
    Ok((writer.finish(key)?.finish().map_err(sealing)?, report))
}

/// Imports a return bundle the hub wrote for this office: it is opened with this office's
/// sealing keys (a bundle sealed to another office is refused, saying whose it is), its signature
/// is checked with the pinned hub key before anything is applied; then receipts are recorded and
/// feed pages applied, each page in one transaction. Importing the same bundle twice changes
/// nothing the second time. A plain bundle of a hub older than issue #14 is read as well.
pub fn import_return_bundle<R: std::io::Read>(
    store: &impl Replica,
    input: R,
    mut progress: impl FnMut(u64, u64),
) -> Result<BundleReport> {
    use crate::bundle::{BundleItem, BundleKind, read_all};
    use std::io::BufRead as _;
    let (config, office, device) =
        store.with_store(|s| Ok((s.sync_config()?, s.office_code().map(str::to_owned), s.device_id().to_owned())))?;
    let config = config
        .ok_or_else(|| SyncError::NotReady("本机尚未登记到省级平台，不能导入回执包。请先导入设备证书。".into()))?;
    let hub_key: PublicKey = qingfeng_core::encoding::from_cbor(&config.hub_key)?;
    let mut input = std::io::BufReader::new(input);
    let bundle = if qingfeng_seal::stream::is_sealed(input.fill_buf()?) {
        let keys = store.with_store(|s| qingfeng_core::sealing::secret_keys(s))?;
        let opened =
            qingfeng_seal::OpenReader::new(input, &keys, qingfeng_seal::stream::PURPOSE_RETURN).map_err(sealing)?;
        read_all(opened, &hub_key)?
    } else {
        read_all(input, &hub_key)?
    };
    if bundle.header.kind != BundleKind::Return || Some(&bundle.header.office_code) != office.as_ref() {
        return Err(SyncError::NotReady(format!(
            "这不是发给本机关的回执包（包中机关为 {}）。请确认选择的文件。",
            bundle.header.office_code
        )));
    }
    let mut report = BundleReport::default();
    let total = bundle.items.len() as u64;
    for (i, item) in bundle.items.iter().enumerate() {
        match item {
            BundleItem::Receipt(signed) => {
                let receipt = signed.open(RECEIPT_CONTEXT, &hub_key)?;
                if receipt.origin_device != device {
                    continue;
                }
                let last_hash = store
                    .with_store(|s| s.outbox(receipt.last_seq.saturating_sub(1), 1))?
                    .first()
                    .filter(|e| e.seq == receipt.last_seq)
                    .map(|e| e.hash);
                let Some(last_hash) = last_hash else { continue };
                let (accepted, code, reason) = match &receipt.outcome {
                    Outcome::Accepted => (true, None, None),
                    Outcome::Rejected { code, reason } => {
                        report.rejections.push(reason.clone());
                        (false, Some(code.as_str().to_owned()), Some(reason.clone()))
                    }
                };
                store.with_store(|s| {
                    s.record_receipt(&ReceiptRecord {
                        changeset_id: hex::encode(receipt.changeset_id),
                        first_seq: receipt.first_seq,
                        last_seq: receipt.last_seq,
                        last_hash,
                        accepted,
                        code,
                        reason,
                        raw: signed.encode(),
                    })
                })?;
                report.receipts += 1;
            }
            BundleItem::FeedPage(signed) => {
                let page = signed.open(FEED_CONTEXT, &hub_key)?;
                let ingest = store.with_store(|s| s.ingest_remote(&page.events, page.cursor))?;
                report.applied_events += ingest.applied;
                report.conflicts += ingest.conflicts;
                report.events += page.events.len() as u64;
            }
            BundleItem::BlobChunk(chunk) => {
                let sha = chunk.sha256.to_hex();
                // A chunk for content this office's log does not name, or that arrived already,
                // is skipped; bytes that do not match their name are discarded, never kept.
                match store.with_store(|s| s.put_blob_chunk(&sha, chunk.offset, &chunk.bytes)) {
                    Ok(p) if p.complete && chunk.offset + chunk.bytes.len() as u64 == p.size => {
                        report.blobs += 1;
                        store.with_store(|s| s.note_blobs_at_hub(std::slice::from_ref(&sha)))?;
                    }
                    Ok(_)
                    | Err(SyncError::Core(
                        qingfeng_core::CoreError::Invalid(_) | qingfeng_core::CoreError::Tampered(_),
                    )) => {}
                    Err(e) => return Err(e),
                }
                report.blob_bytes += chunk.bytes.len() as u64;
            }
            BundleItem::ChangeSet(_) | BundleItem::Certificate(_) => {}
        }
        progress(i as u64 + 1, total);
    }
    store.with_store(|s| s.note_sync_result(true, ""))?;
    store.with_store(qingfeng_core::sealing::catch_up)?;
    Ok(report)
}

/// Checks this device's chain against the latest change set the hub accepted, using the signed
/// receipt kept since (the anchor outside this machine): the receipt must carry the pinned hub's
/// signature, this device's chain must still reach its last seq, and the events it covers must
/// still form exactly the change set it names. Returns the problems in words, empty when all is
/// well or nothing was ever receipted.
pub fn verify_receipts(store: &Store) -> Result<Vec<String>> {
    let (Some(config), Some(raw)) = (store.sync_config()?, store.latest_accepted_receipt()?) else {
        return Ok(Vec::new());
    };
    let hub_key: PublicKey = qingfeng_core::encoding::from_cbor(&config.hub_key)?;
    let receipt = match Signed::<Receipt>::decode(&raw).and_then(|s| s.open(RECEIPT_CONTEXT, &hub_key)) {
        Ok(r) => r,
        Err(_) => return Ok(vec!["保存的省级平台回执签名无效：回执被改动过。".into()]),
    };
    let head = store.sync_status()?.head_seq;
    if head < receipt.last_seq {
        return Ok(vec![format!(
            "省级平台已签收本机第 {}–{} 号记录，本机现在只到第 {head} 号：末尾的 {} 条记录被删除。可从省级平台恢复。",
            receipt.first_seq,
            receipt.last_seq,
            receipt.last_seq - head
        )]);
    }
    let count = (receipt.last_seq + 1).saturating_sub(receipt.first_seq) as usize;
    let events = store.outbox(receipt.first_seq.saturating_sub(1), count)?;
    let same =
        events.len() == count && ChangeSet::from_events(events).is_ok_and(|set| set.id() == receipt.changeset_id);
    if !same {
        return Ok(vec![format!(
            "本机第 {}–{} 号记录与省级平台签收的不同：它们在签收之后被改动、删除或调换了顺序。",
            receipt.first_seq, receipt.last_seq
        )]);
    }
    Ok(Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_hub_addresses_are_read_in_order() {
        assert_eq!(hub_addresses("http://a:1/"), vec!["http://a:1"]);
        assert_eq!(
            hub_addresses(" http://a:1, http://b:2 ，http://c:3\nhttp://d:4 "),
            vec!["http://a:1", "http://b:2", "http://c:3", "http://d:4"]
        );
        assert!(hub_addresses(" , ").is_empty());
    }
}
