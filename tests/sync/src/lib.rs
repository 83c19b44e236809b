//! Helpers for the network system tests: finding (or building) the real binaries, running offices
//! and a hub as processes that are always killed, and a fault-injecting TCP proxy.

#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod proxy;
pub mod soak;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;

use serde_json::Value;

/// The password of every account the tests create.
pub const PASSWORD: &str = "Pass#2026word";

/// The workspace's target directory: CARGO_TARGET_DIR if set, else `<workspace>/target`.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"))
}

/// Builds both binaries once per test process when they are missing, so `cargo test -p
/// qingfeng-systest` works on a fresh checkout; concurrent tests wait for the one build.
fn ensure_built() {
    static BUILT: OnceLock<()> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = target_dir().join("debug");
        let have = |name: &str| dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX)).exists();
        let overridden = std::env::var_os("QINGFENG_CLI").is_some() && std::env::var_os("QINGFENG_HUB").is_some();
        if overridden || (have("qingfeng") && have("qingfeng-hub")) {
            return;
        }
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "-p", "qingfeng-cli", "-p", "qingfeng-hub"])
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
            .status()
            .expect("cargo build could not start");
        assert!(status.success(), "building qingfeng and qingfeng-hub failed");
    });
}

fn binary(env: &str, name: &str) -> PathBuf {
    ensure_built();
    std::env::var_os(env)
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("debug").join(format!("{name}{}", std::env::consts::EXE_SUFFIX)))
}

/// The `qingfeng` binary.
pub fn cli_bin() -> PathBuf {
    binary("QINGFENG_CLI", "qingfeng")
}

/// The `qingfeng-hub` binary.
pub fn hub_bin() -> PathBuf {
    binary("QINGFENG_HUB", "qingfeng-hub")
}

/// A child process that is killed (by its pid, through `Child::kill`) and reaped when the guard
/// goes out of scope, also when a test panics, so no test leaves a server behind.
#[derive(Debug)]
pub struct KillOnDrop(pub Child);

