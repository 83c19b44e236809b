//! Helpers shared by the notice tests: one renderer per test binary, a sample header, poppler tools.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use chrono::NaiveDate;
use qingfeng_notice::{FontSet, Header, Renderer};

/// One renderer for the whole test binary: loading the fonts is the slow part.
pub fn renderer() -> &'static Renderer {
    static R: OnceLock<Renderer> = OnceLock::new();
    R.get_or_init(|| {
        Renderer::new(FontSet::discover().expect("fonts are installed (cargo xtask setup)")).expect("renderer")
    })
}

pub fn header() -> Header {
    Header {
        office_name: "中共某某县纪律检查委员会".into(),
        doc_number: Some("某纪告〔2026〕12号".into()),
        date: NaiveDate::from_ymd_opt(2026, 3, 10).expect("date"),
        seal_guide: false,
    }
}

/// Where rendered files go, so a person can look at them after a run.
pub fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("notices");
    std::fs::create_dir_all(&dir).expect("create output dir");
    dir
}

pub fn write(name: &str, pdf: &[u8]) -> PathBuf {
    let path = out_dir().join(name);
    std::fs::write(&path, pdf).expect("write pdf");
    path
}

/// The PDF's text as poppler reads it (with the layout kept).
pub fn pdftotext(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext runs (poppler-utils is on the setup list)");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The number of pages, from pdfinfo; also proves the file is a PDF poppler accepts.
pub fn page_count(path: &Path) -> usize {
    let out = Command::new("pdfinfo").arg(path).output().expect("pdfinfo runs");
    assert!(out.status.success(), "pdfinfo rejects {}: {}", path.display(), String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo prints the page count")
}
