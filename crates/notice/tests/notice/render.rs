//! Every built-in notice renders to a valid, deterministic PDF whose text is what the template says.

use crate::common::{header, page_count, pdftotext, renderer, write};
use qingfeng_notice::templates::{self, example_fields};
use qingfeng_notice::{Fields, FontSet, NoticeKind, Renderer};

#[test]
fn every_default_kind_renders_a_valid_pdf() {
    let defaults = templates::defaults();
    // One built-in template per kind, no more.
    assert_eq!(defaults.len(), NoticeKind::ALL.len());
    for kind in NoticeKind::ALL {
        let template = defaults.iter().find(|t| t.kind() == kind).expect("a template per kind");
        let pdf = renderer().render(template, &example_fields(kind), &header()).expect("renders");
        assert!(pdf.starts_with(b"%PDF-"), "{kind:?} is not a PDF");
        let path = write(&format!("{}.pdf", kind.as_str()), &pdf);
        assert_eq!(page_count(&path), 1, "{kind:?} should fit one page");
        let text = pdftotext(&path);
        let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let title: String = template.title().chars().filter(|c| !c.is_whitespace()).collect();
        assert!(squeezed.contains(&title), "{kind:?}: title missing from\n{text}");
        assert!(squeezed.contains("—1—"), "{kind:?}: page number missing");
    }
}

#[test]
fn the_acceptance_notice_reads_as_expected() {
    let t = templates::default_for(NoticeKind::Acceptance);
    let pdf = renderer().render(&t, &example_fields(NoticeKind::Acceptance), &header()).expect("renders");
    let text = pdftotext(&write("acceptance-text.pdf", &pdf));
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for expected in [
        "受理告知书",
        "某纪告〔2026〕12号",
        "张某某：",
        "你于2026年3月2日通过来信反映某镇某村党支部书记李某某有关问题的检举控告",
        "特此告知。",
        "中共某某县纪律检查委员会",
        "2026年3月10日",
    ] {
        assert!(squeezed.contains(expected), "missing “{expected}” in\n{text}");
    }
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let t = templates::default_for(NoticeKind::Rectification);
    let fields = example_fields(NoticeKind::Rectification);
    let a = renderer().render(&t, &fields, &header()).expect("renders");
    let b = renderer().render(&t, &fields, &header()).expect("renders");
    assert_eq!(a, b, "a warm re-render differs");
    // A second renderer (as after a restart) must give the same bytes too.
    let fresh = Renderer::new(FontSet::discover().expect("fonts")).expect("renderer");
    let c = fresh.render(&t, &fields, &header()).expect("renders");
    assert_eq!(a, c, "a fresh renderer gives different bytes");
    // And a different number gives different bytes.
    let mut h = header();
    h.doc_number = Some("某纪告〔2026〕13号".into());
    assert_ne!(a, renderer().render(&t, &fields, &h).expect("renders"));
}

#[test]
fn a_preview_without_number_renders_with_a_seal_guide() {
    let t = templates::default_for(NoticeKind::Inquiry);
    let mut h = header();
    h.doc_number = None;
    h.seal_guide = true;
    let pdf = renderer().render(&t, &example_fields(NoticeKind::Inquiry), &h).expect("renders");
    let text = pdftotext(&write("inquiry-preview.pdf", &pdf));
    assert!(!text.contains('〔'), "a preview shows no number:\n{text}");
    assert!(text.contains("附件：函询问题"), "{text}");
}

#[test]
fn a_long_notice_breaks_onto_numbered_pages() {
    let t = templates::default_for(NoticeKind::ResultFeedback);
    let long: Vec<String> = (1..=40)
        .map(|i| format!("第{i}项：经核查，反映的问题部分属实，已依规依纪作出处理，并督促所在单位完成整改。"))
        .collect();
    let fields = example_fields(NoticeKind::ResultFeedback).with("result", long.join("\n"));
    let pdf = renderer().render(&t, &fields, &header()).expect("renders");
    let path = write("long.pdf", &pdf);
    let pages = page_count(&path);
    assert!(pages >= 3, "expected several pages, got {pages}");
    let text: String = pdftotext(&path).chars().filter(|c| !c.is_whitespace()).collect();
    assert!(text.contains("—2—") && text.contains("—3—"), "page numbers missing:\n{text}");
}

#[test]
fn optional_paragraphs_disappear_without_their_field() {
    let t = templates::default_for(NoticeKind::Acceptance);
    let mut fields = example_fields(NoticeKind::Acceptance);
    fields.0.remove("contact");
    let pdf = renderer().render(&t, &fields, &header()).expect("renders");
    let text = pdftotext(&write("acceptance-no-contact.pdf", &pdf));
    assert!(!text.contains("联系"), "the contact paragraph should be gone:\n{text}");
    let _ = Fields::new();
}
