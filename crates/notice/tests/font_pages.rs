//! The CJK font files are mapped, not copied onto the heap, and a render leaves no more than a
//! small part of them in the process's memory (issue #18: the desktop held about 90 MB of font
//! files for the rest of the day after its first notice). Its own test binary, so no other test
//! renders in the same process while the pages are counted.

use chrono::NaiveDate;
use qingfeng_notice::templates::{self, example_fields};
use qingfeng_notice::{FontSet, Header, NoticeKind, Renderer};

/// Size and resident bytes of this process's mappings of the given files, from /proc/self/smaps.
fn mapped(paths: &[std::path::PathBuf]) -> (u64, u64) {
    let smaps = std::fs::read_to_string("/proc/self/smaps").expect("Linux /proc");
    let (mut size, mut rss, mut counting) = (0, 0, false);
    for line in smaps.lines() {
        let first = line.split_whitespace().next().unwrap_or("");
        if first
            .split_once('-')
            .is_some_and(|(a, b)| u64::from_str_radix(a, 16).is_ok() && u64::from_str_radix(b, 16).is_ok())
        {
            counting = paths.iter().any(|p| line.ends_with(&*p.to_string_lossy()));
        } else if counting {
            let kib = |rest: &str| rest.trim().trim_end_matches("kB").trim().parse::<u64>().expect("kB") * 1024;
            if let Some(rest) = line.strip_prefix("Size:") {
                size += kib(rest);
            } else if let Some(rest) = line.strip_prefix("Rss:") {
                rss += kib(rest);
            }
        }
    }
    (size, rss)
}

#[test]
fn font_files_are_mapped_and_let_go_after_a_render() {
    let fonts = FontSet::discover().expect("fonts are installed (cargo xtask setup)");
    let mut paths: Vec<_> = fonts.roles().iter().map(|r| r.path.clone()).collect();
    paths.dedup();
    let on_disk: u64 = paths.iter().map(|p| std::fs::metadata(p).expect("font file").len()).sum();
    let renderer = Renderer::new(fonts).expect("renderer");
    let header = Header {
        office_name: "中共某某县纪律检查委员会".into(),
        doc_number: Some("某纪告〔2026〕12号".into()),
        date: NaiveDate::from_ymd_opt(2026, 3, 10).expect("date"),
        seal_guide: false,
    };
    let template = templates::default_for(NoticeKind::Acceptance);
    let fields = example_fields(NoticeKind::Acceptance);
    let first = renderer.render(&template, &fields, &header).expect("renders");

    let (size, rss) = mapped(&paths);
    assert!(size >= on_disk, "the font files should be mapped whole ({size} of {on_disk} bytes mapped)");
    assert!(rss * 10 < on_disk, "after a render {rss} of the fonts' {on_disk} bytes are still in memory");

    // Pages let go are read back from the file: the next render is the same document.
    let second = renderer.render(&template, &fields, &header).expect("renders again");
    assert_eq!(first, second);
}
