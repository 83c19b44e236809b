//! Issue #13 at the core: oversized records refused at the form (defect 2), clocks kept honest
//! on a replica (defect 3), and `verify` catching a deleted tail, a moved row, edited projection
//! rows and a damaged file (defect 4).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{Duration, TimeZone, Utc};
use qingfeng_core::accounts::{self, Channel};
use qingfeng_core::api::SetupRequest;
use qingfeng_core::authz::Actor;
use qingfeng_core::clock::Clock;
use qingfeng_core::complaints::ops;
use qingfeng_core::complaints::*;
use qingfeng_core::encoding::to_canonical_cbor;
use qingfeng_core::events::{Event, HLC_COUNTER_BITS};
use qingfeng_core::identity::{OfficeLevel, Role};
use qingfeng_core::projector::kind;
use qingfeng_core::{CoreError, KeySource, Store};

fn letter(summary: &str) -> RegisterComplaint {
    RegisterComplaint {
        channel: ComplaintChannel::Letter,
        received_at: "2026-09-28".into(),
        reporter: Some(Reporter {
            name: "钱某".into(),
            unit: Some("某街道办".into()),
            contact: "13800001111".into(),
            address: Some("某路 1 号".into()),
        }),
        real_name: true,
        real_name_verified: None,
        summary: summary.into(),
        content: "反映某局长违规收受工程款的问题。".into(),
        categories: vec!["违反廉洁纪律".into()],
        subjects: vec![Subject {
            name: "王某".into(),
            post: "局长".into(),
            unit: "某局".into(),
            level: "县管干部".into(),
        }],
        repeat_of: None,
    }
}

struct Office {
    f: common::Fixture,
    petitions: Actor,
    clock: Clock,
}

fn office() -> Office {
    let mut f = common::initialized();
    let clock = Clock::manual(Utc.with_ymd_and_hms(2026, 9, 28, 1, 0, 0).unwrap());
    f.store.set_clock(clock.clone());
    let petitions = common::officer(&mut f.store, "xinfang", Role::Petitions);
    Office { f, petitions, clock }
}

// ---- defect 2: one oversized field blocked an office's sync for good ----

/// One change to a registration form.
type Change = Box<dyn Fn(&mut RegisterComplaint)>;

#[test]
fn every_field_of_a_registration_has_a_limit_checked_at_the_form() {
    let mut o = office();
    let before = o.f.event_count();
    let huge = "名".repeat(3 * 1024 * 1024); // 9 MB of UTF-8, as in the issue
    let cases: Vec<(&str, Change)> = vec![
        ("检举人姓名", Box::new(|f| f.reporter.as_mut().unwrap().name = "名".repeat(51))),
        ("检举人单位", Box::new(|f| f.reporter.as_mut().unwrap().unit = Some("单".repeat(101)))),
        ("检举人联系方式", Box::new(|f| f.reporter.as_mut().unwrap().contact = "1".repeat(101))),
        ("检举人住址", Box::new(|f| f.reporter.as_mut().unwrap().address = Some("址".repeat(201)))),
        ("被反映人的姓名", Box::new(|f| f.subjects[0].name = "王".repeat(51))),
        ("被反映人的单位", Box::new(|f| f.subjects[0].unit = "局".repeat(101))),
        ("被反映人的职务", Box::new(|f| f.subjects[0].post = "长".repeat(101))),
        ("被反映人的级别", Box::new(|f| f.subjects[0].level = "级".repeat(31))),
        ("问题类别", Box::new(|f| f.categories = vec!["类".repeat(31)])),
        ("检举人姓名", Box::new(move |f| f.reporter.as_mut().unwrap().name = huge.clone())),
    ];
    for (field, change) in cases {
        let mut form = letter("超长字段");
        change(&mut form);
        let err = ops::register(&mut o.f.store, &o.petitions, &form).unwrap_err();
        let message = err.to_string();
        assert!(matches!(err, CoreError::Invalid(_)), "{message}");
        assert!(message.contains(field) && message.contains("不能超过"), "{field}: {message}");
    }
    assert_eq!(o.f.event_count(), before, "nothing refused was recorded");
    // At the limit exactly it is accepted.
    let mut form = letter("字段恰好到上限");
    form.reporter.as_mut().unwrap().name = "名".repeat(limits::MAX_PERSON_NAME_CHARS);
    form.subjects[0].unit = "局".repeat(limits::MAX_UNIT_CHARS);
    ops::register(&mut o.f.store, &o.petitions, &form).unwrap();
}

