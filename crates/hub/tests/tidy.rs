//! The hub stays free of the desktop's crates: no qingfeng-core, no keyring, no SQLCipher, no Argon2.
//!
//! `cargo metadata` resolves features for the whole workspace at once, where the CLI turns on
//! qingfeng-sync's `client` feature (and with it qingfeng-core) and the desktop turns rusqlite into
//! SQLCipher; walking its graph from the hub would report crates the hub never asks for. `cargo
//! tree -p qingfeng-hub` resolves features as a build of the hub alone does, so it is the graph
//! a deployed hub is built from. Every target platform counts, and dev-dependencies do not (the
//! sync benchmark drives a real office store).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// Packages and features of the hub's normal and build dependencies, one per line.
fn hub_graph() -> BTreeSet<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.toml");
    let out = Command::new(cargo)
        .args(["tree", "--manifest-path"])
        .arg(&manifest)
        .args(["-p", "qingfeng-hub", "-e", "normal,build,features", "--prefix", "none", "--target", "all"])
        .args(["--locked", "--offline"])
        .output()
        .expect("cargo tree runs");
    assert!(out.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(|l| l.trim_end_matches(" (*)").to_owned()).collect()
}

#[test]
fn the_hub_depends_on_the_log_crate_and_none_of_the_desktops_crates() {
    let graph = hub_graph();
    let has_package = |name: &str| graph.iter().any(|l| l.starts_with(&format!("{name} v")));
    assert!(has_package("qingfeng-log"), "the hub should build on qingfeng-log");
    assert!(has_package("qingfeng-sync"), "the hub should build on qingfeng-sync");
    for banned in ["qingfeng-core", "qingfeng-documents", "qingfeng-notice", "keyring", "argon2", "rust_xlsxwriter"] {
        assert!(!has_package(banned), "the hub must not depend on {banned}, not even through another crate");
    }
    for feature in ["qingfeng-sync feature \"client\"", "libsqlite3-sys feature \"bundled-sqlcipher\""] {
        assert!(!graph.contains(feature), "the hub must not turn on {feature}");
    }
}
