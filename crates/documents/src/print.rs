//! Printing PDF files through CUPS with its command-line client, `lp`.
//!
//! The desktop and the command line print the same way: `lp -d PRINTER -t TITLE FILE`. Using the
//! client keeps the program free of a CUPS library binding and behaves exactly as an administrator
//! testing the printer by hand would see it. `lp` runs with `LC_ALL=C` so its refusals can be told
//! apart (no default printer, unknown printer, scheduler down) and turned into Chinese messages
//! that say what to do; anything else is reported with `lp`'s own words.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Serialize;

use crate::error::{DocumentError, Result};

/// How to reach CUPS: the `lp` and `lpstat` programs and any environment they need (a
/// `CUPS_SERVER` for a private scheduler, a `PATH`).
#[derive(Debug, Clone)]
pub struct Cups {
    lp: PathBuf,
    lpstat: PathBuf,
    envs: Vec<(OsString, OsString)>,
}

/// A print job handed to CUPS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrintJob {
    /// The printer asked for, or `None` for the default one.
    pub printer: Option<String>,
    /// The job id CUPS gave (`PDF-3`), when `lp` printed it.
    pub job_id: Option<String>,
}

/// Where a print job stands, as CUPS reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum JobStatus {
    /// Waiting or printing.
    Queued,
    /// Printed (handed to the printer in full).
    Completed,
    /// Held in the queue because the printer is paused; it will not print until resumed.
    Stopped {
        /// What CUPS says, as "（原因：…）", or empty.
        reason: String,
    },
    /// CUPS no longer knows the job (its history was cleared) or cannot be asked.
    Unknown,
}

/// A printer CUPS knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrinterInfo {
    pub name: String,
    pub is_default: bool,
}

impl Cups {
    /// `lp` and `lpstat` from the `PATH`, with the process's environment.
    pub fn system() -> Cups {
        Cups { lp: "lp".into(), lpstat: "lpstat".into(), envs: Vec::new() }
    }

    /// Adds an environment variable for the CUPS programs (e.g. `CUPS_SERVER`).
    #[must_use]
    pub fn with_env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> Cups {
        self.envs.push((key.into(), value.into()));
        self
    }

