//! Printing through CUPS for real: a private `cupsd` with its own configuration directory and
//! socket, the cups-pdf virtual printer, an issued notice printed and found as a PDF under the
//! user's ~/PDF; and the failures an officer meets (no `lp`, no default printer, an unknown
//! printer, a paused printer, no scheduler), each with its Chinese message.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant, SystemTime};

use common::*;
use qingfeng_documents::print::{Cups, JobStatus};
use qingfeng_documents::{DocumentError, NoticeKind, NoticeRequest, Record, stored_pdf};

/// A cupsd started for one test, stopped (by its pid) when dropped.
struct Cupsd {
    child: Child,
    dir: tempfile::TempDir,
}

impl Cupsd {
    fn socket(&self) -> PathBuf {
        self.dir.path().join("cups.sock")
    }

    fn cups(&self) -> Cups {
        Cups::system().with_env("CUPS_SERVER", self.socket())
    }
}

impl Drop for Cupsd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts a private scheduler with the cups-pdf printer `QF_PDF`. `cargo xtask setup` installs
/// what it needs, so a missing piece fails the test rather than passing it unseen.
fn start_cupsd() -> Cupsd {
    assert!(
        Path::new("/usr/sbin/cupsd").exists() && Path::new("/usr/lib/cups/backend/cups-pdf").exists(),
        "cupsd or cups-pdf is not installed (cargo xtask setup, or apt-get install cups cups-client cups-bsd printer-driver-cups-pdf)"
    );
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Filters run as the unprivileged `lp` user and must reach the spool inside this directory.
    std::fs::set_permissions(d, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    for sub in ["etc/ppd", "spool", "tmp", "state", "cache"] {
        std::fs::create_dir_all(d.join(sub)).unwrap();
    }
    // The filters (pdftops) write their temporary files here as `lp`; without write access the
    // job stops with "Unable to copy PDF file" and cups-pdf writes an empty page.
    std::fs::set_permissions(d.join("tmp"), std::os::unix::fs::PermissionsExt::from_mode(0o1777)).unwrap();
    let allow = "Order allow,deny\n  Allow all";
    std::fs::write(
        d.join("cupsd.conf"),
        format!(
            "Listen {}\nLogLevel warn\nWebInterface No\nBrowsing No\n<Location />\n  {allow}\n</Location>\n<Location /admin>\n  {allow}\n</Location>\n",
            d.join("cups.sock").display()
        ),
    )
    .unwrap();
    let p = |s: &str| d.join(s).display().to_string();
    std::fs::write(
        d.join("cups-files.conf"),
        format!(
            "ServerRoot {}\nRequestRoot {}\nTempDir {}\nStateDir {}\nCacheDir {}\nErrorLog {}\nAccessLog {}\nPageLog {}\n",
            p("etc"),
            p("spool"),
            p("tmp"),
            p("state"),
            p("cache"),
            p("error_log"),
            p("access_log"),
            p("page_log")
        ),
    )
    .unwrap();
    let child = Command::new("/usr/sbin/cupsd")
        .arg("-f")
        .arg("-c")
        .arg(d.join("cupsd.conf"))
        .arg("-s")
        .arg(d.join("cups-files.conf"))
        .spawn()
        .unwrap();
    let cupsd = Cupsd { child, dir };
    let started = Instant::now();
    while !cupsd.socket().exists() {
        assert!(started.elapsed() < Duration::from_secs(10), "cupsd did not open its socket");
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = Command::new("lpadmin")
        .env("CUPS_SERVER", cupsd.socket())
        .args(["-p", "QF_PDF", "-v", "cups-pdf:/", "-E", "-m", "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"])
        .output()
        .expect("lpadmin (cups-client)");
    assert!(out.status.success(), "lpadmin: {}", String::from_utf8_lossy(&out.stderr));
    cupsd
}

/// Where cups-pdf writes a job of this user: `Out ${HOME}/PDF` in /etc/cups/cups-pdf.conf.
fn pdf_dir() -> PathBuf {
    PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| "/root".into())).join("PDF")
}

