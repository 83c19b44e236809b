//! What only the PostgreSQL store can meet: several hub processes writing one database at once,
//! two hubs migrating at once, a schema from a newer hub, and a server that is unreachable, down
//! at start or gone in the middle of uploads. (The protocol tests run on both stores elsewhere.)
//!
//! Hubs sharing a database are separate `Hub` values with pools of their own, as two processes
//! would be. The tests that stop or crash PostgreSQL start a private cluster of their own.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use common::*;
use qingfeng_hub::postgres::{PgOptions, PgStorage};
use qingfeng_hub::{Database, Hub, HubError};
use qingfeng_sync::Alg;

/// The test server's URL, or None (the test then passes, saying why, except under CI).
fn server() -> Option<String> {
    match Backend::postgres()? {
        Backend::Postgres(url) => Some(url),
        Backend::Sqlite => None,
    }
}

/// One row per office: (feed positions in runs that follow on from the run before, highest
/// feed_seq, feed_head).
fn feed_shape(url: &str) -> BTreeMap<String, (i64, i64, i64)> {
    let url = url.to_owned();
    on_own_runtime(async move {
        let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
        let task = tokio::spawn(conn);
        let rows = client
            .query(
                // A run counts only if it starts right after the run before it: a gap or an
                // overlap anywhere leaves the count short of the highest feed_seq.
                "SELECT o.code,
                        coalesce(sum(cardinality(f.positions)) FILTER (WHERE f.first_seq = f.prev + 1), 0)::bigint,
                        coalesce(max(f.last_seq), 0), o.feed_head
                 FROM offices o
                 LEFT JOIN (SELECT *, coalesce(lag(last_seq) OVER (PARTITION BY office_code ORDER BY last_seq), 0) AS prev
                            FROM feed_runs) f ON f.office_code = o.code
                 GROUP BY o.code, o.feed_head",
                &[],
            )
            .await
            .unwrap();
        drop(client);
        let _ = task.await;
        rows.iter().map(|r| (r.get(0), (r.get(1), r.get(2), r.get(3)))).collect()
    })
}

fn scalar(url: &str, sql: &str) -> i64 {
    let (url, sql) = (url.to_owned(), sql.to_owned());
    on_own_runtime(async move {
        let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
        let task = tokio::spawn(conn);
        let v: i64 = client.query_one(&sql, &[]).await.unwrap().get(0);
        drop(client);
        let _ = task.await;
        v
    })
}

/// Offices of the test province and their ancestors.
fn ancestors(office: &str) -> Vec<&'static str> {
    match office {
        WUHUA | PANLONG => vec![KUNMING, PROVINCE],
        QILIN => vec![QUJING, PROVINCE],
        KUNMING | QUJING => vec![PROVINCE],
        _ => vec![],
    }
}

