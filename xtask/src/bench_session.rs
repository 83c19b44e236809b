//! The desktop benchmark's scripted session: the release program driven through every screen by
//! WebDriver (`tests/e2e/memory.mjs`) for QINGFENG_BENCH_SESSION_MINUTES minutes (default 20),
//! and its memory after each pass.

use std::path::Path;
use std::process::Command;

use anyhow::{Result, bail};

use crate::setup;
use crate::util::{root, run_captured, step};

/// One pass through every screen, as `memory.mjs` printed it.
#[derive(Debug, Clone)]
pub struct Pass {
    pub pass: u64,
    pub minutes: f64,
    pub screens: u64,
    pub preview_pages: u64,
    pub pss_kib: u64,
    /// PSS by process name (the kernel's 15-character names), in KiB.
    pub processes: Vec<(String, u64)>,
    /// Elements in the page at the login screen after the pass (absent from older scripts).
    pub dom_nodes: Option<u64>,
}

fn parse(output: &str) -> Vec<Pass> {
    output
        .lines()
        .filter(|l| l.starts_with("{\"bench\":\"desktop_session\""))
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| {
            let mut processes: Vec<(String, u64)> =
                v["processes"].as_object()?.iter().map(|(k, kib)| (k.clone(), kib.as_u64().unwrap_or(0))).collect();
            processes.sort();
            Some(Pass {
                pass: v["pass"].as_u64()?,
                minutes: v["minutes"].as_f64()?,
                screens: v["screens"].as_u64()?,
                preview_pages: v["preview_pages"].as_u64()?,
                pss_kib: v["pss_kib"].as_u64()?,
                processes,
                dom_nodes: v["dom_nodes"].as_u64(),
            })
        })
        .collect()
}

/// Runs the session on the given release binaries under Xvfb and a D-Bus session, as the
/// end-to-end suite runs (tauri-driver and WebKitWebDriver between the script and the window);
/// answers the passes in order.
pub fn session(app: &Path, cli: &Path, minutes: f64) -> Result<Vec<Pass>> {
    step(&format!("Desktop session: every screen, pass after pass, for {minutes} minutes (WebDriver, Xvfb)"));
    let driver = setup::tauri_driver().unwrap_or_else(|| "tauri-driver".into());
    // The e2e library's whole-run deadline, with a quarter of an hour to spare for the last pass
    // and a slow start.
    let deadline_ms = ((minutes + 15.0) * 60_000.0) as u64;
    let (ok, output) = run_captured(
        Command::new("xvfb-run")
            .args(["-a", "-s", "-screen 0 1920x1080x24", "dbus-run-session", "--", "node", "tests/e2e/memory.mjs"])
            .env("QINGFENG_E2E_APP", app)
            .env("QINGFENG_E2E_CLI", cli)
            .env("TAURI_DRIVER", driver)
            .env("QINGFENG_BENCH_SESSION_MINUTES", minutes.to_string())
            .env("QINGFENG_E2E_RUN_TIMEOUT_MS", deadline_ms.to_string())
            .current_dir(root()),
    )?;
    let passes = parse(&output);
    if !ok || passes.is_empty() {
        bail!("the scripted desktop session failed:\n{}", output.trim_end());
    }
    Ok(passes)
}

/// The session's length: QINGFENG_BENCH_SESSION_MINUTES, or the 20 minutes.
pub fn minutes() -> Result<f64> {
    match std::env::var("QINGFENG_BENCH_SESSION_MINUTES") {
        Ok(v) => match v.parse::<f64>() {
            Ok(m) if m > 0.0 && m <= 600.0 => Ok(m),
            _ => bail!("QINGFENG_BENCH_SESSION_MINUTES must be a number of minutes from 0 to 600, not {v:?}"),
        },
        Err(_) => Ok(20.0),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::parse;

    #[test]
    fn passes_are_read_from_the_session_output() {
        let out = "ok - something\n{\"bench\":\"desktop_session\",\"pass\":1,\"minutes\":1.5,\"screens\":19,\"preview_pages\":1,\"pss_kib\":300000,\"processes\":{\"qingfeng-deskto\":100000,\"WebKitWebProces\":200000},\"dom_nodes\":812}\n{\"bench\":\"desktop_session_done\",\"minutes\":1.6}\n";
        let passes = parse(out);
        assert_eq!(passes.len(), 1);
        assert_eq!(passes[0].pss_kib, 300_000);
        assert_eq!(passes[0].screens, 19);
        assert_eq!(passes[0].processes[0], ("WebKitWebProces".to_owned(), 200_000));
        assert_eq!(passes[0].dom_nodes, Some(812));
    }
}
