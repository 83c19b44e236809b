//! The randomized fault soak (issue #13): a hub, two counties and the prefecture above them, as
//! real processes on loopback, doing real work with attachments and execution-item evidence while
//! the link drops, delays, truncates, resets and duplicates requests, the client or the hub is
//! killed with SIGKILL, and a disk fills up. Each run ends with every replica converged, every
//! event held exactly once, every blob present and verified, and `events verify` clean.
//!
//! Each run is seeded (`base seed + run number`) and prints its seed when it fails, so
//! `SOAK_SEED=<seed> SOAK_RUNS=1 cargo test -p qingfeng-systest --test soak` replays it. Runs
//! are kept fast: the offices, their accounts and enrollments are made once per process and
//! copied for each run, work is done in-process through the core (one login per office), and
//! only syncing, the part under test, goes through the real `qingfeng` and `qingfeng-hub` binaries.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use qingfeng_core::accounts::{self, Channel};
use qingfeng_core::authz::Actor;
use qingfeng_core::complaints::{
    ComplaintChannel, RegisterComplaint, Reporter, ScreeningOutcome, Subject, attachments, ops as complaint_ops,
};
use qingfeng_core::penalty::{self, EvidenceFile, PartyPenalty, PenaltyPerson, RegisterPenalty, SubmitRequest};
use qingfeng_core::{KeySource, Store};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;

use crate::proxy::{Fault, Plan, Proxy};
use crate::{Hub, Office, PASSWORD, ok_text};

/// What the soak moved and injected, for BENCHMARKS.md.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Tally {
    pub runs: u64,
    pub seed: u64,
    /// Faults injected, by kind.
    pub faults: BTreeMap<String, u64>,
    /// Events the hub accepted from the offices (each once).
    pub events: u64,
    /// Blobs (attachments and evidence) held whole at the hub at the end of the runs.
    pub blobs: u64,
    pub seconds: f64,
}

impl Tally {
    fn fault(&mut self, kind: &str) {
        *self.faults.entry(kind.to_owned()).or_default() += 1;
    }
}

/// The offices of every run, made once per process: the hub's directory, two counties under the
/// prefecture, their accounts (petitions, leader, case management) and their enrollments.
struct Base {
    _dir: tempfile::TempDir,
    path: PathBuf,
    /// Events the hub holds before any run.
    events: u64,
}

const COUNTIES: [(&str, &str); 2] = [("530102", "五华区纪委监委"), ("530103", "盘龙区纪委监委")];
const CITY: &str = "530100";

fn base() -> &'static Base {
    static BASE: OnceLock<Base> = OnceLock::new();
    BASE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().to_owned();
        let mut hub = Hub::new(&path);
        hub.ok(&["office", "add", "530103", "盘龙区纪委监委", "--level", "county", "--parent", CITY]);
        let mut offices = vec![Office::city(&path)];
        for (code, name) in COUNTIES {
            offices.push(Office::new(&path, code, name, "county", Some(CITY)));
        }
        for o in &offices {
            ok_text(
                &o.run_in(
                    &["user", "add", "ag", "--name", "陈案管", "--role", "case_management", "--password-stdin"],
                    Some(PASSWORD),
                ),
                "user add ag",
            );
        }
        hub.start();
        for o in &offices {
            o.enroll(&hub);
            o.sync_until_clean(Some(&hub.url), 3);
        }
        hub.kill();
        let events = hub.verify();
        Base { _dir: dir, path, events }
    })
}

/// Copies every file of the base (databases, WALs, keys) into a fresh directory for one run.
fn copy_base(to: &Path) {
    for entry in std::fs::read_dir(&base().path).expect("read base") {
        let entry = entry.expect("entry");
        if entry.file_type().expect("type").is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy base file");
        }
    }
}

/// One office of a run, with its in-process store opened only while work is done.
struct Site {
    office: Office,
    county: bool,
    /// Complaints this office registered (ids) and reported upward.
    complaints: Vec<String>,
    reported: Vec<String>,
}

impl Site {
    fn open(&self) -> Store {
        Store::open(&self.office.db, &KeySource::File(self.office.key.clone())).expect("open store")
    }
}

