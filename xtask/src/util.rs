//! Small process helpers shared by the xtask commands.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

/// The repository root (the parent of this crate's directory).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

/// The cargo target directory (honours CARGO_TARGET_DIR, which CI may point outside the clone).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root().join("target"))
}

/// Prints a step heading so long logs are easy to scan.
pub fn step(title: &str) {
    println!("\n==> {title}");
}

/// Runs a command to completion, streaming its output; fails on a non-zero exit.
pub fn run(cmd: &mut Command) -> Result<()> {
    let shown = format!("{cmd:?}");
    let status = cmd.status().with_context(|| format!("could not start {shown}"))?;
    if !status.success() {
        bail!("command failed ({status}): {shown}");
    }
    Ok(())
}

/// Runs a command, streaming its output to the terminal while keeping a copy to parse.
pub fn run_captured(cmd: &mut Command) -> Result<(bool, String)> {
    let shown = format!("{cmd:?}");
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start {shown}"))?;
    let stderr = child.stderr.take().context("no stderr pipe")?;
    // Read stderr on its own thread so neither pipe can fill up and stall the child.
    let err_thread = std::thread::spawn(move || {
        let mut copy = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
            copy.push_str(&line);
            copy.push('\n');
        }
        copy
    });
    let mut out = String::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            println!("{line}");
            out.push_str(&line);
            out.push('\n');
        }
    }
    let status = child.wait()?;
    out.push_str(&err_thread.join().unwrap_or_default());
    Ok((status.success(), out))
}

/// Whether a program is on PATH.
pub fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program} >/dev/null 2>&1")])
        .status()
        .is_ok_and(|s| s.success())
}

/// `cargo` as invoked by this xtask (the same toolchain), with the variables `cargo run` set for
/// the xtask itself taken away. ring's build script asks to be rerun when `CARGO_MANIFEST_DIR` or
/// `CARGO_PKG_*` change, and cargo compares those against its own environment: a build started
/// from here inherited `CARGO_MANIFEST_DIR=…/xtask`, so it rebuilt ring, rustls, reqwest and
/// everything above them in a release tree the same command had just built from a shell (and the
/// next shell build rebuilt them again). Without these variables both see the same values.
pub fn cargo() -> Command {
    let mut c = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    c.current_dir(root());
    for (name, _) in std::env::vars_os() {
        if name.to_str().is_some_and(inherited_from_cargo_run) {
            c.env_remove(&name);
        }
    }
    c
}

/// Whether a variable is one `cargo run` sets for the program it runs (about the xtask package),
/// as opposed to one that configures cargo (`CARGO_TARGET_DIR`, `CARGO_HOME`, `CARGO_INCREMENTAL`…).
fn inherited_from_cargo_run(name: &str) -> bool {
    name.starts_with("CARGO_PKG_")
        || matches!(
            name,
            "CARGO_MANIFEST_DIR"
                | "CARGO_MANIFEST_PATH"
                | "CARGO_MANIFEST_LINKS"
                | "CARGO_CRATE_NAME"
                | "CARGO_BIN_NAME"
                | "CARGO_PRIMARY_PACKAGE"
        )
}

/// `npm` in the `ui/` directory.
pub fn npm() -> Command {
    let mut c = Command::new("npm");
    c.current_dir(root().join("ui"));
    c
}

/// Sends a signal to a whole process group, so no child outlives the program that started it.
pub fn kill_group(pgid: u32, signal: &str) {
    let _ = Command::new("kill")
        .args([format!("-{signal}"), "--".into(), format!("-{pgid}")])
        .stderr(Stdio::null())
        .status();
}

#[cfg(test)]
mod tests {
    use std::ffi::OsStr;

    use super::cargo;

    /// `cargo test` runs this with the package's variables set, as `cargo xtask` does: a nested
    /// cargo must not see them, and must still see what configures cargo.
    #[test]
    fn nested_cargo_does_not_inherit_the_xtask_package_variables() {
        assert!(std::env::var_os("CARGO_MANIFEST_DIR").is_some(), "cargo test sets CARGO_MANIFEST_DIR");
        let c = cargo();
        let removed: Vec<&OsStr> = c.get_envs().filter(|(_, v)| v.is_none()).map(|(k, _)| k).collect();
        assert!(removed.contains(&OsStr::new("CARGO_MANIFEST_DIR")));
        assert!(removed.contains(&OsStr::new("CARGO_PKG_NAME")));
        assert!(!removed.iter().any(|k| *k == "CARGO_TARGET_DIR" || *k == "CARGO_HOME" || *k == "CARGO_INCREMENTAL"));
    }
}
