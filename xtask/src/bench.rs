//! `cargo xtask bench`: measures the event log and the desktop start-up, writes BENCHMARKS.md.
//!
//! Figures are measured, never asserted: a benchmark that fails a build on a slow day teaches
//! nothing. The targets from the issues sit beside the figures in the report instead.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::display::VirtualDisplay;
use crate::setup;
use crate::util::{self, root, run, run_captured, step, target_dir};

/// One event-log measurement as printed by `crates/core/benches/event_log.rs`.
#[derive(Debug)]
struct LogFigure {
    name: String,
    count: u64,
    seconds: f64,
    per_second: f64,
}

fn field<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let start = line.find(&format!("\"{key}\":"))? + key.len() + 3;
    let rest = &line[start..];
    let end = rest.find([',', '}'])?;
    Some(rest[..end].trim_matches('"'))
}

fn parse_log_figures(output: &str) -> Vec<LogFigure> {
    output
        .lines()
        .filter(|l| l.starts_with("{\"bench\""))
        .filter_map(|l| {
            Some(LogFigure {
                name: field(l, "bench")?.to_owned(),
                count: field(l, "count")?.parse().ok()?,
                seconds: field(l, "seconds")?.parse().ok()?,
                per_second: field(l, "per_second")?.parse().ok()?,
            })
        })
        .collect()
}

/// Start-up of the release desktop program to its login screen, and its memory then.
#[derive(Debug)]
struct StartFigure {
    millis: Vec<u64>,
    pss_kib: Vec<u64>,
}

fn median(values: &[u64]) -> u64 {
    let mut v = values.to_vec();
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or(0)
}

/// Proportional memory (PSS, KiB) of the program and its WebKit helper processes: unlike RSS,
/// PSS divides the libraries the processes share, so the sum is what they really cost.
fn tree_pss_kib(pgid: u32) -> u64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    let mut total = 0;
    for entry in entries.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // Field 5 (after the parenthesised name) is the process group.
        let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
        let group: Option<u32> = after.split_whitespace().nth(2).and_then(|g| g.parse().ok());
        let name = stat.split_once('(').and_then(|(_, r)| r.split_once(')')).map(|(n, _)| n).unwrap_or("");
        if group == Some(pgid) && (name.starts_with("qingfeng") || name.starts_with("WebKit")) {
            let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
            total += rollup
                .lines()
                .find_map(|l| l.strip_prefix("Pss:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                .unwrap_or(0);
        }
    }
    total
}

