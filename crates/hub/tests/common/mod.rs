//! Shared helpers for the hub's integration tests: a hub in a temporary directory with a small
//! province, on either backend, and devices that build and sign events exactly as an office's
//! store does.
//!
//! Every protocol test runs on both stores: [`on_each_backend!`] turns `fn name(backend) { … }`
//! into `name::sqlite` and `name::postgres`. The PostgreSQL tests use the server whose URL is in
//! `QINGFENG_TEST_POSTGRES` (`cargo xtask test` starts a private cluster and sets it; `cargo xtask
//! postgres -- cargo test -p qingfeng-hub` does the same for any command), each test in a schema of
//! its own. Without it they say so and pass, except under CI, where they fail.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use qingfeng_hub::{Database, Hub};
use qingfeng_log::event::{ChainHead, Event, GENESIS, NewEvent};
use qingfeng_log::kind;
use qingfeng_log::office::OfficeLevel;
use qingfeng_log::payload::OwnershipOffered;
use qingfeng_sync::envelope::ENROLLMENT_CONTEXT;
use qingfeng_sync::{Alg, ChangeSet, EnrollmentRequest, SecretKey, Signed, SignedChangeSet};
use serde::Serialize;

pub const PROVINCE: &str = "530000";
pub const KUNMING: &str = "530100";
pub const WUHUA: &str = "530102";
pub const PANLONG: &str = "530103";
pub const QUJING: &str = "530300";
pub const QILIN: &str = "530302";

/// The environment variable holding the test server's URL.
pub const POSTGRES_ENV: &str = "QINGFENG_TEST_POSTGRES";

/// The store a test runs on.
#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite,
    /// The server's URL (each hub gets a schema of its own in it).
    Postgres(String),
}

/// Generates, from `fn name(backend) { … }`, a module `name` with the tests `sqlite` and
/// `postgres`, each running the body with its [`Backend`].
#[macro_export]
macro_rules! on_each_backend {
    ($( $(#[$meta:meta])* fn $name:ident($backend:ident) $body:block )*) => {$(
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            fn run($backend: Backend) $body
            #[test]
            fn sqlite() {
                run(Backend::Sqlite)
            }
            #[test]
            fn postgres() {
                if let Some(backend) = Backend::postgres() {
                    run(backend)
                }
            }
        }
    )*};
}

/// [`on_each_backend!`] for `async fn` bodies, on a two-thread tokio runtime.
#[macro_export]
macro_rules! on_each_backend_async {
    ($( $(#[$meta:meta])* async fn $name:ident($backend:ident) $body:block )*) => {$(
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            async fn run($backend: Backend) $body
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                run(Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(backend) = Backend::postgres() {
                    run(backend).await
                }
            }
        }
    )*};
}

impl Backend {
    /// The PostgreSQL backend, if a test server is configured. Under CI a missing server fails
    /// the test: the suite must have run on both.
    pub fn postgres() -> Option<Backend> {
        match std::env::var(POSTGRES_ENV) {
            Ok(url) if !url.trim().is_empty() => Some(Backend::Postgres(url)),
            _ if std::env::var_os("CI").is_some() => {
                panic!("{POSTGRES_ENV} is not set: run the tests through `cargo xtask test`, which starts PostgreSQL")
            }
            _ => {
                eprintln!(
                    "PostgreSQL test skipped: {POSTGRES_ENV} is not set (`cargo xtask postgres -- cargo test …`)"
                );
                None
            }
        }
    }

    /// A new, empty database for one hub: a file in `dir`, or a fresh schema on the server.
    pub fn database(&self, dir: &std::path::Path) -> Database {
        match self {
            Backend::Sqlite => Database::Sqlite(dir.join("hub.db")),
            Backend::Postgres(url) => Database::Postgres(fresh_schema(url)),
        }
    }

    /// A hub in `dir` with the small province of [`hub_in`].
    pub fn hub_in(&self, dir: &std::path::Path) -> Hub {
        let hub = Hub::init_database(&self.database(dir), Some(&dir.join("hub.key")), Alg::Ed25519).unwrap();
        add_province(&hub);
        hub
    }
}

/// Runs `f` on a runtime of its own in a thread of its own (callable from inside a runtime).
pub fn on_own_runtime<T: Send + 'static>(f: impl std::future::Future<Output = T> + Send + 'static) -> T {
    std::thread::spawn(move || tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f))
        .join()
        .unwrap()
}

/// Runs SQL on the server at `url`.
pub fn psql(url: &str, sql: &str) {
    qingfeng_pgcluster::psql_url(url, sql).unwrap();
}

/// Makes a new schema on the server and returns a URL whose connections use it.
pub fn fresh_schema(url: &str) -> String {
    qingfeng_pgcluster::fresh_schema(url).unwrap()
}

/// A hub on SQLite in `dir` with 云南: the province, two prefectures and two counties under 昆明,
/// one under 曲靖.
pub fn hub_in(dir: &std::path::Path) -> Hub {
    let hub = Hub::init(&dir.join("hub.db"), None, Alg::Ed25519).unwrap();
    add_province(&hub);
    hub
}

pub fn add_province(hub: &Hub) {
    hub.add_office(PROVINCE, "云南省纪委监委", OfficeLevel::Province, None).unwrap();
    hub.add_office(KUNMING, "昆明市纪委监委", OfficeLevel::Prefecture, Some(PROVINCE)).unwrap();
    hub.add_office(WUHUA, "五华区纪委监委", OfficeLevel::County, Some(KUNMING)).unwrap();
    hub.add_office(PANLONG, "盘龙区纪委监委", OfficeLevel::County, Some(KUNMING)).unwrap();
    hub.add_office(QUJING, "曲靖市纪委监委", OfficeLevel::Prefecture, Some(PROVINCE)).unwrap();
    hub.add_office(QILIN, "麒麟区纪委监委", OfficeLevel::County, Some(QUJING)).unwrap();
}

