//! `cargo xtask bench`: measures the event log, complaints, sync with the hub, recovery and the desktop start-up,
//! and writes BENCHMARKS.md.
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
    /// WebKitGTK's own floor on the same display: its MiniBrowser showing one line of Chinese.
    webkit_floor_kib: Option<u64>,
}

/// WebKitGTK's demonstration browser, shipped in the same Debian package as the library.
const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

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
        if group == Some(pgid) && ["qingfeng", "WebKit", "MiniBrowser"].iter().any(|p| name.starts_with(p)) {
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
    let mut figure = StartFigure { millis: Vec::new(), pss_kib: Vec::new(), webkit_floor_kib: None };
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
        // Cold start is measured to the painted login card, not to the page's ready mark: on a
        // loaded machine WebKit paints seconds after the page has laid out.
        let Some(painted) = screen.wait_login_painted(started, Duration::from_secs(60))? else {
            util::kill_group(pgid, "KILL");
            bail!("the desktop program's login card was not painted within 60 s of its ready mark");
        };
        figure.millis.push(painted.as_millis() as u64);
        // Memory once the first screen has settled.
        std::thread::sleep(Duration::from_millis(1000));
        figure.pss_kib.push(tree_pss_kib(pgid));
        util::kill_group(pgid, "TERM");
        let _ = child.wait();
        std::thread::sleep(Duration::from_millis(300));
    }
    figure.webkit_floor_kib = webkit_floor(&screen, &dir)?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(figure)
}

