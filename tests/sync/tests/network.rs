//! Network system tests (issue #4): the real `qingfeng` and `qingfeng-hub` binaries as processes,
//! talking over 127.0.0.1 (through a faulty proxy where it matters), ending with every replica
//! agreeing on the events of the aggregates they share.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use qingfeng_systest::proxy::{Fault, Plan, Proxy};
use qingfeng_systest::{Hub, Office, assert_no_duplicates};
use serde_json::Value;

/// Events the hub writes itself: the three offices of its directory, and its re-publication of
/// the county's sealing keys for every office (issue #14).
const DIRECTORY_EVENTS: u64 = 4;

/// Checks that county and city hold the same events for a complaint, and the same conflicts.
fn assert_agree(county: &Office, city: &Office, id: &str) {
    let aggregate = format!("complaint:{id}");
    let a = county.events_of(&aggregate);
    let b = city.events_of(&aggregate);
    assert!(!a.is_empty());
    assert_eq!(a, b, "county and city disagree on {aggregate}");
    let (ca, cb) = (county.conflicts(), city.conflicts());
    let ids = |v: &Value| {
        let mut l: Vec<String> =
            v.as_array().unwrap().iter().map(|c| c["event_id"].as_str().unwrap().to_owned()).collect();
        l.sort();
        l
    };
    assert_eq!(ids(&ca), ids(&cb), "county and city list different conflicts");
    assert_no_duplicates(&county.events());
    assert_no_duplicates(&city.events());
}

/// Scenario 1: weeks offline, then one sync through a link that drops, delays, truncates, resets
/// and duplicates requests; retried until nothing is pending, the hub holds every event once.
#[test]
fn weeks_offline_then_sync_through_a_faulty_link() {
    let dir = tempfile::tempdir().unwrap();
    let mut hub = Hub::new(dir.path());
    let county = Office::county(dir.path());
    // Registered before the office ever saw a hub: the outbox holds everything.
    let ids: Vec<String> = (0..60).map(|i| county.register(&format!("离线期间登记的第 {i} 件"))).collect();
    let url = hub.start();
    county.enroll(&hub);
    assert!(county.status()["pending"].as_u64().unwrap() > 2 * ids.len() as u64);

    let proxy = Proxy::start(&url, Plan::Seeded { seed: 20260104, rate: 0.5, max_faults: 12 });
    county.sync_until_clean(Some(&proxy.url), 40);
    assert!(proxy.faults() > 0, "the proxy injected nothing: {:?}", proxy.log());
    drop(proxy);

    let status = county.status();
    let head = status["head_seq"].as_u64().unwrap();
    assert_eq!(status["acked_seq"], head);
    assert_eq!(hub.verify(), head + DIRECTORY_EVENTS, "the hub holds each county event exactly once");
    // A later clean run changes nothing.
    let report = county.sync(None).unwrap();
    assert_eq!(report["uploaded_events"], 0);
    assert_eq!(hub.verify(), head + DIRECTORY_EVENTS);
    assert_eq!(
        county.json(&["complaint", "list", "--limit", "1000", "--as", "xf"]).as_array().unwrap().len(),
        ids.len()
    );
    assert_no_duplicates(&county.events());
    hub.kill();
}

/// A running hub with the county and the city enrolled (the temp dir must outlive them).
fn county_and_city() -> (tempfile::TempDir, Hub, Office, Office) {
    let dir = tempfile::tempdir().unwrap();
    let mut hub = Hub::new(dir.path());
    hub.start();
    let county = Office::county(dir.path());
    let city = Office::city(dir.path());
    county.enroll(&hub);
    city.enroll(&hub);
    // One sync each first: each office then holds the other's sealing keys, which a hand-over
    // of a reporter's identity needs (issue #14); until then it would be held.
    county.sync(None).unwrap();
    city.sync(None).unwrap();
    (dir, hub, county, city)
}

