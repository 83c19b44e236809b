//! Issue #13 through the real binaries on loopback: attachments and evidence travel and resume
//! where a cut left them, an old oversized record is named while the rest flows, neither CLI
//! panics on a closed pipe, the hub closes stalled uploads and keeps its memory bounded, and the
//! demo office's first sync produces no conflict.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use qingfeng_core::KeySource;
use qingfeng_core::complaints::{ComplaintChannel, RegisterComplaint, Registered, Reporter, Subject};
use qingfeng_core::events::NewEvent;
use qingfeng_systest::proxy::{Fault, Plan, Proxy};
use qingfeng_systest::{Hub, Office, PASSWORD, assert_no_duplicates, ok_json, ok_text};

/// A scan as plain text (an accepted attachment type) of `len` bytes.
fn scan(len: usize, seed: u8) -> Vec<u8> {
    let mut s = format!("来信扫描件 {seed}\n");
    while s.len() < len {
        s.push_str("检举信正文内容，");
    }
    s.into_bytes()
}

/// Attaches `bytes` to complaint `id` through the CLI, as the petitions officer.
fn attach(office: &Office, dir: &std::path::Path, id: &str, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    ok_text(&office.run(&["complaint", "attach", id, path.to_str().unwrap(), "--as", "xf"]), "complaint attach");
}

fn attachments_of(office: &Office, id: &str) -> Vec<serde_json::Value> {
    office.show(id)["attachments"].as_array().cloned().unwrap_or_default()
}

/// Defect 1: an attachment's event used to stop the prefecture's feed for good ("FOREIGN KEY
/// constraint failed" on every retry). Now the event arrives, the page applies, the bytes follow;
/// a transfer cut part-way continues from where it stopped instead of starting again.
#[test]
fn an_attachment_reaches_the_prefecture_and_a_cut_transfer_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let mut hub = Hub::new(dir.path());
    let url = hub.start();
    let county = Office::county(dir.path());
    let city = Office::city(dir.path());
    county.enroll(&hub);
    city.enroll(&hub);
    // Nothing of the city's own is pending, so its runs below are only downloads.
    city.sync(Some(&url)).unwrap();

    let id = county.register("附上来信原件");
    county.step(&id, &["screen", "--outcome", "report_upward", "--refer-to", "530100", "--reason", "涉及市管干部"]);
    let big = scan(3 * 1024 * 1024 + 4321, 1);
    attach(&county, dir.path(), &id, "来信原件.txt", &big);

    // The county's upload is cut after two of its four chunks.
    let mut script = vec![Fault::Pass, Fault::Pass, Fault::Pass, Fault::Pass, Fault::Pass];
    script.push(Fault::Drop);
    let proxy = Proxy::start(&url, Plan::Script(script));
    assert!(county.sync(Some(&proxy.url)).is_err(), "the cut makes this run fail");
    let puts_first = proxy.seen("/v1/blobs/put");
    drop(proxy);
    assert_eq!(puts_first, 3, "status, changesets, blob status, then chunks 1 and 2, then the cut");
    let proxy = Proxy::start(&url, Plan::Script(Vec::new()));
    let report = county.sync(Some(&proxy.url)).unwrap();
    assert_eq!(report["blobs_sent"], 1);
    assert_eq!(proxy.seen("/v1/blobs/put"), 2, "the rest only: the transfer continued, it did not restart");
    drop(proxy);

    // The prefecture receives the event first: its page applies, the file shows as in transit.
    let proxy = Proxy::start(&url, Plan::Script(vec![Fault::Pass, Fault::Pass, Fault::Pass, Fault::Pass, Fault::Drop]));
    assert!(city.sync(Some(&proxy.url)).is_err());
    drop(proxy);
    let status = city.status();
    assert!(status["feed_cursor"].as_u64().unwrap() > 0, "the feed moved on: {status}");
    let listed = attachments_of(&city, &id);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["available"], false, "附件传输中: {listed:?}");
    assert_eq!(status["blobs"]["missing"], 1);
    assert_eq!(status["blobs"]["received_bytes"], 1024 * 1024, "one chunk arrived before the cut");
    let proxy = Proxy::start(&url, Plan::Script(Vec::new()));
    let report = city.sync(Some(&proxy.url)).unwrap();
    assert_eq!(report["blobs_received"], 1);
    assert_eq!(proxy.seen("/v1/blobs/get"), 3, "chunks 2 to 4 only");
    drop(proxy);
    assert_eq!(attachments_of(&city, &id)[0]["available"], true);
    assert_eq!(city.status()["blobs"]["missing"], 0);

    // Both verify clean; the hub holds the blob whole and verified.
    for office in [&county, &city] {
        let v = office.json(&["events", "verify"]);
        assert_eq!(v["ok"], true, "{v}");
        assert_eq!(v["blobs"]["held"], 1);
        assert_no_duplicates(&office.events());
    }
    let v = hub.json(&["events", "verify", "--json"]);
    assert_eq!((v["ok"].clone(), v["blobs"]["complete"].clone()), (serde_json::json!(true), serde_json::json!(1)));
    hub.kill();
}

