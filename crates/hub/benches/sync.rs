//! Sync and hub figures, run by `cargo xtask bench`: incremental sync, 100,000 events acknowledged,
//! feed throughput, bytes on the wire, a large bundle, many offices at once, signature cost, and a
//! plain-SQLite baseline. Prints one JSON object per figure, each line starting `{"bench":`.
//!
//! Everything runs for real: the hub serves HTTP on 127.0.0.1 in this process, the office is a
//! SQLCipher `Store` seeded with the demo office and synced by the desktop's own `SyncClient`,
//! and every change set, receipt, feed page and bundle is signed and verified. Sizes can be made
//! smaller for a quick run with `QINGFENG_BENCH_SYNC_EVENTS`, `QINGFENG_BENCH_BUNDLE_EVENTS` and
//! `QINGFENG_BENCH_OFFICES`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "floor.rs"]
mod floor;

use std::io::{BufReader, BufWriter, Write as _};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use common::{Device, KUNMING, PANLONG, PROVINCE, WUHUA};
use floor::{emit, env_usize, pct, round3};
use qingfeng_core::authz::{Action, Actor};
use qingfeng_core::events::{Event, NewEvent};
use qingfeng_core::identity::OfficeLevel;
use qingfeng_core::projector::{SettingChanged, kind};
use qingfeng_core::store::Decision;
use qingfeng_core::{KeySource, Store};
use qingfeng_demo as demo;
use qingfeng_hub::Hub;
use qingfeng_sync::client::{self, SyncClient};
use qingfeng_sync::envelope::{AUTH_CONTEXT, FEED_CONTEXT};
use qingfeng_sync::{
    Alg, AuthRequest, FeedPage, FeedRequest, Outcome, Receipt, SecretKey, Signed, SignedChangeSet,
    split_into_changesets,
};
use serde_json::json;

/// No single request of the benchmark may take longer than this; a hung hub fails the run
/// instead of stalling `cargo xtask bench` forever.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

fn setting_event(i: u64) -> NewEvent {
    NewEvent::new(
        kind::SETTING_CHANGED,
        "office:530102",
        &SettingChanged { key: "lockout.minutes".into(), value: (15 + i % 10).to_string() },
    )
    .unwrap()
}

/// Appends `n` events through the real write path, 10,000 per transaction as a busy day's
/// imports would, so the outbox holds them exactly as an office's would.
fn append(store: &Mutex<Store>, n: u64) {
    let mut store = store.lock().unwrap();
    let office = store.office_code().unwrap().to_owned();
    let mut done = 0;
    while done < n {
        let batch = (n - done).min(10_000);
        store
            .execute(&Actor::System, Action::ChangeSettings { office: office.clone() }, |_tx, _ctx| {
                Ok(Decision::events((done..done + batch).map(setting_event).collect()))
            })
            .unwrap();
        done += batch;
    }
}

fn gzip(bytes: &[u8], level: u32) -> usize {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap().len()
}

/// The demo office (五华区, SQLCipher file) enrolled with the hub over HTTP, as the desktop does it.
struct Office {
    store: Mutex<Store>,
    client: SyncClient,
    key: SecretKey,
}

impl Office {
    fn enrolled(rt: &tokio::runtime::Runtime, hub: &Hub, url: &str, dir: &Path) -> Office {
        let mut store = Store::create(&dir.join("office.db"), &KeySource::File(dir.join("office.key"))).unwrap();
        demo::seed(&mut store).unwrap();
        let key = SecretKey::generate(Alg::Ed25519);
        let token = hub.issue_token(WUHUA, Duration::from_secs(3600)).unwrap();
        let request = client::enrollment_request(&store, &key, Some(&token.token)).unwrap();
        let issued = rt.block_on(SyncClient::enroll(url, &request)).unwrap();
        client::install_certificate(&mut store, &key, &issued, Some(url)).unwrap();
        let client =
            SyncClient::new(&store, SecretKey::from_bytes(Alg::Ed25519, &key.to_bytes()).unwrap(), None).unwrap();
        Office { store: Mutex::new(store), client, key }
    }