/// PSS of WebKitGTK's MiniBrowser (its window, network and web processes) showing a page of one
/// line of Chinese, with WebKit set as the program sets it (compositing off, no JIT), three seconds
/// after it starts; the median of three runs. This is what any program showing a page through
/// this WebKitGTK costs here before its own code and page: the floor beside the program's figures.
/// `None` when MiniBrowser is not installed.
fn webkit_floor(screen: &VirtualDisplay, dir: &Path) -> Result<Option<u64>> {
    if !Path::new(MINIBROWSER).exists() {
        return Ok(None);
    }
    let page = dir.join("floor.html");
    std::fs::write(
        &page,
        "<!doctype html><meta charset=\"utf-8\"><h1 style=\"font-family:sans-serif\">清风 登录</h1>",
    )?;
    let mut runs = Vec::new();
    for _ in 0..3 {
        let mut cmd = Command::new("dbus-run-session");
        cmd.args(["--", MINIBROWSER])
            .arg(format!("file://{}", page.display()))
            .env("DISPLAY", &screen.display)
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .env("JSC_useJIT", "false")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let mut child = cmd.spawn()?;
        let pgid = child.id();
        std::thread::sleep(Duration::from_secs(3));
        runs.push(tree_pss_kib(pgid));
        util::kill_group(pgid, "TERM");
        let _ = child.wait();
    }
    Ok(Some(median(&runs)))
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

/// The sections of BENCHMARKS.md in their order. `cargo xtask bench NAME…` measures only the
/// named ones and keeps the others as they were, each with the date it was measured.
const SECTIONS: [&str; 10] =
    ["event-log", "complaints", "sync", "hub", "penalty", "library", "migration", "notices", "recovery", "desktop"];

/// Every section the report may hold, in order: the benchmarks, then the fault soak that
/// `cargo xtask soak` writes (an hour long, so never part of a plain `bench`). `hub-history` is
/// written by hand (what each change to the hub did to its figures, measured change by change) and
/// only carried over: text outside a section's markers is not kept when the report is rewritten.
const REPORT_SECTIONS: [&str; 12] = [
    "event-log",
    "complaints",
    "sync",
    "hub",
    "hub-history",
    "penalty",
    "library",
    "migration",
    "notices",
    "recovery",
    "desktop",
    "soak",
];

/// Replaces (or adds) one section of BENCHMARKS.md, keeping the others as they were.
pub fn write_section(name: &str, body: &str) -> Result<()> {
    let path = root().join("BENCHMARKS.md");
    let mut sections = read_sections(&std::fs::read_to_string(&path).unwrap_or_default());
    sections.retain(|(n, _)| n != name);
    sections.push((name.to_owned(), format!("{body}\n_Measured {}._\n", today())));
    std::fs::write(&path, assemble(&sections)).with_context(|| format!("writing {}", path.display()))
}

pub fn bench(args: &[String]) -> Result<()> {
    let chosen: Vec<&str> = if args.is_empty() {
        SECTIONS.to_vec()
    } else {
        for a in args {
            if !SECTIONS.contains(&a.as_str()) {
                bail!("unknown benchmark section {a:?}; the sections are {}", SECTIONS.join(", "));
            }
        }
        SECTIONS.iter().copied().filter(|s| args.iter().any(|a| a == s)).collect()
    };
    setup::setup()?;
    let path = root().join("BENCHMARKS.md");
    let mut sections = read_sections(&std::fs::read_to_string(&path).unwrap_or_default());
    for name in chosen {
        let body = match name {
            "event-log" => bench_event_log()?,
            "complaints" => bench_complaints()?,
            "sync" => bench_sync()?,
            "hub" => bench_hub()?,
            "penalty" => bench_penalty()?,
            "library" => bench_library()?,
            "migration" => bench_migration()?,
            "notices" => bench_notices()?,
            "recovery" => crate::bench_recovery::bench_recovery()?,
            "desktop" => bench_desktop()?,
            _ => unreachable!("checked against SECTIONS above"),
        };
        sections.retain(|(n, _)| n != name);
        sections.push((name.to_owned(), format!("{body}\n_Measured {}._\n", today())));
        // Written after every section, so a failure later in a long run keeps what was measured.
        std::fs::write(&path, assemble(&sections)).with_context(|| format!("writing {}", path.display()))?;
    }
    let md = assemble(&sections);
    println!("\n{md}\nWritten to {}", path.display());
    Ok(())
}

/// The sections found between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` markers.
fn read_sections(md: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = md;
    while let Some(i) = rest.find("<!-- bench:") {
        let after = &rest[i + "<!-- bench:".len()..];
        let Some(name_end) = after.find(" -->") else { break };
        let name = &after[..name_end];
        let body_start = name_end + " -->\n".len();
        let close = format!("<!-- /bench:{name} -->");
        let Some(body_end) = after.find(&close) else { break };
        if body_start <= body_end {
            out.push((name.to_owned(), after[body_start..body_end].to_owned()));
        }
        rest = &after[body_end + close.len()..];
    }
    out
}

/// The whole report: the machine, then the sections in their fixed order.
fn assemble(sections: &[(String, String)]) -> String {
    let mut md = String::new();
    md.push_str("# Benchmarks\n\n");
    md.push_str("Written by `cargo xtask bench` (or `cargo xtask bench SECTION…` to measure only some of ");
    md.push_str(&SECTIONS.join(", "));
    md.push_str(
        "); do not edit by hand. Figures are measurements, not tests. Each section says when it was measured.\n\n",
    );
    md.push_str(&format!("- Machine: {}\n", machine()));
    for name in REPORT_SECTIONS {
        if let Some((_, body)) = sections.iter().find(|(n, _)| n == name) {
            md.push_str(&format!("\n<!-- bench:{name} -->\n{body}<!-- /bench:{name} -->\n"));
        }
    }
    md
}

/// Runs one `cargo bench` target in release (with its size variable, if any) and returns what it
/// printed; a failed run stops the section.
fn cargo_bench(package: &str, bench: &str, size: Option<(&str, &str)>) -> Result<String> {
    let mut cmd = util::cargo();
    cmd.args(["bench", "-p", package, "--bench", bench, "--locked"]);
    if let Some((var, value)) = size {
        cmd.env(var, value);
    }
    let (ok, output) = run_captured(&mut cmd)?;
    if !ok {
        bail!("the {bench} benchmark ({package}) failed");
    }
    Ok(output)
}

fn bench_event_log() -> Result<String> {
    step("Event log (release build, real SQLCipher file, synchronous=FULL)");
    let output = cargo_bench("qingfeng-core", "event_log", None)?;
    let log = parse_log_figures(&output);
    let mut md = String::new();
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
    Ok(md)
}

fn bench_complaints() -> Result<String> {
    let complaints_n = std::env::var("QINGFENG_BENCH_COMPLAINTS").unwrap_or_else(|_| "1000000".into());
    step(&format!("Complaints: an office of {complaints_n} complaints (release build; several minutes)"));
    let output = cargo_bench("qingfeng-core", "complaints", Some(("QINGFENG_BENCH_COMPLAINTS", &complaints_n)))?;
    let mut md = String::new();
    write_complaints(&mut md, &bench_lines(&output))?;
    Ok(md)
}

fn bench_sync() -> Result<String> {
    let sync_n = std::env::var("QINGFENG_BENCH_SYNC_EVENTS").unwrap_or_else(|_| "100000".into());
    step(&format!("Sync and hub: {sync_n} events over HTTP on 127.0.0.1 (release build; a few minutes)"));
    let output = cargo_bench("qingfeng-hub", "sync", Some(("QINGFENG_BENCH_SYNC_EVENTS", &sync_n)))?;
    let mut sync_lines = bench_lines(&output);
    let peer_n = std::env::var("QINGFENG_BENCH_PEER_EVENTS").unwrap_or_else(|_| "20000".into());
    step(&format!("Peer: PouchDB replication of {peer_n} events over HTTP on 127.0.0.1"));
    let peer = pouchdb(&peer_n);
    if let Err(e) = &peer {
        println!("PouchDB was not measured: {e:#}");
    }
    sync_lines.extend(peer.as_ref().map(|o| bench_lines(o)).unwrap_or_default());
    let mut md = String::new();
    write_sync(&mut md, &sync_lines, peer.as_ref().err())?;
    Ok(md)
}

/// The machine's load average (1, 5, 15 minutes): other work on a shared machine skews figures.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn bench_hub() -> Result<String> {
    step("The hub on SQLite and PostgreSQL side by side (release build; several minutes)");
    let before = load_average();
    // The cases run from small to province-sized; if a later one fails, the figures printed
    // before it are still written, with a line saying the run stopped.
    let mut cmd = util::cargo();
    cmd.args(["bench", "-p", "qingfeng-hub", "--bench", "hub", "--locked"]);
    let (ok, output) = run_captured(&mut cmd)?;
    let after = load_average();
    let lines = bench_lines(&output);
    let get = |name: &str, backend: &str, processes: u64| {
        lines.iter().find(|l| {
            l["bench"] == name
                && l["backend"] == backend
                && l.get("processes").is_none_or(|p| p.as_u64() == Some(processes))
        })
    };
    let mut md = String::new();
    writeln!(md, "## The hub on SQLite and on PostgreSQL (`crates/hub/benches/hub.rs`)\n")?;
    writeln!(
        md,
        "Each hub is a real `qingfeng-hub serve` process (release build) on 127.0.0.1: one on an SQLite file, one on PostgreSQL, and two processes over the same PostgreSQL database with the offices spread over both. {} runs in a private cluster with `fsync`, `synchronous_commit` and `full_page_writes` on (durable, as a province would run it), default settings otherwise. Offices are client tasks in the benchmark's process, each with its own Ed25519 device: one round is the signed change set up, the signed receipt, and one feed page (authenticated). Every change set is verified, chained, routed and committed for real. The machine is shared with other builds: load average {before} at the start of the run, {after} at the end.\n",
        postgres_version()
    )?;
    writeln!(
        md,
        "| 200 offices × 200 events at once | hub processes | p50 | p99 | max | all done in | events/s | target p99 < 1 s |"
    )?;
    writeln!(md, "|---|---:|---:|---:|---:|---:|---:|---|")?;
    for (backend, processes) in [("sqlite", 1), ("postgres", 1), ("postgres", 2)] {
        if let Some(l) = get("burst_200x200", backend, processes) {
            let p99 = l["p99_ms"].as_f64().unwrap_or(0.0);
            writeln!(
                md,
                "| {backend} | {processes} | {:.0} ms | {p99:.0} ms | {:.0} ms | {:.2} s | {:.0} | {} |",
                l["p50_ms"].as_f64().unwrap_or(0.0),
                l["max_ms"].as_f64().unwrap_or(0.0),
                l["wall_seconds"].as_f64().unwrap_or(0.0),
                l["events_per_second"].as_f64().unwrap_or(0.0),
                if p99 < 1000.0 { "met" } else { "**not met**" }
            )?;
        }
    }
    writeln!(md)?;
    // Where the burst's CPU went: on this 2-core machine the clients, the hubs and the database
    // share two cores, so their sum over two is the least wall time the burst could take.
    writeln!(
        md,
        "| CPU seconds during the 200 × 200 burst | hub processes | hubs | PostgreSQL backends | PostgreSQL's own processes | clients (this benchmark) | sum ÷ 2 cores |"
    )?;
    writeln!(md, "|---|---:|---:|---:|---:|---:|---:|")?;
    for (backend, processes) in [("sqlite", 1), ("postgres", 1), ("postgres", 2)] {
        if let Some(l) = get("burst_profile", backend, processes) {
            let cpu = |k: &str| l.get(k).and_then(serde_json::Value::as_f64);
            let parts =
                ["cpu_hub_seconds", "cpu_postgres_seconds", "cpu_postgres_background_seconds", "cpu_clients_seconds"];
            let sum: f64 = parts.iter().filter_map(|k| cpu(k)).sum();
            let shown = |k: &str| cpu(k).map_or("—".to_owned(), |v| format!("{v:.2}"));
            writeln!(
                md,
                "| {backend} | {processes} | {} | {} | {} | {} | {:.2} s |",
                shown(parts[0]),
                if backend == "sqlite" { "—".to_owned() } else { shown(parts[1]) },
                if backend == "sqlite" { "—".to_owned() } else { shown(parts[2]) },
                shown(parts[3]),
                sum / 2.0
            )?;
        }
    }
    writeln!(md)?;
    writeln!(
        md,
        "| a province: 1,639 offices × 50 events, receipt and a feed page, at most 200 requests in flight | hub processes | p50 | p99 | max | all done in | events/s |"
    )?;
    writeln!(md, "|---|---:|---:|---:|---:|---:|---:|")?;
    for (backend, processes) in [("sqlite", 1), ("postgres", 1), ("postgres", 2)] {
        if let Some(l) = get("province_1639x50", backend, processes) {
            writeln!(
                md,
                "| {backend} | {processes} | {:.0} ms | {:.0} ms | {:.0} ms | {:.2} s | {:.0} |",
                l["p50_ms"].as_f64().unwrap_or(0.0),
                l["p99_ms"].as_f64().unwrap_or(0.0),
                l["max_ms"].as_f64().unwrap_or(0.0),
                l["wall_seconds"].as_f64().unwrap_or(0.0),
                l["events_per_second"].as_f64().unwrap_or(0.0),
            )?;
        }
    }
    for backend in ["sqlite", "postgres"] {
        if let Some(l) = get("province_setup", backend, 1) {
            writeln!(
                md,
                "\nSetting up the province on {backend} (1,657 offices in the directory, each new office's feed given the directory so far, 1,639 devices enrolled with tokens): {:.1} s.",
                l["seconds"].as_f64().unwrap_or(0.0)
            )?;
        }
    }
    writeln!(md)?;
    writeln!(
        md,
        "| 100,000 events from one office, change sets of 2,000 posted in turn, each receipted | seconds | events/s |"
    )?;
    writeln!(md, "|---|---:|---:|")?;
    for (label, name, backend) in
        [("hub on SQLite", "one_office", "sqlite"), ("hub on PostgreSQL", "one_office", "postgres")]
    {
        if let Some(l) = get(name, backend, 1) {
            writeln!(
                md,
                "| {label} | {:.2} | {:.0} |",
                l["seconds"].as_f64().unwrap_or(0.0),
                l["per_second"].as_f64().unwrap_or(0.0)
            )?;
        }
    }
    for (label, name) in [
        ("floor: plain SQLite insert (WAL, synchronous = FULL, 2,000 per transaction)", "baseline_sqlite"),
        ("floor: plain PostgreSQL `COPY` (binary, 2,000 per transaction)", "floor_postgres_copy"),
    ] {
        if let Some(l) = lines.iter().find(|l| l["bench"] == name) {
            writeln!(
                md,
                "| {label} | {:.2} | {:.0} |",
                l["seconds"].as_f64().unwrap_or(0.0),
                l["per_second"].as_f64().unwrap_or(0.0)
            )?;
        }
    }
    if !ok {
        writeln!(
            md,
            "\n**The run stopped before it finished** (see its output); the cases missing above were not measured."
        )?;
    }
    Ok(md)
}

