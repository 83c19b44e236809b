//! `cargo xtask package`: builds the Debian package of the desktop program with Tauri's bundler
//! (the `qingfeng` command-line program beside it), installs it on this machine with apt, starts
//! the installed program under Xvfb on a fresh demo database and waits for its painted login card.
//!
//! It is not part of `cargo xtask test`: it installs a system package, which a CI job (or a
//! developer's machine) must not have done to it unasked.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::display::VirtualDisplay;
use crate::setup;
use crate::util::{self, root, run, step, target_dir};

/// The Tauri command-line program (npm's `@tauri-apps/cli`, which ships a prebuilt binary, so
/// nothing big is compiled to get it). Pinned so two packagings use the same bundler; its minor
/// version must match the `tauri` crate's in Cargo.lock, which [`tauri_cli`] checks.
const TAURI_CLI: &str = "2.11.5";

/// The Debian package's name. Tauri names the package after `productName`, which is 清风 for the
/// window and the menus; a Debian package name must be lowercase ASCII, so the packaging build
/// overrides it (the desktop entry keeps 清风 through its own template, `src-tauri/deb/`).
const PACKAGE: &str = "qingfeng";

fn version_of(lock: &str, krate: &str) -> Option<String> {
    let marker = format!("name = \"{krate}\"\nversion = \"");
    let at = lock.find(&marker)? + marker.len();
    Some(lock[at..].split('"').next()?.to_owned())
}

fn minor(version: &str) -> String {
    version.split('.').take(2).collect::<Vec<_>>().join(".")
}

/// Installs the pinned Tauri CLI into the target directory on first use and returns its path.
fn tauri_cli() -> Result<PathBuf> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))?;
    let tauri = version_of(&lock, "tauri").context("Cargo.lock has no `tauri` crate")?;
    if minor(&tauri) != minor(TAURI_CLI) {
        bail!(
            "Cargo.lock has tauri {tauri} but xtask/src/package.rs pins @tauri-apps/cli {TAURI_CLI}; update TAURI_CLI to a {} release",
            minor(&tauri)
        );
    }
    let dir = target_dir().join("tauri-cli");
    let bin = dir.join("node_modules/.bin/tauri");
    let installed = Command::new(&bin).arg("--version").output().ok().filter(|o| o.status.success());
    if !installed.is_some_and(|o| String::from_utf8_lossy(&o.stdout).contains(TAURI_CLI)) {
        step(&format!("Installing the Tauri bundler (@tauri-apps/cli {TAURI_CLI})"));
        std::fs::create_dir_all(&dir)?;
        run(Command::new("npm")
            .current_dir(&dir)
            .args(["install", "--no-audit", "--no-fund", "--loglevel=error"])
            .arg(format!("@tauri-apps/cli@{TAURI_CLI}")))?;
    }
    Ok(bin)
}

/// Builds the .deb and returns its path.
fn build_deb() -> Result<PathBuf> {
    setup::build_ui_if_stale()?;
    // The same release build `cargo xtask bench desktop` measures; the bundler then packages it
    // as it is (`tauri bundle`), so the package holds exactly the measured program.
    step("Building the desktop program and the command-line program (release)");
    run(util::cargo().args(["build", "--release", "--locked", "-p", "qingfeng-desktop", "-p", "qingfeng-cli"]))?;
    let cli = target_dir().join("release/qingfeng");
    let tauri = tauri_cli()?;
    step("Packaging them as a .deb (tauri bundle --bundles deb)");
    // Only what differs from src-tauri/tauri.conf.json: the package name, and the CLI's path,
    // which depends on CARGO_TARGET_DIR and so cannot be written in the file.
    let overrides = serde_json::json!({
        "productName": PACKAGE,
        "bundle": { "linux": { "deb": { "files": { "/usr/bin/qingfeng": cli } } } }
    });
    run(Command::new(&tauri)
        .current_dir(root().join("src-tauri"))
        .args(["bundle", "--bundles", "deb", "--config"])
        .arg(overrides.to_string())
        .env("CARGO_TARGET_DIR", target_dir()))?;
    let dir = target_dir().join("release/bundle/deb");
    let mut debs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("the bundler left no {}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{PACKAGE}_")) && n.ends_with(".deb"))
        })
        .collect();
    // An older version's package may still lie there; the newest file is this build's.
    debs.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    debs.pop().with_context(|| format!("no {PACKAGE}_….deb in {}", dir.display()))
}

fn sudo(program: &str) -> Command {
    let root = Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if root {
        Command::new(program)
    } else {
        let mut c = Command::new("sudo");
        c.arg(program);
        c
    }
}

