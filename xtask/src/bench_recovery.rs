//! `cargo xtask bench recovery`: how long the demo office takes to come back on a wiped machine,
//! from its recovery code and a backup, and from the hub's copy of its log, with the real release
//! binaries as an administrator would run them, beside two floors measured in the same run:
//! copying the backup file (the least any restore from it costs) and walking the restored log
//! (`events verify`, which every restore ends with).

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::util::{self, run, step, target_dir};

const PASSWORD: &str = "qingfeng2026";
const RUNS: usize = 3;

/// A hub server killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Bins {
    cli: PathBuf,
    hub: PathBuf,
    dir: PathBuf,
}

impl Bins {
    fn db(&self) -> PathBuf {
        self.dir.join("office.db")
    }

    fn office(&self, args: &[&str], stdin: Option<&str>) -> Result<serde_json::Value> {
        let mut cmd = Command::new(&self.cli);
        cmd.arg("--db").arg(self.db()).arg("--key-file").arg(self.dir.join("office.key")).args(args).arg("--json");
        cmd.env("QINGFENG_PASSWORD", PASSWORD).env_remove("QINGFENG_USER").env_remove("QINGFENG_DB");
        output(cmd, stdin, &format!("qingfeng {args:?}"))
    }

    fn hub(&self, args: &[&str]) -> Result<serde_json::Value> {
        let mut cmd = Command::new(&self.hub);
        cmd.arg("--db").arg(self.dir.join("hub.db")).args(args);
        output(cmd, None, &format!("qingfeng-hub {args:?}"))
    }

    /// Deletes the office's database and every key beside it, as a dead disk would.
    fn wipe(&self) -> Result<()> {
        for entry in std::fs::read_dir(&self.dir)?.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("office.") {
                std::fs::remove_file(entry.path())?;
            }
        }
        Ok(())
    }
}