    /// One sync run; fails the benchmark if the hub refused anything, since the figure would
    /// then not be the cost of a successful sync.
    fn sync(&self, rt: &tokio::runtime::Runtime) -> client::SyncReport {
        let run = async { tokio::time::timeout(REQUEST_TIMEOUT * 10, self.client.sync_once(&self.store)).await };
        let report = rt.block_on(run).expect("a sync run took over 20 minutes").unwrap();
        assert_eq!(report.changesets_rejected, 0, "the hub refused change sets: {:?}", report.rejections);
        report
    }

    fn fully_acked(&self) -> bool {
        let store = self.store.lock().unwrap();
        store.acked_head().unwrap().0 == store.sync_status().unwrap().head_seq
    }
}

/// The auth header a device sends with `body` to `path`, as `SyncClient` builds it.
fn auth(device: &Device, path: &str, body: &[u8]) -> String {
    let request = AuthRequest::new(&device.id, path, body, qingfeng_hub::now_ms());
    let signed = Signed::sign(AUTH_CONTEXT, &request, &device.key).unwrap();
    base64::engine::general_purpose::STANDARD.encode(signed.encode())
}

/// One feed page over HTTP, its signature checked with the hub's key; returns the page and the
/// size of the answer's body.
async fn feed_page(
    http: &reqwest::Client,
    url: &str,
    device: &Device,
    hub_key: &qingfeng_sync::PublicKey,
    after: u64,
) -> (FeedPage, Vec<u8>) {
    let body = qingfeng_core::encoding::to_canonical_cbor(&FeedRequest { after, limit: client::FEED_LIMIT }).unwrap();
    let bytes = http
        .post(format!("{url}/v1/feed"))
        .header("content-type", "application/cbor")
        .header(qingfeng_hub::http::AUTH_HEADER, auth(device, "/v1/feed", &body))
        .body(body)
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let page = Signed::<FeedPage>::decode(&bytes).unwrap().open(FEED_CONTEXT, hub_key).unwrap();
    (page, bytes)
}

async fn post_changeset(http: &reqwest::Client, url: &str, body: Vec<u8>) {
    let bytes = http
        .post(format!("{url}/v1/changesets"))
        .header("content-type", "application/cbor")
        .body(body)
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let receipt: Receipt = Signed::decode(&bytes).unwrap().peek().unwrap();
    assert_eq!(receipt.outcome, Outcome::Accepted);
}

