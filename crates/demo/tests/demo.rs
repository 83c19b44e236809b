//! The demo office: a few hundred complaints in every state, every light on the dashboard, made
//! through the real operations so that the chain verifies and a rebuild reproduces it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::time::Instant;

use qingfeng_core::accounts::{self, Channel};
use qingfeng_core::authz::Actor;
use qingfeng_core::complaints::query::{self, ComplaintFilter};
use qingfeng_core::complaints::{ALL_STATUSES, ComplaintStatus};
use qingfeng_core::deadlines::Light;
use qingfeng_core::{KeySource, Store};
use qingfeng_demo as demo;

/// Statuses a county on its own never reaches: assignment (交办) needs an office below, a lateral
/// hand-over (平级移交) a sibling in the directory.
const NOT_IN_A_LONE_COUNTY: [ComplaintStatus; 2] = [ComplaintStatus::Assigned, ComplaintStatus::HandedLaterally];

fn login(store: &mut Store, username: &str) -> Actor {
    let s = accounts::login(store, username, demo::DEMO_PASSWORD, Channel::Cli).unwrap();
    Actor::User(accounts::principal(store, &s.session_id).unwrap())
}

#[test]
fn the_demo_office_is_alive_and_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::create(&dir.path().join("demo.db"), &KeySource::File(dir.path().join("demo.key"))).unwrap();
    let started = Instant::now();
    let accounts = demo::seed(&mut store).unwrap();
    eprintln!("demo::seed took {:?}", started.elapsed());
    let names: Vec<&str> = accounts.iter().map(|a| a.username).collect();
    assert_eq!(names, ["admin", "xinfang", "jiancha", "diaocha", "anguan", "shenli", "lingdao"]);

    let petitions = login(&mut store, "xinfang");
    let all =
        query::list(&mut store, &petitions, &ComplaintFilter { limit: Some(5_000), ..Default::default() }).unwrap();
    assert!(all.len() >= 250, "only {} complaints", all.len());
    let seen: BTreeSet<&str> = all.iter().map(|c| c.status.as_str()).collect();
    // A county has no office below to assign to (交办), and the demo's directory holds no sibling
    // county to hand a case to laterally (平级移交), so those two statuses never show here.
    for status in ALL_STATUSES.into_iter().filter(|s| !NOT_IN_A_LONE_COUNTY.contains(s)) {
        assert!(seen.contains(status.as_str()), "no complaint is {}", status.as_str());
    }
    let counts = demo::complaint_counts(&store).unwrap();
    assert_eq!(counts.iter().map(|(_, n)| *n).sum::<u64>(), all.len() as u64);

    // Received over about ten months, none in the future.
    let today = store.clock().today().to_string();
    let oldest = all.iter().map(|c| c.received_date.as_str()).min().unwrap();
    let newest = all.iter().map(|c| c.received_date.as_str()).max().unwrap();
    assert!(newest <= today.as_str(), "{newest} after {today}");
    let span = qingfeng_core::cal::parse_date(&today).unwrap() - qingfeng_core::cal::parse_date(oldest).unwrap();
    assert!((200..=320).contains(&span.num_days()), "history spans {} days", span.num_days());

    let dash = query::dashboard(&mut store, &petitions).unwrap();
    assert!(
        dash.red > 0 && dash.yellow > 0 && dash.green > 0,
        "red {} yellow {} green {}",
        dash.red,
        dash.yellow,
        dash.green
    );
    assert!(dash.items.iter().any(|i| i.deadline.light == Light::Red));

    // Approvals both ways, repeats linked, feedback given, and something waiting for the leader.
    let leader = login(&mut store, "lingdao");
    let inbox = query::inbox(&mut store, &leader).unwrap();
    assert!(inbox.iter().any(|i| i.task == "待审批"), "the leader has nothing to approve");
    let mut granted = false;
    let mut refused = false;
    let mut feedback = false;
    let mut repeat_linked = false;
    for c in &all {
        let d = query::show(&mut store, &petitions, &c.id).unwrap();
        granted |= d.approvals.iter().any(|a| a.status == "granted");
        refused |= d.approvals.iter().any(|a| a.status == "refused");
        feedback |= d.timeline.iter().any(|t| t.kind == "complaint.feedback_given");
        repeat_linked |= c.status == ComplaintStatus::Repeat && d.repeat_of.is_some();
    }
    assert!(granted && refused && feedback && repeat_linked, "{granted} {refused} {feedback} {repeat_linked}");

    // Search finds the money matters the demo writes about.
    for word in ["罚款", "工程款", "补贴", "扶贫资金"] {
        let found =
            query::list(&mut store, &petitions, &ComplaintFilter { text: Some(word.into()), ..Default::default() })
                .unwrap();
        assert!(!found.is_empty(), "nothing mentions {word}");
    }

    assert!(store.verify().unwrap().ok);
    let live = store.projection_dump().unwrap();
    store.rebuild().unwrap();
    assert_eq!(store.projection_dump().unwrap(), live);
}

#[test]
fn the_demo_is_the_same_every_time_on_the_same_day() {
    use chrono::{TimeZone, Utc};
    use qingfeng_core::clock::Clock;
    let summaries = || {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(&dir.path().join("d.db"), &KeySource::File(dir.path().join("d.key"))).unwrap();
        // A fixed "now" (Friday 2026-10-09, after the National Day holiday), so both runs see the same day.
        store.set_clock(Clock::manual(Utc.with_ymd_and_hms(2026, 10, 9, 7, 0, 0).unwrap()));
        demo::seed(&mut store).unwrap();
        let p = login(&mut store, "xinfang");
        let list = query::list(&mut store, &p, &ComplaintFilter { limit: Some(5_000), ..Default::default() }).unwrap();
        assert_eq!(store.clock().today().to_string(), "2026-10-09", "the caller's clock is given back");
        // Right after a week-long holiday every status and every light are still on show.
        for status in ALL_STATUSES.into_iter().filter(|s| !NOT_IN_A_LONE_COUNTY.contains(s)) {
            assert!(list.iter().any(|c| c.status == status), "no complaint is {}", status.as_str());
        }
        let dash = query::dashboard(&mut store, &p).unwrap();
        assert!(dash.red > 0 && dash.yellow > 0 && dash.green > 0);
        list.into_iter().map(|c| (c.number, c.received_date, c.status, c.summary)).collect::<Vec<_>>()
    };
    assert_eq!(summaries(), summaries());
}