// ---- defect 3: a received clock pushed this replica's own clock to year 6429 ----

fn replica(code: &str, level: OfficeLevel, parent: Option<&str>) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::create(&dir.path().join("q.db"), &KeySource::File(dir.path().join("q.key"))).unwrap();
    store.set_clock(Clock::manual(Utc.with_ymd_and_hms(2026, 9, 28, 1, 0, 0).unwrap()));
    let req = SetupRequest {
        office_code: code.into(),
        office_name: format!("{code}纪委监委"),
        office_level: level,
        parent_code: parent.map(str::to_owned),
        admin_username: "admin".into(),
        admin_display_name: "管理员".into(),
        admin_password: common::ADMIN_PASSWORD.into(),
    };
    accounts::setup_office(&mut store, &req, Channel::Cli).unwrap();
    (dir, store)
}

/// An event of a county device with the given clock, correctly hashed.
fn county_event(seq: u64, prev: [u8; 32], hlc: u64) -> Event {
    let mut e = Event {
        id: format!("0190a000-0000-7000-8000-{seq:012}"),
        origin_office: "530102".into(),
        origin_device: "county-pc".into(),
        seq,
        hlc,
        actor: "u1".into(),
        kind: kind::COMPLAINT_QUARTERLY_REPORT_SUBMITTED.into(),
        aggregate: format!("quarterly:530102:trial:{seq}"),
        payload: to_canonical_cbor(&serde_json::json!({"department": "trial", "quarter": "2026Q3",
            "date": "2026-09-28", "note": "季度报告"}))
        .unwrap(),
        prev,
        hash: [0; 32],
    };
    e.hash = e.body().hash_with(&mut Vec::new());
    e
}

#[test]
fn an_event_from_a_clock_far_ahead_is_held_and_never_moves_this_clock() {
    let (_dir, mut city) = replica("530100", OfficeLevel::Prefecture, Some("530000"));
    let now = city.clock().now();
    let ms = |t: chrono::DateTime<Utc>| (t.timestamp_millis() as u64) << HLC_COUNTER_BITS;
    let first = county_event(1, [0; 32], ms(now - Duration::minutes(5)));
    // The case: 2^63 - 1, then the same device's next event.
    let wild = county_event(2, first.hash, i64::MAX as u64);
    let after = county_event(3, wild.hash, i64::MAX as u64);
    let report = city.ingest_remote(&[first.clone(), wild.clone(), after.clone()], 3).unwrap();
    assert_eq!((report.applied, report.held), (1, 2), "{report:?}");
    assert_eq!(city.sync_status().unwrap().feed_cursor, 3, "the feed is not stopped");
    let status = city.sync_status().unwrap();
    assert_eq!(status.held_events, 2);
    let alarm = status.clock_alarm.unwrap();
    assert!(alarm.contains("530102") && alarm.contains("暂缓"), "{alarm}");
    assert!(!alarm.contains("county-pc"), "no device ids on the officer's screen: {alarm}");

    // This office's next event carries its own time, not the wild one (it was year 6429 before).
    let petitions = common::officer(&mut city, "xinfang", Role::Petitions);
    let id = ops::register(&mut city, &petitions, &letter("本单位的新件")).unwrap();
    let mine = city.recent_events(1).unwrap().remove(0);
    assert!(mine.hlc < ms(now + Duration::hours(2)) && mine.hlc > ms(now - Duration::hours(1)), "{}", mine.hlc);
    assert!(mine.display_time().starts_with("2026-09-28"), "{}", mine.display_time());
    let _ = id;

    // A clock a day ahead waits until this machine's time reaches it, then applies in order.
    let (_dir2, mut other) = replica("530100", OfficeLevel::Prefecture, Some("530000"));
    let clock = Clock::manual(now);
    other.set_clock(clock.clone());
    let a = county_event(1, [0; 32], ms(now + Duration::days(1)));
    let b = county_event(2, a.hash, ms(now + Duration::days(1) + Duration::minutes(1)));
    assert_eq!(other.ingest_remote(&[a, b], 2).unwrap().held, 2);
    clock.advance(Duration::hours(23) + Duration::minutes(2));
    assert_eq!(other.ingest_remote(&[], 2).unwrap().applied, 2, "within the hour's bound now");
    assert_eq!(other.sync_status().unwrap().held_events, 0);
    assert!(other.sync_status().unwrap().clock_alarm.is_none());
}