/// `PostgreSQL 15.x` as the private cluster's server reports it.
fn postgres_version() -> String {
    qingfeng_pgcluster::bin_dir()
        .ok()
        .and_then(|bin| Command::new(bin.join("postgres")).arg("--version").output().ok())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().trim_start_matches("postgres (PostgreSQL) ").to_owned())
        .map(|v| format!("PostgreSQL {v}"))
        .unwrap_or_else(|| "PostgreSQL".into())
}

fn bench_penalty() -> Result<String> {
    let n = std::env::var("QINGFENG_BENCH_DECISIONS").unwrap_or_else(|_| "100000".into());
    step(&format!("Penalty execution: an office of {n} decisions (release build; a few minutes)"));
    let output = cargo_bench("qingfeng-core", "penalty", Some(("QINGFENG_BENCH_DECISIONS", &n)))?;
    let mut md = String::new();
    write_penalty(&mut md, &bench_lines(&output))?;
    Ok(md)
}

/// The penalty section: the board and an approval against a large office, with the targets.
fn write_penalty(md: &mut String, lines: &[serde_json::Value]) -> Result<()> {
    let get = |name: &str| lines.iter().find(|l| l["bench"] == name);
    let build = get("build_decisions");
    writeln!(md, "## Penalty execution (`crates/core/benches/penalty.rs`)\n")?;
    writeln!(
        md,
        "An office holding {} penalty decisions (synthetic: every party penalty and government sanction, 30% with an amount to confiscate, decision dates over four years) with their generated checklists ({} items), entered with `ops::register_many` in {} s. Every checklist is left open, the worst case for the board, whose light counts cover every open list. Each query runs once untimed before its timed runs (the first board, with the page cache cold, is reported on its own line). Times in milliseconds.\n",
        build.map(|l| l["decisions"].clone()).unwrap_or_default(),
        build.map(|l| l["items"].clone()).unwrap_or_default(),
        build.and_then(|l| l["seconds"].as_f64()).unwrap_or(0.0)
    )?;
    writeln!(md, "| measurement | runs | p50 | p95 | target (issue #5) | met |")?;
    writeln!(md, "|---|---:|---:|---:|---:|---|")?;
    for l in lines.iter().filter(|l| l.get("p95_ms").is_some()) {
        let name = l["bench"].as_str().unwrap_or("");
        let p95 = l["p95_ms"].as_f64().unwrap_or(f64::NAN);
        let (label, target) = match name {
            "board" => ("execution board as the screen opens it (500 newest rows, light counts over all)", Some(30.0)),
            "board_20" => ("execution board, first 20 rows (light counts over all)", None),
            "board_cold" => ("the first board after the office was built (page cache cold), one run", None),
            "board_red" => ("board, red lights only", Some(30.0)),
            // Filters scan every open list's row (part-of-name matching cannot use an index); the
            // issue's target is for the board as it opens.
            "board_unit" => ("board filtered by part of a responsible unit (住建), every row scanned", None),
            "board_text" => ("board filtered by part of a name or number (王秀英), every row scanned", None),
            "board_open" => ("board, open lists only", Some(30.0)),
            "decision_page" => ("a decision's execution page", None),
            "submit_item" => ("submitting an item (event + projections)", None),
            "approve_item" => ("approving an item (event + projections + the next item's deadline)", Some(10.0)),
            "review_queue" => ("the trial department's review queue", None),
            other => (other, None),
        };
        writeln!(
            md,
            "| {label} | {} | {:.2} | {p95:.2} | {} | {} |",
            l["runs"],
            l["p50_ms"].as_f64().unwrap_or(0.0),
            target.map(|t| format!("p95 < {t:.0}")).unwrap_or_default(),
            target.map(|t| met(p95 < t)).unwrap_or("")
        )?;
    }
    if let Some(size) = get("penalty_size") {
        writeln!(
            md,
            "\nDatabase size: {:.0} MiB for {} decisions with their events, checklists and deadlines.",
            size["bytes"].as_f64().unwrap_or(0.0) / 1024.0 / 1024.0,
            size["decisions"]
        )?;
    }
    Ok(())
}

