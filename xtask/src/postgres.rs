//! A private PostgreSQL cluster for the hub's tests and benchmarks (`crates/pgcluster`), and
//! `cargo xtask postgres -- CMD…`, which runs any command beside one.

use std::process::Command;

use anyhow::{Context, Result, bail};
use qingfeng_pgcluster::Cluster;

use crate::util::step;

/// Where the tests find the server (see `crates/hub/tests/common`).
pub const URL_ENV: &str = "QINGFENG_TEST_POSTGRES";

/// Starts a cluster in a temporary directory; it stops by its pid when dropped.
pub fn start() -> Result<Cluster> {
    let cluster = Cluster::start().context("could not start a private PostgreSQL cluster")?;
    println!("PostgreSQL (pid {}) at {}", cluster.pid().unwrap_or(0), cluster.url());
    Ok(cluster)
}

/// `cargo xtask postgres -- CMD…`: CMD with `QINGFENG_TEST_POSTGRES` set, then the cluster stops.
pub fn run_with_cluster(args: &[String]) -> Result<()> {
    let args = args.strip_prefix(&["--".to_owned()]).unwrap_or(args);
    let Some((program, rest)) = args.split_first() else {
        bail!("usage: cargo xtask postgres -- CMD [ARGS…]");
    };
    step("Starting a private PostgreSQL cluster");
    let cluster = start()?;
    let status = Command::new(program)
        .args(rest)
        .env(URL_ENV, cluster.url())
        .status()
        .with_context(|| format!("could not start {program}"))?;
    drop(cluster);
    if !status.success() {
        bail!("{program} failed ({status})");
    }
    Ok(())
}
