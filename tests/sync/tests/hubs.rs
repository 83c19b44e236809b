//! Several `qingfeng-hub` processes over one PostgreSQL database (issue #17): offices configured
//! with both hubs' addresses sync at once, one hub is killed with SIGKILL in the middle of their
//! uploads, and after it is restarted every office converges with nothing lost or duplicated.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use qingfeng_systest::{Hub, Office, assert_no_duplicates, ok_json, postgres_database};

/// Offices in the hub's directory: the province, Kunming and three counties under it.
const DIRECTORY_EVENTS: u64 = 5;
/// The hub re-publishes each enrolled office's sealing keys for every office (issue #14): one
/// event of its own per enrollment.
const SEALING_KEY_EVENTS_PER_OFFICE: u64 = 1;

/// Change sets a hub has accepted since it started, read from its `/metrics` with plain HTTP.
fn accepted(url: &str) -> u64 {
    let addr = url.trim_start_matches("http://");
    let Ok(mut stream) = std::net::TcpStream::connect(addr) else { return 0 };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.write_all(b"GET /metrics HTTP/1.0\r\nHost: hub\r\n\r\n");
    let mut text = String::new();
    let _ = stream.read_to_string(&mut text);
    text.lines()
        .find_map(|l| l.strip_prefix("qingfeng_hub_changesets_total{outcome=\"accepted\"} "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

#[test]
fn a_hub_killed_mid_upload_while_offices_fail_over_to_another_loses_and_duplicates_nothing() {
    let Some(database) = postgres_database() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut a = Hub::on_postgres(dir.path(), &database);
    a.ok(&["office", "add", "530103", "盘龙区纪委监委", "--level", "county", "--parent", "530100"]);
    a.ok(&["office", "add", "530111", "官渡区纪委监委", "--level", "county", "--parent", "530100"]);
    let other_dir = dir.path().join("b");
    std::fs::create_dir(&other_dir).unwrap();
    let mut b = a.another_process(&other_dir);
    let url_a = a.start();
    let url_b = b.start();

    let city = Office::city(dir.path());
    let counties = [
        Office::county(dir.path()),
        Office::new(dir.path(), "530103", "盘龙区纪委监委", "county", Some("530100")),
        Office::new(dir.path(), "530111", "官渡区纪委监委", "county", Some("530100")),
    ];
    let offices: Vec<&Office> = counties.iter().chain(std::iter::once(&city)).collect();
    // Each office enrolls once and keeps both addresses: hub A first, B when A cannot answer.
    let both = format!("{url_a},{url_b}");
    for (i, office) in offices.iter().enumerate() {
        // Tokens from either process are good at both (one database).
        let issuer = if i % 2 == 0 { &a } else { &b };
        let token = issuer.token(&office.code);
        ok_json(&office.run(&["sync", "enroll", "--hub", &both, "--token", &token, "--json"]), "sync enroll");
    }
    for county in &counties {
        for i in 0..8 {
            county.register(&format!("{} 的第 {i} 件", county.code));
        }
    }
    city.register("市级自办件");

    // Every office syncs at once (its enrolled addresses, A first); A is killed with SIGKILL as
    // soon as it has accepted a change set, with uploads still in flight.
    let runs: Vec<_> = offices.iter().map(|o| o.spawn(&["sync", "now", "--json"])).collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while accepted(&url_a) == 0 {
        assert!(Instant::now() < deadline, "hub A never accepted a change set");
        std::thread::sleep(Duration::from_millis(2));
    }
    a.kill();
    for run in runs {
        // A run may fail (cut off mid-call) or succeed (it failed over to B); both are fine.
        let _ = run.wait_output();
    }

    // A comes back on another port; the offices keep B and the new A, and converge.
    let url_a2 = a.start();
    let both = format!("{url_b},{url_a2}");
    for office in &offices {
        office.sync_until_clean(Some(&both), 5);
    }
    // One more round each, so every office reads what the others uploaded after its own run.
    for office in &offices {
        office.sync(Some(&both)).unwrap();
    }

    // The hub holds every office's chain whole, each event once: its count is exact.
    let heads: u64 = offices.iter().map(|o| o.status()["head_seq"].as_u64().unwrap()).sum();
    let own = DIRECTORY_EVENTS + SEALING_KEY_EVENTS_PER_OFFICE * offices.len() as u64;
    assert_eq!(a.verify(), heads + own, "the hub holds each office's events exactly once");
    assert_eq!(b.verify(), heads + own);
    for office in &offices {
        assert_eq!(office.status()["pending"], 0);
        let report = office.json(&["events", "verify"]);
        assert_eq!(report["ok"], true, "{}: {report}", office.code);
        assert_no_duplicates(&office.events());
    }
    // The city converged with every county: it holds each county complaint's events, identical.
    for county in &counties {
        let complaints: std::collections::BTreeSet<String> = county
            .events()
            .iter()
            .filter_map(|e| e["aggregate"].as_str())
            .filter(|a| a.starts_with("complaint:"))
            .map(str::to_owned)
            .collect();
        assert_eq!(complaints.len(), 8);
        for aggregate in complaints {
            assert_eq!(county.events_of(&aggregate), city.events_of(&aggregate), "{aggregate}");
        }
    }
    a.kill();
    b.kill();
}