/// Scenario 2: reported upward by the county, assigned back down by the city (交办, with its
/// leader's approval and a report deadline): the county owns it again, reports its result, and
/// the city sees its demand met.
#[test]
fn reported_upward_then_assigned_back_down() {
    let (_dir, mut hub, county, city) = county_and_city();
    city.sync(None).unwrap();

    let id = county.register("反映某局长违规收受礼金，应由市纪委处理");
    county.step(&id, &["screen", "--outcome", "report_upward", "--refer-to", "530100", "--reason", "涉及市管干部"]);
    county.sync(None).unwrap();
    city.sync(None).unwrap();
    let at_city = city.show(&id);
    assert_eq!(at_city["status"], "registered", "the city receives it to screen: {at_city}");

    city.step(&id, &["assign", "--to", "530102", "--report-days", "20", "--reason", "属县管干部，请查处并报告结果"]);
    city.step_as("ld", &id, &["decide", "--grant", "--comment", "同意交办"]);
    city.sync(None).unwrap();
    county.sync(None).unwrap();
    city.sync(None).unwrap();
    let report_due = |o: &Office| {
        o.show(&id)["deadlines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["kind"] == "assignment_report")
            .map(|d| d["status"].as_str().unwrap().to_owned())
    };
    assert_eq!(report_due(&county).as_deref(), Some("open"), "the county owes the city a report");
    county.step(&id, &["report-result", "--date", "2026-01-06", "--note", "已受理，正在核查"]);
    county.sync(None).unwrap();
    city.sync(None).unwrap();
    assert_eq!(report_due(&city).as_deref(), Some("done"), "the city sees its demand met");

    let (a, b) = (county.show(&id), city.show(&id));
    assert_eq!(a["status"], b["status"], "county {a}\ncity {b}");
    let owner = |o: &Office| {
        o.events()
            .into_iter()
            .filter(|e| e["kind"] == "ownership.changed" && e["aggregate"] == format!("complaint:{id}"))
            .max_by_key(|e| e["payload"]["epoch"].as_u64().unwrap())
            .map(|e| e["payload"]["to_office"].as_str().unwrap().to_owned())
    };
    assert_eq!(owner(&county).as_deref(), Some("530102"));
    assert_eq!(owner(&city).as_deref(), Some("530102"));
    assert_agree(&county, &city, &id);
    hub.verify();
    hub.kill();
}

/// Scenario 3: the county records a step on a complaint it already gave away, before it pulled
/// the change; after both sync, both list the same conflict.
#[test]
fn a_step_across_an_ownership_change_is_the_same_conflict_everywhere() {
    let (_dir, mut hub, county, city) = county_and_city();

    let id = county.register("跨越移交的冲突");
    county.step(&id, &["screen", "--outcome", "report_upward", "--refer-to", "530100", "--reason", "上报"]);
    // Upload only: the proxy answers the status and the upload, then drops the feed request,
    // so the county has not yet pulled the ownership change when it records its next step.
    let proxy = Proxy::start(&hub.url, Plan::Script(vec![Fault::Pass, Fault::Pass, Fault::Drop]));
    let _ = county.sync(Some(&proxy.url));
    assert_eq!(county.status()["pending"], 0);
    drop(proxy);
    city.sync(None).unwrap();
    assert_eq!(city.show(&id)["status"], "registered");

    county.step(&id, &["forwarded", "--date", "2026-01-06", "--note", "已寄出"]);
    county.sync(None).unwrap();
    city.sync(None).unwrap();
    county.sync(None).unwrap();

    let conflicts = county.conflicts();
    assert_eq!(conflicts.as_array().unwrap().len(), 1, "county: {conflicts}");
    assert_eq!(conflicts[0]["kind"], "complaint.forwarded");
    assert_agree(&county, &city, &id);
    hub.verify();
    hub.kill();
}

/// Scenario 5: a revoked device is refused with a clear Chinese message, and the hub raises an alarm.
#[test]
fn a_revoked_device_is_refused_and_alarmed() {
    let dir = tempfile::tempdir().unwrap();
    let mut hub = Hub::new(dir.path());
    hub.start();
    let county = Office::county(dir.path());
    county.enroll(&hub);
    county.sync(None).unwrap();
    let device = county.status()["device_id"].as_str().unwrap().to_owned();
    hub.ok(&["device", "revoke", &device, "--reason", "笔记本遗失"]);

    county.register("吊销之后登记");
    let message = county.sync(None).unwrap_err();
    assert!(message.contains("吊销"), "{message}");
    assert!(county.status()["pending"].as_u64().unwrap() > 0);
    assert!(county.status()["last_error"].as_str().unwrap().contains("吊销"));
    let alarms = hub.json(&["alarm", "list", "--json"]);
    assert!(
        alarms.as_array().unwrap().iter().any(|a| a["device_id"] == device.as_str()),
        "no alarm for the revoked device: {alarms}"
    );
    hub.verify();
    hub.kill();
}

/// Scenario 6: two bundles imported out of order and one twice; the return bundle imported twice.
#[test]
fn bundles_out_of_order_and_twice() {
    let dir = tempfile::tempdir().unwrap();
    let mut hub = Hub::new(dir.path());
    hub.start();
    let county = Office::county(dir.path());
    county.enroll(&hub);
    hub.kill();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();

    county.register("第一包");
    let first = county.json(&["bundle", "export", "--out", &path("one.qfb")]);
    county.register("第二包");
    let second = county.json(&["bundle", "export", "--out", &path("two.qfb")]);
    // Nothing was receipted between the exports, so the second carries the first's events too.
    assert!(second["events"].as_u64().unwrap() > first["events"].as_u64().unwrap());

    let r2 = hub.json(&["bundle", "import", &path("two.qfb"), "--out", &path("ret2.qfb"), "--json"]);
    let r1 = hub.json(&["bundle", "import", &path("one.qfb"), "--out", &path("ret1.qfb"), "--json"]);
    let r1b = hub.json(&["bundle", "import", &path("one.qfb"), "--out", &path("ret1b.qfb"), "--json"]);
    assert_eq!(r2["rejected"], 0, "{r2}");
    assert_eq!(r1["rejected"], 0, "{r1}");
    assert_eq!(r1b["rejected"], 0, "{r1b}");
    let head = county.status()["head_seq"].as_u64().unwrap();
    assert_eq!(hub.verify(), head + DIRECTORY_EVENTS);

    // Each command logs its officer in and out (recorded, office-private): the work is what must
    // not change.
    let work =
        |o: &Office| o.events().into_iter().filter(|e| !e["kind"].as_str().unwrap().starts_with("user.")).count();
    let a = county.json(&["bundle", "import", &path("ret2.qfb")]);
    let before = work(&county);
    let b = county.json(&["bundle", "import", &path("ret2.qfb")]);
    assert_eq!(b["applied_events"], 0, "first {a}, second {b}");
    assert_eq!(work(&county), before);
    assert_eq!(county.status()["acked_seq"], head, "everything in the bundles is receipted");
    assert_no_duplicates(&county.events());
}

/// Scenario 7: the hub is killed with SIGKILL while an upload is in flight, and restarted on another
/// port; the next run against the new address ends consistent.
#[test]
fn hub_killed_mid_upload_and_restarted_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let mut hub = Hub::new(dir.path());
    let url = hub.start();
    let county = Office::county(dir.path());
    county.enroll(&hub);
    for i in 0..40 {
        county.register(&format!("大批上传 {i}"));
    }
    // The proxy holds the upload back a little, so the kill lands while it is in flight.
    let proxy =
        Proxy::start(&url, Plan::Script(vec![Fault::Pass, Fault::Delay(std::time::Duration::from_millis(300))]));
    let run = county.spawn(&["sync", "now", "--json", "--hub", &proxy.url]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while proxy.seen("/v1/changesets") == 0 {
        assert!(std::time::Instant::now() < deadline, "the upload never started");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    hub.kill();
    let out = run.wait_output();
    assert!(!out.status.success(), "the run cannot succeed against a dead hub");
    drop(proxy);

    let new_url = hub.start();
    assert_ne!(new_url, url);
    county.sync_until_clean(Some(&new_url), 3);
    let head = county.status()["head_seq"].as_u64().unwrap();
    assert_eq!(hub.verify(), head + DIRECTORY_EVENTS);
    assert_no_duplicates(&county.events());
    hub.kill();
}

/// Posts raw bytes to the hub's change-set route; returns the HTTP status and the body.
fn post_changeset(rt: &tokio::runtime::Runtime, url: &str, body: Vec<u8>) -> (u16, Vec<u8>) {
    rt.block_on(async {
        let resp = reqwest::Client::new()
            .post(format!("{url}/v1/changesets"))
            .header("content-type", "application/cbor")
            .body(body)
            .send()
            .await
            .unwrap();
        (resp.status().as_u16(), resp.bytes().await.unwrap().to_vec())
    })
}

/// The outcome of a signed receipt, checked against the hub's key: None when accepted, else the code.
fn outcome(hub_key: &qingfeng_sync::PublicKey, raw: &[u8]) -> Option<String> {
    let receipt = qingfeng_sync::Signed::<qingfeng_sync::Receipt>::decode(raw)
        .unwrap()
        .open(qingfeng_sync::envelope::RECEIPT_CONTEXT, hub_key)
        .unwrap();
    match receipt.outcome {
        qingfeng_sync::Outcome::Accepted => None,
        qingfeng_sync::Outcome::Rejected { code, .. } => Some(code.as_str().to_owned()),
    }
}

/// A real outbox as one change set, and the device key that signs it, read from an office's files.
fn outbox_changeset(office: &Office) -> (qingfeng_sync::ChangeSet, qingfeng_sync::SecretKey) {
    let keys = qingfeng_core::KeySource::File(office.key.clone());
    let store = qingfeng_core::Store::open(&office.db, &keys).unwrap();
    let key = qingfeng_sync::client::device_key(&keys, &office.db, qingfeng_sync::Alg::Ed25519).unwrap();
    let events = store.outbox(0, 10_000).unwrap();
    let mut sets = qingfeng_sync::split_into_changesets(events, 5000, 8 * 1024 * 1024).unwrap();
    assert_eq!(sets.len(), 1);
    (sets.remove(0), key)
}

/// Scenario 4: change sets posted straight to the hub: signed by another key, altered after
/// signing, from an unknown device, and the genuine one twice; every answer is a signed receipt
/// with the right code, and the replay is idempotent.
#[test]
fn tampered_foreign_unknown_and_replayed_change_sets() {
    let dir = tempfile::tempdir().unwrap();
    let mut hub = Hub::new(dir.path());
    let url = hub.start();
    let county = Office::county(dir.path());
    county.enroll(&hub);
    county.register("直接投递的变更集");
    let (set, key) = outbox_changeset(&county);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let hub_key: qingfeng_sync::PublicKey = rt.block_on(async {
        let bytes = reqwest::get(format!("{url}/v1/hub-key")).await.unwrap().bytes().await.unwrap();
        qingfeng_core::encoding::from_cbor(&bytes).unwrap()
    });
    let genuine = qingfeng_sync::SignedChangeSet::sign(&set, &key);

    // Signed by a key the hub never registered for this device; sent before the genuine one, so
    // a rejection that stuck to the change set's id would show up as the genuine one refused.
    let foreign =
        qingfeng_sync::SignedChangeSet::sign(&set, &qingfeng_sync::SecretKey::generate(qingfeng_sync::Alg::Ed25519));
    let (status, raw) = post_changeset(&rt, &url, foreign.encode());
    assert_eq!(status, 200);
    assert_eq!(outcome(&hub_key, &raw).as_deref(), Some("bad_signature"));

    // The genuine signature with one bit of it flipped.
    let mut flipped = genuine.clone();
    flipped.signature[7] ^= 0x01;
    let (status, raw) = post_changeset(&rt, &url, flipped.encode());
    assert_eq!(status, 200);
    assert_eq!(outcome(&hub_key, &raw).as_deref(), Some("bad_signature"));

    // One byte of the body altered after signing: either not a change set at all (an HTTP error,
    // nothing to attribute a receipt to) or a refused one; never accepted.
    let mut altered = genuine.clone();
    let at = altered.body.len() - 3;
    altered.body[at] ^= 0x20;
    let (status, raw) = post_changeset(&rt, &url, altered.encode());
    if status == 200 {
        let code = outcome(&hub_key, &raw);
        assert!(matches!(code.as_deref(), Some("bad_signature" | "malformed" | "broken_chain")), "{code:?}");
    } else {
        assert!((400..500).contains(&status), "{status}");
    }

    // A device the hub never enrolled (another office's replica, same office code).
    let stranger_dir = dir.path().join("stranger");
    std::fs::create_dir(&stranger_dir).unwrap();
    let stranger = Office::county(&stranger_dir);
    let (other_set, other_key) = outbox_changeset(&stranger);
    let (status, raw) =
        post_changeset(&rt, &url, qingfeng_sync::SignedChangeSet::sign(&other_set, &other_key).encode());
    assert_eq!(status, 200);
    assert_eq!(outcome(&hub_key, &raw).as_deref(), Some("unknown_device"));

    let before = hub.verify();
    let (status, first) = post_changeset(&rt, &url, genuine.encode());
    assert_eq!(status, 200);
    assert_eq!(outcome(&hub_key, &first), None, "the genuine change set is accepted");
    let after = hub.verify();
    assert_eq!(after, before + set.events().len() as u64);
    let (status, again) = post_changeset(&rt, &url, genuine.encode());
    assert_eq!(status, 200);
    assert_eq!(again, first, "a replay gets the very same signed receipt");
    assert_eq!(hub.verify(), after, "a replay stores nothing");

    // The office itself then syncs: nothing is uploaded twice.
    county.sync(None).unwrap();
    assert_eq!(county.status()["pending"], 0);
    let head = county.status()["head_seq"].as_u64().unwrap();
    assert_eq!(hub.verify(), head + DIRECTORY_EVENTS);
    assert_no_duplicates(&county.events());
    hub.kill();
}

/// Scenario 8: the province publishes a year's working-day calendar as a hub-signed event; every
/// office counts deadlines by it after its next sync, and an office that joins later receives it
/// with the directory. A calendar with a mistake is refused and nothing is published.
#[test]
fn the_province_publishes_a_calendar_every_office_receives() {
    let (dir, mut hub, county, city) = county_and_city();
    let file = dir.path().join("2027.json");
    let is_working = |o: &Office| {
        let a = o.json(&["calendar", "is-working-day", "2027-01-01"]);
        (a["working_day"].as_bool().unwrap(), a["provisional"].as_bool().unwrap())
    };
    assert_eq!(is_working(&county), (true, true), "2027 is not yet known: a provisional guess");

    std::fs::write(
        &file,
        r#"{"year":2027,"days_off":[{"date":"2027-01-02","name":""}],"makeup_workdays":[],"source":"x"}"#,
    )
    .unwrap();
    let refused = hub.run(&["calendar", "publish", file.to_str().unwrap()]);
    assert!(!refused.status.success(), "a day off without a name is refused");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("日历"), "{refused:?}");

    std::fs::write(
        &file,
        r#"{"year":2027,"days_off":[{"date":"2027-01-01","name":"元旦"}],"makeup_workdays":[],"source":"国务院办公厅（测试）"}"#,
    )
    .unwrap();
    assert!(hub.ok(&["calendar", "publish", file.to_str().unwrap()]).contains("已发布 2027 年工作日历"));
    county.sync(None).unwrap();
    city.sync(None).unwrap();
    assert_eq!(is_working(&county), (false, false), "the county counts by the province's calendar");
    assert_eq!(is_working(&city), (false, false));

    hub.ok(&["office", "add", "530103", "盘龙区纪委监委", "--level", "county", "--parent", "530100"]);
    let later = Office::new(dir.path(), "530103", "盘龙区纪委监委", "county", Some("530100"));
    later.enroll(&hub);
    later.sync(None).unwrap();
    assert_eq!(is_working(&later), (false, false), "an office that joins later receives it too");
    hub.verify();
    hub.kill();
}
