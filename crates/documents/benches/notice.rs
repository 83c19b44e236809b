//! Notice benchmarks, one JSON line each: the first render in a fresh process (fonts loaded and
//! Typst prepared, as when the program starts), warm renders, and whole issues (number, render,
//! PDF stored, event recorded, committed with FULL sync) on an encrypted store.
//!
//! `cargo bench -p qingfeng-documents --bench notice [-- RUNS]`. Targets: warm < 300 ms,
//! first < 2 s.

use std::time::Instant;

use chrono::NaiveDate;
use qingfeng_core::accounts::{self, Channel, NewUser};
use qingfeng_core::api::SetupRequest;
use qingfeng_core::authz::Actor;
use qingfeng_core::identity::{OfficeLevel, Role};
use qingfeng_core::{KeySource, Store};
use qingfeng_documents::{NoticeKind, NoticeRequest, Notices, Record};
use qingfeng_notice::templates::{default_for, example_fields};
use qingfeng_notice::{Header, Renderer};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn report(name: &str, mut ms: Vec<f64>) {
    ms.sort_by(f64::total_cmp);
    println!(
        "{{\"bench\":\"{name}\",\"runs\":{},\"p50_ms\":{:.2},\"p95_ms\":{:.2}}}",
        ms.len(),
        percentile(&ms, 0.5),
        percentile(&ms, 0.95)
    );
}

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

    let mut warm = Vec::with_capacity(runs);
    for i in 0..runs {
        let t = Instant::now();
        renderer.render(&template, &fields, &header(i + 2))?;
        warm.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    report("notice_render_warm", warm);

    // Issuing: an office on a fresh encrypted store; each issue is one transaction.
    let dir = tempfile::tempdir()?;
    let mut store = Store::create(&dir.path().join("q.db"), &KeySource::File(dir.path().join("q.key")))?;
    let setup = SetupRequest {
        office_code: "530102".into(),
        office_name: "五华区纪委监委".into(),
        office_level: OfficeLevel::County,
        parent_code: None,
        admin_username: "admin".into(),
        admin_display_name: "张管理".into(),
        admin_password: "Admin#2026pass".into(),
    };
    let session = accounts::setup_office(&mut store, &setup, Channel::Cli)?;
    let admin = Actor::User(accounts::principal(&store, &session.session_id)?);
    let new = NewUser {
        username: "jiancha".into(),
        display_name: "王监察".into(),
        password: "Password#2026".into(),
        roles: vec![Role::Supervision],
    };
    accounts::add_user(&mut store, &admin, &new)?;
    let s = accounts::login(&mut store, "jiancha", "Password#2026", Channel::Cli)?;
    let officer = Actor::User(accounts::principal(&store, &s.session_id)?);
    let notices = Notices::new(renderer);
    let mut issue = Vec::with_capacity(runs);
    for i in 0..runs {
        let req = NoticeRequest::new(NoticeKind::Rectification, Record::None)
            .with_field("unit", &format!("五华区第{i}局"))
            .with_field("problems", "（一）公务接待管理不规范。\n（二）“三重一大”事项集体决策落实不到位。")
            .with_field("deadline", "2026-12-31");
        let t = Instant::now();
        notices.issue(&mut store, &officer, &req)?;
        issue.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    report("notice_issue", issue);
    Ok(())
}