#[test]
fn two_hubs_over_one_database_take_uploads_at_once_without_loss_duplicates_or_gaps() {
    let Some(server) = server() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = Database::Postgres(fresh_schema(&server));
    let key = dir.path().join("hub.key");
    let first = Hub::init_database(&db, Some(&key), Alg::Ed25519).unwrap();
    for (code, name, level, parent) in [
        (PROVINCE, "云南省纪委监委", qingfeng_log::office::OfficeLevel::Province, None),
        (KUNMING, "昆明市纪委监委", qingfeng_log::office::OfficeLevel::Prefecture, Some(PROVINCE)),
        (WUHUA, "五华区纪委监委", qingfeng_log::office::OfficeLevel::County, Some(KUNMING)),
        (PANLONG, "盘龙区纪委监委", qingfeng_log::office::OfficeLevel::County, Some(KUNMING)),
        (QUJING, "曲靖市纪委监委", qingfeng_log::office::OfficeLevel::Prefecture, Some(PROVINCE)),
        (QILIN, "麒麟区纪委监委", qingfeng_log::office::OfficeLevel::County, Some(QUJING)),
    ] {
        first.add_office(code, name, level, parent).unwrap();
    }
    // The second hub writes change sets in groups (`PgOptions::group_commit`), the first each in its
    // own transaction: both kinds of writer share the database at once.
    let grouped = PgOptions { group_commit: true, ..PgOptions::default() };
    let hubs = [Arc::new(first), Arc::new(Hub::open_database_with(&db, Some(&key), grouped).unwrap())];

    // Devices enroll through both hubs at once: every certificate serial is distinct.
    let offices = [WUHUA, PANLONG, QILIN, KUNMING, WUHUA, PANLONG, QILIN, PROVINCE];
    let mut devices: Vec<Device> = std::thread::scope(|s| {
        let handles: Vec<_> = offices
            .iter()
            .enumerate()
            .map(|(i, office)| {
                let hub = Arc::clone(&hubs[i % 2]);
                s.spawn(move || Device::enrolled(&hub, office, &format!("d{i}")))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let serials: HashSet<u64> = hubs[0].devices().unwrap().iter().map(|d| d.cert_serial).collect();
    assert_eq!(serials.len(), devices.len(), "certificate serials are unique");

    // Each device prepares five linked sets. Devices of one office write the same complaints,
    // so writers race for the same aggregate rows, new and old; every set reaches the
    // province's feed, so every writer appends to it.
    let sets: Vec<Vec<Vec<u8>>> = devices
        .iter_mut()
        .map(|d| {
            (0..5)
                .map(|s| {
                    let office = d.office.clone();
                    let events = (0..20).map(|k| d.work(&format!("complaint:{office}-{}", (s * 20 + k) % 7))).collect();
                    d.sign(events).encode()
                })
                .collect()
        })
        .collect();
    // Every set goes to both hubs at once, as a client retrying against a second address would.
    std::thread::scope(|s| {
        for device_sets in &sets {
            let hubs = &hubs;
            s.spawn(move || {
                for body in device_sets {
                    let answers: Vec<Vec<u8>> = std::thread::scope(|s| {
                        let a = s.spawn(|| hubs[0].accept_changeset(body).unwrap());
                        let b = s.spawn(|| hubs[1].accept_changeset(body).unwrap());
                        [a.join().unwrap(), b.join().unwrap()].into_iter().map(|x| x.signed).collect()
                    });
                    let receipt = qingfeng_sync::Signed::<qingfeng_sync::Receipt>::decode(&answers[0]).unwrap();
                    assert_eq!(receipt.peek().unwrap().outcome, qingfeng_sync::Outcome::Accepted);
                    assert_eq!(answers[0], answers[1], "one set, one receipt, whichever hub answered");
                }
            });
        }
    });

    let total: u64 = devices.iter().map(|d| d.seq).sum();
    assert_eq!(total, 8 * 100);
    let report = hubs[1].verify_events().unwrap();
    assert!(report.ok, "{report:?}");
    assert_eq!(report.events, total + 6, "every event once, and the directory");
    assert_eq!(hubs[0].counts().unwrap().events, total + 6);
    // Feed positions are gap-free per office, and each feed holds exactly what is routed to it.
    let url = match &db {
        Database::Postgres(url) => url.clone(),
        Database::Sqlite(_) => unreachable!(),
    };
    let mut expected: BTreeMap<String, i64> = BTreeMap::new();
    for d in &devices {
        for office in std::iter::once(d.office.as_str()).chain(ancestors(&d.office)) {
            *expected.entry(office.to_owned()).or_default() += d.seq as i64;
        }
    }
    for (office, (rows, max, head)) in feed_shape(&url) {
        let want = 6 + expected.get(&office).copied().unwrap_or(0);
        assert_eq!((rows, max, head), (want, want, want), "feed of {office}");
    }
    // A reader on either hub sees every event of its office once.
    let reader = Device::enrolled(&hubs[0], QILIN, "reader");
    let feed = read_feed(&hubs[1], QILIN, &reader.id);
    assert_eq!(feed.len() as i64, 6 + expected[QILIN]);
    assert_eq!(ids(&feed).into_iter().collect::<HashSet<_>>().len(), feed.len());
}

#[test]
fn hubs_starting_at_once_migrate_once_and_a_newer_schema_is_refused() {
    let Some(server) = server() else { return };
    let url = fresh_schema(&server);
    let opened: Vec<Result<PgStorage, HubError>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..6).map(|_| s.spawn(|| PgStorage::create(&url, PgOptions::default()))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for store in &opened {
        assert!(store.is_ok(), "{store:?}");
    }
    drop(opened);
    let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres")).unwrap().count();
    assert_eq!(
        scalar(&url, "SELECT count(*) FROM refinery_schema_history"),
        migrations as i64,
        "each migration applied once"
    );

    // A newer hub's migration recorded in the database: this hub refuses to run on it, saying
    // why in Chinese, and changes nothing.
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("hub.key");
    Hub::init_database(&Database::Postgres(url.clone()), Some(&key), Alg::Ed25519).unwrap();
    psql(
        &url,
        "INSERT INTO refinery_schema_history (version, name, applied_on, checksum)
         VALUES (9999, 'from_a_newer_hub', '2027-01-01T00:00:00Z', '1')",
    );
    let before = scalar(&url, "SELECT count(*) FROM events");
    let e = Hub::open_database(&Database::Postgres(url.clone()), Some(&key)).unwrap_err();
    assert!(matches!(e, HubError::SchemaMismatch(_)), "{e}");
    assert!(e.to_string().contains("较新版本"), "{e}");
    assert_eq!(scalar(&url, "SELECT count(*) FROM events"), before);
    assert_eq!(scalar(&url, "SELECT count(*) FROM refinery_schema_history"), migrations as i64 + 1);
}

#[test]
fn an_unreachable_server_or_an_empty_database_is_a_clear_error() {
    // Nothing listens on port 1 of the loopback: refused at once, as a server that is down.
    let unreachable = Database::Postgres("postgres://hub@127.0.0.1:1/hub".into());
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("hub.key");
    let started = std::time::Instant::now();
    let e = Hub::init_database(&unreachable, Some(&key), Alg::Ed25519).unwrap_err();
    assert!(matches!(e, HubError::Unavailable(_)), "{e}");
    assert!(e.to_string().contains("暂时无法访问") && e.to_string().contains("127.0.0.1:1"), "{e}");
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert!(!key.exists(), "no key is made for a hub that was not created");
    // PostgreSQL needs the key file named: every hub process must share it.
    let e = Hub::open_database(&unreachable, None).unwrap_err();
    assert!(e.to_string().contains("--key-file"), "{e}");

    let Some(server) = server() else { return };
    let url = fresh_schema(&server);
    qingfeng_hub::keyfile::write(&key, &qingfeng_sync::SecretKey::generate(Alg::Ed25519)).unwrap();
    let e = Hub::open_database(&Database::Postgres(url), Some(&key)).unwrap_err();
    assert!(matches!(e, HubError::DatabaseNotInitialized(_)), "{e}");
    assert!(e.to_string().contains("init"), "{e}");
}

/// PostgreSQL down when the hub starts, then gone (crashed) in the middle of uploads: the hub
/// answers "unavailable" and changes nothing half-way; once the server is back the same sets
/// are accepted, each once, and the chains and feeds are whole.
#[test]
fn a_server_down_at_start_or_crashing_mid_upload_loses_and_duplicates_nothing() {
    if qingfeng_pgcluster::bin_dir().is_err() && std::env::var_os("CI").is_none() {
        eprintln!("PostgreSQL is not installed: test skipped");
        return;
    }
    let mut cluster = qingfeng_pgcluster::Cluster::start().unwrap();
    let db = Database::Postgres(cluster.url());
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("hub.key");
    let hub = Hub::init_database(&db, Some(&key), Alg::Ed25519).unwrap();
    hub.add_office(PROVINCE, "云南省纪委监委", qingfeng_log::office::OfficeLevel::Province, None).unwrap();
    hub.add_office(KUNMING, "昆明市纪委监委", qingfeng_log::office::OfficeLevel::Prefecture, Some(PROVINCE)).unwrap();
    hub.add_office(WUHUA, "五华区纪委监委", qingfeng_log::office::OfficeLevel::County, Some(KUNMING)).unwrap();
    let mut devices: Vec<Device> = (0..4).map(|i| Device::enrolled(&hub, WUHUA, &format!("w{i}"))).collect();
    drop(hub);

    // Down at start: a clear error, and nothing is created.
    cluster.stop().unwrap();
    let e = Hub::open_database(&db, Some(&key)).unwrap_err();
    assert!(matches!(e, HubError::Unavailable(_)), "{e}");
    cluster.restart().unwrap();
    let hub = Arc::new(Hub::open_database(&db, Some(&key)).unwrap());

    let sets: Vec<Vec<Vec<u8>>> = devices
        .iter_mut()
        .map(|d| {
            (0..30)
                .map(|s| {
                    let events = (0..40).map(|k| d.work(&format!("complaint:{}-{}", d.id, (s * 40 + k) % 9))).collect();
                    d.sign(events).encode()
                })
                .collect()
        })
        .collect();
    // Four writers upload; the server is killed with SIGKILL while they do. Each writer stops at
    // its first failure, as a client whose sync run failed.
    // The crash comes once ten sets are in, not after a fixed time: how long 120 sets take
    // depends on the machine (after the store was made faster they all landed within 300 ms).
    let accepted = std::sync::atomic::AtomicUsize::new(0);
    let sent: Vec<usize> = std::thread::scope(|s| {
        let handles: Vec<_> = sets
            .iter()
            .map(|device_sets| {
                let hub = Arc::clone(&hub);
                let accepted = &accepted;
                s.spawn(move || {
                    let mut ok = 0;
                    for body in device_sets {
                        match hub.accept_changeset(body) {
                            Ok(answer) => {
                                assert_eq!(outcome(&answer), "accepted");
                                ok += 1;
                                accepted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                            }
                            Err(e) => {
                                assert!(matches!(e, HubError::Unavailable(_)), "{e}");
                                assert_eq!(e.http_status(), 503);
                                break;
                            }
                        }
                    }
                    ok
                })
            })
            .collect();
        let waited = std::time::Instant::now();
        while accepted.load(std::sync::atomic::Ordering::SeqCst) < 10 && waited.elapsed().as_secs() < 60 {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        cluster.crash();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(sent.iter().any(|n| *n < 30), "the crash landed during the uploads: {sent:?}");
    // While it is down, the hub answers unavailable (HTTP 503), not an internal error.
    let e = hub.counts().unwrap_err();
    assert!(matches!(e, HubError::Unavailable(_)), "{e}");

    // Back: the same hub process reconnects; every set is sent again from the start (the
    // client does not know which commits landed) and each is applied once.
    cluster.restart().unwrap();
    for device_sets in &sets {
        for body in device_sets {
            let mut tries = 0;
            let answer = loop {
                tries += 1;
                match hub.accept_changeset(body) {
                    Ok(answer) => break answer,
                    // Pooled connections from before the crash fail once each.
                    Err(HubError::Unavailable(_)) if tries < 40 => continue,
                    Err(e) => panic!("{e}"),
                }
            };
            assert_eq!(outcome(&answer), "accepted");
        }
    }
    let report = hub.verify_events().unwrap();
    assert!(report.ok, "{report:?}");
    assert_eq!(report.events, 3 + 4 * 30 * 40);
    for (office, (rows, max, head)) in feed_shape(&cluster.url()) {
        assert_eq!(rows, max, "feed of {office} has no gap");
        assert_eq!(max, head, "feed of {office} ends at its head");
    }
    drop(hub);
    cluster.stop().unwrap();
}

/// A province whose hub kept its feeds a row per event (before V6) opens on this hub: every
/// office's feed reads exactly as before, gap-free, and a blob stays fetchable by exactly the
/// offices whose feed names it.
#[test]
fn a_database_from_before_v6_reads_the_same_after_v6_and_v7() {
    let Some(server) = server() else { return };
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_schema(&server);
    let db = Database::Postgres(url.clone());
    let key = dir.path().join("hub.key");
    let hub = Hub::init_database(&db, Some(&key), Alg::Ed25519).unwrap();
    add_province(&hub);
    let mut wuhua = Device::enrolled(&hub, WUHUA, "wuhua-1");
    let mut qilin = Device::enrolled(&hub, QILIN, "qilin-1");
    let readers: Vec<(&str, Device)> = [PROVINCE, KUNMING, WUHUA, PANLONG, QUJING, QILIN]
        .into_iter()
        .map(|office| (office, Device::enrolled(&hub, office, &format!("reader-{office}"))))
        .collect();
    let sha = [7u8; 32];
    for round in 0..3 {
        let mut events: Vec<_> = (0..30).map(|k| wuhua.work(&format!("complaint:w{}", (round * 30 + k) % 4))).collect();
        if round == 1 {
            events.push(wuhua.event(
                qingfeng_log::kind::COMPLAINT_ATTACHMENT_ADDED,
                "complaint:w1",
                &serde_json::json!({
                    "complaint_id": "w1", "sha256": hex::encode(sha), "name": "信.txt",
                    "media_type": "text/plain", "size": 10
                }),
            ));
        }
        assert_eq!(wuhua.send(&hub, events), "accepted");
        let events = (0..20).map(|k| qilin.work(&format!("complaint:q{}", k % 3))).collect();
        assert_eq!(qilin.send(&hub, events), "accepted");
    }
    let read_all = |hub: &Hub| -> Vec<Vec<String>> {
        readers.iter().map(|(office, reader)| ids(&read_feed(hub, office, &reader.id))).collect()
    };
    let may_fetch = |hub: &Hub| -> Vec<bool> {
        let devices = hub.devices().unwrap();
        readers
            .iter()
            .map(|(_, reader)| {
                let row = devices.iter().find(|d| d.device_id == reader.id).unwrap();
                hub.blob_status(row, &[qingfeng_sync::blob::BlobId(sha)]).unwrap()[0].state
                    != qingfeng_sync::blob::BlobState::NotNamed
            })
            .collect()
    };
    let (before, fetch_before) = (read_all(&hub), may_fetch(&hub));
    assert_eq!(fetch_before, [true, true, true, false, false, false], "the blob reaches 五华区 and those above it");
    drop(hub);

    // The schema as V5 left it: one feed row per event, V6 and V7 not yet applied.
    psql(
        &url,
        "CREATE TABLE feed (office_code text NOT NULL, feed_seq bigint NOT NULL,
                            pos bigint NOT NULL REFERENCES events (pos), PRIMARY KEY (office_code, feed_seq));
         INSERT INTO feed SELECT r.office_code, r.first_seq + t.ord - 1, t.pos
             FROM feed_runs r CROSS JOIN LATERAL unnest(r.positions) WITH ORDINALITY AS t(pos, ord);
         CREATE INDEX feed_pos ON feed (pos, office_code);
         DROP TABLE feed_runs; DROP TABLE blob_offices; DROP INDEX blob_refs_pos;
         CREATE INDEX events_office_kind ON events (origin_office, kind, pos) WHERE status = 0;
         DELETE FROM refinery_schema_history WHERE version >= 6;",
    );
    let hub = Hub::open_database(&db, Some(&key)).unwrap();
    assert_eq!(read_all(&hub), before, "every office's feed reads as before");
    assert_eq!(may_fetch(&hub), fetch_before, "the same offices may fetch the blob");
    for (office, (positions, max, head)) in feed_shape(&url) {
        assert_eq!((positions, max), (head, head), "feed of {office} has no gap and ends at its head");
    }
    // And it goes on: a new change set after the old rows.
    let events = (0..5).map(|k| wuhua.work(&format!("complaint:w{k}"))).collect();
    assert_eq!(wuhua.send(&hub, events), "accepted");
    let after = read_all(&hub);
    assert_eq!(after[1].len(), before[1].len() + 5, "昆明 gets the five new events");
    assert_eq!(after[1][..before[1].len()], before[1][..], "after the ones it had");
    for (office, (positions, max, head)) in feed_shape(&url) {
        assert_eq!((positions, max), (head, head), "feed of {office} has no gap and ends at its head");
    }
}