impl KillOnDrop {
    /// Waits for the process to end and collects its output.
    pub fn wait_output(mut self) -> Output {
        use std::io::Read;
        let mut stdout = Vec::new();
        let mut stderr = Vec::new();
        if let Some(mut s) = self.0.stdout.take() {
            let _ = s.read_to_end(&mut stdout);
        }
        if let Some(mut s) = self.0.stderr.take() {
            let _ = s.read_to_end(&mut stderr);
        }
        let status = self.0.wait().expect("wait for a child");
        Output { status, stdout, stderr }
    }
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn run(mut cmd: Command, stdin: Option<&str>) -> Output {
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("could not start a binary");
    if let Some(input) = stdin {
        child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("wait for a binary")
}

/// Standard output as text, after checking the command succeeded.
pub fn ok_text(out: &Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Standard output as JSON, after checking the command succeeded.
pub fn ok_json(out: &Output, what: &str) -> Value {
    let text = ok_text(out, what);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {text}"))
}

/// A hub: its database (an SQLite file in a test's directory, or a PostgreSQL database), and its
/// server while one runs.
#[derive(Debug)]
pub struct Hub {
    pub db: PathBuf,
    /// `--database` and `--key-file` for a hub on PostgreSQL; empty for the SQLite file `db`.
    database: Vec<String>,
    dir: PathBuf,
    server: Option<KillOnDrop>,
    pub url: String,
}

impl Hub {
    /// A new hub with the province, Kunming and Wuhua in its directory.
    pub fn new(dir: &Path) -> Hub {
        let hub =
            Hub { db: dir.join("hub.db"), database: Vec::new(), dir: dir.to_owned(), server: None, url: String::new() };
        hub.init_directory();
        hub
    }

    /// A new hub on the PostgreSQL database at `url` (its key file in `dir`), with the same
    /// directory as [`Hub::new`].
    pub fn on_postgres(dir: &Path, url: &str) -> Hub {
        let database = vec![
            "--database".to_owned(),
            url.to_owned(),
            "--key-file".to_owned(),
            dir.join("hub.key").to_string_lossy().into_owned(),
        ];
        let hub = Hub { db: PathBuf::new(), database, dir: dir.to_owned(), server: None, url: String::new() };
        hub.init_directory();
        hub
    }

    /// Another hub process over the same database and key (its pid file in `dir`).
    pub fn another_process(&self, dir: &Path) -> Hub {
        assert!(!self.database.is_empty(), "only a hub on PostgreSQL can run as several processes");
        Hub {
            db: PathBuf::new(),
            database: self.database.clone(),
            dir: dir.to_owned(),
            server: None,
            url: String::new(),
        }
    }

    fn database_args(&self, cmd: &mut Command) {
        if self.database.is_empty() {
            cmd.arg("--db").arg(&self.db);
        } else {
            cmd.args(&self.database);
        }
        cmd.env_remove("QINGFENG_HUB_DB").env_remove("QINGFENG_HUB_KEY_FILE").env_remove("QINGFENG_HUB_DATABASE");
    }

    fn init_directory(&self) {
        self.ok(&["init"]);
        self.ok(&["office", "add", "530000", "云南省纪委监委", "--level", "province"]);
        self.ok(&["office", "add", "530100", "昆明市纪委监委", "--level", "prefecture", "--parent", "530000"]);
        self.ok(&["office", "add", "530102", "五华区纪委监委", "--level", "county", "--parent", "530100"]);
    }

    pub fn run(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(hub_bin());
        self.database_args(&mut cmd);
        cmd.args(args);
        run(cmd, None)
    }

    pub fn ok(&self, args: &[&str]) -> String {
        ok_text(&self.run(args), &format!("qingfeng-hub {args:?}"))
    }

    pub fn json(&self, args: &[&str]) -> Value {
        ok_json(&self.run(args), &format!("qingfeng-hub {args:?}"))
    }

    /// A one-time enrollment token for an office.
    pub fn token(&self, office: &str) -> String {
        self.json(&["token", "issue", "--office", office, "--json"])["token"].as_str().expect("token").to_owned()
    }

    /// The hub whose files are already in `dir` (a copy of another test's hub).
    pub fn at(dir: &Path) -> Hub {
        Hub { db: dir.join("hub.db"), database: Vec::new(), dir: dir.to_owned(), server: None, url: String::new() }
    }

    /// Starts the server on a fresh port of 127.0.0.1 and waits for its address.
    pub fn start(&mut self) -> String {
        self.start_with(None, &[])
    }

    /// Starts the server with further `serve` options (e.g. `--stall-timeout-secs 2`).
    pub fn start_with_args(&mut self, args: &[&str]) -> String {
        self.start_with(None, args)
    }

    /// Starts the server under a file-size limit of `blocks` 512-byte blocks, so its disk "fills
    /// up" (SIGXFSZ is ignored, so writes fail with EFBIG as on a full disk).
    pub fn start_limited(&mut self, blocks: u64) -> String {
        self.start_with(Some(blocks), &[])
    }

    fn start_with(&mut self, fsize_blocks: Option<u64>, extra: &[&str]) -> String {
        assert!(self.server.is_none(), "the hub is already running");
        let mut cmd = match fsize_blocks {
            None => Command::new(hub_bin()),
            Some(blocks) => {
                let mut sh = Command::new("sh");
                sh.arg("-c").arg(format!("trap '' XFSZ; ulimit -f {blocks}; exec \"$@\"")).arg("sh").arg(hub_bin());
                sh
            }
        };
        self.database_args(&mut cmd);
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--pid-file"])
            .arg(self.dir.join("hub.pid"))
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = KillOnDrop(cmd.spawn().expect("start the hub"));
        let mut line = String::new();
        BufReader::new(child.0.stdout.take().expect("stdout")).read_line(&mut line).expect("read the hub's address");
        let url = line.trim().to_owned();
        assert!(url.starts_with("http://127.0.0.1:"), "unexpected first line: {url:?}");
        self.server = Some(child);
        self.url = url.clone();
        url
    }

    /// Kills the server with SIGKILL (no graceful shutdown), as a power cut would.
    pub fn kill(&mut self) {
        if let Some(mut server) = self.server.take() {
            let _ = server.0.kill();
            let _ = server.0.wait();
        }
    }

    /// Checks every chain on the hub and returns the number of events it holds.
    pub fn verify(&self) -> u64 {
        let v = self.json(&["events", "verify", "--json"]);
        assert_eq!(v["ok"], true, "hub chains broken: {v}");
        v["events"].as_u64().expect("events")
    }
}

/// One office's replica: its database, key file, and accounts `admin`, `adm2` (a second
/// administrator), `xf` (petitions) and `ld` (leader).
#[derive(Debug)]
pub struct Office {
    pub db: PathBuf,
    pub key: PathBuf,
    pub code: String,
}

impl Office {
    pub fn new(dir: &Path, code: &str, name: &str, level: &str, parent: Option<&str>) -> Office {
        let office =
            Office { db: dir.join(format!("{code}.db")), key: dir.join(format!("{code}.key")), code: code.to_owned() };
        let mut args = vec![
            "init",
            "--office-code",
            code,
            "--office-name",
            name,
            "--level",
            level,
            "--admin-name",
            "张三",
            "--password-stdin",
        ];
        if let Some(p) = parent {
            args.extend(["--parent", p]);
        }
        ok_text(&office.run_in(&args, Some(PASSWORD)), "init");
        for (user, name, role) in [("adm2", "赵六", "admin"), ("xf", "李四", "petitions"), ("ld", "王五", "leader")]
        {
            ok_text(
                &office
                    .run_in(&["user", "add", user, "--name", name, "--role", role, "--password-stdin"], Some(PASSWORD)),
                "user add",
            );
        }
        // Posts that read identities need a second administrator's approval (issue #14).
        for (user, role) in [("xf", "petitions"), ("ld", "leader")] {
            ok_text(&office.run(&["user", "approve", user, role, "--as", "adm2"]), "user approve");
        }
        office
    }

    /// The office whose files are already in `dir` (a copy of another test's replica).
    pub fn at(dir: &Path, code: &str) -> Office {
        Office { db: dir.join(format!("{code}.db")), key: dir.join(format!("{code}.key")), code: code.to_owned() }
    }

    /// Wuhua county, under Kunming.
    pub fn county(dir: &Path) -> Office {
        Office::new(dir, "530102", "五华区纪委监委", "county", Some("530100"))
    }

    /// Kunming prefecture, under the province.
    pub fn city(dir: &Path) -> Office {
        Office::new(dir, "530100", "昆明市纪委监委", "prefecture", Some("530000"))
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(cli_bin());
        cmd.arg("--db").arg(&self.db).arg("--key-file").arg(&self.key).args(args);
        cmd.env_remove("QINGFENG_USER").env_remove("QINGFENG_DB").env("QINGFENG_PASSWORD", PASSWORD);
        cmd
    }

    pub fn run_in(&self, args: &[&str], stdin: Option<&str>) -> Output {
        run(self.command(args), stdin)
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.run_in(args, None)
    }

    /// Runs a command logging in with another password than the test offices' (a demo office's).
    pub fn run_with_password(&self, args: &[&str], password: &str) -> Output {
        let mut cmd = self.command(args);
        cmd.env("QINGFENG_PASSWORD", password);
        run(cmd, None)
    }

    /// Starts a command without waiting for it (for killing the hub under it).
    pub fn spawn(&self, args: &[&str]) -> KillOnDrop {
        let mut cmd = self.command(args);
        cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        KillOnDrop(cmd.spawn().expect("start qingfeng"))
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        ok_json(&self.run(&all), &format!("qingfeng {args:?}"))
    }

    /// Registers a complaint as the petitions officer and returns its id.
    pub fn register(&self, summary: &str) -> String {
        let form = serde_json::json!({
            "channel": "letter",
            "received_at": "2026-01-05T10:00:00+08:00",
            "reporter": { "name": "测试检举人", "unit": null, "contact": "13800009999", "address": "测试地址 1 号" },
            "real_name": true,
            "real_name_verified": "phone",
            "summary": summary,
            "content": "系统测试内容。",
            "categories": ["违反工作纪律"],
            "subjects": [{ "name": "甄测试", "post": "所长", "unit": "区测试局执法所", "level": "一般干部" }],
            "repeat_of": null
        });
        let out =
            self.run_in(&["complaint", "register", "--file", "-", "--as", "xf", "--json"], Some(&form.to_string()));
        ok_json(&out, "complaint register")["id"].as_str().expect("id").to_owned()
    }

    /// Takes a step on a complaint as the petitions officer.
    pub fn step(&self, id: &str, step: &[&str]) -> Value {
        self.step_as("xf", id, step)
    }

    /// Takes a step on a complaint as `user` (`xf` petitions, `ld` leader).
    pub fn step_as(&self, user: &str, id: &str, step: &[&str]) -> Value {
        let mut args = vec!["complaint", "transition", id];
        args.extend_from_slice(step);
        args.extend(["--as", user]);
        self.json(&args)
    }

    pub fn enroll(&self, hub: &Hub) {
        let token = hub.token(&self.code);
        ok_text(&self.run(&["sync", "enroll", "--hub", &hub.url, "--token", &token]), "sync enroll");
    }

    /// One `sync now` run; Err carries the Chinese message on failure.
    pub fn sync(&self, hub: Option<&str>) -> Result<Value, String> {
        let mut args = vec!["sync", "now", "--json"];
        if let Some(url) = hub {
            args.extend(["--hub", url]);
        }
        let out = self.run(&args);
        if out.status.success() {
            Ok(serde_json::from_slice(&out.stdout).expect("sync report JSON"))
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }

    /// Syncs until nothing is pending and a run succeeds, at most `tries` runs.
    pub fn sync_until_clean(&self, hub: Option<&str>, tries: usize) -> usize {
        let mut failures = 0;
        for _ in 0..tries {
            match self.sync(hub) {
                Ok(_) if self.status()["pending"] == 0 => return failures,
                Ok(_) => {}
                Err(_) => failures += 1,
            }
        }
        panic!("{} still has pending events after {tries} runs: {}", self.code, self.status());
    }

    pub fn status(&self) -> Value {
        self.json(&["sync", "status"])
    }

    /// Every event on this replica, oldest first by (origin device, seq).
    pub fn events(&self) -> Vec<Value> {
        let mut list = self.json(&["events", "list", "--limit", "1000000"]).as_array().expect("array").clone();
        list.sort_by_key(|e| (e["origin_device"].as_str().unwrap_or("").to_owned(), e["seq"].as_u64().unwrap_or(0)));
        list
    }

    /// The events of one aggregate, as (id, hash), sorted.
    pub fn events_of(&self, aggregate: &str) -> Vec<(String, String)> {
        let mut list: Vec<(String, String)> = self
            .events()
            .into_iter()
            .filter(|e| e["aggregate"] == aggregate)
            .map(|e| (e["id"].as_str().unwrap_or("").to_owned(), e["hash"].as_str().unwrap_or("").to_owned()))
            .collect();
        list.sort();
        list
    }

    pub fn show(&self, id: &str) -> Value {
        self.json(&["complaint", "show", id, "--as", "xf"])
    }

    pub fn conflicts(&self) -> Value {
        self.json(&["sync", "conflicts", "--as", "xf"])
    }
}

/// Asserts that no event id appears twice in a replica's log.
pub fn assert_no_duplicates(events: &[Value]) {
    let mut ids: Vec<&str> = events.iter().filter_map(|e| e["id"].as_str()).collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "an event is stored twice");
}

/// The PostgreSQL server the tests may use (`QINGFENG_TEST_POSTGRES`, set by `cargo xtask test`),
/// as a connection string to a fresh schema of its own. None outside CI when it is not set (the
/// test then says so and passes); under CI a missing server fails the test.
pub fn postgres_database() -> Option<String> {
    match std::env::var("QINGFENG_TEST_POSTGRES") {
        Ok(url) if !url.trim().is_empty() => Some(qingfeng_pgcluster::fresh_schema(&url).expect("a fresh schema")),
        _ if std::env::var_os("CI").is_some() => panic!("QINGFENG_TEST_POSTGRES is not set: run `cargo xtask test`"),
        _ => {
            eprintln!("PostgreSQL system test skipped: QINGFENG_TEST_POSTGRES is not set");
            None
        }
    }
}
