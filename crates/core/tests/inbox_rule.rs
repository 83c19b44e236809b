//! The inbox is the workflow's rule, not a second copy of it: in the demo office (complaints in
//! every state, approvals pending, deadlines open and met), for every post, the inbox lists a
//! complaint under a task exactly when `workflow::tasks` gives that post the task on it. It fails
//! if the inbox's SQL misses a complaint the rule allows, or lists one the rule does not.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};

use qingfeng_core::accounts::{self, Channel};
use qingfeng_core::authz::Actor;
use qingfeng_core::complaints::query::{self, INBOX_PER_TASK};
use qingfeng_core::complaints::workflow::{self, Task};
use qingfeng_core::complaints::{ALL_STATUSES, ComplaintStatus, state};
use qingfeng_core::{KeySource, Store};
use qingfeng_demo as demo;

fn login(store: &mut Store, username: &str) -> Actor {
    let s = accounts::login(store, username, demo::DEMO_PASSWORD, Channel::Cli).unwrap();
    Actor::User(accounts::principal(store, &s.session_id).unwrap())
}

#[test]
fn the_inbox_lists_exactly_the_tasks_the_workflow_allows_every_post() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::create(&dir.path().join("demo.db"), &KeySource::File(dir.path().join("demo.key"))).unwrap();
    demo::seed(&mut store).unwrap();
    let office = store.office_code().unwrap().to_owned();
    let ids: Vec<String> = {
        let conn = store.raw_connection_for_tests();
        let mut stmt = conn.prepare("SELECT id FROM complaints ORDER BY id").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    };
    let states: Vec<_> = ids.iter().map(|id| state::of(&store, id).unwrap()).collect();
    // The table's rows: every state a complaint can be in is among them.
    // Every state but 已交办 and 已平级移交: assigning needs offices below in the directory, and a
    // lateral hand-over a sibling, which come from the hub, and the demo office has none (its
    // assigned complaints are in tests/replication.rs, lateral ones in tests/sync/tests/handovers.rs).
    for status in
        ALL_STATUSES.into_iter().filter(|s| !matches!(s, ComplaintStatus::Assigned | ComplaintStatus::HandedLaterally))
    {
        assert!(states.iter().any(|c| c.status == status), "the demo office has no complaint in the state {status:?}");
    }
    let here = state::office(store.raw_connection_for_tests(), &office).unwrap();
    let labels: BTreeSet<&str> = Task::ALL.iter().map(|t| t.label()).collect();
    let mut tasks_seen = BTreeSet::new();
    for username in ["admin", "xinfang", "jiancha", "diaocha", "anguan", "shenli", "lingdao"] {
        let actor = login(&mut store, username);
        let mut expected: BTreeSet<(String, &str)> = BTreeSet::new();
        for c in &states {
            for task in workflow::tasks(c, &here, &actor) {
                expected.insert((c.id.clone(), task.label()));
                tasks_seen.insert(task);
            }
        }
        // Below the inbox's cut, the lists must agree row for row.
        let mut per_task: BTreeMap<&str, u32> = BTreeMap::new();
        for (_, label) in &expected {
            *per_task.entry(label).or_default() += 1;
        }
        assert!(per_task.values().all(|n| *n < INBOX_PER_TASK), "{username}: a task is longer than the inbox shows");
        // A post that may not read complaints (the administrator) has no inbox and no task.
        let Ok(inbox) = query::inbox(&mut store, &actor) else {
            assert!(expected.is_empty(), "{username} may not read complaints, yet the workflow gives tasks");
            continue;
        };
        let listed: BTreeSet<(String, &str)> = inbox
            .iter()
            .filter_map(|i| labels.get(i.task.as_str()).map(|label| (i.complaint.id.clone(), *label)))
            .collect();
        let missing: Vec<_> = expected.difference(&listed).collect();
        let extra: Vec<_> = listed.difference(&expected).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{username}: the inbox and the workflow disagree.\n  allowed but not listed: {missing:?}\n  listed but not allowed: {extra:?}"
        );
    }
    // Every task is somebody's somewhere, so no row of the table is vacuous; all but reporting a
    // result upward, which needs an office above that assigned or supervised the complaint, and
    // reviewing one, which needs an office below that reported it (tests/sync/tests/review.rs).
    let all: BTreeSet<_> =
        Task::ALL.into_iter().filter(|t| !matches!(t, Task::ReportResult | Task::ReviewResult)).collect();
    assert_eq!(tasks_seen, all, "tasks no post had in the demo office");
}