// ---- defect 4: verify missed a deleted tail, a moved pos, edited rows, a damaged page ----

fn drop_triggers(store: &Store) {
    store
        .raw_connection_for_tests()
        .execute_batch("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;")
        .unwrap();
}

fn key_of(f: &common::Fixture) -> qingfeng_core::DbKey {
    f.keys().load(&f.db()).unwrap()
}

fn busy_office() -> Office {
    let mut o = office();
    for i in 0..5 {
        ops::register(&mut o.f.store, &o.petitions, &letter(&format!("第 {i} 件"))).unwrap();
        o.clock.advance(Duration::minutes(1));
    }
    o
}

#[test]
fn verify_names_a_deleted_tail_of_one_or_ten_events() {
    for n in [1, 10] {
        let o = busy_office();
        let key = key_of(&o.f);
        assert!(o.f.store.verify_all(&key).unwrap().ok);
        drop_triggers(&o.f.store);
        o.f.store
            .raw_connection_for_tests()
            .execute(
                &format!("DELETE FROM events WHERE pos IN (SELECT pos FROM events ORDER BY pos DESC LIMIT {n})"),
                [],
            )
            .unwrap();
        assert!(o.f.store.verify().unwrap().ok, "the chains alone still walk: this was the defect");
        let report = o.f.store.verify_all(&key).unwrap();
        assert!(!report.ok);
        let text = report.anchors.join("\n");
        assert!(text.contains(&format!("末尾的 {n} 条记录被删除")), "{n}: {text}");
    }
}