/// Appends an event to `office`'s own chain directly in its file, as an older version without
/// field limits would have recorded it, and projects it as that version did.
fn record_as_an_old_version(office: &Office, registered: &Registered) {
    let key = KeySource::File(office.key.clone()).load(&office.db).unwrap();
    let mut conn = rusqlite::Connection::open(&office.db).unwrap();
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", key.to_hex().as_str())).unwrap();
    let device: String = conn.query_row("SELECT value FROM meta WHERE key = 'device_id'", [], |r| r.get(0)).unwrap();
    let tx = conn.transaction().unwrap();
    let mut head = qingfeng_core::events::load_head(&tx, &office.code, &device).unwrap();
    let new = NewEvent::new(
        qingfeng_core::projector::kind::COMPLAINT_REGISTERED,
        format!("complaint:{}", registered.complaint_id),
        registered,
    )
    .unwrap();
    let now = chrono::Utc::now().timestamp_millis();
    let event = qingfeng_core::events::append(&tx, &mut head, "u-old", new, now).unwrap();
    let mut projector = qingfeng_core::projector::Projector { calendar: qingfeng_core::cal::Calendar::builtin() };
    projector.apply(&tx, &event).unwrap();
    tx.commit().unwrap();
}

fn old_registration(n: u32, name_bytes: usize) -> Registered {
    let id = uuid::Uuid::now_v7().to_string();
    Registered {
        complaint_id: id,
        number: format!("530102-2025-{n:05}"),
        office_code: "530102".into(),
        received_at: "2026-01-05T02:00:00+00:00".into(),
        received_date: "2026-01-05".into(),
        form: RegisterComplaint {
            channel: ComplaintChannel::Letter,
            received_at: "2026-01-05T10:00:00+08:00".into(),
            reporter: Some(Reporter {
                name: "名".repeat(name_bytes / 3),
                unit: None,
                contact: "13800009999".into(),
                address: None,
            }),
            real_name: true,
            real_name_verified: None,
            summary: "旧版本保存的超长记录".into(),
            content: "内容".into(),
            categories: vec![],
            subjects: vec![Subject {
                name: "甄某".into(),
                post: "所长".into(),
                unit: "某所".into(),
                level: "一般干部".into(),
            }],
            repeat_of: None,
        },
        // An older version wrote the reporter in plaintext (issue #14 seals it); such logs replay.
        sealed_identity: None,
        // Nor did it carry the acceptance-notice rule (issue #15); such events keep today's rule.
        notice_rule: None,
    }
}

/// Defect 2: a 9 MB name accepted by an older version stopped every `sync now` and `bundle
/// export` for good. Now such a record travels alone; one too large for any route is named, the
/// work before it is sent, the feed still arrives, and no `.part` file is left.
#[test]
fn an_old_oversized_record_is_sent_alone_or_named_while_the_rest_flows() {
    let dir = tempfile::tempdir().unwrap();
    let mut hub = Hub::new(dir.path());
    let url = hub.start();
    let county = Office::county(dir.path());
    let city = Office::city(dir.path());
    county.enroll(&hub);
    city.enroll(&hub);

    // The case: a 9 MB name, then ordinary work after it.
    county.register("超长记录之前");
    let nine = old_registration(1, 9 * 1024 * 1024);
    record_as_an_old_version(&county, &nine);
    county.register("超长记录之后");
    let report = county.sync(Some(&url)).unwrap();
    assert!(report["blocked"].is_null(), "{report}");
    assert_eq!(county.status()["pending"], 0);
    city.sync(Some(&url)).unwrap();
    assert!(
        city.events().iter().any(|e| e["aggregate"] == format!("complaint:{}", nine.complaint_id)),
        "the prefecture received the large record"
    );

    // One larger than any change set may carry: named, and everything else still moves.
    let huge = old_registration(2, 16 * 1024 * 1024);
    record_as_an_old_version(&county, &huge);
    county.register("被卡住的记录之后");
    // News for the county's feed while its uploads are held: a new office in the directory.
    hub.ok(&["office", "add", "530103", "盘龙区纪委监委", "--level", "county", "--parent", "530100"]);
    let report = county.sync(Some(&url)).unwrap();
    let blocked = report["blocked"].as_str().unwrap();
    assert!(blocked.contains("530102-2025-00002") && blocked.contains("登记"), "{blocked}");
    assert!(report["downloaded_events"].as_u64().unwrap() >= 1, "the feed still arrives: {report}");
    let status = county.status();
    let waiting = status["blocked"]["waiting"].as_u64().unwrap();
    assert!(waiting >= 1, "the later work waits behind it: {status}");
    assert_eq!(status["pending"].as_u64().unwrap(), waiting + 1, "{status}");
    assert!(!status["blocked"]["reason"].as_str().unwrap().contains("seq"), "in words");

    // A bundle export writes what precedes it and names it; no partial file is left behind.
    let out = dir.path().join("usb").join("五华.qfb");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let exported = county.json(&["bundle", "export", "--out", out.to_str().unwrap()]);
    assert!(exported["blocked"].as_str().unwrap().contains("530102-2025-00002"), "{exported}");
    let leftovers: Vec<_> = std::fs::read_dir(out.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("五华.qfb")]);
    hub.verify();
    hub.kill();
}

