//! The analysis report end to end through the real store and renderers (issue #19 item 4): the
//! PDF, read back with pdftotext, holds the title, the sections and the store's figures; the DOCX
//! is a real Word package whose document.xml holds the same numbers; neither names a reporter.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use qingfeng_core::analysis::report::ReportRequest;
use qingfeng_core::complaints::ops;

/// The text of `word/document.xml` in a DOCX, through `unzip` as any office machine has it.
fn document_xml(dir: &std::path::Path, docx: &[u8]) -> String {
    let path = dir.join("report.docx");
    std::fs::write(&path, docx).unwrap();
    let out = std::process::Command::new("unzip").arg("-p").arg(&path).arg("word/document.xml").output().unwrap();
    assert!(out.status.success(), "the DOCX is a zip with word/document.xml: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_report_pdf_and_docx_hold_the_figures_and_no_reporter() {
    let mut o = office();
    // Three complaints in February (two about 区城管局), one in March about another unit.
    register(&mut o, true, false);
    register(&mut o, true, false);
    let mut other = form(false, true);
    other.received_at = "2026-03-01".into();
    other.categories = vec!["形式主义、官僚主义".into()];
    other.subjects[0].unit = "区教育局".into();
    ops::register(&mut o.store, &o.xinfang, &other).unwrap();
    penalty(&mut o, false);

    let req = ReportRequest { from: "2026-01-01".into(), to: "2026-03-31".into(), theme: None, unit: None };
    let lingdao = o.lingdao.clone();
    let out = notices().analysis_report(&mut o.store, &lingdao, &req).unwrap();
    assert_eq!(out.report.total, 3);
    assert!(out.pdf.starts_with(b"%PDF-"));

    let text = pdftotext(o.dir.path(), "report.pdf", &out.pdf);
    for expected in [
        "关于2026年第一季度检举控告情况的综合分析报告",
        "一、基本情况",
        "二、主要问题",
        "三、意见建议",
        "共受理检举控告3件",
        "违反廉洁纪律2件（占66.6%）",
        "区城管局被反映2件",
        "检举控告数量月度趋势",
        "问题类别分布",
        "整改落实进度",
    ] {
        assert!(text.contains(expected), "the PDF says {expected}: {text}");
    }
    for secret in [REPORTER_NAME, REPORTER_CONTACT, REPORTER_ADDRESS, SUBJECT_NAME, CONTENT] {
        assert!(!text.contains(secret), "the PDF must not carry {secret}");
    }

    let xml = document_xml(o.dir.path(), &out.docx);
    let words: String = xml.split('<').filter_map(|t| t.split_once('>').map(|(_, s)| s)).collect();
    for expected in [
        "关于2026年第一季度检举控告情况的综合分析报告",
        "共受理检举控告3件",
        "违反廉洁纪律2件（占66.6%）",
        "问题类别分布",
    ] {
        assert!(words.contains(expected), "the DOCX says {expected}: {words}");
    }
    for secret in [REPORTER_NAME, REPORTER_CONTACT, SUBJECT_NAME] {
        assert!(!words.contains(secret), "the DOCX must not carry {secret}");
    }
}
