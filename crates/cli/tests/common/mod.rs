//! Helpers shared by the command-line tests: run `qingfeng` on a database in a temp dir as the
//! demo accounts do, and read its JSON answers and refusals.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// Every demo account's password.
pub const PASSWORD: &str = "qingfeng2026";

/// Runs `qingfeng` on `dir/q.db` with its key file, the demo password in the environment.
pub fn qingfeng(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    qingfeng_as(dir, args, stdin, PASSWORD)
}

/// The same with another password in the environment (an office set up by the test itself).
pub fn qingfeng_as(dir: &Path, args: &[&str], stdin: Option<&str>, password: &str) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_qingfeng"));
    cmd.arg("--db").arg(dir.join("q.db")).arg("--key-file").arg(dir.join("q.key")).args(args);
    cmd.env_remove("QINGFENG_USER").env_remove("QINGFENG_DB").env("QINGFENG_PASSWORD", password);
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

/// The JSON a successful command printed.
pub fn json(out: &Output) -> Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}