fn bench_library() -> Result<String> {
    let n = std::env::var("QINGFENG_BENCH_ARTICLES").unwrap_or_else(|_| "10000".into());
    step(&format!("Reference library: {n} articles (release build)"));
    let output = cargo_bench("qingfeng-core", "library", Some(("QINGFENG_BENCH_ARTICLES", &n)))?;
    let lines = bench_lines(&output);
    let mut md = String::new();
    writeln!(md, "## Reference library (`crates/core/benches/library.rs`)\n")?;
    writeln!(
        md,
        "{n} generated articles in ten documents, imported through the real import path (parse, event, projection, FTS5 trigram index), then searched as the 资料袋 screen searches: 20 results a page with the match ranges and the total. Queries of three characters or more use the trigram index ranked by bm25; one- and two-character queries, which trigram cannot match, scan the articles. Times in milliseconds.\n"
    )?;
    writeln!(md, "| measurement | runs | p50 | p95 | matches | target (issue #6) | met |")?;
    writeln!(md, "|---|---:|---:|---:|---:|---:|---|")?;
    for l in lines.iter().filter(|l| l.get("p95_ms").is_some()) {
        let name = l["bench"].as_str().unwrap_or("");
        let p95 = l["p95_ms"].as_f64().unwrap_or(f64::NAN);
        let target = name.starts_with("library_search").then_some(20.0);
        writeln!(
            md,
            "| {name} | {} | {:.2} | {p95:.2} | {} | {} | {} |",
            l["runs"],
            l["p50_ms"].as_f64().unwrap_or(0.0),
            l.get("matches").map(|m| m.to_string()).unwrap_or_default(),
            target.map(|t| format!("p95 < {t:.0}")).unwrap_or_default(),
            target.map(|t| met(p95 < t)).unwrap_or("")
        )?;
    }
    Ok(md)
}

