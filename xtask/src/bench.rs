//! `cargo xtask bench`: measures the event log and the desktop start-up, writes BENCHMARKS.md.

use anyhow::Result;

pub fn bench(_args: &[String]) -> Result<()> {
    anyhow::bail!("bench: not written yet")
}
