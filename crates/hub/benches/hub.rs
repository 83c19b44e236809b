//! `cargo bench -p qingfeng-hub --bench hub` (`cargo xtask bench hub`): the hub on SQLite and on
//! PostgreSQL side by side, in one run, in release. Prints one JSON line per figure.
//!
//! Every hub is a real `qingfeng-hub serve` process (one, or two over one PostgreSQL database);
//! the offices are client tasks in this process, on loopback, each with its own device key.
//! PostgreSQL is a private cluster started here with `fsync` on (durable, as a province runs it).
//! Sizes: `QINGFENG_BENCH_PROVINCE_OFFICES` (1639), `QINGFENG_BENCH_ONE_OFFICE_EVENTS` (100000).
//! To profile one backend: `QINGFENG_BENCH_BACKEND=postgres` (or `sqlite`); with
//! `QINGFENG_PGCLUSTER_SETTINGS="-c shared_preload_libraries=pg_stat_statements"` and
//! `QINGFENG_BENCH_PG_STATEMENTS=1` the burst also prints PostgreSQL's statements by total time.
//! Each burst reports the CPU seconds its hubs, the server's backends and the clients used.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "floor.rs"]
mod floor;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use qingfeng_hub::{Database, Hub, NewOffice};
use qingfeng_log::office::OfficeLevel;
use qingfeng_sync::envelope::AUTH_CONTEXT;
use qingfeng_sync::{Alg, AuthRequest, FeedRequest, Outcome, Receipt, Signed};
use serde_json::json;

