//! The randomized fault soak (issue #13): `SOAK_RUNS` seeded runs (50 here, the 1,000 of
//! `cargo xtask soak` there) of real offices and a real hub through drops, delays, truncations,
//! resets, duplicates, SIGKILLs of either side and full disks, each ending converged and verified.
//! A failing run prints its seed; `SOAK_SEED=<seed> SOAK_RUNS=1` replays it. `SOAK_REPORT=<path>`
//! writes the figures as JSON (runs, faults by kind, events and blobs moved, time).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use qingfeng_systest::soak::soak;

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

#[test]
fn every_run_of_randomized_faults_ends_converged_with_every_event_once_and_every_blob_verified() {
    let runs = env_u64("SOAK_RUNS", 50);
    let seed = env_u64("SOAK_SEED", 2026_0113);
    let tally = soak(runs, seed);
    let json = serde_json::to_string_pretty(&tally).unwrap();
    println!("{json}");
    if let Ok(path) = std::env::var("SOAK_REPORT") {
        std::fs::write(path, &json).unwrap();
    }
    assert_eq!(tally.runs, runs);
    if runs >= 20 {
        for kind in ["drop", "delay", "truncate", "reset", "duplicate", "kill_client", "kill_hub", "disk_full_client"] {
            assert!(tally.faults.get(kind).copied().unwrap_or(0) > 0, "no {kind} fault was injected: {json}");
        }
        assert!(tally.blobs > 0, "no blob travelled: {json}");
    }
}
