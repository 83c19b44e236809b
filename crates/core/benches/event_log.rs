//! Event-log throughput, run by `cargo xtask bench`: single-event commits, batched appends, and
//! chain verification over 1,000,000 events. Prints one JSON object per measurement.
//!
//! Every append goes through `Store::execute`, the real write path (authorize, decide, hash,
//! insert, project), on a real SQLCipher file with the production pragmas (WAL, synchronous=FULL).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use qingfeng_core::authz::{Action, Actor};
use qingfeng_core::events::{self, NewEvent};
use qingfeng_core::projector::{SettingChanged, kind};
use qingfeng_core::store::Decision;
use qingfeng_core::{KeySource, Store};
use qingfeng_demo as demo;

fn setting_event(i: u64) -> NewEvent {
    NewEvent::new(
        kind::SETTING_CHANGED,
        "office:530102",
        &SettingChanged { key: "lockout.minutes".into(), value: (15 + i % 10).to_string() },
    )
    .unwrap()
}

fn execute_batch(store: &mut Store, from: u64, n: u64) {
    let office = store.office_code().unwrap().to_owned();
    store
        .execute(&Actor::System, Action::ChangeSettings { office }, |_tx, _ctx| {
            Ok(Decision::events((from..from + n).map(setting_event).collect()))
        })
        .unwrap();
}

fn fresh_store(dir: &std::path::Path, name: &str) -> Store {
    let mut store =
        Store::create(&dir.join(format!("{name}.db")), &KeySource::File(dir.join(format!("{name}.key")))).unwrap();
    demo::seed(&mut store).unwrap();
    store
}

fn report(name: &str, count: u64, rounds: &mut [f64]) {
    // The median of several rounds: one slow round on a shared machine should not be the figure.
    rounds.sort_by(f64::total_cmp);
    let seconds = rounds[rounds.len() / 2];
    println!(
        "{{\"bench\":\"{name}\",\"count\":{count},\"seconds\":{seconds:.3},\"per_second\":{:.0},\"rounds\":{}}}",
        count as f64 / seconds,
        rounds.len()
    );
}

const ROUNDS: usize = 5;

fn main() {
    // `cargo bench` passes --bench; any other argument is a filter, as with the built-in harness.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let wanted = |name: &str| filter.as_deref().is_none_or(|f| name.contains(f));
    let dir =
        tempfile::tempdir_in(std::env::var_os("QINGFENG_BENCH_DIR").unwrap_or_else(|| std::env::temp_dir().into()))
            .unwrap();

    if wanted("single_event_commits") {
        let mut store = fresh_store(dir.path(), "single");
        let n = 1_000;
        let mut rounds: Vec<f64> = (0..ROUNDS as u64)
            .map(|r| {
                let start = Instant::now();
                for i in 0..n {
                    execute_batch(&mut store, r * n + i, 1);
                }
                start.elapsed().as_secs_f64()
            })
            .collect();
        report("single_event_commits", n, &mut rounds);
    }

    if wanted("batched_events") {
        let (batches, size) = (10, 10_000);
        let mut rounds: Vec<f64> = (0..ROUNDS)
            .map(|r| {
                let mut store = fresh_store(dir.path(), &format!("batched{r}"));
                let start = Instant::now();
                for b in 0..batches {
                    execute_batch(&mut store, b * size, size);
                }
                start.elapsed().as_secs_f64()
            })
            .collect();
        report("batched_events", batches * size, &mut rounds);
    }

    if wanted("log_append_batched") {
        // The log alone: encode, chain and insert, without any projection, so the figure shows
        // what the event log sustains apart from the tables a given kind of event updates.
        let (batches, size) = (10u64, 10_000u64);
        let mut rounds: Vec<f64> = (0..ROUNDS)
            .map(|r| {
                let store = fresh_store(dir.path(), &format!("log{r}"));
                let (office, device) = (store.office_code().unwrap().to_owned(), store.device_id().to_owned());
                let conn = store.raw_connection_for_tests();
                let start = Instant::now();
                for b in 0..batches {
                    let tx = conn.unchecked_transaction().unwrap();
                    let mut head = events::load_head(&tx, &office, &device).unwrap();
                    for i in 0..size {
                        events::append(&tx, &mut head, "bench", setting_event(b * size + i), 1_763_700_000_000)
                            .unwrap();
                    }
                    tx.commit().unwrap();
                }
                start.elapsed().as_secs_f64()
            })
            .collect();
        report("log_append_batched", batches * size, &mut rounds);
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
        let mut rounds: Vec<f64> = (0..ROUNDS)
            .map(|_| {
                let start = Instant::now();
                let result = store.verify().unwrap();
                assert!(result.ok && result.events == target, "{result:?}");
                start.elapsed().as_secs_f64()
            })
            .collect();
        report("verify", target, &mut rounds);
    }
}