/// At most this many requests in flight from the client side in the province-sized run.
const CLIENT_TASKS: usize = 200;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A `qingfeng-hub serve` process, killed by its pid when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(database: &Database, key: &Path) -> Server {
        let url = match database {
            Database::Sqlite(path) => format!("sqlite:{}", path.display()),
            Database::Postgres(url) => url.clone(),
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_qingfeng-hub"))
            .args(["--database", &url, "--key-file"])
            .arg(key)
            // Four connections per process: about twice this 2-core machine's cores, the size
            // the README advises (12 each queued at the province's feed row: p99 2.3 s against
            // 1.8 s with two processes).
            .args(["serve", "--listen", "127.0.0.1:0", "--db-pool", "4"])
            .env_remove("QINGFENG_HUB_DB")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        Server { child, url: line.trim().to_owned() }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn auth(device: &Device, path: &str, body: &[u8]) -> String {
    use base64::Engine;
    let request = AuthRequest::new(&device.id, path, body, qingfeng_hub::now_ms());
    base64::engine::general_purpose::STANDARD
        .encode(Signed::sign(AUTH_CONTEXT, &request, &device.key).unwrap().encode())
}

/// One office's round: its change set up, the receipt checked, one feed page read.
async fn office_round(http: &reqwest::Client, url: &str, device: &Device, body: Vec<u8>) -> f64 {
    let started = Instant::now();
    let bytes = http.post(format!("{url}/v1/changesets")).body(body).send().await.unwrap().bytes().await.unwrap();
    let receipt: Receipt = Signed::decode(&bytes).unwrap().peek().unwrap();
    assert_eq!(receipt.outcome, Outcome::Accepted, "{receipt:?}");
    let feed = qingfeng_log::encoding::to_canonical_cbor(&FeedRequest { after: 0, limit: 1000 }).unwrap();
    let answer = http
        .post(format!("{url}/v1/feed"))
        .header("x-qingfeng-auth", auth(device, "/v1/feed", &feed))
        .body(feed)
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_success(), "{}", answer.status());
    answer.bytes().await.unwrap();
    started.elapsed().as_secs_f64() * 1000.0
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    floor::pct(sorted, p)
}

/// A province of `n` county offices (prefectures of up to 99 counties, coded 01 to 99 under the
/// prefecture's 00), each with one enrolled device, on `database`. The directory is added in one
/// transaction (`Hub::add_offices`), as an administrator imports a province's list.
fn province(database: &Database, key: &Path, n: usize) -> Vec<Device> {
    let hub = Hub::init_database(database, Some(key), Alg::Ed25519).unwrap();
    let mut rows: Vec<(String, String, OfficeLevel, Option<String>)> =
        vec![(PROVINCE.to_owned(), "云南省纪委监委".to_owned(), OfficeLevel::Province, None)];
    let mut counties = Vec::with_capacity(n);
    for p in 0..n.div_ceil(99) {
        let prefecture = format!("53{:02}00", 10 + p);
        rows.push((
            prefecture.clone(),
            format!("测试州市{p}纪委监委"),
            OfficeLevel::Prefecture,
            Some(PROVINCE.to_owned()),
        ));
        for c in 0..99.min(n - p * 99) {
            let code = format!("53{:02}{:02}", 10 + p, c + 1);
            rows.push((code.clone(), format!("测试县{p}-{c}纪委监委"), OfficeLevel::County, Some(prefecture.clone())));
            counties.push((code, format!("county-{p}-{c}")));
        }
    }
    let entries: Vec<NewOffice<'_>> = rows
        .iter()
        .map(|(code, name, level, parent)| NewOffice { code, name, level: *level, parent: parent.as_deref() })
        .collect();
    hub.add_offices(&entries).unwrap();
    counties.iter().map(|(code, device)| Device::enrolled(&hub, code, device)).collect()
}

/// Every office at once (at most `tasks` in flight), each sending `per` new events; spread over
/// `servers` round robin. Returns the sorted latencies and the wall time.
fn burst(
    rt: &tokio::runtime::Runtime,
    servers: &[Server],
    devices: &mut [Device],
    per: u64,
    tasks: usize,
) -> (Vec<f64>, f64) {
    let jobs: Vec<(Device, Vec<u8>, String)> = devices
        .iter_mut()
        .enumerate()
        .map(|(i, d)| {
            let events: Vec<_> = (0..per).map(|k| d.work(&format!("complaint:{}-{}", d.id, (d.seq + k) / 5))).collect();
            let body = d.sign(events).encode();
            let copy = Device {
                key: qingfeng_sync::SecretKey::from_bytes(Alg::Ed25519, &d.key.to_bytes()).unwrap(),
                ..Device::new(&d.office, &d.id)
            };
            (copy, body, servers[i % servers.len()].url.clone())
        })
        .collect();
    let http =
        reqwest::Client::builder().timeout(Duration::from_secs(300)).pool_max_idle_per_host(tasks).build().unwrap();
    let limit = Arc::new(tokio::sync::Semaphore::new(tasks));
    let started = Instant::now();
    let mut millis: Vec<f64> = rt.block_on(async {
        let handles: Vec<_> = jobs
            .into_iter()
            .map(|(device, body, url)| {
                let (http, limit) = (http.clone(), Arc::clone(&limit));
                tokio::spawn(async move {
                    let _permit = limit.acquire_owned().await.unwrap();
                    office_round(&http, &url, &device, body).await
                })
            })
            .collect();
        let mut out = Vec::new();
        for h in handles {
            out.push(h.await.unwrap());
        }
        out
    });
    let wall = started.elapsed().as_secs_f64();
    millis.sort_by(f64::total_cmp);
    (millis, wall)
}

/// The hub's own account of where a burst's time went, summed over `servers` from their
/// `/metrics`: seconds verifying change sets (in parallel), seconds in their grouped writes
/// (waiting, applying, committing), and the group commits (how many, writes in them, seconds
/// running writes one after another, seconds committing).
fn profile(rt: &tokio::runtime::Runtime, servers: &[Server]) -> serde_json::Value {
    let mut sums = std::collections::BTreeMap::<&str, f64>::new();
    let wanted = [
        ("qingfeng_hub_changeset_seconds_total{phase=\"verify\"}", "verify_seconds"),
        ("qingfeng_hub_changeset_seconds_total{phase=\"store\"}", "store_seconds"),
        ("qingfeng_hub_group_commits_total", "group_commits"),
        ("qingfeng_hub_group_writes_total", "group_writes"),
        ("qingfeng_hub_group_write_seconds_total", "group_write_seconds"),
        ("qingfeng_hub_group_commit_seconds_total", "group_commit_seconds"),
    ];
    for server in servers {
        let text =
            rt.block_on(async { reqwest::get(format!("{}/metrics", server.url)).await.unwrap().text().await.unwrap() });
        for line in text.lines() {
            for (metric, key) in wanted {
                if let Some(value) = line.strip_prefix(metric).and_then(|v| v.trim().parse::<f64>().ok()) {
                    *sums.entry(key).or_default() += value;
                }
            }
        }
    }
    sums.into_iter().map(|(k, v)| (k.to_owned(), json!(floor::round3(v)))).collect::<serde_json::Map<_, _>>().into()
}

/// CPU seconds used so far by each live process whose command is `postgres` or one of `pids`,
/// and by this benchmark's own process, by pid (`/proc/PID/stat`, user plus system ticks).
fn cpu_ticks(pids: &[u32]) -> std::collections::HashMap<(u32, String), (&'static str, u64)> {
    let mut out = std::collections::HashMap::new();
    let me = std::process::id();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|p| p.parse::<u32>().ok()) else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else { continue };
        let comm = &stat[open + 1..close];
        let fields: Vec<&str> = stat[close + 2..].split_whitespace().collect();
        let who = if pid == me {
            "clients"
        } else if pids.contains(&pid) {
            "hub"
        } else if comm == "postgres" {
            // The server's own processes (autovacuum, WAL writer, checkpointer…) apart from the
            // backends that run the hubs' statements.
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            if String::from_utf8_lossy(&cmdline).contains("127.0.0.1(") { "postgres" } else { "postgres_background" }
        } else {
            continue;
        };
        let ticks = fields.get(11).and_then(|u| u.parse::<u64>().ok()).unwrap_or(0)
            + fields.get(12).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0);
        // The start time tells a reused pid from the process that had it before.
        out.insert((pid, fields.get(19).copied().unwrap_or("").to_owned()), (who, ticks));
    }
    out
}

