//! Event-log throughput, run by `cargo xtask bench`: single-event commits, batched appends, and
//! chain verification over 1,000,000 events. Prints one JSON object per measurement.
//!
//! Every append goes through `Store::execute`, the real write path (authorize, decide, hash,
//! insert, project), on a real SQLCipher file with the production pragmas (WAL, synchronous=FULL).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use qingfeng_core::authz::{Action, Actor};
use qingfeng_core::events::NewEvent;
use qingfeng_core::projector::{SettingChanged, kind};
use qingfeng_core::store::Decision;
use qingfeng_core::{KeySource, Store, demo};

fn setting_event(i: u64) -> NewEvent {
    NewEvent::new(
        kind::SETTING_CHANGED,
        "office:530102",
        &SettingChanged {
            key: "lockout.minutes".into(),
            value: (15 + i % 10).to_string(),
        },
    )
    .unwrap()
}

fn execute_batch(store: &mut Store, from: u64, n: u64) {
    let office = store.office_code().unwrap().to_owned();
    store
        .execute(
            &Actor::System,
            Action::ChangeSettings { office },
            |_tx, _ctx| {
                Ok(Decision::events(
                    (from..from + n).map(setting_event).collect(),
                ))
            },
        )
        .unwrap();
}

fn fresh_store(dir: &std::path::Path, name: &str) -> Store {
    let mut store = Store::create(
        &dir.join(format!("{name}.db")),
        &KeySource::File(dir.join(format!("{name}.key"))),
    )
    .unwrap();
    demo::seed(&mut store).unwrap();
    store
}

fn report(name: &str, count: u64, seconds: f64) {
    println!(
        "{{\"bench\":\"{name}\",\"count\":{count},\"seconds\":{seconds:.3},\"per_second\":{:.0}}}",
        count as f64 / seconds
    );
}

fn main() {
    // `cargo bench` passes --bench; any other argument is a filter, as with the built-in harness.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let wanted = |name: &str| filter.as_deref().is_none_or(|f| name.contains(f));
    let dir = tempfile::tempdir_in(
        std::env::var_os("QINGFENG_BENCH_DIR").unwrap_or_else(|| std::env::temp_dir().into()),
    )
    .unwrap();

    if wanted("single_event_commits") {
        let mut store = fresh_store(dir.path(), "single");
        let n = 3_000;
        let start = Instant::now();
        for i in 0..n {
            execute_batch(&mut store, i, 1);
        }
        report("single_event_commits", n, start.elapsed().as_secs_f64());
    }

    if wanted("batched_events") {
        let mut store = fresh_store(dir.path(), "batched");
        let (batches, size) = (20, 10_000);
        let start = Instant::now();
        for b in 0..batches {
            execute_batch(&mut store, b * size, size);
        }
        report(
            "batched_events",
            batches * size,
            start.elapsed().as_secs_f64(),
        );
    }

    if wanted("verify") {
        let mut store = fresh_store(dir.path(), "verify");
        let target = 1_000_000u64;
        let mut written = store.verify().unwrap().events;
        while written < target {
            let n = (target - written).min(50_000);
            execute_batch(&mut store, written, n);
            written += n;
        }
        let start = Instant::now();
        let result = store.verify().unwrap();
        let seconds = start.elapsed().as_secs_f64();
        assert!(result.ok && result.events == target, "{result:?}");
        report("verify", result.events, seconds);
    }
}