fn bench_migration() -> Result<String> {
    let n = std::env::var("QINGFENG_BENCH_MIGRATION").unwrap_or_else(|_| "34057".into());
    step(&format!("Importing an older platform's register: {n} complaints from XLSX (release build)"));
    let output = cargo_bench("qingfeng-core", "migration", Some(("QINGFENG_BENCH_MIGRATION", &n)))?;
    let lines = bench_lines(&output);
    let mut md = String::new();
    writeln!(md, "## Importing an older platform's records (`crates/core/benches/migration.rs`)\n")?;
    writeln!(
        md,
        "A generated XLSX export of {n} complaints (seed 002's 34,057 records; Chinese headers, date cells, 85% concluded) imported end to end on an encrypted store: every row read by calamine's streaming cell reader and checked, then in one transaction each record's `complaint.registered` and `import.record_migrated` events signed, chained and projected (complaint tables, duties, the search index). The floor is the same file only read by calamine. Peak RSS is the process's VmHWM during each phase (reset before it).\n"
    )?;
    writeln!(md, "| measurement | rows | seconds | rows/s | peak RSS (MiB) | target (issue #19) | met |")?;
    writeln!(md, "|---|---:|---:|---:|---:|---|---|")?;
    for l in &lines {
        let name = l["bench"].as_str().unwrap_or("");
        let seconds = l["seconds"].as_f64().unwrap_or(f64::NAN);
        let target = (name == "migration_import").then_some(60.0);
        writeln!(
            md,
            "| {name} | {} | {seconds:.2} | {} | {:.1} | {} | {} |",
            l["rows"],
            l["rows_per_second"],
            l["peak_rss_mib"].as_f64().unwrap_or(f64::NAN),
            target.map(|t| format!("< {t:.0} s")).unwrap_or_default(),
            target.map(|t| met(seconds < t)).unwrap_or("")
        )?;
    }
    Ok(md)
}

fn bench_notices() -> Result<String> {
    step("Notices: rendering and issuing (release build)");
    let output = cargo_bench("qingfeng-documents", "notice", None)?;
    let lines = bench_lines(&output);
    let mut md = String::new();
    writeln!(md, "## Notices (`crates/documents/benches/notice.rs`)\n")?;
    writeln!(
        md,
        "A one-page 受理告知书 typeset by Typst (used as a library) in the GB/T 9704-2012 layout with the fonts the program installs. *First* is the first notice in a fresh process: the fonts read and Typst prepared, as when an officer opens the first notice after starting the program. *Warm* renders follow in the same process. *Issue* is a whole 整改通知书 issue on an encrypted store: the next number allocated, the notice rendered, its PDF stored and the `document.issued` event recorded, in one transaction committed with synchronous=FULL. Times in milliseconds.\n"
    )?;
    writeln!(md, "| measurement | runs | p50 | p95 | target (issue #6) | met |")?;
    writeln!(md, "|---|---:|---:|---:|---:|---|")?;
    for l in &lines {
        let name = l["bench"].as_str().unwrap_or("");
        if let Some(ms) = l["ms"].as_f64() {
            let target = (name == "notice_render_first").then_some(2000.0);
            writeln!(
                md,
                "| {name} | 1 | {ms:.1} | | {} | {} |",
                target.map(|t| format!("< {t:.0}")).unwrap_or_default(),
                target.map(|t| met(ms < t)).unwrap_or("")
            )?;
        } else {
            let p95 = l["p95_ms"].as_f64().unwrap_or(f64::NAN);
            let target = (name == "notice_render_warm").then_some(300.0);
            writeln!(
                md,
                "| {name} | {} | {:.1} | {p95:.1} | {} | {} |",
                l["runs"],
                l["p50_ms"].as_f64().unwrap_or(0.0),
                target.map(|t| format!("p95 < {t:.0}")).unwrap_or_default(),
                target.map(|t| met(p95 < t)).unwrap_or("")
            )?;
        }
    }
    Ok(md)
}