/// One office device: its key and the head of its chain.
pub struct Device {
    pub office: String,
    pub id: String,
    pub key: SecretKey,
    pub seq: u64,
    pub head: [u8; 32],
    pub hlc: u64,
    /// The office's sealing key, as its store would keep it.
    pub seal: qingfeng_seal::SealSecretKey,
}

impl Device {
    pub fn new(office: &str, id: &str) -> Self {
        Device {
            office: office.into(),
            id: id.into(),
            key: SecretKey::generate(Alg::Ed25519),
            seq: 0,
            head: GENESIS,
            hlc: 0,
            seal: qingfeng_seal::SealSecretKey::generate(qingfeng_seal::Suite::X25519Aes256Gcm),
        }
    }

    /// The office's `office.sealing_keys`, as its store writes it at setup.
    pub fn publish_keys(&mut self) -> Event {
        let payload = qingfeng_seal::SealingKeysPublished {
            office_code: self.office.clone(),
            keys: vec![self.seal.public_key().clone()],
        };
        let aggregate = format!("office:{}", self.office);
        self.event(kind::OFFICE_SEALING_KEYS, &aggregate, &payload)
    }

    /// The signed enrollment request this device would send.
    pub fn enrollment(&self, token: Option<&str>) -> Signed<EnrollmentRequest> {
        let req = EnrollmentRequest {
            office_code: self.office.clone(),
            device_id: self.id.clone(),
            public_key: self.key.public_key(),
            token: token.map(str::to_owned),
            created_at_ms: qingfeng_hub::now_ms(),
            office_seal_keys: None,
        };
        Signed::sign(ENROLLMENT_CONTEXT, &req, &self.key).unwrap()
    }

    /// Enrolls with a fresh token.
    pub fn enrolled(hub: &Hub, office: &str, id: &str) -> Self {
        let device = Device::new(office, id);
        let token = hub.issue_token(office, Duration::from_secs(3600)).unwrap();
        hub.enroll(&device.enrollment(Some(&token.token))).unwrap();
        device
    }

    /// The next event of this device's chain, appended as an office's store appends it.
    pub fn event<T: Serialize>(&mut self, kind: &'static str, aggregate: &str, payload: &T) -> Event {
        let mut head = ChainHead::new(&self.office, &self.id, self.seq, self.head, self.hlc);
        let event = head.append("u-test", NewEvent::new(kind, aggregate, payload).unwrap(), qingfeng_hub::now_ms());
        self.seq = event.seq;
        self.head = event.hash;
        self.hlc = event.hlc;
        event
    }

    /// A workflow event on `aggregate`.
    pub fn work(&mut self, aggregate: &str) -> Event {
        self.event(kind::COMPLAINT_SCREENED, aggregate, &serde_json::json!({"note": "测试"}))
    }

    /// An offer of `aggregate` to `to`.
    pub fn offer(&mut self, aggregate: &str, to: &str) -> Event {
        // Up when `to` is an ancestor by its division code (530100 of 530102, 530000 of both),
        // down otherwise: the hub checks the route rule of the kind the offer names.
        let here = self.office.clone();
        let upward = to != here
            && (to.ends_with("0000") && here.starts_with(&to[..2]) || to.ends_with("00") && here.starts_with(&to[..4]));
        let reason = if upward { "report_upward" } else { "transfer_downward" };
        self.event(
            kind::OWNERSHIP_OFFERED,
            aggregate,
            &OwnershipOffered {
                aggregate: aggregate.into(),
                to_office: to.into(),
                reason: reason.into(),
                basis: format!("complaint.screened:{reason}"),
            },
        )
    }

    pub fn sign(&self, events: Vec<Event>) -> SignedChangeSet {
        SignedChangeSet::sign(&ChangeSet::from_events(events).unwrap(), &self.key)
    }

    /// Signs `events` and sends them to the hub; returns the receipt's outcome code.
    pub fn send(&self, hub: &Hub, events: Vec<Event>) -> String {
        outcome(&hub.accept_changeset(&self.sign(events).encode()).unwrap())
    }
}

/// `accepted` or the rejection code.
pub fn outcome(answer: &qingfeng_hub::Answer) -> String {
    match &answer.receipt.outcome {
        qingfeng_sync::Outcome::Accepted => "accepted".into(),
        qingfeng_sync::Outcome::Rejected { code, .. } => code.as_str().into(),
    }
}

/// Every event in `office`'s feed as `device` would read it, following pages to the end.
pub fn read_feed(hub: &Hub, office: &str, device: &str) -> Vec<Event> {
    let device = qingfeng_hub::storage::Device {
        device_id: device.into(),
        office_code: office.into(),
        alg: "ed25519".into(),
        public_key: Vec::new(),
        key_id: String::new(),
        cert_serial: 0,
        enrolled_at_ms: 0,
        revoked_at_ms: None,
        revoke_reason: None,
    };
    let mut out = Vec::new();
    let mut after = 0;
    loop {
        let page = hub.feed(&device, after, 1000).unwrap();
        let page = page.open(qingfeng_sync::envelope::FEED_CONTEXT, hub.public_key()).unwrap();
        out.extend(page.events);
        if !page.more || page.cursor == after {
            break;
        }
        after = page.cursor;
    }
    out
}

/// The ids of `events`.
pub fn ids(events: &[Event]) -> Vec<String> {
    events.iter().map(|e| e.id.clone()).collect()
}