#[test]
fn an_issued_notice_prints_on_the_cups_pdf_printer() {
    let cupsd = start_cupsd();
    let cups = cupsd.cups();
    let printers = cups.printers().unwrap();
    assert_eq!(printers.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["QF_PDF"]);
    assert!(!printers[0].is_default);

    let mut o = office();
    let xinfang = o.xinfang.clone();
    let id = accepted(&mut o);
    let doc = notices()
        .issue(&mut o.store, &xinfang, &NoticeRequest::new(NoticeKind::Acceptance, Record::Complaint(id)))
        .unwrap();
    let (_, pdf) = stored_pdf(&mut o.store, &xinfang, &doc.number).unwrap();

    let started = SystemTime::now() - Duration::from_secs(1);
    let job = cups.print_bytes(&pdf, Some("QF_PDF"), &doc.number).unwrap();
    let job_id = job.job_id.clone().expect("lp names the job");
    assert!(job_id.starts_with("QF_PDF-"), "{job_id}");
    let number = job_id.rsplit('-').next().unwrap().to_owned();

    // cups-pdf writes <user>_<title or PDF-job>_<n>.pdf within a few seconds.
    let deadline = Instant::now() + Duration::from_secs(30);
    let found = loop {
        let hit = std::fs::read_dir(pdf_dir()).ok().and_then(|entries| {
            entries.filter_map(|e| e.ok()).map(|e| e.path()).find(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                name.ends_with(&format!("job_{number}.pdf"))
                    && std::fs::metadata(p).and_then(|m| m.modified()).is_ok_and(|t| t >= started)
                    && std::fs::metadata(p).is_ok_and(|m| m.len() > 0)
            })
        });
        if let Some(p) = hit {
            break p;
        }
        assert!(Instant::now() < deadline, "no PDF from cups-pdf in {}", pdf_dir().display());
        std::thread::sleep(Duration::from_millis(200));
    };
    // CUPS lists the job as completed once cups-pdf has written it.
    let status = (0..100)
        .map(|_| {
            let s = cups.job_status(&job_id).unwrap();
            if s != JobStatus::Completed {
                std::thread::sleep(Duration::from_millis(100));
            }
            s
        })
        .find(|s| *s == JobStatus::Completed);
    assert_eq!(status, Some(JobStatus::Completed));
    // The printed file is a PDF of the notice (cups-pdf re-distills it, so bytes differ).
    std::thread::sleep(Duration::from_millis(300));
    let printed = std::fs::read(&found).unwrap();
    std::fs::remove_file(&found).unwrap();
    assert!(printed.starts_with(b"%PDF"), "{}", found.display());
    // cups-pdf re-distills through Ghostscript, which keeps the glyphs as drawings without their
    // text, so the page count, size and look are what can be checked here.
    let printed_path = o.dir.path().join("printed.pdf");
    std::fs::write(&printed_path, &printed).unwrap();
    let info = Command::new("pdfinfo").arg(&printed_path).output().expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    assert!(info.lines().any(|l| l.starts_with("Pages:") && l.trim_end().ends_with(" 1")), "{info}");
    assert!(info.contains("595") && info.contains("842"), "an A4 page: {info}");
    // And it is the notice, not an empty page: drawn in grey at 30 dpi, the printed page and the
    // stored one differ by little on average, and carry about as much ink.
    let stored_path = o.dir.path().join("stored.pdf");
    std::fs::write(&stored_path, &pdf).unwrap();
    let (printed_page, stored_page) = (grey_page(&printed_path), grey_page(&stored_path));
    let (ink_printed, ink_stored) = (ink(&printed_page), ink(&stored_page));
    assert!(ink_stored > 500, "the stored page has {ink_stored} inked pixels");
    assert!(ink_printed.abs_diff(ink_stored) * 5 < ink_stored, "printed page ink {ink_printed} vs stored {ink_stored}");
    let diff = mean_difference(&printed_page, &stored_page);
    assert!(diff < 8.0, "printed and stored pages differ by {diff:.1} grey levels on average");

    // No default printer on this scheduler: the officer is told to choose one.
    let err = cups.print_bytes(&pdf, None, "x").unwrap_err();
    assert!(matches!(err, DocumentError::NoDefaultPrinter), "{err:?}");
    assert!(err.to_string().contains("请选择一台打印机"), "{err}");
    // An unknown printer is named.
    let err = cups.print_bytes(&pdf, Some("NO_SUCH_PRINTER"), "x").unwrap_err();
    assert!(matches!(err, DocumentError::UnknownPrinter(ref p) if p == "NO_SUCH_PRINTER"), "{err:?}");
    assert!(err.to_string().contains("打印机“NO_SUCH_PRINTER”不存在"), "{err}");

    // A paused printer (as CUPS leaves one after a failed job) is refused before anything is
    // queued, with CUPS's reason and what to do.
    let cups_admin = |program: &str, args: &[&str]| {
        let out = Command::new(program).env("CUPS_SERVER", cupsd.socket()).args(args).output().expect("cups-client");
        assert!(out.status.success(), "{program}: {}", String::from_utf8_lossy(&out.stderr));
    };
    cups_admin("cupsdisable", &["-r", "Job stopped due to filter errors", "QF_PDF"]);
    let err = cups.print_bytes(&pdf, Some("QF_PDF"), "x").unwrap_err();
    assert!(matches!(err, DocumentError::PrinterPaused { ref printer, .. } if printer == "QF_PDF"), "{err:?}");
    assert_eq!(err.code(), "printer_paused");
    let text = err.to_string();
    assert!(text.contains("打印机“QF_PDF”已暂停（原因：Job stopped due to filter errors）"), "{text}");
    assert!(text.contains("cupsenable QF_PDF") && text.contains("另存为PDF"), "{text}");
    let queued = Command::new("lpstat").env("CUPS_SERVER", cupsd.socket()).arg("-o").output().unwrap();
    assert!(String::from_utf8_lossy(&queued.stdout).trim().is_empty(), "nothing was queued");
    // A job queued before the printer was paused (here: sent past the check with `lp` itself)
    // reports as stopped, with the reason, rather than as printing.
    let file = o.dir.path().join("queued.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let out = Command::new("lp")
        .env("CUPS_SERVER", cupsd.socket())
        .env("LC_ALL", "C")
        .args(["-d", "QF_PDF"])
        .arg(&file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let held = stdout.split_whitespace().skip_while(|w| *w != "is").nth(1).expect("lp names the job").to_owned();
    assert_eq!(
        cups.job_status(&held).unwrap(),
        JobStatus::Stopped { reason: "（原因：Job stopped due to filter errors）".into() }
    );
    assert_eq!(cups.job_status("QF_PDF-999").unwrap(), JobStatus::Unknown);
    drop(cupsd);
}

/// A PDF's first page in grey at 30 dpi (pdftoppm's PGM): width, height and one byte per pixel.
fn grey_page(pdf: &Path) -> (usize, usize, Vec<u8>) {
    let out = Command::new("pdftoppm")
        .args(["-r", "30", "-gray", "-f", "1", "-l", "1"])
        .arg(pdf)
        .output()
        .expect("pdftoppm (poppler-utils)");
    assert!(out.status.success(), "pdftoppm {}", pdf.display());
    // "P5\n<w> <h>\n255\n" then the pixels.
    let mut fields = Vec::new();
    let mut start = 0;
    for (i, b) in out.stdout.iter().enumerate() {
        if b.is_ascii_whitespace() {
            if i > start {
                fields.push(std::str::from_utf8(&out.stdout[start..i]).unwrap().to_owned());
            }
            start = i + 1;
            if fields.len() == 4 {
                break;
            }
        }
    }
    assert_eq!(fields[0], "P5");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let pixels = out.stdout[start..].to_vec();
    assert_eq!(pixels.len(), w * h);
    (w, h, pixels)
}

/// Pixels darker than light grey.
fn ink(page: &(usize, usize, Vec<u8>)) -> usize {
    page.2.iter().filter(|&&p| p < 200).count()
}

/// The mean absolute grey difference over the area both pages cover (their sizes may differ by a
/// pixel after CUPS re-fits the page).
fn mean_difference(a: &(usize, usize, Vec<u8>), b: &(usize, usize, Vec<u8>)) -> f64 {
    let (w, h) = (a.0.min(b.0), a.1.min(b.1));
    let mut total = 0u64;
    for y in 0..h {
        for x in 0..w {
            total += u64::from(a.2[y * a.0 + x].abs_diff(b.2[y * b.0 + x]));
        }
    }
    total as f64 / (w * h) as f64
}

#[test]
fn printing_without_lp_says_to_install_cups_client() {
    let empty = tempfile::tempdir().unwrap();
    let cups = Cups::system().with_env("PATH", empty.path());
    let err = cups.print_bytes(b"%PDF-1.7", Some("PDF"), "x").unwrap_err();
    assert!(matches!(err, DocumentError::LpMissing), "{err:?}");
    assert!(err.to_string().contains("cups-client"), "{err}");
    assert_eq!(err.code(), "lp_missing");
    assert!(matches!(cups.printers(), Err(DocumentError::LpMissing)));
}

#[test]
fn printing_with_no_scheduler_says_to_start_it() {
    assert!(
        Command::new("lp").arg("--help").output().is_ok(),
        "lp is not installed (cargo xtask setup, or apt-get install cups-client)"
    );
    let dir = tempfile::tempdir().unwrap();
    let cups = Cups::system().with_env("CUPS_SERVER", dir.path().join("nobody-listens.sock"));
    let err = cups.print_bytes(b"%PDF-1.7", Some("PDF"), "x").unwrap_err();
    assert!(matches!(err, DocumentError::SchedulerDown), "{err:?}");
    // The officer is told what to do now, without the name of a daemon or a command.
    assert!(
        err.to_string().contains("打印服务没有运行")
            && err.to_string().contains("另存为PDF")
            && !err.to_string().contains("cups"),
        "{err}"
    );
    assert!(matches!(cups.printers(), Err(DocumentError::SchedulerDown)));
}