fn bench_desktop() -> Result<String> {
    setup::build_ui_if_stale()?;
    step("Desktop start-up (release build under Xvfb)");
    run(util::cargo().args(["build", "--release", "--locked", "-p", "qingfeng-desktop", "-p", "qingfeng-cli"]))?;
    let bin: PathBuf = target_dir().join("release");
    let minutes = crate::bench_session::minutes()?;
    let load_before = load_average();
    let start = desktop_start(&bin.join("qingfeng-desktop"), &bin.join("qingfeng"), 5)?;
    let session = crate::bench_session::session(&bin.join("qingfeng-desktop"), &bin.join("qingfeng"), minutes)?;
    let load_after = load_average();
    let mut md = String::new();
    writeln!(md, "## Desktop start-up and memory (`target/release/qingfeng-desktop`, Xvfb)\n")?;
    writeln!(
        md,
        "From process start to the login card painted on screen (the UI's `mark_ready`, then the screen's pixels polled every 50 ms until the white card, its blue 登录 button and its text are there), over {} runs on a demo database. Memory is the proportional set size (PSS: shared libraries divided among the processes that map them) of the program and its WebKit processes: at the login screen one second after it is painted (the floor), and after a scripted session (`tests/e2e/memory.mjs`, WebDriver through tauri-driver, the WebDriver bridge itself not counted) that passes through every screen of the demo office again and again for {minutes} minutes (`QINGFENG_BENCH_SESSION_MINUTES`): logged in as 周领导, then 刘审理, 王信访 and 张管理 for the screens the leader does not have, every menu screen opened (the charts of 统计分析 and 执行统计 among them), three complaints opened and a notice previewed each pass. The program runs WebKit with compositing off and JavaScriptCore's JIT off (`src-tauri/src/webview.rs`, `memory.rs`); beside it, WebKitGTK's own MiniBrowser on the same display, set the same way, shows what any page in this WebKitGTK costs before the program's code. Load average {load_before} at the start, {load_after} at the end; the machine is shared with other builds.\n",
        start.millis.len()
    )?;
    let first = session.first().cloned();
    let last = session.last().cloned();
    let mib = |kib: u64| kib as f64 / 1024.0;
    writeln!(md, "| measurement | figure | target (issue #18) | met |")?;
    writeln!(md, "|---|---|---|---|")?;
    let painted = median(&start.millis);
    writeln!(
        md,
        "| cold start to painted login screen, median of {} | {painted} ms (all runs {:?}) | < 1.5 s when idle | {} |",
        start.millis.len(),
        start.millis,
        met(painted < 1500)
    )?;
    writeln!(
        md,
        "| memory at the login screen (PSS), the floor | {:.0} MiB (all runs {:?}) |  |  |",
        mib(median(&start.pss_kib)),
        start.pss_kib.iter().map(|k| k / 1024).collect::<Vec<_>>()
    )?;
    if let Some(floor) = start.webkit_floor_kib {
        writeln!(
            md,
            "| WebKitGTK's own floor: its MiniBrowser showing one line of Chinese, set as the program sets WebKit (PSS, median of 3) | {:.0} MiB |  |  |",
            mib(floor)
        )?;
    }
    if let (Some(first), Some(last)) = (first, last) {
        writeln!(
            md,
            "| memory after the first pass through {} screens ({:.1} min) | {:.0} MiB |  |  |",
            first.screens,
            first.minutes,
            mib(first.pss_kib)
        )?;
        let growth = (last.pss_kib as f64 / first.pss_kib.max(1) as f64 - 1.0) * 100.0;
        writeln!(
            md,
            "| memory after the whole session ({} passes, {:.1} min) | {:.0} MiB | < 300 MiB | {} |",
            last.pass,
            last.minutes,
            mib(last.pss_kib),
            met(last.pss_kib < 300 * 1024)
        )?;
        writeln!(md, "| growth from the first pass to the end | {growth:+.1}% | ≤ +10% | {} |", met(growth <= 10.0))?;
        let parts = |p: &crate::bench_session::Pass| {
            p.processes.iter().map(|(n, k)| format!("{n} {:.0}", mib(*k))).collect::<Vec<_>>().join(", ")
        };
        writeln!(md, "\nBy process (MiB): after the first pass {}; at the end {}.", parts(&first), parts(&last))?;
        writeln!(
            md,
            "Every pass (minutes: MiB): {}.",
            session.iter().map(|p| format!("{:.1}: {:.0}", p.minutes, mib(p.pss_kib))).collect::<Vec<_>>().join(", ")
        )?;
        let nodes: Vec<String> = session.iter().filter_map(|p| p.dom_nodes).map(|n| n.to_string()).collect();
        if !nodes.is_empty() {
            writeln!(
                md,
                "Elements in the page at the login screen after each pass (what the UI keeps between passes): {}.",
                nodes.join(", ")
            )?;
        }
        if first.preview_pages == 0 {
            writeln!(
                md,
                "\nThe notice preview drew no page in the first pass: that part of the session was not measured."
            )?;
        }
    }
    Ok(md)
}

/// The JSON figures a benchmark printed, one a line, each starting `{"bench"`.
fn bench_lines(output: &str) -> Vec<serde_json::Value> {
    output.lines().filter(|l| l.starts_with("{\"bench\"")).filter_map(|l| serde_json::from_str(l).ok()).collect()
}

/// The versions of the peer, pinned so that two runs measure the same code.
const POUCHDB_PACKAGES: [&str; 3] = ["pouchdb@9.0.0", "express@5.3.0", "express-pouchdb@4.2.0"];

/// PouchDB's own replication over HTTP (`crates/hub/benches/peer/pouchdb.js`), installed with npm
/// into the target directory on first use. The peer is optional: without node, npm or the
/// registry, the report says it was not measured and why.
fn pouchdb(events: &str) -> Result<String> {
    if !util::have("node") || !util::have("npm") {
        bail!("node and npm are needed to run PouchDB");
    }
    let modules = target_dir().join("peer-pouchdb");
    std::fs::create_dir_all(&modules)?;
    if !modules.join("node_modules/express-pouchdb").exists() {
        run(Command::new("npm")
            .current_dir(&modules)
            .args(["install", "--no-audit", "--no-fund", "--loglevel=error"])
            .args(POUCHDB_PACKAGES))?;
    }
    let work = std::env::temp_dir().join(format!("qingfeng-peer-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    let result = run_captured(
        Command::new("node")
            .arg(root().join("crates/hub/benches/peer/pouchdb.js"))
            .arg(&modules)
            .arg(&work)
            .arg(events),
    );
    let _ = std::fs::remove_dir_all(&work);
    let (ok, output) = result?;
    if !ok {
        bail!("the PouchDB benchmark failed");
    }
    Ok(output)
}

fn met(ok: bool) -> &'static str {
    if ok { "yes" } else { "**no**" }
}