/// CPU seconds each side used between two [`cpu_ticks`] readings (a process born in between
/// counts from zero; one that ended in between is missed, which the hub's pooled connections
/// never do while their hub runs).
fn cpu_spent(
    before: &std::collections::HashMap<(u32, String), (&'static str, u64)>,
    after: &std::collections::HashMap<(u32, String), (&'static str, u64)>,
) -> serde_json::Value {
    // /proc reports ticks of USER_HZ, which Linux fixes at 100 for user space on every architecture.
    let hz = 100.0;
    let mut sums = std::collections::BTreeMap::<String, f64>::new();
    for (key, (who, ticks)) in after {
        let start = before.get(key).map_or(0, |(_, t)| *t);
        *sums.entry(format!("cpu_{who}_seconds")).or_default() += ticks.saturating_sub(start) as f64 / hz;
    }
    sums.into_iter().map(|(k, v)| (k, json!(floor::round3(v)))).collect::<serde_json::Map<_, _>>().into()
}

/// With `QINGFENG_BENCH_PG_STATEMENTS` set, prints PostgreSQL's statements by total time since
/// the last call (the cluster must load `pg_stat_statements`), to find what a run spent its time on.
fn print_statements(cluster: &qingfeng_pgcluster::Cluster, backend: &str) {
    if std::env::var("QINGFENG_BENCH_PG_STATEMENTS").is_err() || backend != "postgres" {
        return;
    }
    let top = cluster
        .psql(
            "postgres",
            "SELECT round(total_exec_time::numeric, 1) AS ms, calls, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 110)
             FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25",
        )
        .unwrap();
    println!("{top}");
    cluster.psql("postgres", "SELECT pg_stat_statements_reset()").unwrap();
}

fn emit_burst(name: &str, backend: &str, processes: usize, offices: usize, per: u64, millis: &[f64], wall: f64) {
    floor::emit(
        name,
        json!({
            "backend": backend,
            "processes": processes,
            "offices": offices,
            "events_each": per,
            "p50_ms": floor::round3(pct(millis, 0.5)),
            "p99_ms": floor::round3(pct(millis, 0.99)),
            "max_ms": floor::round3(pct(millis, 1.0)),
            "wall_seconds": floor::round3(wall),
            "events_per_second": ((offices as u64 * per) as f64 / wall).round(),
        }),
    );
}

/// The backends of one run: SQLite, and PostgreSQL in a fresh schema of the cluster.
fn databases(dir: &Path, cluster: &qingfeng_pgcluster::Cluster, name: &str) -> [(&'static str, Database); 2] {
    [
        ("sqlite", Database::Sqlite(dir.join(format!("{name}.db")))),
        ("postgres", Database::Postgres(qingfeng_pgcluster::fresh_schema(&cluster.url()).unwrap())),
    ]
}

fn main() {
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let wanted = |name: &str| filter.as_deref().is_none_or(|f| name.contains(f));
    let province_offices = env_usize("QINGFENG_BENCH_PROVINCE_OFFICES", 1639);
    let one_office = env_usize("QINGFENG_BENCH_ONE_OFFICE_EVENTS", 100_000);
    let dir = tempfile::tempdir().unwrap();
    let cluster =
        qingfeng_pgcluster::Cluster::start_with(qingfeng_pgcluster::Options { fsync: true, max_connections: 200 })
            .unwrap();
    if std::env::var("QINGFENG_BENCH_PG_STATEMENTS").is_ok() {
        cluster.psql("postgres", "CREATE EXTENSION IF NOT EXISTS pg_stat_statements").unwrap();
    }
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();

    // `QINGFENG_BENCH_BACKEND=postgres` (or `sqlite`) runs one backend only, to profile it.
    let backend_wanted = |b: &str| std::env::var("QINGFENG_BENCH_BACKEND").map_or(true, |w| w == b);
    if wanted("burst") {
        for (backend, database) in databases(dir.path(), &cluster, "burst") {
            if !backend_wanted(backend) {
                continue;
            }
            let key = dir.path().join(format!("burst-{backend}.key"));
            let mut devices = province(&database, &key, 200);
            let runs: &[usize] = if backend == "postgres" { &[1, 2] } else { &[1] };
            for &processes in runs {
                let servers: Vec<Server> = (0..processes).map(|_| Server::start(&database, &key)).collect();
                let pids: Vec<u32> = servers.iter().map(|s| s.child.id()).collect();
                let before = cpu_ticks(&pids);
                let (millis, wall) = burst(&rt, &servers, &mut devices, 200, 200);
                let cpu = cpu_spent(&before, &cpu_ticks(&pids));
                emit_burst("burst_200x200", backend, processes, 200, 200, &millis, wall);
                let mut phases = profile(&rt, &servers);
                if let (Some(p), Some(c)) = (phases.as_object_mut(), cpu.as_object()) {
                    p.extend(c.clone());
                }
                phases["backend"] = json!(backend);
                phases["processes"] = json!(processes);
                floor::emit("burst_profile", phases);
                print_statements(&cluster, backend);
            }
        }
    }

    if wanted("province") {
        for (backend, database) in databases(dir.path(), &cluster, "province") {
            if !backend_wanted(backend) {
                continue;
            }
            let key = dir.path().join(format!("province-{backend}.key"));
            let t = Instant::now();
            let mut devices = province(&database, &key, province_offices);
            floor::emit(
                "province_setup",
                json!({"backend": backend, "offices": province_offices, "seconds": floor::round3(t.elapsed().as_secs_f64())}),
            );
            let runs: &[usize] = if backend == "postgres" { &[1, 2] } else { &[1] };
            for &processes in runs {
                let servers: Vec<Server> = (0..processes).map(|_| Server::start(&database, &key)).collect();
                let (millis, wall) = burst(&rt, &servers, &mut devices, 50, CLIENT_TASKS);
                emit_burst("province_1639x50", backend, processes, province_offices, 50, &millis, wall);
                print_statements(&cluster, backend);
            }
        }
    }

    if wanted("one-office") {
        for (backend, database) in databases(dir.path(), &cluster, "one") {
            let key = dir.path().join(format!("one-{backend}.key"));
            let hub = Hub::init_database(&database, Some(&key), Alg::Ed25519).unwrap();
            hub.add_office(PROVINCE, "云南省纪委监委", OfficeLevel::Province, None).unwrap();
            hub.add_office(KUNMING, "昆明市纪委监委", OfficeLevel::Prefecture, Some(PROVINCE)).unwrap();
            hub.add_office(WUHUA, "五华区纪委监委", OfficeLevel::County, Some(KUNMING)).unwrap();
            let mut device = Device::enrolled(&hub, WUHUA, "wuhua-1");
            drop(hub);
            // Change sets of 2,000, as the office's sync client cuts them.
            let bodies: Vec<Vec<u8>> = (0..one_office.div_ceil(2000))
                .map(|s| {
                    let n = 2000.min(one_office - s * 2000);
                    let events: Vec<_> =
                        (0..n).map(|i| device.work(&format!("complaint:{}", (s * 2000 + i) / 10))).collect();
                    device.sign(events).encode()
                })
                .collect();
            let server = Server::start(&database, &key);
            let http = reqwest::Client::new();
            let t = Instant::now();
            rt.block_on(async {
                for body in bodies {
                    let bytes = http
                        .post(format!("{}/v1/changesets", server.url))
                        .body(body)
                        .send()
                        .await
                        .unwrap()
                        .bytes()
                        .await
                        .unwrap();
                    let receipt: Receipt = Signed::decode(&bytes).unwrap().peek().unwrap();
                    assert_eq!(receipt.outcome, Outcome::Accepted);
                }
            });
            let seconds = t.elapsed().as_secs_f64();
            floor::emit(
                "one_office",
                json!({"backend": backend, "events": one_office, "seconds": floor::round3(seconds), "per_second": (one_office as f64 / seconds).round()}),
            );
        }
        let mut device = Device::new(WUHUA, "floor");
        let events: Vec<_> = (0..one_office).map(|i| device.work(&format!("complaint:{}", i / 10))).collect();
        floor::sqlite_insert(dir.path(), &events);
        floor::postgres_copy(&qingfeng_pgcluster::fresh_schema(&cluster.url()).unwrap(), &events);
    }
    drop(cluster);
}