fn login(store: &mut Store, user: &str) -> Actor {
    let s = accounts::login(store, user, PASSWORD, Channel::Cli).expect("login");
    Actor::User(accounts::principal(store, &s.session_id).expect("principal"))
}

/// A file of `len` bytes of plain text (an accepted attachment type), different for every seed.
fn text_file(rng: &mut StdRng, len: usize) -> Vec<u8> {
    let words = ["检举信正文", "情况说明", "送达回执", "收款收据", "整改报告", "谈话记录"];
    let mut out = String::with_capacity(len + 32);
    out.push_str(&format!("编号 {}\n", rng.r#gen::<u64>()));
    while out.len() < len {
        out.push_str(words[rng.gen_range(0..words.len())]);
        out.push_str(if rng.gen_bool(0.1) { "\n" } else { "，" });
    }
    out.into_bytes()
}

/// A random size: mostly small, sometimes over one chunk (so resuming is exercised).
fn file_size(rng: &mut StdRng) -> usize {
    match rng.gen_range(0..10) {
        0..=5 => rng.gen_range(300..20_000),
        6..=8 => rng.gen_range(100_000..600_000),
        _ => rng.gen_range(1_100_000..2_600_000),
    }
}

fn letter(rng: &mut StdRng, n: usize) -> RegisterComplaint {
    RegisterComplaint {
        channel: ComplaintChannel::Letter,
        received_at: chrono::Utc::now().format("%Y-%m-%d").to_string(),
        reporter: Some(Reporter {
            name: "测试检举人".into(),
            unit: None,
            contact: format!("1380000{:04}", rng.gen_range(0..10_000)),
            address: Some("测试地址 1 号".into()),
        }),
        real_name: true,
        real_name_verified: None,
        summary: format!("压力测试第 {n} 件"),
        content: "反映某干部违规问题（压力测试）。".into(),
        categories: vec!["违反廉洁纪律".into()],
        subjects: vec![Subject {
            name: "甄测试".into(),
            post: "科长".into(),
            unit: "某局".into(),
            level: "县管干部".into(),
        }],
        repeat_of: None,
    }
}

/// Some real work at one office: complaints with attachments, some reported upward to the
/// prefecture; a penalty decision with evidence; at the prefecture, files added to cases it
/// received and a screening of one it now owns.
fn work(site: &mut Site, rng: &mut StdRng) {
    let mut store = site.open();
    let petitions = login(&mut store, "xf");
    if site.county {
        for _ in 0..rng.gen_range(1..=2) {
            let n = site.complaints.len();
            let id = complaint_ops::register(&mut store, &petitions, &letter(rng, n)).expect("register");
            if rng.gen_bool(0.7) {
                let size = file_size(rng);
                let bytes = text_file(rng, size);
                attachments::add(&mut store, &petitions, &id, &format!("附件{n}.txt"), &bytes).expect("attach");
            }
            if rng.gen_bool(0.4) {
                let screening = complaint_ops::Screening {
                    outcome: ScreeningOutcome::ReportUpward,
                    department: None,
                    reason: "涉及市管干部，向上报送".into(),
                    refer_to: Some(CITY.into()),
                    repeat_of: None,
                };
                complaint_ops::screen(&mut store, &petitions, &id, &screening).expect("report upward");
                site.reported.push(id.clone());
            }
            site.complaints.push(id);
        }
        if rng.gen_bool(0.4) {
            let ag = login(&mut store, "ag");
            let today = chrono::Utc::now().date_naive();
            let form = RegisterPenalty {
                person: PenaltyPerson {
                    name: format!("甄某{}", rng.gen_range(0..1000)),
                    unit: "某县住建局".into(),
                    post: "副局长".into(),
                    rank: "二级主任科员".into(),
                    party_member: true,
                    deputy: false,
                    cppcc_member: false,
                    non_party_cadre: false,
                },
                decision_number: format!("五纪处〔2026〕{}号", rng.gen_range(1..100_000)),
                deciding_body: "县纪委常委会".into(),
                party_penalty: Some(PartyPenalty::Warning),
                probation_years: None,
                government_sanction: None,
                sanction_count: None,
                sanction_months: None,
                decision_date: (today - chrono::Duration::days(10)).to_string(),
                approval_date: Some((today - chrono::Duration::days(9)).to_string()),
                responsible_units: vec!["某县住建局".into()],
                confiscate: None,
                repay: None,
                organisational_handling: None,
                complaint_id: None,
            };
            let id = penalty::ops::register(&mut store, &ag, &form).expect("register penalty");
            let files = (0..rng.gen_range(1..=2))
                .map(|i| {
                    let size = file_size(rng);
                    EvidenceFile { name: format!("送达回执{i}.txt"), bytes: text_file(rng, size) }
                })
                .collect();
            let submit = SubmitRequest {
                date: today.to_string(),
                note: "已送达本人并抄送有关单位".into(),
                measures: None,
                result: None,
                files,
            };
            penalty::ops::submit(&mut store, &ag, &id, 1, &submit).expect("submit with evidence");
        }
    } else {
        // The prefecture acts on what it holds: a file added to a county's case (any office that
        // holds a case may add one) and the screening of a case it now owns.
        let held: Vec<(String, String)> = store
            .raw_connection_for_tests()
            .prepare("SELECT id, status FROM complaints WHERE owner_office IS NOT NULL ORDER BY id")
            .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .unwrap_or_default();
        if let Some((id, _)) = held.get(rng.gen_range(0..held.len().max(1))).filter(|_| rng.gen_bool(0.6)) {
            let size = file_size(rng);
            let bytes = text_file(rng, size);
            let _ = attachments::add(&mut store, &petitions, id, "市纪委补充材料.txt", &bytes);
        }
        let own = store.office().expect("office");
        let owned: Option<String> = store
            .raw_connection_for_tests()
            .query_row(
                "SELECT id FROM complaints WHERE owner_office = ?1 AND status = 'registered' ORDER BY id LIMIT 1",
                [&own],
                |r| r.get(0),
            )
            .ok();
        if let Some(id) = owned {
            let screening = complaint_ops::Screening {
                outcome: ScreeningOutcome::AcceptTransfer,
                department: Some(qingfeng_core::identity::Role::Supervision),
                reason: "属市纪委管辖，受理并移送".into(),
                refer_to: None,
                repeat_of: None,
            };
            let _ = complaint_ops::screen(&mut store, &petitions, &id, &screening);
        }
    }
}

/// A `qingfeng sync now` through `url`, waited for.
fn sync_via(site: &Site, url: &str) -> Result<Value, String> {
    site.office.sync(Some(url))
}

/// Runs `sync now` under a file-size limit a little above the database's size, so the disk
/// "fills up" part-way (SIGXFSZ is ignored so the write fails with EFBIG, as on a full disk).
fn sync_with_full_disk(site: &Site, url: &str, rng: &mut StdRng) {
    let size = std::fs::metadata(&site.office.db).map(|m| m.len()).unwrap_or(0);
    let blocks = size / 512 + rng.gen_range(0..256);
    let script = format!("trap '' XFSZ; ulimit -f {blocks}; exec \"$@\"");
    let mut cmd = std::process::Command::new("sh");
    cmd.arg("-c").arg(script).arg("sh").arg(crate::cli_bin());
    cmd.arg("--db").arg(&site.office.db).arg("--key-file").arg(&site.office.key);
    cmd.args(["sync", "now", "--json", "--hub", url]);
    cmd.env_remove("QINGFENG_USER").env_remove("QINGFENG_DB");
    cmd.stdin(std::process::Stdio::null()).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    let _ = cmd.status();
}

/// The hub of a run: (re)started on a fresh port, optionally under a file-size limit.
fn start_hub(hub: &mut Hub, fsize_blocks: Option<u64>) -> String {
    hub.kill();
    match fsize_blocks {
        None => hub.start(),
        Some(blocks) => hub.start_limited(blocks),
    }
}

/// One seeded run. Panics (with the seed in the message) when anything does not converge.
pub fn run_once(seed: u64, tally: &mut Tally) {
    let mut rng = StdRng::seed_from_u64(seed);
    let dir = tempfile::tempdir().expect("run dir");
    copy_base(dir.path());
    let mut hub = Hub::at(dir.path());
    let mut sites: Vec<Site> = std::iter::once((CITY, false))
        .chain(COUNTIES.iter().map(|(c, _)| (*c, true)))
        .map(|(code, county)| Site {
            office: Office::at(dir.path(), code),
            county,
            complaints: Vec::new(),
            reported: Vec::new(),
        })
        .collect();
    let mut url = start_hub(&mut hub, None);

    for site in sites.iter_mut().filter(|s| s.county) {
        work(site, &mut rng);
    }
    let rounds = rng.gen_range(4..=8);
    for _ in 0..rounds {
        let i = rng.gen_range(0..sites.len());
        match rng.gen_range(0..100) {
            // A sync through a link that misbehaves at random.
            0..=39 => {
                let proxy = Proxy::start(
                    &url,
                    Plan::Seeded { seed: rng.r#gen(), rate: rng.gen_range(0.1..0.5), max_faults: rng.gen_range(1..6) },
                );
                let _ = sync_via(&sites[i], &proxy.url);
                for (_, fault) in proxy.log() {
                    let kind = match fault {
                        Fault::Pass => continue,
                        Fault::Drop => "drop",
                        Fault::Delay(_) => "delay",
                        Fault::Truncate(_) => "truncate",
                        Fault::Reset => "reset",
                        Fault::Duplicate => "duplicate",
                    };
                    tally.fault(kind);
                }
            }
            // The client killed with SIGKILL part-way through its run.
            40..=54 => {
                let proxy = Proxy::start(&url, Plan::Seeded { seed: rng.r#gen(), rate: 0.0, max_faults: 0 });
                let child = sites[i].office.spawn(&["sync", "now", "--json", "--hub", &proxy.url]);
                std::thread::sleep(Duration::from_millis(rng.gen_range(5..400)));
                drop(child);
                tally.fault("kill_client");
            }
            // The hub killed with SIGKILL while a client talks to it, then started again elsewhere.
            55..=64 => {
                let proxy = Proxy::start(
                    &url,
                    Plan::Script((0..8).map(|_| Fault::Delay(Duration::from_millis(rng.gen_range(5..60)))).collect()),
                );
                let child = sites[i].office.spawn(&["sync", "now", "--json", "--hub", &proxy.url]);
                std::thread::sleep(Duration::from_millis(rng.gen_range(20..300)));
                hub.kill();
                let _ = child.wait_output();
                url = start_hub(&mut hub, None);
                tally.fault("kill_hub");
            }
            // The office's disk fills up during a sync.
            65..=72 => {
                sync_with_full_disk(&sites[i], &url, &mut rng);
                tally.fault("disk_full_client");
            }
            // The hub's disk fills up while an office syncs; then it is given room again.
            73..=78 => {
                let size = std::fs::metadata(&hub.db).map(|m| m.len()).unwrap_or(0);
                url = start_hub(&mut hub, Some(size / 512 + rng.gen_range(0..64)));
                let _ = sync_via(&sites[i], &url);
                url = start_hub(&mut hub, None);
                tally.fault("disk_full_hub");
            }
            // More work between syncs, at a county or at the prefecture.
            _ => work(&mut sites[i], &mut rng),
        }
    }

    converge(&mut hub, &url, &sites, seed);
    check(&hub, &sites, seed, tally);
    hub.kill();
    tally.runs += 1;
}

/// Clean syncs, round after round, until a whole round moves nothing and nothing is pending. A
/// failed run is allowed (a fault may have left work for the next one, as after a real outage),
/// but every office must come through: the last failure is named if one never does.
fn converge(hub: &mut Hub, url: &str, sites: &[Site], seed: u64) {
    let mut last_error: Option<String> = None;
    for _ in 0..12 {
        let mut quiet = true;
        for site in sites {
            match sync_via(site, url) {
                Ok(r) => {
                    let moved = ["uploaded_events", "applied_events", "blobs_sent", "blobs_received"]
                        .iter()
                        .any(|k| r[*k].as_u64().unwrap_or(0) > 0);
                    let status = site.office.status();
                    if moved || status["pending"] != 0 || status["blobs"]["missing"] != 0 {
                        quiet = false;
                    }
                }
                Err(e) => {
                    eprintln!("soak seed {seed}: a clean sync of {} failed (retried): {e}", site.office.code);
                    last_error = Some(format!("{}: {e}", site.office.code));
                    quiet = false;
                }
            }
        }
        if quiet {
            return;
        }
    }
    let _ = hub;
    panic!("soak seed {seed}: the replicas did not converge in 12 clean rounds (last failure: {last_error:?})");
}

/// Every replica converged, every event once, every blob present and verified, verify clean.
fn check(hub: &Hub, sites: &[Site], seed: u64, tally: &mut Tally) {
    let fail = |what: String| -> ! { panic!("soak seed {seed}: {what}") };
    let v = hub.json(&["events", "verify", "--json"]);
    if v["ok"] != true || v["blobs"]["pending"] != 0 {
        fail(format!("the hub's verify is not clean: {v}"));
    }
    let mut by_aggregate: Vec<HashMap<String, Vec<(String, String)>>> = Vec::new();
    let mut conflicts: Vec<Vec<String>> = Vec::new();
    for site in sites {
        let store = site.open();
        let key = KeySource::File(site.office.key.clone()).load(&site.office.db).expect("key");
        let mut report = store.verify_all(&key).expect("verify");
        report.anchors.extend(qingfeng_sync::client::verify_receipts(&store).expect("receipts"));
        if !report.ok || !report.anchors.is_empty() || report.blobs.missing > 0 {
            fail(format!("{} does not verify clean: {report:?}", site.office.code));
        }
        let status = store.sync_status().expect("status");
        if status.pending != 0 || status.held_events != 0 || status.blocked.is_some() {
            fail(format!("{} is not settled: {status:?}", site.office.code));
        }
        let events = store.recent_events(u32::MAX).expect("events");
        let mut ids: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        if ids.len() != n {
            fail(format!("{} holds an event twice", site.office.code));
        }
        let mut map: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for e in &events {
            if e.aggregate.starts_with("complaint:") || e.aggregate.starts_with("penalty:") {
                map.entry(e.aggregate.clone()).or_default().push((e.id.clone(), hex::encode(e.hash)));
            }
        }
        map.values_mut().for_each(|v| v.sort());
        by_aggregate.push(map);
        let mut c: Vec<String> = store.conflicts(None).expect("conflicts").into_iter().map(|c| c.event_id).collect();
        c.sort();
        conflicts.push(c);
    }
    // The prefecture (index 0) holds every county case whole, and each county every event of
    // its own cases, including the prefecture's steps on those it handed up.
    for (i, site) in sites.iter().enumerate().skip(1) {
        for (aggregate, events) in &by_aggregate[i] {
            if by_aggregate[0].get(aggregate) != Some(events) {
                fail(format!("{} and the prefecture disagree on {aggregate}", site.office.code));
            }
        }
        let county_conflicts: Vec<&String> = conflicts[i].iter().filter(|c| conflicts[0].contains(c)).collect();
        if county_conflicts.len() != conflicts[i].len() {
            fail(format!("{} lists a conflict the prefecture does not", site.office.code));
        }
    }
    tally.events += v["events"].as_u64().unwrap_or(0).saturating_sub(base().events);
    tally.blobs += v["blobs"]["complete"].as_u64().unwrap_or(0);
}

/// Runs `runs` seeded runs from `seed`; prints the failing seed and panics on the first failure.
pub fn soak(runs: u64, seed: u64) -> Tally {
    let started = Instant::now();
    let mut tally = Tally { seed, ..Tally::default() };
    let _ = base();
    for n in 0..runs {
        let run_seed = seed.wrapping_add(n);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_once(run_seed, &mut tally)));
        if let Err(e) = result {
            eprintln!(
                "\nsoak run {n} failed. Reproduce with: SOAK_SEED={run_seed} SOAK_RUNS=1 cargo test -p qingfeng-systest --test soak -- --nocapture"
            );
            std::panic::resume_unwind(e);
        }
    }
    tally.seconds = started.elapsed().as_secs_f64();
    tally
}
