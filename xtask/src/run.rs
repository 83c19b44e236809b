//! `cargo xtask run`: install, build, seed a demo database, and open the desktop program.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};

use crate::display::VirtualDisplay;
use crate::setup;
use crate::util::{self, run as run_cmd, step, target_dir};

/// The demo database and its key file (a 0600 key file, so a fresh machine needs no keyring).
fn demo_paths() -> (PathBuf, PathBuf) {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."))
        .join("qingfeng-demo");
    (base.join("qingfeng-demo.db"), base.join("qingfeng-demo.key"))
}

pub fn run(args: &[String]) -> Result<()> {
    let keep = args.iter().any(|a| a == "--keep");
    setup::setup()?;
    setup::build_ui()?;
    step("Building qingfeng (CLI) and qingfeng-desktop");
    run_cmd(util::cargo().args(["build", "-p", "qingfeng-cli", "-p", "qingfeng-desktop"]))?;
    let bin = target_dir().join("debug");

    let (db, key) = demo_paths();
    step("Demo database");
    run_cmd(
        Command::new(bin.join("qingfeng"))
            .arg("--db")
            .arg(&db)
            .arg("--key-file")
            .arg(&key)
            .args(["demo", "--if-missing"]),
    )?;

    let mut app = Command::new(bin.join("qingfeng-desktop"));
    app.env("QINGFENG_DB", &db).env("QINGFENG_KEY_FILE", &key);
    let has_display = std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some();
    if has_display {
        step("Opening 清风 (close the window to finish)");
        return run_cmd(&mut app);
    }

    step("No display: starting 清风 under a virtual display (Xvfb)");
    let screen = VirtualDisplay::start()?;
    let ready = std::env::temp_dir().join(format!("qingfeng-ready-{}", std::process::id()));
    let _ = std::fs::remove_file(&ready);
    let mut session = Command::new("dbus-run-session");
    session
        .arg("--")
        .arg(bin.join("qingfeng-desktop"))
        .env("DISPLAY", &screen.display)
        .env("QINGFENG_DB", &db)
        .env("QINGFENG_KEY_FILE", &key)
        .env("QINGFENG_READY_FILE", &ready)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    std::os::unix::process::CommandExt::process_group(&mut session, 0);
    let launched = Instant::now();
    let mut child = session.spawn()?;
    let pgid = child.id();
    let deadline = Instant::now() + Duration::from_secs(90);
    while !ready.exists() {
        if Instant::now() > deadline || child.try_wait()?.is_some() {
            util::kill_group(pgid, "TERM");
            bail!("清风 did not show its first screen within 90 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    // The ready mark comes when the page has laid out its first screen; WebKit paints it later
    // (seconds later on a loaded machine). The screenshot waits for the login card's pixels.
    let painted = screen.wait_login_painted(launched, Duration::from_secs(60))?;
    let shot = target_dir().join("qingfeng-run.png");
    screen.screenshot(&shot)?;
    match painted {
        Some(took) => println!(
            "清风 is running on virtual display {}; its login screen was painted {:.1} s after launch; screenshot saved to {}",
            screen.display,
            took.as_secs_f64(),
            shot.display()
        ),
        None => {
            util::kill_group(pgid, "TERM");
            let _ = child.wait();
            let _ = std::fs::remove_file(&ready);
            bail!(
                "清风 signalled ready but its login card was not painted within 60 s; what the screen showed is saved to {}",
                shot.display()
            );
        }
    }
    if keep {
        println!("--keep: leaving it running; press Ctrl-C to stop.");
        let _ = child.wait();
    }
    util::kill_group(pgid, "TERM");
    let _ = child.wait();
    let _ = std::fs::remove_file(&ready);
    Ok(())
}