fn desktop_start(app: &Path, cli: &Path, runs: usize) -> Result<StartFigure> {
    let dir = std::env::temp_dir().join(format!("qingfeng-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let (db, key) = (dir.join("bench.db"), dir.join("bench.key"));
    run(Command::new(cli)
        .arg("--db")
        .arg(&db)
        .arg("--key-file")
        .arg(&key)
        .arg("demo")
        .stdout(std::process::Stdio::null()))?;
    let screen = VirtualDisplay::start()?;
    let mut figure = StartFigure { millis: Vec::new(), pss_kib: Vec::new() };
    for i in 0..runs {
        let ready = dir.join(format!("ready-{i}"));
        let mut cmd = Command::new("dbus-run-session");
        cmd.arg("--")
            .arg(app)
            .env("DISPLAY", &screen.display)
            .env("QINGFENG_DB", &db)
            .env("QINGFENG_KEY_FILE", &key)
            .env("QINGFENG_READY_FILE", &ready)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let started = Instant::now();
        let mut child = cmd.spawn()?;
        let pgid = child.id();
        let deadline = started + Duration::from_secs(60);
        while !ready.exists() {
            if Instant::now() > deadline || child.try_wait()?.is_some() {
                util::kill_group(pgid, "KILL");
                bail!("the desktop program did not reach its login screen within 60 s");
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        figure.millis.push(started.elapsed().as_millis() as u64);
        // Memory once the first screen has settled.
        std::thread::sleep(Duration::from_millis(1000));
        figure.pss_kib.push(tree_pss_kib(pgid));
        util::kill_group(pgid, "TERM");
        let _ = child.wait();
        std::thread::sleep(Duration::from_millis(300));
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(figure)
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name").map(|m| m.trim_start_matches([' ', '\t', ':']).to_owned()))
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let mem_gib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines().find_map(|l| {
                l.strip_prefix("MemTotal:").map(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().unwrap_or(0))
            })
        })
        .map(|kib| kib as f64 / 1024.0 / 1024.0)
        .unwrap_or(0.0);
    let os = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|o| o.lines().find_map(|l| l.strip_prefix("PRETTY_NAME=").map(|v| v.trim_matches('"').to_owned())))
        .unwrap_or_default();
    format!("{cpu}, {cores} cores, {mem_gib:.0} GiB RAM, {os}")
}

fn today() -> String {
    Command::new("date")
        .arg("+%Y-%m-%d")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

pub fn bench(_args: &[String]) -> Result<()> {
    setup::setup()?;
    step("Event log (release build, real SQLCipher file, synchronous=FULL)");
    let (ok, output) =
        run_captured(util::cargo().args(["bench", "-p", "qingfeng-core", "--bench", "event_log", "--locked"]))?;
    if !ok {
        bail!("the event-log benchmark failed");
    }
    let log = parse_log_figures(&output);

    let complaints_n = std::env::var("QINGFENG_BENCH_COMPLAINTS").unwrap_or_else(|_| "1000000".into());
    step(&format!("Complaints: an office of {complaints_n} complaints (release build; several minutes)"));
    let (ok, output) = run_captured(
        util::cargo()
            .args(["bench", "-p", "qingfeng-core", "--bench", "complaints", "--locked"])
            .env("QINGFENG_BENCH_COMPLAINTS", &complaints_n),
    )?;
    if !ok {
        bail!("the complaint benchmark failed");
    }
    let complaint_lines: Vec<serde_json::Value> =
        output.lines().filter(|l| l.starts_with("{\"bench\"")).filter_map(|l| serde_json::from_str(l).ok()).collect();

    setup::build_ui()?;
    step("Desktop start-up (release build under Xvfb)");
    run(util::cargo().args(["build", "--release", "--locked", "-p", "qingfeng-desktop", "-p", "qingfeng-cli"]))?;
    let bin: PathBuf = target_dir().join("release");
    let start = desktop_start(&bin.join("qingfeng-desktop"), &bin.join("qingfeng"), 5)?;

    let mut md = String::new();
    writeln!(md, "# Benchmarks\n")?;
    writeln!(md, "Written by `cargo xtask bench`; do not edit by hand. Figures are measurements, not tests.\n")?;
    writeln!(md, "- Date: {}", today())?;
    writeln!(md, "- Machine: {}\n", machine())?;
    writeln!(md, "## Event log (`crates/core/benches/event_log.rs`)\n")?;
    writeln!(
        md,
        "Each append runs the whole write path (`Store::execute`: authorize, decide, canonical CBOR, SHA-256 chain, insert, project) on an encrypted SQLCipher file in WAL mode with `synchronous = FULL`.\n"
    )?;
    writeln!(md, "| measurement | events | seconds | per second | target (issue #2) |")?;
    writeln!(md, "|---|---:|---:|---:|---:|")?;
    for f in &log {
        let (label, target) = match f.name.as_str() {
            "single_event_commits" => ("single-event commits (one transaction each)", "≥ 2,000"),
            "batched_events" => ("batched appends (10 × 10,000 events per transaction)", "≥ 200,000"),
            "log_append_batched" => ("the log alone: batched appends without projection", "≥ 200,000"),
            "verify" => ("chain verification over 1,000,000 events", "≥ 500,000"),
            other => (other, ""),
        };
        writeln!(md, "| {label} | {} | {:.3} | {:.0} | {target} |", f.count, f.seconds, f.per_second)?;
    }
    write_complaints(&mut md, &complaint_lines)?;
    writeln!(md, "\n## Desktop start-up (`target/release/qingfeng-desktop`, Xvfb)\n")?;
    writeln!(
        md,
        "From process start to the login screen's first render (the UI calls `mark_ready`), over {} runs on a demo database; memory is the proportional set size (PSS: shared libraries divided among the processes that map them) of the program and its WebKit processes one second later.\n",
        start.millis.len()
    )?;
    writeln!(md, "| measurement | median | all runs |")?;
    writeln!(md, "|---|---:|---|")?;
    writeln!(md, "| cold start to login screen | {} ms | {:?} |", median(&start.millis), start.millis)?;
    writeln!(
        md,
        "| memory at login screen (PSS) | {:.0} MiB | {:?} |",
        median(&start.pss_kib) as f64 / 1024.0,
        start.pss_kib.iter().map(|k| k / 1024).collect::<Vec<_>>()
    )?;
    let path = root().join("BENCHMARKS.md");
    std::fs::write(&path, &md).with_context(|| format!("writing {}", path.display()))?;
    println!("\n{md}\nWritten to {}", path.display());
    Ok(())
}

/// The complaint section: the screens' queries against a large office, with the targets.
fn write_complaints(md: &mut String, lines: &[serde_json::Value]) -> Result<()> {
    let get = |name: &str| lines.iter().find(|l| l["bench"] == name);
    let n = get("build_office").and_then(|l| l["complaints"].as_u64()).unwrap_or(0);
    writeln!(md, "\n## Complaints (`crates/core/benches/complaints.rs`)\n")?;
    writeln!(
        md,
        "An office holding {n} complaints (synthetic, spread over four years), built with `register_many` in {} s. The newest 20,000 are 60% real-name with their duties open and a third of them screened; older ones are modelled as owing no notice, as in an office whose history is settled (dashboard and inbox work scales with open duties, not with the archive). Times in milliseconds.\n",
        get("build_office").and_then(|l| l["seconds"].as_f64()).unwrap_or(0.0)
    )?;
    writeln!(md, "| query | runs | p50 | p95 | target (issue #3) |")?;
    writeln!(md, "|---|---:|---:|---:|---:|")?;
    for l in lines.iter().filter(|l| l.get("p95_ms").is_some()) {
        let name = l["bench"].as_str().unwrap_or("");
        let target = if name.starts_with("inbox") || name == "dashboard" {
            "p95 < 30"
        } else if name.starts_with("search") {
            "p95 < 50"
        } else if name == "register_one" {
            "p95 < 10"
        } else {
            ""
        };
        writeln!(
            md,
            "| {} | {} | {:.2} | {:.2} | {target} |",
            name.replace('"', "“"),
            l["runs"],
            l["p50_ms"].as_f64().unwrap_or(0.0),
            l["p95_ms"].as_f64().unwrap_or(0.0)
        )?;
    }
    if let Some(size) = get("size") {
        writeln!(
            md,
            "\nDatabase size: {:.1} GiB for {} complaints with their events and indexes, **{} KiB per 1,000 complaints**.",
            size["bytes"].as_f64().unwrap_or(0.0) / 1024.0 / 1024.0 / 1024.0,
            size["complaints"],
            size["kib_per_1000"]
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_bench_lines() {
        let out = "noise\n{\"bench\":\"verify\",\"count\":1000000,\"seconds\":2.397,\"per_second\":417114}\n";
        let f = parse_log_figures(out);
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].name.as_str(), f[0].count, f[0].per_second as u64), ("verify", 1_000_000, 417_114));
    }

    #[test]
    fn median_of_odd_and_even_runs() {
        assert_eq!(median(&[5, 1, 3]), 3);
        assert_eq!(median(&[4, 1, 3, 2]), 3);
    }
}
