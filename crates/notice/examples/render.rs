//! Renders every built-in notice with example values into a directory and prints how long the
//! font loading, the first (cold) render and later (warm) renders take.
//!
//! `cargo run --release -p qingfeng-notice --example render -- OUT_DIR`

use std::time::Instant;

use chrono::NaiveDate;
use qingfeng_notice::templates::{self, example_fields};
use qingfeng_notice::{FontSet, Header, Renderer};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args().nth(1).unwrap_or_else(|| "notices".into());
    std::fs::create_dir_all(&out)?;
    let start = Instant::now();
    let fonts = FontSet::discover()?;
    let loaded = start.elapsed();
    for r in fonts.roles() {
        println!("{:?}: {} ({}) from {}", r.role, r.family, r.weight, r.path.display());
    }
    let renderer = Renderer::new(fonts)?;
    let ready = start.elapsed();
    let header = Header {
        office_name: "中共某某县纪律检查委员会".into(),
        doc_number: Some("某纪告〔2026〕12号".into()),
        date: NaiveDate::from_ymd_opt(2026, 3, 10).ok_or("date")?,
        seal_guide: false,
    };
    let mut first = None;
    for t in templates::defaults() {
        let t0 = Instant::now();
        let pdf = renderer.render(&t, &example_fields(t.kind()), &header)?;
        let took = t0.elapsed();
        first.get_or_insert(took);
        std::fs::write(format!("{out}/{}.pdf", t.kind().as_str()), &pdf)?;
        println!("{:<20} {:>6} bytes {:>8.1} ms", t.kind().as_str(), pdf.len(), took.as_secs_f64() * 1000.0);
    }
    // Warm: the same notice with a different number each time, as issuing does.
    let t = templates::default_for(qingfeng_notice::NoticeKind::Acceptance);
    let fields = example_fields(t.kind());
    let mut times = Vec::new();
    for i in 1..=50 {
        let mut h = header.clone();
        h.doc_number = Some(format!("某纪告〔2026〕{i}号"));
        let t0 = Instant::now();
        renderer.render(&t, &fields, &h)?;
        times.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "fonts loaded in {:.0} ms; renderer ready in {:.0} ms",
        loaded.as_secs_f64() * 1000.0,
        ready.as_secs_f64() * 1000.0
    );
    println!("first render (cold) {:.1} ms", first.unwrap_or_default().as_secs_f64() * 1000.0);
    println!("warm acceptance notice: median {:.1} ms, p95 {:.1} ms, max {:.1} ms", times[25], times[47], times[49]);
    Ok(())
}
