//! `cargo xtask soak [--runs N] [--seed S]`: the randomized fault soak of sync (issue #13), the
//! full 1,000 runs by default, with its figures (runs, faults injected by kind, events and blobs
//! moved, time) written to BENCHMARKS.md. `cargo xtask test` runs the same test with 50 runs.
//!
//! It reuses the debug binaries of the workspace (built first), so each run costs only the work
//! under test: a failing run prints its seed, and `cargo xtask soak --runs 1 --seed S` replays it.

use std::fmt::Write as _;

use anyhow::{Context, Result, bail};

use crate::util::{self, root, run, step, target_dir};

/// Runs of the full soak unless `--runs` says otherwise.
const DEFAULT_RUNS: u64 = 1000;
/// The seed of the first run unless `--seed` says otherwise (the same as the test's default).
const DEFAULT_SEED: u64 = 2026_0113;

fn flag(args: &[String], name: &str, default: u64) -> Result<u64> {
    match args.iter().position(|a| a == name) {
        None => Ok(default),
        Some(i) => args
            .get(i + 1)
            .and_then(|v| v.parse().ok())
            .with_context(|| format!("{name} takes a number, e.g. {name} {default}")),
    }
}

pub fn soak(args: &[String]) -> Result<()> {
    for a in args.iter().filter(|a| a.starts_with("--")) {
        if a != "--runs" && a != "--seed" {
            bail!("unknown option {a}; usage: cargo xtask soak [--runs N] [--seed S]");
        }
    }
    let runs = flag(args, "--runs", DEFAULT_RUNS)?;
    let seed = flag(args, "--seed", DEFAULT_SEED)?;
    step("Build the CLI and the hub the soak drives");
    run(util::cargo().args(["build", "-p", "qingfeng-cli", "-p", "qingfeng-hub", "--locked"]))?;
    let report = target_dir().join(format!("soak-{seed}-{runs}.json"));
    let _ = std::fs::remove_file(&report);
    step(&format!("Soak: {runs} seeded runs from seed {seed}"));
    run(util::cargo()
        .args(["test", "-p", "qingfeng-systest", "--test", "soak", "--locked", "--", "--nocapture"])
        .env("SOAK_RUNS", runs.to_string())
        .env("SOAK_SEED", seed.to_string())
        .env("SOAK_REPORT", &report)
        .current_dir(root()))?;
    let figures: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(&report)
            .with_context(|| format!("the soak wrote no figures to {}", report.display()))?,
    )?;
    let body = section(&figures)?;
    crate::bench::write_section("soak", &body)?;
    println!("\n{body}\nWritten to BENCHMARKS.md");
    Ok(())
}

/// The BENCHMARKS.md section for one soak.
fn section(f: &serde_json::Value) -> Result<String> {
    let n = |v: &serde_json::Value| v.as_u64().unwrap_or(0);
    let mut md = String::new();
    writeln!(md, "## Sync under faults (`tests/sync/src/soak.rs`, `cargo xtask soak`)\n")?;
    writeln!(
        md,
        "Each run copies a prepared province (the hub, two counties and the prefecture above them, enrolled), does real \
         work in the offices (complaints with attachments of 300 B to 2.6 MB, some reported upward; penalty decisions \
         with evidence files; the prefecture's own steps and files), and syncs through faults chosen from its seed; it \
         ends with clean syncs until nothing moves, then checks that every replica converged, every event is held \
         once, every blob is present and verified, and `events verify` is clean at the hub and at every office.\n"
    )?;
    writeln!(md, "| | |\n|---|---:|")?;
    writeln!(md, "| runs (all passed) | {} |", n(&f["runs"]))?;
    writeln!(md, "| first seed | {} |", n(&f["seed"]))?;
    writeln!(md, "| events accepted by the hub from the offices | {} |", n(&f["events"]))?;
    writeln!(md, "| blobs (attachments, evidence) held whole and verified at the hub | {} |", n(&f["blobs"]))?;
    let seconds = f["seconds"].as_f64().unwrap_or(0.0);
    writeln!(md, "| time | {:.0} s ({:.1} s per run) |", seconds, seconds / n(&f["runs"]).max(1) as f64)?;
    writeln!(md, "\n| fault injected | count |\n|---|---:|")?;
    let labels = [
        ("drop", "request dropped (connection closed unanswered)"),
        ("delay", "request delayed 50–400 ms"),
        ("truncate", "answer cut off part-way"),
        ("reset", "connection reset mid-request"),
        ("duplicate", "request sent to the hub twice"),
        ("kill_client", "`qingfeng sync now` killed with SIGKILL"),
        ("kill_hub", "hub killed with SIGKILL and restarted on another port"),
        ("disk_full_client", "office's disk full during a sync (file-size limit)"),
        ("disk_full_hub", "hub's disk full during a sync (file-size limit)"),
    ];
    for (key, label) in labels {
        writeln!(md, "| {label} | {} |", n(&f["faults"][key]))?;
    }
    Ok(md)
}
