//! `cargo xtask`: the project's two commands (`run`, `test`), plus `setup` and `bench`.
//!
//! Everything a fresh Debian machine needs is installed from here (Debian packages, npm packages,
//! tauri-driver), so the README's two commands are all a new developer or CI has to type.

mod bench;
mod bench_recovery;
mod bench_session;
mod display;
mod package;
mod postgres;
mod run;
mod setup;
mod soak;
mod test;
mod tidy;
mod util;

use anyhow::{Result, bail};

const USAGE: &str = "usage: cargo xtask <command>

commands:
  run     install what is missing, build, and open the desktop program on a demo database
          (no display: start it under Xvfb, save a screenshot, and say where)
  test    every check: fmt, the tidy test, clippy -D warnings, Rust tests (also in real keyrings),
          UI tests, and the end-to-end test of the real window
  bench   [SECTION…] measure (event-log, complaints, sync, hub, penalty, library, migration, notices, desktop); write BENCHMARKS.md
  package build the Debian package (.deb, Tauri's bundler, the CLI beside the desktop program), install
          it here with apt and check that the installed program paints its login screen (not in CI)
  soak    [--runs N] [--seed S] the randomized fault soak of sync (default 1000 runs); its figures go in BENCHMARKS.md
  setup   only install what is missing (Debian packages, npm packages, tauri-driver)
  postgres -- CMD…  run CMD with a private PostgreSQL cluster (its URL in QINGFENG_TEST_POSTGRES),
          stopped afterwards; e.g. `cargo xtask postgres -- cargo test -p qingfeng-hub`";

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or(&[]);
    match args.first().map(String::as_str) {
        Some("run") => run::run(rest),
        Some("test") => test::test(rest),
        Some("bench") => bench::bench(rest),
        Some("soak") => soak::soak(rest),
        Some("package") => package::package(rest),
        Some("setup") => setup::setup(),
        Some("postgres") => postgres::run_with_cluster(rest),
        Some("-h" | "--help" | "help") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => bail!("unknown xtask command `{other}`\n\n{USAGE}"),
    }
}