/// Installs the package with apt (which fetches its declared dependencies) and checks that both
/// programs landed in /usr/bin.
fn install(deb: &Path) -> Result<()> {
    let info = Command::new("dpkg-deb")
        .args(["--field"])
        .arg(deb)
        .args(["Package", "Version", "Depends", "Recommends"])
        .output()?;
    println!("{}", String::from_utf8_lossy(&info.stdout).trim_end());
    step(&format!("Installing {} with apt", deb.display()));
    // apt needs a path with a slash to take it as a file; --reinstall so that a package of the
    // same version from an earlier run is replaced by this build.
    run(sudo("apt-get")
        .env("DEBIAN_FRONTEND", "noninteractive")
        .args(["install", "-y", "-qq", "--reinstall"])
        .arg(std::path::absolute(deb)?))?;
    for program in ["/usr/bin/qingfeng-desktop", "/usr/bin/qingfeng"] {
        if !Path::new(program).exists() {
            bail!("the package installed, but {program} is missing");
        }
    }
    let listed = Command::new("dpkg").args(["-L", PACKAGE]).output()?;
    println!("{}", String::from_utf8_lossy(&listed.stdout).trim_end());
    Ok(())
}

/// Starts the installed program under Xvfb on a fresh demo database and waits for its painted
/// login card; saves a screenshot either way and answers where, and how long painting took.
fn start_installed() -> Result<(PathBuf, Option<Duration>)> {
    let dir = std::env::temp_dir().join(format!("qingfeng-package-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let (db, key, ready) = (dir.join("demo.db"), dir.join("demo.key"), dir.join("ready"));
    step("A demo database made by the installed /usr/bin/qingfeng");
    run(Command::new("/usr/bin/qingfeng")
        .arg("--db")
        .arg(&db)
        .arg("--key-file")
        .arg(&key)
        .arg("demo")
        .stdout(Stdio::null()))?;
    step("Starting the installed /usr/bin/qingfeng-desktop under Xvfb");
    let screen = VirtualDisplay::start()?;
    let mut cmd = Command::new("dbus-run-session");
    cmd.args(["--", "/usr/bin/qingfeng-desktop"])
        .env("DISPLAY", &screen.display)
        .env("QINGFENG_DB", &db)
        .env("QINGFENG_KEY_FILE", &key)
        .env("QINGFENG_READY_FILE", &ready)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let launched = Instant::now();
    let mut child = cmd.spawn()?;
    let pgid = child.id();
    let outcome = (|| -> Result<Option<Duration>> {
        let deadline = launched + Duration::from_secs(90);
        while !ready.exists() {
            if let Some(status) = child.try_wait()? {
                bail!("the installed program exited ({status}) before showing its first screen");
            }
            if Instant::now() > deadline {
                return Ok(None);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        screen.wait_login_painted(launched, Duration::from_secs(60))
    })();
    let shot = target_dir().join("qingfeng-package.png");
    let saved = screen.screenshot(&shot);
    // Stopped by its process group (the program, its WebKit processes and the D-Bus session).
    util::kill_group(pgid, "TERM");
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    let painted = outcome?;
    saved?;
    Ok((shot, painted))
}

pub fn package(args: &[String]) -> Result<()> {
    if let Some(other) = args.first() {
        bail!("`cargo xtask package` takes no arguments (got {other:?})");
    }
    setup::setup()?;
    let deb = build_deb()?;
    install(&deb)?;
    match start_installed()? {
        (shot, Some(took)) => {
            println!(
                "\n安装包检查通过：{} 已用 apt 安装，/usr/bin/qingfeng-desktop 启动后 {:.1} 秒显示登录界面；截图保存在 {}。",
                deb.display(),
                took.as_secs_f64(),
                shot.display()
            );
            println!(
                "Package check passed: {} installed with apt; the installed /usr/bin/qingfeng-desktop painted its login card {:.1} s after launch; screenshot in {}.",
                deb.display(),
                took.as_secs_f64(),
                shot.display()
            );
            Ok(())
        }
        (shot, None) => bail!(
            "安装包检查未通过：已安装的 /usr/bin/qingfeng-desktop 在限定时间内没有显示登录界面，屏幕截图见 {0}。\nPackage check failed: the installed /usr/bin/qingfeng-desktop did not paint its login card in time; what the screen showed is in {0}.",
            shot.display()
        ),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::{minor, version_of};

    #[test]
    fn the_tauri_version_is_read_from_the_lock_file() {
        let lock = "[[package]]\nname = \"tauri-build\"\nversion = \"2.6.3\"\n\n[[package]]\nname = \"tauri\"\nversion = \"2.11.6\"\n";
        assert_eq!(version_of(lock, "tauri").unwrap(), "2.11.6");
        assert_eq!(version_of(lock, "tauri-build").unwrap(), "2.6.3");
        assert_eq!(minor("2.11.6"), "2.11");
        assert!(version_of(lock, "wry").is_none());
    }
}
