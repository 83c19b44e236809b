//! Notice benchmarks, one JSON line each: the first render in a fresh process (fonts loaded and
//! Typst prepared, as when the program starts), warm renders, and whole issues (number, render,
//! PDF stored, event recorded, committed with FULL sync) on an encrypted store.
//!
//! `cargo bench -p qingfeng-documents --bench notice [-- RUNS]`. Targets: warm < 300 ms,
//! first < 2 s.

use std::time::Instant;

use chrono::NaiveDate;
use qingfeng_core::identity::Role;
use qingfeng_core::{KeySource, Store};
use qingfeng_documents::{NoticeKind, NoticeRequest, Notices, Record};
use qingfeng_notice::templates::{default_for, example_fields};
use qingfeng_notice::{Header, Renderer};

// The core benchmarks' shared pieces: timing, the JSON line, the benchmark office and login.
#[path = "../../core/benches/common/mod.rs"]
mod common;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // `cargo bench` passes `--bench`; a bare number sets the runs.
    let runs: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(50);
    let date = NaiveDate::from_ymd_opt(2026, 3, 10).ok_or("date")?;
    let header = |n: usize| Header {
        office_name: "五华区纪委监委".into(),
        doc_number: Some(format!("五纪受〔2026〕{n}号")),
        date,
        seal_guide: false,
    };
    let template = default_for(NoticeKind::Acceptance);
    let fields = example_fields(NoticeKind::Acceptance);

    // First: nothing loaded yet in this process.
    let t0 = Instant::now();
    let renderer = Renderer::with_system_fonts()?;
    renderer.render(&template, &fields, &header(1))?;
    println!("{{\"bench\":\"notice_render_first\",\"ms\":{:.1}}}", t0.elapsed().as_secs_f64() * 1000.0);

    let warm = common::time(runs, |i| {
        renderer.render(&template, &fields, &header(i + 2)).expect("render");
    });
    common::report("notice_render_warm", warm, "");

    // Issuing: an office on a fresh encrypted store; each issue is one transaction.
    let dir = tempfile::tempdir()?;
    let mut store = Store::create(&dir.path().join("q.db"), &KeySource::File(dir.path().join("q.key")))?;
    common::office(&mut store, &[("jiancha", Role::Supervision)]);
    let officer = common::login(&mut store, "jiancha");
    let notices = Notices::new(renderer);
    let issue = common::time(runs, |i| {
        let req = NoticeRequest::new(NoticeKind::Rectification, Record::None)
            .with_field("unit", &format!("五华区第{i}局"))
            .with_field("problems", "（一）公务接待管理不规范。\n（二）“三重一大”事项集体决策落实不到位。")
            .with_field("deadline", "2026-12-31");
        notices.issue(&mut store, &officer, &req).expect("issue");
    });
    common::report("notice_issue", issue, "");
    Ok(())
}
