//! Nothing leaked (issue #14): the demonstration office, with its 300 complaints, syncs with a real
//! hub over HTTP (every byte recorded by a relay in between) and by USB bundles both ways, and a
//! prefecture syncs after it; then a byte search of the bundles, the hub's database files (with
//! its WAL) and the recorded HTTP traffic finds none of the demo reporters' names or phone numbers.
//! The people reported on, which travel in plaintext by design, are searched for too, to show
//! that the search finds what is there.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use qingfeng_systest::{Hub, Office, cli_bin, ok_json};

/// The demo accounts' password.
const DEMO_PASSWORD: &str = "qingfeng2026";

/// A TCP relay on 127.0.0.1 that records every byte it passes, both ways.
struct Recorder {
    url: String,
    bytes: Arc<Mutex<Vec<u8>>>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

fn pipe(mut from: TcpStream, mut to: TcpStream, bytes: Arc<Mutex<Vec<u8>>>) {
    let mut buf = [0u8; 16 * 1024];
    loop {
        match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                bytes.lock().unwrap().extend_from_slice(&buf[..n]);
                if to.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = to.shutdown(std::net::Shutdown::Write);
}

impl Recorder {
    fn start(upstream: &str) -> Recorder {
        let upstream: SocketAddr = upstream.trim_start_matches("http://").parse().unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let bytes = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (b, s) = (Arc::clone(&bytes), Arc::clone(&stop));
        let accept = std::thread::spawn(move || {
            while !s.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((client, _)) => {
                        client.set_nonblocking(false).unwrap();
                        let server = TcpStream::connect(upstream).unwrap();
                        let (c2, s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                        let (b1, b2) = (Arc::clone(&b), Arc::clone(&b));
                        std::thread::spawn(move || pipe(client, server, b1));
                        std::thread::spawn(move || pipe(s2, c2, b2));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Recorder { url, bytes, stop, accept: Some(accept) }
    }

    fn captured(&self) -> Vec<u8> {
        self.bytes.lock().unwrap().clone()
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.accept.take() {
            let _ = t.join();
        }
    }
}

/// `qingfeng` on the demo database, acting with the demo password.
fn demo(dir: &Path, args: &[&str]) -> Output {
    Command::new(cli_bin())
        .arg("--db")
        .arg(dir.join("demo.db"))
        .arg("--key-file")
        .arg(dir.join("demo.key"))
        .args(args)
        .env_remove("QINGFENG_USER")
        .env_remove("QINGFENG_DB")
        .env("QINGFENG_PASSWORD", DEMO_PASSWORD)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn demo_json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.push("--json");
    ok_json(&demo(dir, &all), &format!("qingfeng {args:?}"))
}

fn count(haystack: &[u8], needle: &str) -> usize {
    let n = needle.as_bytes();
    haystack.windows(n.len()).filter(|w| *w == n).count()
}

#[test]
fn no_reporter_name_or_phone_reaches_a_bundle_the_hub_or_the_wire() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut hub = Hub::new(d);
    let hub_url = hub.start();
    let recorder = Recorder::start(&hub_url);

    // The demonstration office (530102, under 530100), enrolled through the recording relay.
    let seeded = demo_json(d, &["demo"]);
    assert!(seeded["complaints"].as_u64().unwrap() >= 250);
    let token = hub.token("530102");
    let out = demo(d, &["sync", "enroll", "--hub", &recorder.url, "--token", &token]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // The demo's reporters and the people reported on, read from the office's own database.
    let (reporters, phones, subjects) = {
        let store = qingfeng_core::Store::open(&d.join("demo.db"), &qingfeng_core::KeySource::File(d.join("demo.key")))
            .unwrap();
        let conn = store.raw_connection_for_tests();
        let column = |sql: &str| -> Vec<String> {
            let mut stmt = conn.prepare(sql).unwrap();
            let mut v: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
            v.sort();
            v.dedup();
            v
        };
        let subjects = column("SELECT name FROM complaint_subjects WHERE name <> ''");
        // What travels in plaintext by design: the people reported on, summaries and contents,
        // officers' names. A reporter's name that also occurs there (董丽 inside 董丽萍, a person
        // reported on) is no leak when found, so it is not searched for; the count is reported.
        let public = [
            column("SELECT name FROM complaint_subjects"),
            column("SELECT summary || ' ' || content FROM complaints"),
            column("SELECT display_name FROM users"),
        ]
        .concat()
        .join("\n");
        let all = column("SELECT reporter_name FROM complaints WHERE reporter_name <> ''");
        let reporters: Vec<String> = all.iter().filter(|n| !public.contains(n.as_str())).cloned().collect();
        eprintln!(
            "{} reporter names, {} of them also in plaintext records (not searched)",
            all.len(),
            all.len() - reporters.len()
        );
        let phones = column("SELECT reporter_contact FROM complaints WHERE reporter_contact <> ''");
        (reporters, phones, subjects)
    };
    assert!(reporters.len() > 50 && phones.len() > 50, "{} names, {} phones", reporters.len(), phones.len());

    // By USB: the whole log in a bundle, the hub's answer back, both on the "stick".
    let bundle = d.join("stick-out.qfb");
    let back = d.join("stick-back.qfb");
    demo_json(d, &["bundle", "export", "--out", bundle.to_str().unwrap(), "--as", "admin"]);
    hub.json(&["bundle", "import", bundle.to_str().unwrap(), "--out", back.to_str().unwrap(), "--json"]);
    demo_json(d, &["bundle", "import", back.to_str().unwrap(), "--as", "admin"]);
    #[cfg(unix)]
    for file in [&bundle, &back] {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(file).unwrap().permissions().mode() & 0o777, 0o600, "{}", file.display());
    }

    // Over the network, twice (the second run carries what the first one's keys made possible).
    for _ in 0..2 {
        demo_json(d, &["sync", "now", "--hub", &recorder.url]);
    }
    // The prefecture above syncs too: the county's complaints are routed to it.
    let city = Office::city(d);
    let token = hub.token("530100");
    let out = city.run(&["sync", "enroll", "--hub", &recorder.url, "--token", &token]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    city.sync(Some(&recorder.url)).unwrap();
    let city_events = city.events().len();
    assert!(city_events > 1000, "the prefecture received the county's work ({city_events} events)");
    // The county's return bundle is of no use to another office, even the one above it: refused,
    // naming whose it is, and nothing but the officer's login recorded.
    let work = |o: &Office| o.events().iter().filter(|e| !e["kind"].as_str().unwrap().starts_with("user.")).count();
    let before = work(&city);
    let out = city.run(&["bundle", "import", back.to_str().unwrap()]);
    assert!(!out.status.success());
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(message.contains("不是加密给本机关") && message.contains("530102"), "{message}");
    assert_eq!(work(&city), before);
    hub.kill();

    let wire = recorder.captured();
    drop(recorder);
    let mut places: Vec<(String, Vec<u8>)> = vec![("HTTP traffic".into(), wire)];
    for file in [bundle.clone(), back.clone()] {
        places.push((file.display().to_string(), std::fs::read(&file).unwrap()));
    }
    for suffix in ["", "-wal", "-shm"] {
        let path = PathBuf::from(format!("{}{suffix}", hub.db.display()));
        if path.exists() {
            places.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
    let mut leaks = Vec::new();
    let mut controls = 0;
    for (place, bytes) in &places {
        for needle in reporters.iter().chain(&phones) {
            if count(bytes, needle) > 0 {
                leaks.push(format!("{needle} in {place}"));
            }
        }
        controls += subjects.iter().filter(|s| count(bytes, s) > 0).count();
    }
    eprintln!(
        "leak search: {} places ({} bytes), {} reporter names, {} phone numbers, {} leaks; \
         names of people reported on found as a control: {controls}",
        places.len(),
        places.iter().map(|(_, b)| b.len()).sum::<usize>(),
        reporters.len(),
        phones.len(),
        leaks.len()
    );
    assert!(controls > 0, "the search found nothing at all: it would not find a leak either");
    assert!(leaks.is_empty(), "reporters' identities leaked: {leaks:?}");
}