/// A disk that fills up during a sync: the run stops with a Chinese message and no damage, and
/// the next run continues where it stopped (the chunks already received are kept).
#[test]
fn a_full_disk_during_a_sync_is_said_in_chinese_and_the_next_run_continues() {
    let dir = tempfile::tempdir().unwrap();
    let mut hub = Hub::new(dir.path());
    let url = hub.start();
    let county = Office::county(dir.path());
    let city = Office::city(dir.path());
    county.enroll(&hub);
    city.enroll(&hub);
    city.sync(Some(&url)).unwrap();
    let id = county.register("磁盘已满时到达的来信");
    county.step(&id, &["screen", "--outcome", "report_upward", "--refer-to", "530100", "--reason", "涉及市管干部"]);
    attach(&county, dir.path(), &id, "来信原件.txt", &scan(3 * 1024 * 1024, 2));
    county.sync(Some(&url)).unwrap();

    // The city's disk has room for about one more chunk (SIGXFSZ ignored: writes fail as on a
    // full disk).
    let size = std::fs::metadata(&city.db).unwrap().len()
        + std::fs::metadata(city.db.with_extension("db-wal")).map_or(0, |m| m.len());
    let script = format!("trap '' XFSZ; ulimit -f {}; exec \"$@\"", size / 512 + 3000);
    let out = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg("sh")
        .arg(qingfeng_systest::cli_bin())
        .arg("--db")
        .arg(&city.db)
        .arg("--key-file")
        .arg(&city.key)
        .args(["sync", "now", "--hub", &url])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("磁盘") && !stderr.contains("Error code"), "{stderr}");
    let report = city.sync(Some(&url)).unwrap();
    assert_eq!(report["blobs_received"], 1, "{report}");
    assert!(report["blob_bytes"].as_u64().unwrap() < 3 * 1024 * 1024, "it continued, it did not start again: {report}");
    assert_eq!(city.json(&["events", "verify"])["ok"], true);
    hub.kill();
}

/// Defect 6: `qingfeng-hub events verify --json | head -c 80` panicked with a backtrace.
#[test]
fn neither_cli_panics_when_its_reader_stops_early() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::new(dir.path());
    let county = Office::county(dir.path());
    for _ in 0..3 {
        county.register("管道测试");
    }
    let hub_cmd = {
        let mut c = Command::new(qingfeng_systest::hub_bin());
        c.arg("--db").arg(&hub.db).args(["events", "verify", "--json"]);
        c
    };
    let cli_cmd = {
        let mut c = Command::new(qingfeng_systest::cli_bin());
        c.arg("--db").arg(&county.db).arg("--key-file").arg(&county.key).args(["events", "verify", "--json"]);
        c.env("QINGFENG_PASSWORD", PASSWORD);
        c
    };
    for mut cmd in [hub_cmd, cli_cmd] {
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        // The reader is gone before the program writes (as when `head -c 80` has had enough).
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(out.status.code().is_some(), "ended by itself, not by a signal");
    }
}

fn rss_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap()
}