/// The sync section: the figures with their targets, then the peer side by side.
fn write_sync(md: &mut String, lines: &[serde_json::Value], peer_error: Option<&anyhow::Error>) -> Result<()> {
    let get = |name: &str| lines.iter().find(|l| l["bench"] == name);
    let f = |l: Option<&serde_json::Value>, key: &str| l.and_then(|l| l[key].as_f64()).unwrap_or(f64::NAN);
    writeln!(md, "## Sync and hub (`crates/hub/benches/sync.rs`)\n")?;
    writeln!(
        md,
        "The hub runs in the benchmark's process and serves HTTP on 127.0.0.1 (axum, its SQLite storage on disk). The office is the demo office (五华区) in a SQLCipher file, enrolled over HTTP with a token and synced by the desktop's own `SyncClient` (status, upload of signed change sets, signed receipts recorded, signed feed pages applied). Events are appended through `Store::execute`, the real write path. Every signature is made and checked for real (Ed25519 device keys, Ed25519 hub key). Sizes: `QINGFENG_BENCH_SYNC_EVENTS`, `QINGFENG_BENCH_BUNDLE_EVENTS`, `QINGFENG_BENCH_OFFICES`.\n"
    )?;
    writeln!(md, "| measurement | figure | target (issue #4) | met |")?;
    writeln!(md, "|---|---|---|---|")?;
    if let Some(l) = get("sync_incremental_100") {
        let p95 = f(Some(l), "p95_ms");
        writeln!(
            md,
            "| incremental sync of 100 events (`sync_once`: status, upload, receipt, feed), {} runs | p50 {:.0} ms, p95 {p95:.0} ms, max {:.0} ms | < 200 ms | {} |",
            l["runs"],
            f(Some(l), "p50_ms"),
            f(Some(l), "max_ms"),
            met(p95 < 200.0)
        )?;
    }
    if let Some(l) = get("sync_acked") {
        let s = f(Some(l), "seconds");
        writeln!(
            md,
            "| {} events from one office uploaded and acknowledged end to end (`sync_once`, {} change sets) | {s:.2} s ({:.0} events/s) | < 5 s for 100,000 | {} |",
            l["events"],
            l["changesets"],
            f(Some(l), "per_second"),
            met(s < 5.0 * f(Some(l), "events") / 100_000.0)
        )?;
    }
    for (name, label) in [("signature_ed25519", "Ed25519"), ("signature_sm2-sm3", "SM2/SM3")] {
        if let Some(l) = get(name) {
            let ratio = f(Some(l), "ratio");
            writeln!(
                md,
                "| {label} signature check of a 100-event change set ({} bytes): ours (key decoded, context prefixed) vs the raw library verify | {:.0}/s vs {:.0}/s raw: **{ratio:.2}×** the raw cost | within 2× of raw | {} |",
                l["message_bytes"],
                f(Some(l), "ours_per_second"),
                f(Some(l), "raw_per_second"),
                met(ratio <= 2.0)
            )?;
            writeln!(
                md,
                "| {label}: the whole change set opened as the hub does (frame decoded, signature checked, 100 events decoded and re-hashed) | {:.0}/s: {:.2}× the raw verify cost |  |  |",
                f(Some(l), "open_100_per_second"),
                f(Some(l), "open_ratio")
            )?;
        }
    }
    if let Some(l) = get("wire_upload") {
        writeln!(
            md,
            "| bytes per event uploaded (the demo office's {} events in signed change sets of ≤ 2,000; HTTP headers not counted) | {:.0} B; gzip level 1: {:.0} B; level 6: {:.0} B (level 1 runs at {:.0} MiB/s) | reported; compress where it pays | — |",
            l["events"],
            f(Some(l), "bytes_per_event"),
            f(Some(l), "gzip1_bytes_per_event"),
            f(Some(l), "gzip6_bytes_per_event"),
            f(Some(l), "gzip1_mib_per_second")
        )?;
    }
    if let Some(l) = get("feed_prefecture") {
        writeln!(
            md,
            "| feed bytes per event (prefecture's feed pages of 1,000) | {:.0} B; gzip level 1: {:.0}% of that | reported | — |",
            f(Some(l), "bytes_per_event"),
            f(Some(l), "gzip1_ratio") * 100.0
        )?;
    }
    if let Some(l) = get("bundle") {
        let s = f(Some(l), "seconds");
        writeln!(
            md,
            "| bundle of {} events: exported by the office + imported by the hub (return bundle written) + return bundle imported by the office | {:.1} s + {:.1} s + {:.1} s = **{s:.1} s** ({:.0} MiB, {:.0} B/event) | < 30 s for 1,000,000 | {} |",
            l["events"],
            f(Some(l), "export_seconds"),
            f(Some(l), "hub_import_seconds"),
            f(Some(l), "return_import_seconds"),
            f(Some(l), "bytes") / 1024.0 / 1024.0,
            f(Some(l), "bytes_per_event"),
            met(s < 30.0 * f(Some(l), "events") / 1_000_000.0)
        )?;
    }
    for name in ["offices_20", "offices_200"] {
        if let Some(l) = get(name) {
            let p99 = f(Some(l), "p99_ms");
            writeln!(
                md,
                "| {} offices syncing at once, each its own device: upload {} signed events, receipt, one feed page | p50 {:.0} ms, p99 {p99:.0} ms, max {:.0} ms (all done in {:.2} s) | p99 < 1 s (200 offices) | {} |",
                l["offices"],
                l["events_each"],
                f(Some(l), "p50_ms"),
                f(Some(l), "max_ms"),
                f(Some(l), "wall_seconds"),
                met(p99 < 1000.0)
            )?;
        }
    }
    if let Some(l) = get("feed_prefecture") {
        writeln!(
            md,
            "| prefecture feed read over HTTP, every page's signature checked (not applied to a store) | {} events in {:.2} s ({:.0} events/s) |  |  |",
            l["events"],
            f(Some(l), "seconds"),
            f(Some(l), "per_second")
        )?;
    }
    if let Some(l) = get("upload_presigned") {
        writeln!(
            md,
            "| a county's {} pre-signed events posted in change sets of 2,000 (hub side only) | {:.2} s ({:.0} events/s) |  |  |",
            l["events"],
            f(Some(l), "seconds"),
            f(Some(l), "per_second")
        )?;
    }
    if let Some(l) = get("sync_first") {
        writeln!(
            md,
            "| first sync of the demo office ({} events up, {} down) | {:.2} s |  |  |",
            l["events"],
            l["downloaded"],
            f(Some(l), "seconds")
        )?;
    }

    writeln!(md, "\n### Side by side: PouchDB replication\n")?;
    let ours = get("sync_acked");
    let ours_inc = get("sync_incremental_100");
    match (get("peer_pouchdb_acked"), peer_error) {
        (Some(p), _) => {
            writeln!(
                md,
                "Measured in this run on this machine: PouchDB 9.0.0 (LevelDB on disk) replicating to express-pouchdb 4.2.0 (PouchDB on disk) over HTTP on 127.0.0.1 with `PouchDB.replicate` (batches of 2,000), driven by `crates/hub/benches/peer/pouchdb.js`. The events have the same fields and sizes as ours, one document each; PouchDB signs nothing and encrypts nothing, so it does less work per event than Qingfeng. PouchDB runs on fewer events than Qingfeng to keep the run short (`QINGFENG_BENCH_PEER_EVENTS`); both rates are events per second over a whole first sync.\n"
            )?;
            writeln!(md, "| measurement | Qingfeng | PouchDB | ratio (Qingfeng ÷ PouchDB time per event) |")?;
            writeln!(md, "|---|---:|---:|---:|")?;
            let (ours_rate, peer_rate) = (f(ours, "per_second"), f(Some(p), "per_second"));
            writeln!(
                md,
                "| first sync, events/s ({} vs {} events) | {ours_rate:.0} | {peer_rate:.0} | {:.2} (Qingfeng {:.1}× faster) |",
                ours.map(|l| l["events"].clone()).unwrap_or_default(),
                p["events"],
                peer_rate / ours_rate,
                ours_rate / peer_rate
            )?;
            if let Some(pi) = get("peer_pouchdb_incremental_100") {
                let (a, b) = (f(ours_inc, "p50_ms"), f(Some(pi), "p50_ms"));
                writeln!(
                    md,
                    "| incremental sync of 100 events, p50 ms (PouchDB: upload only; Qingfeng: status, upload and feed) | {a:.0} | {b:.0} | {:.2} |",
                    a / b
                )?;
            }
        }
        (None, Some(e)) => writeln!(md, "PouchDB was not measured in this run: {e:#}.")?,
        (None, None) => writeln!(md, "PouchDB printed no figures in this run.")?,
    }
    if let Some(b) = get("baseline_sqlite") {
        writeln!(
            md,
            "\nThe floor under any sync design, from the same run: the same number of events inserted into a plain SQLite file (WAL, `synchronous = FULL`, 2,000 per transaction; no signatures, network, encryption or projection) took {:.2} s, {:.0} events/s; Qingfeng's end-to-end sync is {:.1}× that time.",
            f(Some(b), "seconds"),
            f(Some(b), "per_second"),
            f(ours, "seconds") / f(Some(b), "seconds")
        )?;
    }
    Ok(())
}