fn output(mut cmd: Command, stdin: Option<&str>, what: &str) -> Result<serde_json::Value> {
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().with_context(|| format!("starting {what}"))?;
    if let Some(input) = stdin {
        child.stdin.take().context("stdin")?.write_all(input.as_bytes())?;
    }
    drop(child.stdin.take());
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!("{what} failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    // The JSON is the whole output (printed pretty over several lines) or its last line (after a
    // line of progress); a command that prints none gives null, which the caller checks.
    let text = String::from_utf8_lossy(&out.stdout);
    Ok(serde_json::from_str(text.trim())
        .or_else(|_| serde_json::from_str(text.lines().last().unwrap_or("null")))
        .unwrap_or(serde_json::Value::Null))
}

fn seconds(f: impl FnOnce() -> Result<()>) -> Result<f64> {
    let started = Instant::now();
    f()?;
    Ok(started.elapsed().as_secs_f64())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

pub fn bench_recovery() -> Result<String> {
    step("Recovery: the demo office restored from a backup and from the hub (release build)");
    run(util::cargo().args(["build", "--release", "--locked", "-p", "qingfeng-cli", "-p", "qingfeng-hub"]))?;
    let release = target_dir().join("release");
    let dir = std::env::temp_dir().join(format!("qingfeng-bench-recovery-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("usb"))?;
    let b = Bins { cli: release.join("qingfeng"), hub: release.join("qingfeng-hub"), dir: dir.clone() };
    let result = measure(&b);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn measure(b: &Bins) -> Result<String> {
    // The demo office, its recovery code, one verified backup.
    b.office(&["demo"], None)?;
    let code = b.office(&["recovery", "create", "--as", "admin"], None)?["recovery_code"]
        .as_str()
        .context("recovery code")?
        .to_owned();
    let db_bytes = file_len(&b.db());
    let usb = b.dir.join("usb");
    let mut backup = serde_json::Value::Null;
    let backup_s = seconds(|| {
        backup = b.office(&["backup", "run", "--dir", usb.to_str().unwrap_or_default()], None)?;
        Ok(())
    })?;
    let file = backup["file"].as_str().context("backup file")?.to_owned();
    let events = backup["events"].as_u64().unwrap_or(0);
    let backup_bytes = backup["bytes"].as_u64().unwrap_or(0);

    // The hub with the office's whole log.
    b.hub(&["init"])?;
    b.hub(&["office", "add", "530000", "云南省纪委监委", "--level", "province"])?;
    b.hub(&["office", "add", "530100", "昆明市纪委监委", "--level", "prefecture", "--parent", "530000"])?;
    b.hub(&["office", "add", "530102", "五华区纪委监委", "--level", "county", "--parent", "530100"])?;
    let mut server = Command::new(&b.hub);
    server.arg("--db").arg(b.dir.join("hub.db")).args(["serve", "--listen", "127.0.0.1:0"]);
    server.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::null());
    let mut server = Server(server.spawn().context("starting the hub")?);
    let mut url = String::new();
    BufReader::new(server.0.stdout.take().context("hub stdout")?).read_line(&mut url)?;
    let url = url.trim().to_owned();
    let token = |b: &Bins| -> Result<String> {
        Ok(b.hub(&["token", "issue", "--office", "530102", "--json"])?["token"].as_str().context("token")?.to_owned())
    };
    b.office(&["sync", "enroll", "--hub", &url, "--token", &token(b)?], None)?;
    let upload_s = seconds(|| b.office(&["sync", "now"], None).map(|_| ()))?;

    let (mut from_backup, mut from_hub, mut copy, mut verify) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let code_line = format!("{code}\n");
    let mut restored_events = 0;
    for i in 0..RUNS {
        let copy_to = b.dir.join(format!("copy-{i}.qfbak"));
        copy.push(seconds(|| {
            std::fs::copy(&file, &copy_to)?;
            std::fs::File::open(&copy_to)?.sync_all()?;
            Ok(())
        })?);
        std::fs::remove_file(&copy_to)?;

        b.wipe()?;
        from_backup.push(seconds(|| {
            b.office(&["restore", "backup", &file, "--office", "530102", "--code-stdin"], Some(&code_line)).map(|_| ())
        })?);
        verify.push(seconds(|| {
            let v = b.office(&["events", "verify"], None)?;
            if v["ok"] != true {
                bail!("the restored log does not verify: {v}");
            }
            Ok(())
        })?);

        b.wipe()?;
        let t = token(b)?;
        let mut report = serde_json::Value::Null;
        from_hub.push(seconds(|| {
            // The recovery code opens the escrow of the office's sealing keys, as an administrator
            // restoring an office with sealed reporter identities must give it.
            report = b.office(
                &["restore", "hub", "--hub", &url, "--token", &t, "--office", "530102", "--code-stdin"],
                Some(&code_line),
            )?;
            Ok(())
        })?);
        restored_events = report["events"].as_u64().unwrap_or(0);
    }
    drop(server);

    let mut md = String::new();
    writeln!(md, "## Recovery (`xtask/src/bench_recovery.rs`)\n")?;
    writeln!(
        md,
        "The demo office (`qingfeng demo`: {events} events, database {:.1} MiB) on a machine wiped between runs (database, key file, signing key and key envelope deleted), brought back with the release `qingfeng` as an administrator would: from its recovery code and a backup on a USB folder (file {:.1} MiB), and from the hub's copy of its log over HTTP on 127.0.0.1 (a new device enrolled with a one-time token; {restored_events} events after the restore). Each time is the whole command, process start to exit, median of {RUNS} runs. The floors are measured in the same run: copying the backup file with an fsync, and `events verify` over the restored log. Seconds.\n",
        db_bytes as f64 / 1024.0 / 1024.0,
        backup_bytes as f64 / 1024.0 / 1024.0
    )?;
    writeln!(md, "| measurement | median | all runs |")?;
    writeln!(md, "|---|---:|---|")?;
    let row = |md: &mut String, label: &str, v: &[f64]| -> Result<()> {
        let all: Vec<String> = v.iter().map(|s| format!("{s:.2}")).collect();
        writeln!(md, "| {label} | {:.2} | {} |", median(v.to_vec()), all.join(", "))?;
        Ok(())
    };
    row(&mut md, "restore from the recovery code and a backup (check, decrypt, verify, new device)", &from_backup)?;
    row(&mut md, "restore from the hub (enroll, download, office log, rebuild, verify)", &from_hub)?;
    row(&mut md, "floor: copy the backup file", &copy)?;
    row(&mut md, "floor: `events verify` on the restored database", &verify)?;
    row(&mut md, "making the backup (export, write, restore into a scratch copy, verify)", &[backup_s])?;
    row(&mut md, "for reference: the first upload of the demo office to the hub", &[upload_s])?;
    Ok(md)
}