/// Defect 6: 200 stalled uploads stayed open with no timeout, and eight concurrent 15 MiB bodies
/// took the hub from 18 to 97 MiB. Now a stalled body is dropped after the idle timeout, and the
/// bodies held at once are bounded by the hub's budget. Prints the figures.
#[test]
fn stalled_uploads_are_closed_and_large_bodies_do_not_grow_the_hub_without_bound() {
    let dir = tempfile::tempdir().unwrap();
    let mut hub = Hub::new(dir.path());
    let url = hub.start_with_args(&["--stall-timeout-secs", "2"]);
    let addr = url.trim_start_matches("http://").to_owned();
    let pid: u32 = std::fs::read_to_string(dir.path().join("hub.pid")).unwrap().trim().parse().unwrap();

    // 200 uploads that announce a body and then send nothing.
    let stalled: Vec<std::net::TcpStream> = (0..200)
        .map(|_| {
            let mut s = std::net::TcpStream::connect(&addr).unwrap();
            s.write_all(b"POST /v1/changesets HTTP/1.1\r\nhost: x\r\ncontent-type: application/cbor\r\ncontent-length: 1000\r\n\r\n")
                .unwrap();
            s
        })
        .collect();
    let started = Instant::now();
    for mut s in stalled {
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let mut answer = Vec::new();
        let _ = s.read_to_end(&mut answer);
        let text = String::from_utf8_lossy(&answer);
        assert!(text.is_empty() || text.starts_with("HTTP/1.1 408"), "{text}");
    }
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(30), "every stalled upload was closed ({waited:?})");
    println!("200 stalled uploads closed after {:.1} s", waited.as_secs_f64());

    // Eight concurrent bodies of 15 MiB.
    let before = rss_kib(pid, "VmRSS:");
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let url = url.clone();
            std::thread::spawn(move || {
                let body = vec![i as u8; 15 * 1024 * 1024];
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                rt.block_on(async {
                    let r =
                        reqwest::Client::new().post(format!("{url}/v1/changesets")).body(body).send().await.unwrap();
                    r.status().as_u16()
                })
            })
        })
        .collect();
    let statuses: Vec<u16> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let peak = rss_kib(pid, "VmHWM:");
    std::thread::sleep(Duration::from_millis(500));
    let after = rss_kib(pid, "VmRSS:");
    println!(
        "hub memory with 8 concurrent 15 MiB bodies: {:.1} MiB before, {:.1} MiB peak, {:.1} MiB after (answers {statuses:?})",
        before as f64 / 1024.0,
        peak as f64 / 1024.0,
        after as f64 / 1024.0
    );
    assert!(statuses.iter().all(|s| *s == 400), "each is read and refused as no change set: {statuses:?}");
    assert!(peak - before < 80 * 1024, "peak {peak} KiB from {before} KiB");
    hub.kill();
}

/// Defect 7: the demo office's first sync produced 8 conflicts (steps it took offline after
/// reporting upward), and `demo --if-missing` took a half-built database after a kill as whole.
#[test]
fn the_demo_office_syncs_without_conflicts_and_a_half_built_demo_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let mut hub = Hub::new(dir.path());
    let url = hub.start();
    let demo = Office { db: dir.path().join("demo.db"), key: dir.path().join("demo.key"), code: "530102".into() };
    let built = ok_json(&demo.run(&["demo", "--json"]), "demo");
    assert_eq!(built["complaints"], 300);
    demo.enroll(&hub);
    let report = demo.sync(Some(&url)).unwrap();
    assert_eq!(report["conflicts"], 0, "{report}");
    // Reading conflicts needs a login (issue #14): the demo's petitions officer, with the demo password.
    let conflicts = ok_json(
        &demo.run_with_password(&["sync", "conflicts", "--as", "xinfang", "--json"], qingfeng_demo::DEMO_PASSWORD),
        "sync conflicts",
    );
    assert_eq!(conflicts.as_array().unwrap().len(), 0);
    let city = Office::city(dir.path());
    city.enroll(&hub);
    let report = city.sync(Some(&url)).unwrap();
    assert_eq!(report["conflicts"], 0, "{report}");
    assert!(report["applied_events"].as_u64().unwrap() > 0, "the city received the cases reported to it");
    hub.verify();
    hub.kill();

    // Killed part-way through seeding: the next `--if-missing` builds it again.
    let half = Office { db: dir.path().join("half.db"), key: dir.path().join("half.key"), code: "530102".into() };
    let child = half.spawn(&["demo"]);
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::fs::metadata(&half.db).map(|m| m.len()).unwrap_or(0) < 512 * 1024 {
        assert!(Instant::now() < deadline, "seeding never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(child); // SIGKILL
    let again = ok_json(&half.run(&["demo", "--if-missing", "--json"]), "demo --if-missing");
    assert_eq!(again["complaints"], 300, "rebuilt whole: {again}");
    let once_more = ok_json(&half.run(&["demo", "--if-missing", "--json"]), "demo --if-missing");
    assert_eq!(once_more["complaints"], 300);
}