#[test]
fn verify_names_an_event_moved_to_another_position() {
    let o = busy_office();
    let key = key_of(&o.f);
    drop_triggers(&o.f.store);
    let conn = o.f.store.raw_connection_for_tests();
    let (pos, id): (i64, String) = conn
        .query_row("SELECT pos, id FROM events ORDER BY pos LIMIT 1 OFFSET 3", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    conn.execute("UPDATE events SET pos = 100000 WHERE pos = ?1", [pos]).unwrap();
    let report = o.f.store.verify_all(&key).unwrap();
    let text = report.anchors.join("\n");
    assert!(text.contains(&format!("第 {pos} 条记录不见了")), "{text}");
    assert!(text.contains("第 100000 条记录") && text.contains(&id), "{text}");
}

#[test]
fn verify_names_projection_rows_that_differ_from_the_log() {
    let o = busy_office();
    let key = key_of(&o.f);
    let conn = o.f.store.raw_connection_for_tests();
    let ids: Vec<String> = conn
        .prepare("SELECT id FROM complaints ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    conn.execute("UPDATE complaints SET reporter_name = '假名' WHERE id = ?1", [&ids[0]]).unwrap();
    conn.execute("UPDATE complaints SET status = 'concluded' WHERE id = ?1", [&ids[1]]).unwrap();
    conn.execute("DELETE FROM complaint_subjects WHERE complaint_id = ?1", [&ids[2]]).unwrap();
    conn.execute("DELETE FROM deadlines WHERE aggregate = ?1", [format!("complaint:{}", ids[2])]).unwrap();
    conn.execute("DELETE FROM complaints WHERE id = ?1", [&ids[2]]).unwrap();
    let report = o.f.store.verify_all(&key).unwrap();
    assert!(!report.ok);
    let text = report.projections.join("\n");
    assert!(text.contains(&ids[0]) && text.contains("reporter_name"), "{text}");
    assert!(text.contains(&ids[1]) && text.contains("status"), "{text}");
    assert!(text.contains(&ids[2]) && text.contains("不见了"), "{text}");
    // The check ran in a scratch copy: the live tables are as the attacker left them.
    let still: String =
        conn.query_row("SELECT reporter_name FROM complaints WHERE id = ?1", [&ids[0]], |r| r.get(0)).unwrap();
    assert_eq!(still, "假名");
    let leftovers: Vec<_> = std::fs::read_dir(o.f.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("verify"))
        .collect();
    assert!(leftovers.is_empty(), "the scratch copy is removed");
}

#[test]
fn a_checkpoint_cut_short_is_completed_at_open_not_called_damage() {
    // A checkpoint cut short (a full disk, a killed process, a power cut) leaves a page written
    // only in part at the end of the file, while the write-ahead log still holds every committed
    // page whole. The file as it is left behind: the database and its log copied while the store
    // is open (as after a crash), the database then ending in part of a page.
    let o = busy_office();
    let (db, key) = (o.f.db(), key_of(&o.f));
    let wal = std::path::PathBuf::from(format!("{}-wal", db.display()));
    assert!(std::fs::metadata(&wal).map(|m| m.len() > 32).unwrap_or(false), "the log holds frames");
    let crash = tempfile::tempdir().unwrap();
    let copy = crash.path().join("office.db");
    std::fs::copy(&db, &copy).unwrap();
    std::fs::copy(&wal, format!("{}-wal", copy.display())).unwrap();
    let Office { f, .. } = o;
    let common::Fixture { dir, store } = f;
    let expected = store.projection_dump().unwrap();
    drop(store);
    let mut bytes = std::fs::read(&copy).unwrap();
    bytes.extend(std::iter::repeat_n(0x5a_u8, 1536));
    std::fs::write(&copy, &bytes).unwrap();
    let reopened = Store::open_with_key(&copy, &key, false).unwrap_or_else(|e| panic!("refused: {e}"));
    assert_eq!(reopened.projection_dump().unwrap(), expected, "every record is there");
    assert!(std::fs::metadata(&copy).unwrap().len() % 4096 == 0, "the page cut short is gone");
    drop(dir);
}

#[test]
fn a_damaged_page_is_refused_at_open_before_anything_is_written() {
    let o = busy_office();
    let (db, keys) = (o.f.db(), o.f.keys());
    let Office { f, .. } = o;
    let common::Fixture { dir, store } = f;
    drop(store);
    let len = std::fs::metadata(&db).unwrap().len();
    assert!(len > 16 * 4096, "a file of several pages");
    let mut bytes = std::fs::read(&db).unwrap();
    // One byte in a page in the middle of the file, as a failing disk would.
    let at = (len as usize / 4096 / 2) * 4096 + 1000;
    bytes[at] ^= 0x5a;
    std::fs::write(&db, &bytes).unwrap();
    let err = Store::open(&db, &keys).unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, CoreError::Damaged { .. }), "{message}");
    assert!(message.contains("已损坏") && message.contains("备份"), "{message}");
    assert!(!message.contains("malformed"), "no English: {message}");
    assert_eq!(std::fs::read(&db).unwrap(), bytes, "nothing was written to the damaged file");
    drop(dir);
}
