//! Importing an older platform's register (issue #19 item 5, seed 002's 34,057 records): a
//! generated XLSX export of QINGFENG_BENCH_MIGRATION rows (default 34,057) imported end to end
//! on an encrypted store — parse, check every row, then in one transaction the registration and
//! migration events, their projections and the search index — beside the floor of the same file
//! only read by calamine's streaming cell reader. Each phase prints one JSON line with its
//! seconds and the peak resident memory of the phase (VmHWM, reset before each phase); the file
//! is written by a child process, so its writer's memory is not counted.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Instant;

use qingfeng_core::identity::Role;
use qingfeng_core::migration::model::{Limits, MigrationKind, MigrationOutcome};
use qingfeng_core::migration::{self, sample, sheet};
use qingfeng_core::{KeySource, Store};

/// Resets the process's peak resident set (Linux: writing 5 to clear_refs), so each phase's
/// peak is its own.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The peak resident set since the last reset, in MiB.
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn line(name: &str, rows: u64, seconds: f64, extra: &str) {
    println!(
        "{{\"bench\":\"{name}\",\"rows\":{rows},\"seconds\":{seconds:.2},\"rows_per_second\":{:.0},\"peak_rss_mib\":{:.1}{extra}}}",
        rows as f64 / seconds,
        peak_mib()
    );
}

/// Set in the child process that only writes the file, so the writer's memory (rust_xlsxwriter
/// holds a sheet until it saves) never counts in the import's peak.
const WRITE_ONLY: &str = "QINGFENG_BENCH_MIGRATION_WRITE";

fn main() {
    let n: usize = std::env::var("QINGFENG_BENCH_MIGRATION").ok().and_then(|s| s.parse().ok()).unwrap_or(34_057);
    if let Some(path) = std::env::var_os(WRITE_ONLY) {
        sample::write_complaints_xlsx(std::path::Path::new(&path), n, 2026).unwrap();
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("原平台导出.xlsx");
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args(std::env::args_os().skip(1))
        .env(WRITE_ONLY, &file)
        .status()
        .unwrap();
    assert!(status.success(), "writing the sample export failed");
    let bytes = std::fs::metadata(&file).unwrap().len();
    let mut store =
        Store::create(&dir.path().join("bench.db"), &KeySource::File(dir.path().join("bench.key"))).unwrap();
    common::office(&mut store, &[("xinfang", Role::Petitions)]);
    let petitions = common::login(&mut store, "xinfang");
    let mapping = migration::suggested(&file, MigrationKind::Complaints).unwrap();

    // The floor: the same file only read, cell by cell, by calamine.
    reset_peak();
    let t = Instant::now();
    let mut rows = 0u64;
    sheet::read_rows(
        &file,
        &mut |_, cells| {
            rows += u64::from(!cells.is_empty());
            Ok(true)
        },
        &mut |_, _| {},
    )
    .unwrap();
    line("migration_parse_floor", rows - 1, t.elapsed().as_secs_f64(), &format!(",\"file_bytes\":{bytes}"));

    reset_peak();
    let t = Instant::now();
    let mut progress = |_: _, _: u64, _: u64| {};
    let dry = migration::dry_run(
        &store,
        &petitions,
        &file,
        MigrationKind::Complaints,
        &mapping,
        &Limits::default(),
        &mut progress,
    )
    .unwrap();
    assert_eq!((dry.new_records as usize, dry.problem_count), (n, 0), "{:?}", dry.lines());
    line("migration_dry_run", u64::from(dry.rows), t.elapsed().as_secs_f64(), "");

    reset_peak();
    let t = Instant::now();
    let done = migration::import(
        &mut store,
        &petitions,
        &file,
        MigrationKind::Complaints,
        &mapping,
        &Limits::default(),
        &mut progress,
    )
    .unwrap();
    let seconds = t.elapsed().as_secs_f64();
    assert_eq!(done.outcome, MigrationOutcome::Imported);
    assert_eq!(done.new_records as usize, n);
    let conn = store.raw_connection_for_tests();
    let events: i64 = conn.query_row("SELECT count(*) FROM events", [], |r| r.get(0)).unwrap();
    let complaints: i64 = conn.query_row("SELECT count(*) FROM complaints", [], |r| r.get(0)).unwrap();
    assert_eq!(complaints as usize, n);
    line(
        "migration_import",
        u64::from(done.rows),
        seconds,
        &format!(",\"events_in_log\":{events},\"target_seconds\":60"),
    );

    // A re-run of the same file: every row checked and recognised, nothing written.
    reset_peak();
    let t = Instant::now();
    let again = migration::import(
        &mut store,
        &petitions,
        &file,
        MigrationKind::Complaints,
        &mapping,
        &Limits::default(),
        &mut progress,
    )
    .unwrap();
    assert_eq!(again.outcome, MigrationOutcome::NothingNew);
    line("migration_rerun", u64::from(again.rows), t.elapsed().as_secs_f64(), "");
}
