//! A private PostgreSQL cluster in a temporary directory: what `cargo xtask test` starts for the
//! hub's tests, what the benchmarks run on, and what a test that must stop PostgreSQL starts for
//! itself.
//!
//! The cluster is made with Debian's `initdb` and run with `pg_ctl` on a free loopback port, with
//! its socket in the same directory, so it never touches a system cluster on port 5432.
//! PostgreSQL refuses to run as root; as root the programs run as the `postgres` user (the
//! directory is handed to it), otherwise as the current user. [`Cluster`] stops the server by its
//! pid when dropped, also when a test panics.

use std::io::{Error, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The role and database every cluster starts with.
pub const USER: &str = "hub";
pub const DATABASE: &str = "hub";

/// How the server is tuned.
#[derive(Debug, Clone)]
pub struct Options {
    /// Off for tests (faster; the tests kill hubs, not PostgreSQL's machine), on for benchmarks.
    pub fsync: bool,
    pub max_connections: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options { fsync: false, max_connections: 200 }
    }
}

/// A running (or stopped) private cluster. Dropping it stops the server and removes the files.
#[derive(Debug)]
pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    options: Options,
    running: bool,
}

fn other(message: String) -> Error {
    Error::other(message)
}

/// The directory of the newest PostgreSQL server programs Debian installed.
pub fn bin_dir() -> Result<PathBuf> {
    let root = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir(root)
        .map_err(|e| other(format!("PostgreSQL is not installed ({}: {e}); run `cargo xtask setup`", root.display())))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).ok_or_else(|| other("no PostgreSQL server under /usr/lib/postgresql".into()))
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A free TCP port on 127.0.0.1 (the listener is closed again at once).
fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl Cluster {
    /// Makes a cluster in a new temporary directory and starts it.
    pub fn start() -> Result<Cluster> {
        Cluster::start_with(Options::default())
    }

    pub fn start_with(options: Options) -> Result<Cluster> {
        let bin = bin_dir()?;
        let dir = tempfile::Builder::new().prefix("qingfeng-pg-").tempdir()?;
        if is_root() {
            let status = Command::new("chown").args(["-R", "postgres:postgres"]).arg(dir.path()).status()?;
            if !status.success() {
                return Err(other("chown of the cluster directory to postgres failed".into()));
            }
        }
        let mut cluster = Cluster { dir, bin, port: 0, options, running: false };
        let out = cluster.program(
            "initdb",
            &["-D", &cluster.data().to_string_lossy(), "-A", "trust", "-U", USER, "-E", "UTF8", "--no-instructions"],
        )?;
        check(&out, "initdb")?;
        // A port can be taken between finding it free and the server binding it: try a few.
        let mut last = None;
        for _ in 0..5 {
            cluster.port = free_port()?;
            match cluster.start_server() {
                Ok(()) => {
                    last = None;
                    break;
                }
                Err(e) => last = Some(e),
            }
        }
        if let Some(e) = last {
            return Err(e);
        }
        let out =
            cluster.program("createdb", &["-h", "127.0.0.1", "-p", &cluster.port.to_string(), "-U", USER, DATABASE])?;
        check(&out, "createdb")?;
        Ok(cluster)
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn program(&self, name: &str, args: &[&str]) -> Result<Output> {
        let path = self.bin.join(name);
        let mut cmd = if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&path);
            c
        } else {
            Command::new(&path)
        };
        cmd.args(args).stdin(Stdio::null()).current_dir(self.dir.path());
        cmd.output().map_err(|e| other(format!("could not run {}: {e}", path.display())))
    }

    fn start_server(&mut self) -> Result<()> {
        let settings = format!(
            "-p {} -k {} -h 127.0.0.1 -c fsync={} -c synchronous_commit={} -c full_page_writes={} -c max_connections={}",
            self.port,
            self.dir.path().display(),
            on_off(self.options.fsync),
            on_off(self.options.fsync),
            on_off(self.options.fsync),
            self.options.max_connections,
        );
        // Extra server settings for profiling by hand (`-c shared_preload_libraries=…`).
        let settings = match std::env::var("QINGFENG_PGCLUSTER_SETTINGS") {
            Ok(extra) => format!("{settings} {extra}"),
            Err(_) => settings,
        };
        let log = self.dir.path().join("server.log");
        let out = self.program(
            "pg_ctl",
            &[
                "-D",
                &self.data().to_string_lossy(),
                "-o",
                &settings,
                "-l",
                &log.to_string_lossy(),
                "-w",
                "-t",
                "60",
                "start",
            ],
        )?;
        if !out.status.success() {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            return Err(other(format!("pg_ctl start failed: {}\n{log}", String::from_utf8_lossy(&out.stderr))));
        }
        self.running = true;
        Ok(())
    }

    /// `postgres://hub@127.0.0.1:PORT/hub`.
    pub fn url(&self) -> String {
        format!("postgres://{USER}@127.0.0.1:{}/{DATABASE}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The postmaster's pid, from its pid file.
    pub fn pid(&self) -> Option<u32> {
        let text = std::fs::read_to_string(self.data().join("postmaster.pid")).ok()?;
        text.lines().next()?.trim().parse().ok()
    }

    /// Runs SQL through `psql` as the cluster's user in `database`; returns its output (unaligned,
    /// tuples only).
    pub fn psql(&self, database: &str, sql: &str) -> Result<String> {
        let psql = self.bin.join("psql");
        let out = Command::new(psql)
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", USER, "-d", database])
            .args(["-v", "ON_ERROR_STOP=1", "-At", "-c", sql])
            .stdin(Stdio::null())
            .output()?;
        check(&out, "psql")?;
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Runs one of the cluster's programs (`pg_dump`, `pg_restore`, …) with the connection
    /// arguments first.
    pub fn tool(&self, name: &str, args: &[&str]) -> Result<Output> {
        Command::new(self.bin.join(name))
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", USER])
            .args(args)
            .stdin(Stdio::null())
            .output()
    }

    /// Stops the server gracefully (`pg_ctl stop -m fast`), then by its pid if it is still there.
    pub fn stop(&mut self) -> Result<()> {
        if !self.running {
            return Ok(());
        }
        let pid = self.pid();
        let out =
            self.program("pg_ctl", &["-D", &self.data().to_string_lossy(), "-m", "fast", "-w", "-t", "30", "stop"]);
        self.running = false;
        if out.as_ref().is_ok_and(|o| o.status.success()) {
            return Ok(());
        }
        if let Some(pid) = pid {
            kill(pid, "KILL");
        }
        Ok(())
    }

    /// Kills the postmaster with SIGKILL, as a crash of the database server would.
    pub fn crash(&mut self) {
        if let Some(pid) = self.pid() {
            kill(pid, "KILL");
            let deadline = Instant::now() + Duration::from_secs(10);
            while alive(pid) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            // The backends notice their postmaster is gone within a moment; wait until the port
            // is free so a restart can bind it.
            let deadline = Instant::now() + Duration::from_secs(20);
            while Instant::now() < deadline && std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                std::thread::sleep(Duration::from_millis(50));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        // What a crashed postmaster leaves behind would stop the next one from starting.
        let _ = std::fs::remove_file(self.data().join("postmaster.pid"));
        let _ = std::fs::remove_file(self.dir.path().join(format!(".s.PGSQL.{}", self.port)));
        let _ = std::fs::remove_file(self.dir.path().join(format!(".s.PGSQL.{}.lock", self.port)));
        self.running = false;
    }

    /// Starts the server again on the same port and data (after [`Cluster::stop`] or a crash).
    pub fn restart(&mut self) -> Result<()> {
        if self.running {
            return Ok(());
        }
        self.start_server()
    }

    pub fn is_running(&self) -> bool {
        self.running
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// Runs SQL with `psql` on the server at `url` (a `postgres://` connection string).
pub fn psql_url(url: &str, sql: &str) -> Result<String> {
    let out = Command::new(bin_dir()?.join("psql"))
        .arg(url)
        .args(["-v", "ON_ERROR_STOP=1", "-At", "-c", sql])
        .stdin(Stdio::null())
        .output()?;
    check(&out, "psql")?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Makes a new, empty schema on the server at `url` and returns a connection string whose
/// connections use it (`options=-csearch_path=…`): one hub per test on one shared server.
pub fn fresh_schema(url: &str) -> Result<String> {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let schema =
        format!("t_{}_{}_{nanos}", std::process::id(), NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    psql_url(url, &format!("CREATE SCHEMA {schema}"))?;
    let join = if url.contains('?') { '&' } else { '?' };
    Ok(format!("{url}{join}options=-csearch_path%3D{schema}"))
}

/// Whether a process runs (a zombie left for a parent that does not reap it counts as gone).
pub fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|stat| stat.rsplit_once(')').is_some_and(|(_, rest)| !rest.trim_start().starts_with('Z')))
}

fn on_off(b: bool) -> &'static str {
    if b { "on" } else { "off" }
}

fn kill(pid: u32, signal: &str) {
    let _ = Command::new("kill").args([format!("-{signal}"), pid.to_string()]).stderr(Stdio::null()).status();
}

fn check(out: &Output, what: &str) -> Result<()> {
    if out.status.success() {
        Ok(())
    } else {
        Err(other(format!(
            "{what} failed: {}{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        )))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_cluster_starts_answers_and_stops_by_its_pid() {
        let mut cluster = Cluster::start().unwrap();
        assert_eq!(cluster.psql(DATABASE, "SELECT 40 + 2").unwrap().trim(), "42");
        let pid = cluster.pid().unwrap();
        cluster.stop().unwrap();
        assert!(!alive(pid), "the postmaster is gone");
        cluster.restart().unwrap();
        assert_eq!(cluster.psql(DATABASE, "SELECT 1").unwrap().trim(), "1");
    }
}