/// The complaint section: the screens' queries against a large office, with the targets.
fn write_complaints(md: &mut String, lines: &[serde_json::Value]) -> Result<()> {
    let get = |name: &str| lines.iter().find(|l| l["bench"] == name);
    let n = get("build_office").and_then(|l| l["complaints"].as_u64()).unwrap_or(0);
    writeln!(md, "## Complaints (`crates/core/benches/complaints.rs`)\n")?;
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
        } else if name.starts_with("opinion_") {
            "< 2000 (issue #19)"
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
    fn a_rewritten_report_keeps_the_hand_written_hub_history() {
        let md = assemble(&[
            ("hub".to_owned(), "HUB-FIGURES\n".to_owned()),
            ("hub-history".to_owned(), "HAND-HISTORY\n".to_owned()),
            ("desktop".to_owned(), "old desktop\n".to_owned()),
        ]);
        let mut sections = read_sections(&md);
        sections.retain(|(n, _)| n != "desktop");
        sections.push(("desktop".to_owned(), "new desktop\n".to_owned()));
        let again = assemble(&sections);
        assert!(again.contains("<!-- bench:hub-history -->\nHAND-HISTORY\n<!-- /bench:hub-history -->"), "{again}");
        let (figures, history) =
            (again.find("HUB-FIGURES").expect("the hub section"), again.find("HAND-HISTORY").expect("the history"));
        assert!(figures < history);
        assert!(again.contains("new desktop") && !again.contains("old desktop"));
    }

    #[test]
    fn parses_the_bench_lines() {
        let out = "noise\n{\"bench\":\"verify\",\"count\":1000000,\"seconds\":2.397,\"per_second\":417114}\n";
        let f = parse_log_figures(out);
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].name.as_str(), f[0].count, f[0].per_second as u64), ("verify", 1_000_000, 417_114));
    }

    #[test]
    fn keeps_only_the_json_figures() {
        let out = "Running benches/sync.rs\n{\"bench\":\"sync_acked\",\"events\":100000,\"seconds\":2.5}\n{\"bench\":broken\n";
        let lines = bench_lines(out);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0]["events"], 100_000);
    }

    #[test]
    fn a_partial_run_keeps_the_other_sections() {
        let before = assemble(&[
            ("event-log".into(), "## Event log\nold\n".into()),
            ("sync".into(), "## Sync\nold sync\n".into()),
        ]);
        let mut sections = read_sections(&before);
        assert_eq!(sections.len(), 2);
        sections.retain(|(n, _)| n != "sync");
        sections.push(("sync".into(), "## Sync\nnew sync\n".into()));
        let after = assemble(&sections);
        assert!(after.contains("## Event log\nold\n"), "{after}");
        assert!(after.contains("new sync") && !after.contains("old sync"), "{after}");
        // The fixed order holds whatever order the sections were measured in.
        assert!(after.find("Event log") < after.find("## Sync"));
        assert_eq!(read_sections(&after), sections);
    }

    #[test]
    fn every_benchmark_section_reaches_the_report() {
        // `hub` was measured but missing here, so BENCHMARKS.md never showed it.
        for name in SECTIONS {
            assert!(REPORT_SECTIONS.contains(&name), "{name} is measured but never written");
            let md = assemble(&[(name.to_owned(), format!("## {name}\nbody\n"))]);
            assert_eq!(read_sections(&md).len(), 1, "{name}: {md}");
        }
    }

    #[test]
    fn median_of_odd_and_even_runs() {
        assert_eq!(median(&[5, 1, 3]), 3);
        assert_eq!(median(&[4, 1, 3, 2]), 3);
    }
}
