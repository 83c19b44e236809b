//! `cargo xtask test`: every check the project has, in the order that fails fastest.

use std::process::Command;

use anyhow::{Result, bail};

use crate::util::{self, root, run_captured, step, target_dir};
use crate::{postgres, setup};

/// Test counts gathered from the runners' own summary lines.
#[derive(Debug, Default)]
struct Tally {
    passed: u64,
    failed: u64,
    failed_steps: Vec<String>,
}

impl Tally {
    /// Adds the counts a runner printed: cargo's `test result:` lines, Vitest's `Tests` line,
    /// and the end-to-end test's `N passed, M failed` line.
    fn read(&mut self, output: &str) {
        for line in output.lines() {
            let line = strip_ansi(line);
            let line = line.trim();
            if let Some(rest) = line.strip_prefix("test result: ") {
                self.passed += number_before(rest, " passed");
                self.failed += number_before(rest, " failed");
            } else if let Some(rest) = line.strip_prefix("Tests ") {
                self.passed += number_before(rest, " passed");
                self.failed += number_before(rest, " failed");
            } else if line.ends_with(" failed") && line.contains(" passed, ") && !line.contains(';') {
                self.passed += number_before(line, " passed");
                self.failed += number_before(line, " failed");
            }
        }
    }

    fn step(&mut self, name: &str, cmd: &mut Command) {
        step(name);
        match run_captured(cmd) {
            Ok((ok, output)) => {
                self.read(&output);
                if !ok {
                    self.failed_steps.push(name.to_owned());
                }
            }
            Err(e) => {
                eprintln!("{e:#}");
                self.failed_steps.push(name.to_owned());
            }
        }
    }
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The integer just before `marker` in `s` (e.g. "12" in "ok. 12 passed;").
fn number_before(s: &str, marker: &str) -> u64 {
    s.find(marker)
        .and_then(|i| s[..i].split(|c: char| !c.is_ascii_digit()).next_back())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

pub fn test(_args: &[String]) -> Result<()> {
    setup::setup()?;
    let mut t = Tally::default();

    t.step("cargo fmt --check", util::cargo().args(["fmt", "--all", "--", "--check"]));
    // The tidy test (xtask/src/tidy.rs) takes a second or two and names what to fix, so it runs
    // before the long steps.
    t.step(
        "Tidy: dependencies, projection writers, module docs, the code map",
        util::cargo().args(["test", "-p", "xtask", "--locked", "tidy"]),
    );
    t.step("UI type check and build (tsc, vite)", util::npm().args(["run", "build"]));
    t.step(
        "cargo clippy -D warnings",
        util::cargo().args(["clippy", "--workspace", "--all-targets", "--locked", "--", "-D", "warnings"]),
    );
    // The hub's tests run on SQLite and on a real PostgreSQL: a private cluster in a temporary
    // directory, stopped by its pid when this function returns, whatever failed.
    step("Starting a private PostgreSQL cluster for the hub's tests");
    let cluster = postgres::start()?;
    // The Rust tests run without a desktop session, as on a server: nothing may fall back to
    // a keyring silently. The keyring tests then run inside real keyring sessions below.
    // `--no-fail-fast` runs every test target even when one fails, so one run names every
    // failure instead of hiding the targets after the first failing one.
    t.step(
        "Rust tests",
        util::cargo()
            .args(["test", "--workspace", "--locked", "--no-fail-fast"])
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env_remove("DISPLAY")
            .env(postgres::URL_ENV, cluster.url())
            .env("CI", "true"),
    );
    drop(cluster);
    t.step("Database key in the Secret Service (GNOME Keyring)", &mut secret_service_tests()?);
    t.step(
        "Database key in the kernel keyring",
        Command::new("keyctl")
            .args(["session", "-"])
            .arg(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(["test", "-p", "qingfeng-core", "--test", "keyring", "--locked", "--", "--ignored", "kernel"])
            .current_dir(root()),
    );
    t.step("UI component tests (Vitest)", util::npm().args(["test"]));
    t.step(
        "Build the desktop program, CLI and hub for the end-to-end test",
        util::cargo().args(["build", "-p", "qingfeng-desktop", "-p", "qingfeng-cli", "-p", "qingfeng-hub", "--locked"]),
    );
    let driver = setup::tauri_driver().unwrap_or_else(|| "tauri-driver".into());
    t.step(
        "End-to-end: the real window under Xvfb, driven through WebDriver",
        Command::new("xvfb-run")
            .args(["-a", "-s", "-screen 0 1920x1080x24", "dbus-run-session", "--", "node", "tests/e2e/run.mjs"])
            .env("QINGFENG_E2E_APP", target_dir().join("debug/qingfeng-desktop"))
            // The scenarios prepare databases with the CLI of the same build (CARGO_TARGET_DIR may
            // point outside the clone).
            .env("QINGFENG_E2E_CLI", target_dir().join("debug/qingfeng"))
            .env("QINGFENG_E2E_HUB", target_dir().join("debug/qingfeng-hub"))
            .env("TAURI_DRIVER", driver)
            .current_dir(root()),
    );

    println!();
    if t.failed_steps.is_empty() {
        println!("All checks passed.");
    } else {
        println!("Failed steps: {}", t.failed_steps.join("; "));
    }
    println!("{} passed, {} failed", t.passed, t.failed);
    if !t.failed_steps.is_empty() || t.failed > 0 {
        bail!("{} step(s) failed", t.failed_steps.len());
    }
    Ok(())
}

/// The Secret Service tests inside a private D-Bus session with a freshly unlocked GNOME Keyring,
/// whose files live in a temporary directory so no real keyring is touched.
fn secret_service_tests() -> Result<Command> {
    let tmp = std::env::temp_dir().join(format!("qingfeng-keyring-{}", std::process::id()));
    std::fs::create_dir_all(tmp.join("run"))?;
    std::fs::create_dir_all(tmp.join("data"))?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let script = format!(
        "printf 'keyring-test-password' | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
         KPID=$!
         for i in $(seq 1 50); do busctl --user status >/dev/null 2>&1 && break; sleep 0.1; done
         sleep 1
         '{cargo}' test -p qingfeng-core --test keyring --locked -- --ignored secret_service
         rc=$?
         kill $KPID 2>/dev/null
         exit $rc"
    );
    let mut cmd = Command::new("dbus-run-session");
    cmd.args(["--", "sh", "-c", &script])
        .env("XDG_RUNTIME_DIR", tmp.join("run"))
        .env("XDG_DATA_HOME", tmp.join("data"))
        .current_dir(root());
    Ok(cmd)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_runners_summary() {
        let mut t = Tally::default();
        t.read("test result: ok. 12 passed; 0 failed; 1 ignored\n");
        t.read(" \u{1b}[2m Tests \u{1b}[22m 30 passed (30)\n");
        t.read("7 passed, 1 failed\n");
        t.read("test result: FAILED. 3 passed; 2 failed; 0 ignored\n");
        assert_eq!((t.passed, t.failed), (52, 3));
    }
}