    /// Runs a CUPS client command; a missing program means the CUPS client is not installed.
    fn run(cmd: &mut Command) -> Result<std::process::Output> {
        cmd.output().map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => DocumentError::LpMissing,
            _ => DocumentError::Io(e),
        })
    }

    fn command(&self, program: &Path) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("LC_ALL", "C").env("LANG", "C");
        for (k, v) in &self.envs {
            cmd.env(k, v);
        }
        cmd
    }

    /// Prints a PDF file on `printer`, or on the default printer when `None`.
    pub fn print_file(&self, file: &Path, printer: Option<&str>, title: &str) -> Result<PrintJob> {
        let printer = printer.map(str::trim).filter(|p| !p.is_empty());
        // A paused printer accepts jobs and keeps them forever; the officer would believe the
        // notice printed. Asked first, so the refusal comes before anything is queued.
        let target = printer.map(str::to_owned).or_else(|| self.default_printer());
        if let Some(name) = target
            && let Some(reason) = self.paused(&name)
        {
            return Err(DocumentError::PrinterPaused { printer: name, reason });
        }
        let mut cmd = self.command(&self.lp);
        if let Some(p) = printer {
            cmd.arg("-d").arg(p);
        }
        // The title names the job in the printer queue; a line break would confuse `lpstat`.
        let title: String = title.chars().filter(|c| !c.is_control()).collect();
        cmd.arg("-t").arg(title).arg("--").arg(file);
        let out = Self::run(&mut cmd)?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr).trim().to_owned();
        if !out.status.success() {
            let lower = stderr.to_lowercase();
            // Without a scheduler `lp` still says "no default destination" or "does not exist",
            // which would send the officer looking for a printer; ask the scheduler first.
            if !self.scheduler_running() {
                return Err(DocumentError::SchedulerDown);
            }
            return Err(if lower.contains("no default destination") {
                DocumentError::NoDefaultPrinter
            } else if lower.contains("does not exist") || lower.contains("not found") {
                DocumentError::UnknownPrinter(printer.unwrap_or_default().to_owned())
            } else if lower.contains("scheduler not responding") || lower.contains("unable to connect") {
                DocumentError::SchedulerDown
            } else if stderr.is_empty() {
                DocumentError::LpFailed(format!("退出码 {}", out.status.code().unwrap_or(-1)))
            } else {
                DocumentError::LpFailed(stderr)
            });
        }
        // "request id is PDF-3 (1 file(s))"
        let job_id = stdout.split_whitespace().skip_while(|w| *w != "is").nth(1).map(str::to_owned);
        Ok(PrintJob { printer: printer.map(str::to_owned), job_id })
    }

    /// Where the job `job_id` (`PDF-3`, as `lp` named it) stands. A job CUPS still holds is
    /// `Queued`, or `Stopped` when its printer is paused (CUPS pauses a printer whose job failed);
    /// one in the completed list is `Completed`.
    pub fn job_status(&self, job_id: &str) -> Result<JobStatus> {
        let Some((printer, _)) = job_id.rsplit_once('-') else {
            return Ok(JobStatus::Unknown);
        };
        let listed = |completed: bool| -> Result<Option<bool>> {
            let mut cmd = self.command(&self.lpstat);
            if completed {
                cmd.args(["-W", "completed"]);
            }
            let out = Self::run(cmd.arg("-o").arg(printer))?;
            if !out.status.success() {
                return Ok(None);
            }
            // "PDF-3   root   1024   Sat 21 Nov 2026 …": the job id is the first word.
            let stdout = String::from_utf8_lossy(&out.stdout);
            Ok(Some(stdout.lines().any(|l| l.split_whitespace().next() == Some(job_id))))
        };
        if listed(false)? == Some(true) {
            return Ok(match self.paused(printer) {
                Some(reason) => JobStatus::Stopped { reason },
                None => JobStatus::Queued,
            });
        }
        Ok(if listed(true)? == Some(true) { JobStatus::Completed } else { JobStatus::Unknown })
    }

    /// The system's default printer (`lpstat -d`), if there is one.
    fn default_printer(&self) -> Option<String> {
        let out = self.command(&self.lpstat).arg("-d").output().ok()?;
        // "system default destination: PDF" (or "no system default destination").
        let text = String::from_utf8_lossy(&out.stdout);
        text.trim().rsplit_once(": ").map(|(_, d)| d.trim().to_owned()).filter(|d| !d.is_empty())
    }

    /// If the printer is paused, why, as "（原因：…）" or "" when CUPS gives no reason; `None`
    /// when it is not paused or its state cannot be read (then `lp` itself reports whatever is
    /// wrong).
    fn paused(&self, printer: &str) -> Option<String> {
        let out = self.command(&self.lpstat).arg("-p").arg(printer).output().ok()?;
        if !out.status.success() {
            return None;
        }
        paused_reason(&String::from_utf8_lossy(&out.stdout))
    }

    /// Whether the CUPS scheduler answers (`lpstat -r`). When that cannot be asked, it is taken
    /// as running, so `lp`'s own message is reported.
    fn scheduler_running(&self) -> bool {
        match self.command(&self.lpstat).arg("-r").output() {
            Ok(out) => !String::from_utf8_lossy(&out.stdout).contains("not running"),
            Err(_) => true,
        }
    }

    /// Prints PDF bytes: writes them to a private temporary file (removed afterwards) and prints it.
    pub fn print_bytes(&self, pdf: &[u8], printer: Option<&str>, title: &str) -> Result<PrintJob> {
        let mut file = tempfile::Builder::new().prefix("qingfeng-notice-").suffix(".pdf").tempfile()?;
        file.write_all(pdf)?;
        file.flush()?;
        self.print_file(file.path(), printer, title)
    }

    /// The printers CUPS knows, the default one marked. No CUPS client, or no scheduler, gives
    /// the same errors as printing would.
    pub fn printers(&self) -> Result<Vec<PrinterInfo>> {
        if !self.scheduler_running() {
            return Err(DocumentError::SchedulerDown);
        }
        let out = Self::run(self.command(&self.lpstat).arg("-e"))?;
        let names = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            let lower = err.to_lowercase();
            if lower.contains("scheduler not responding") || lower.contains("unable to connect") {
                return Err(DocumentError::SchedulerDown);
            }
            // `lpstat -e` fails with "No destinations added." when there are none.
            if !lower.contains("no destinations") {
                return Err(DocumentError::LpFailed(err.trim().to_owned()));
            }
        }
        let default = self.default_printer();
        Ok(names
            .lines()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(|n| PrinterInfo { name: n.to_owned(), is_default: default.as_deref() == Some(n) })
            .collect())
    }
}

/// Reads `lpstat -p NAME` (in the C locale): "printer X disabled since … -" followed by indented
/// reason lines when paused; "printer X is idle.  enabled since …" otherwise.
fn paused_reason(lpstat: &str) -> Option<String> {
    let mut lines = lpstat.lines();
    let first = lines.next()?;
    if !first.starts_with("printer ") || !first.contains(" disabled since ") {
        return None;
    }
    let reason: Vec<&str> = lines.map(str::trim).filter(|l| !l.is_empty()).collect();
    Some(if reason.is_empty() || reason == ["reason unknown"] {
        String::new()
    } else {
        format!("（原因：{}）", reason.join(" "))
    })
}

#[cfg(test)]
mod tests {
    use super::paused_reason;

    #[test]
    fn reads_a_paused_printer_and_its_reason() {
        let out = "printer QF_PDF disabled since Sat Nov 21 15:41:54 2026 -\n\tJob stopped due to filter errors.\n";
        assert_eq!(paused_reason(out).as_deref(), Some("（原因：Job stopped due to filter errors.）"));
        assert_eq!(
            paused_reason("printer P disabled since Sat Nov 21 2026 -\n\treason unknown\n").as_deref(),
            Some("")
        );
        assert_eq!(paused_reason("printer QF_PDF is idle.  enabled since Sat Nov 21 15:41:54 2026\n"), None);
        assert_eq!(paused_reason(""), None);
    }
}