fn main() {
    // `cargo bench` passes --bench; any other argument is a filter, as with the built-in harness.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let wanted = |name: &str| filter.as_deref().is_none_or(|f| name.contains(f));
    let sync_events = env_usize("QINGFENG_BENCH_SYNC_EVENTS", 100_000) as u64;
    let bundle_events = env_usize("QINGFENG_BENCH_BUNDLE_EVENTS", 1_000_000) as u64;
    let offices = env_usize("QINGFENG_BENCH_OFFICES", 200).min(200);
    let dir =
        tempfile::tempdir_in(std::env::var_os("QINGFENG_BENCH_DIR").unwrap_or_else(|| std::env::temp_dir().into()))
            .unwrap();
    // Two workers, as many as the benchmark machine has cores; the hub's storage work runs on
    // tokio's blocking pool beside them.
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let http = reqwest::Client::builder().timeout(REQUEST_TIMEOUT).build().unwrap();

    if wanted("signatures") {
        signatures();
    }

    std::fs::create_dir_all(dir.path().join("hub")).unwrap();
    let hub = Arc::new(common::hub_in(&dir.path().join("hub")));
    let server = rt.block_on(qingfeng_hub::http::serve(Arc::clone(&hub), "127.0.0.1:0".parse().unwrap())).unwrap();
    let url = server.url();
    let office = Office::enrolled(&rt, &hub, &url, dir.path());

    // The demo office's own history: a realistic mix of registrations, screenings and notices.
    let demo_events = office.store.lock().unwrap().outbox(0, 1_000_000).unwrap();
    let t = Instant::now();
    let first = office.sync(&rt);
    emit(
        "sync_first",
        json!({"events": first.uploaded_events, "downloaded": first.downloaded_events, "seconds": round3(t.elapsed().as_secs_f64())}),
    );
    if wanted("wire") {
        wire_bytes(&office.key, demo_events);
    }

    if wanted("incremental") {
        let mut millis = Vec::new();
        for _ in 0..20 {
            append(&office.store, 100);
            let t = Instant::now();
            let report = office.sync(&rt);
            millis.push(t.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(report.uploaded_events, 100);
        }
        millis.sort_by(f64::total_cmp);
        emit(
            "sync_incremental_100",
            json!({"runs": millis.len(), "p50_ms": round3(pct(&millis, 0.5)), "p95_ms": round3(pct(&millis, 0.95)), "max_ms": round3(pct(&millis, 1.0))}),
        );
    }

    if wanted("acked") {
        append(&office.store, sync_events);
        let t = Instant::now();
        let report = office.sync(&rt);
        let seconds = t.elapsed().as_secs_f64();
        assert_eq!(report.uploaded_events, sync_events);
        assert!(office.fully_acked());
        emit(
            "sync_acked",
            json!({"events": sync_events, "changesets": report.changesets_accepted, "seconds": round3(seconds), "per_second": (sync_events as f64 / seconds).round()}),
        );
    }

    if wanted("feed") {
        feed(&rt, &http, &hub, &url, sync_events);
    }

    if wanted("bundle") {
        bundle(&hub, &office, dir.path(), bundle_events);
    }

    if wanted("offices") {
        many_offices(&rt, &http, &hub, &url, offices);
    }

    if wanted("baseline") {
        baseline(dir.path(), sync_events);
    }

    rt.block_on(server.shutdown()).unwrap();
}

/// Our signature checks against the libraries' raw verify on the same bytes and signatures.
fn signatures() {
    for (alg, n) in [(Alg::Ed25519, 5_000u32), (Alg::Sm2Sm3, 1_000)] {
        let key = SecretKey::generate(alg);
        let public = key.public_key();
        // A 100-event change set, the size of an incremental upload.
        let mut device = Device::new(WUHUA, "sig-bench");
        device.key = SecretKey::from_bytes(alg, &key.to_bytes()).unwrap();
        let events: Vec<Event> = (0..100).map(|i| device.work(&format!("complaint:{}", i / 5))).collect();
        let signed = device.sign(events);
        let context = "qingfeng/changeset/v1";
        let mut message = context.as_bytes().to_vec();
        message.push(0);
        message.extend_from_slice(&signed.body);
        let signature = qingfeng_sync::Signature { alg, bytes: signed.signature.clone() };

        // The raw libraries with the key parsed once, the fastest a verifier can be.
        let raw_rate = match alg {
            Alg::Ed25519 => {
                let vk = ed25519_dalek::VerifyingKey::from_bytes(&public.bytes.clone().try_into().unwrap()).unwrap();
                let sig = ed25519_dalek::Signature::from_slice(&signature.bytes).unwrap();
                let t = Instant::now();
                for _ in 0..n {
                    vk.verify_strict(&message, &sig).unwrap();
                }
                f64::from(n) / t.elapsed().as_secs_f64()
            }
            Alg::Sm2Sm3 => {
                use sm2::dsa::signature::Verifier as _;
                let vk =
                    sm2::dsa::VerifyingKey::from_sec1_bytes(qingfeng_sync::crypto::SM2_DISTID, &public.bytes).unwrap();
                let sig = sm2::dsa::Signature::from_slice(&signature.bytes).unwrap();
                let t = Instant::now();
                for _ in 0..n {
                    vk.verify(&message, &sig).unwrap();
                }
                f64::from(n) / t.elapsed().as_secs_f64()
            }
        };
        // Ours: the key decoded and checked, the context prefixed, then the same verify.
        let t = Instant::now();
        for _ in 0..n {
            public.verify(context, &signed.body, &signature).unwrap();
        }
        let ours_rate = f64::from(n) / t.elapsed().as_secs_f64();
        // What the hub does with each upload before storing it: frame decoded, signature
        // checked, every event decoded and its hash recomputed.
        let frame = signed.encode();
        let t = Instant::now();
        for _ in 0..n / 5 {
            SignedChangeSet::decode(&frame).unwrap().open(&public).unwrap();
        }
        let open_rate = f64::from(n / 5) / t.elapsed().as_secs_f64();
        emit(
            &format!("signature_{}", alg.as_str()),
            json!({
                "message_bytes": message.len(),
                "raw_per_second": raw_rate.round(),
                "ours_per_second": ours_rate.round(),
                "ratio": round3(raw_rate / ours_rate),
                "open_100_per_second": open_rate.round(),
                "open_ratio": round3(raw_rate / open_rate),
            }),
        );
    }
}

/// Bytes on the wire per event: the demo office's events in upload-sized signed change sets,
/// as sent, and gzipped at a fast and the default level.
fn wire_bytes(key: &SecretKey, events: Vec<Event>) {
    let n = events.len() as u64;
    let (mut raw, mut fast, mut default) = (0usize, 0usize, 0usize);
    let mut gzip_seconds = 0.0;
    for set in split_into_changesets(events, client::UPLOAD_EVENTS, client::UPLOAD_BYTES).unwrap() {
        let body = SignedChangeSet::sign(&set, key).encode();
        raw += body.len();
        let g = Instant::now();
        fast += gzip(&body, 1);
        gzip_seconds += g.elapsed().as_secs_f64();
        default += gzip(&body, 6);
    }
    emit(
        "wire_upload",
        json!({
            "events": n,
            "bytes_per_event": (raw as f64 / n as f64).round(),
            "gzip1_bytes_per_event": (fast as f64 / n as f64).round(),
            "gzip6_bytes_per_event": (default as f64 / n as f64).round(),
            "gzip1_mib_per_second": round3(raw as f64 / 1048576.0 / gzip_seconds),
        }),
    );
}

/// A county uploads `n` events in pre-signed change sets; its prefecture then reads its whole
/// feed over HTTP, every page's signature checked.
fn feed(rt: &tokio::runtime::Runtime, http: &reqwest::Client, hub: &Hub, url: &str, n: u64) {
    let mut county = Device::enrolled(hub, PANLONG, "panlong-bench");
    let bodies: Vec<Vec<u8>> = (0..n.div_ceil(2000))
        .map(|s| {
            let k = (n - s * 2000).min(2000);
            let events: Vec<_> = (0..k).map(|i| county.work(&format!("complaint:p{}", (s * 2000 + i) / 10))).collect();
            county.sign(events).encode()
        })
        .collect();
    let t = Instant::now();
    rt.block_on(async {
        for body in bodies {
            post_changeset(http, url, body).await;
        }
    });
    emit(
        "upload_presigned",
        json!({"events": n, "seconds": round3(t.elapsed().as_secs_f64()), "per_second": (n as f64 / t.elapsed().as_secs_f64()).round()}),
    );

    let reader = Device::enrolled(hub, KUNMING, "kunming-bench");
    let hub_key = hub.public_key().clone();
    let t = Instant::now();
    let (events, bytes, sample) = rt.block_on(async {
        let (mut events, mut bytes, mut after, mut sample) = (0u64, 0usize, 0u64, 0usize);
        // Bounded: the feed cannot hold more pages than this, and a stuck cursor ends the loop.
        for _ in 0..(n / u64::from(client::FEED_LIMIT) + 1000) {
            let (page, body) = feed_page(http, url, &reader, &hub_key, after).await;
            events += page.events.len() as u64;
            bytes += body.len();
            if sample == 0 && page.events.len() == client::FEED_LIMIT as usize {
                sample = gzip(&body, 1) * 1_000_000 / body.len();
            }
            if !page.more || page.cursor <= after {
                break;
            }
            after = page.cursor;
        }
        (events, bytes, sample)
    });
    let seconds = t.elapsed().as_secs_f64();
    emit(
        "feed_prefecture",
        json!({
            "events": events,
            "seconds": round3(seconds),
            "per_second": (events as f64 / seconds).round(),
            "bytes_per_event": (bytes as f64 / events as f64).round(),
            "gzip1_ratio": sample as f64 / 1_000_000.0,
        }),
    );
}

/// A bundle of `n` events: exported by the office, imported by the hub (which writes the return
/// bundle), and the return bundle imported by the office.
fn bundle(hub: &Hub, office: &Office, dir: &Path, n: u64) {
    let t = Instant::now();
    append(&office.store, n);
    let build = t.elapsed().as_secs_f64();
    let (out_path, back_path) = (dir.join("office.qfbundle"), dir.join("return.qfbundle"));

    let t = Instant::now();
    let file = std::fs::File::create(&out_path).unwrap();
    let (writer, report) = client::export_bundle(&office.store, &office.key, BufWriter::new(file), |_, _| {}).unwrap();
    writer.into_inner().unwrap().sync_all().unwrap();
    let export = t.elapsed().as_secs_f64();
    assert_eq!(report.events, n);

    let feed_after = office.store.lock().unwrap().sync_status().unwrap().feed_cursor;
    let t = Instant::now();
    let input = BufReader::new(std::fs::File::open(&out_path).unwrap());
    let output = BufWriter::new(std::fs::File::create(&back_path).unwrap());
    let imported = qingfeng_hub::bundles::import_bundle(hub, input, output, Some(feed_after)).unwrap();
    let import = t.elapsed().as_secs_f64();
    assert_eq!((imported.accepted, imported.rejected, imported.waiting), (imported.changesets, 0, 0));

    let t = Instant::now();
    client::import_return_bundle(&office.store, BufReader::new(std::fs::File::open(&back_path).unwrap()), |_, _| {})
        .unwrap();
    let back = t.elapsed().as_secs_f64();
    assert!(office.fully_acked());
    let size = std::fs::metadata(&out_path).unwrap().len();
    emit(
        "bundle",
        json!({
            "events": n,
            "build_seconds": round3(build),
            "export_seconds": round3(export),
            "hub_import_seconds": round3(import),
            "return_import_seconds": round3(back),
            "seconds": round3(export + import + back),
            "bytes": size,
            "bytes_per_event": (size as f64 / n as f64).round(),
        }),
    );
    let _ = std::fs::remove_file(out_path);
    let _ = std::fs::remove_file(back_path);
}

/// `n` county offices (each its own device) sync at once: each uploads a signed change set and
/// reads a feed page, and the time each office waits for both is recorded.
fn many_offices(rt: &tokio::runtime::Runtime, http: &reqwest::Client, hub: &Hub, url: &str, n: usize) {
    // Twenty prefectures of ten counties each, beside the ones the test province already has.
    let mut devices = Vec::new();
    for p in 0..n.div_ceil(10) {
        let prefecture = format!("53{:02}00", 40 + p);
        hub.add_office(&prefecture, &format!("测试州市{p}纪委监委"), OfficeLevel::Prefecture, Some(PROVINCE)).unwrap();
        for c in 0..10.min(n - p * 10) {
            let code = format!("53{:02}{:02}", 40 + p, c + 1);
            hub.add_office(&code, &format!("测试县{p}-{c}纪委监委"), OfficeLevel::County, Some(&prefecture)).unwrap();
            devices.push(Device::enrolled(hub, &code, &format!("county-{p}-{c}")));
        }
    }
    let hub_key = hub.public_key().clone();
    for per in [20u64, 200] {
        let uploads: Vec<(Device, Vec<u8>)> = devices
            .iter_mut()
            .map(|d| {
                let events: Vec<_> = (0..per).map(|k| d.work(&format!("complaint:{}-{}", d.id, k / 5))).collect();
                let body = d.sign(events).encode();
                (
                    Device {
                        key: SecretKey::from_bytes(Alg::Ed25519, &d.key.to_bytes()).unwrap(),
                        ..Device::new(&d.office, &d.id)
                    },
                    body,
                )
            })
            .collect();
        let t = Instant::now();
        let mut millis: Vec<f64> = rt.block_on(async {
            let tasks: Vec<_> = uploads
                .into_iter()
                .map(|(device, body)| {
                    let (http, url, hub_key) = (http.clone(), url.to_owned(), hub_key.clone());
                    tokio::spawn(async move {
                        let started = Instant::now();
                        post_changeset(&http, &url, body).await;
                        feed_page(&http, &url, &device, &hub_key, 0).await;
                        started.elapsed().as_secs_f64() * 1000.0
                    })
                })
                .collect();
            let mut out = Vec::new();
            for task in tasks {
                out.push(task.await.unwrap());
            }
            out
        });
        let wall = t.elapsed().as_secs_f64();
        millis.sort_by(f64::total_cmp);
        emit(
            &format!("offices_{per}"),
            json!({
                "offices": n,
                "events_each": per,
                "p50_ms": round3(pct(&millis, 0.5)),
                "p99_ms": round3(pct(&millis, 0.99)),
                "max_ms": round3(pct(&millis, 1.0)),
                "wall_seconds": round3(wall),
            }),
        );
    }
}

/// The floor under any sync design: the same number of events, each as large as an uploaded
/// event, inserted into a plain SQLite file (see `floor.rs`).
fn baseline(dir: &Path, n: u64) {
    let mut device = Device::new(WUHUA, "baseline");
    let events: Vec<Event> = (0..n).map(|i| device.work(&format!("complaint:{}", i / 10))).collect();
    floor::sqlite_insert(dir, &events);
}
