//! Bad input is refused with a clear Chinese message, and user text can never act as Typst markup.

use crate::common::{header, pdftotext, renderer, write};
use chrono::NaiveDate;
use qingfeng_notice::templates::{self, example_fields};
use qingfeng_notice::{FieldValue, FontSet, NoticeError, NoticeKind, Template};

const MINIMAL: &str = r#"
kind = "acceptance"
version = 7
title = "测试告知书"
addressee = "{{name}}："
body = """
这是正文，{{name}}。
"""

[[fields]]
name = "name"
label = "姓名"
type = "text"
"#;

#[test]
fn a_template_parses_from_text_and_keeps_its_source() {
    let t = Template::parse(MINIMAL).expect("parses");
    assert_eq!(t.kind(), NoticeKind::Acceptance);
    assert_eq!(t.version(), 7);
    assert_eq!(t.title(), "测试告知书");
    assert_eq!(t.source(), MINIMAL);
    assert_eq!(Template::parse(t.source()).expect("round trip"), t);
}

#[test]
fn a_template_naming_an_unknown_field_is_refused() {
    let bad = MINIMAL.replace("这是正文，{{name}}。", "这是正文，{{nmae}}。");
    let err = Template::parse(&bad).expect_err("unknown field");
    assert!(matches!(&err, NoticeError::UnknownField { name, .. } if name == "nmae"), "{err:?}");
    assert!(err.to_string().contains("没有定义的字段“nmae”"), "{err}");

    let bad = MINIMAL.replace("这是正文", "?missing: 这是正文");
    assert!(matches!(Template::parse(&bad), Err(NoticeError::UnknownField { .. })));

    let bad = MINIMAL.replace("{{name}}：", "{{who}}：");
    assert!(matches!(Template::parse(&bad), Err(NoticeError::UnknownField { place, .. }) if place == "主送行"));
}

#[test]
fn broken_templates_are_refused() {
    let unclosed = MINIMAL.replace("{{name}}。", "{{name。");
    assert!(matches!(Template::parse(&unclosed), Err(NoticeError::TemplateSyntax { line: 1, .. })));
    let kind = MINIMAL.replace("\"acceptance\"", "\"praise\"");
    let err = Template::parse(&kind).expect_err("unknown kind");
    assert!(err.to_string().contains("未知的文书种类“praise”"), "{err}");
    let dup = format!("{MINIMAL}\n[[fields]]\nname = \"name\"\nlabel = \"又一个\"\ntype = \"text\"\n");
    assert!(matches!(Template::parse(&dup), Err(NoticeError::BadFieldDeclaration { .. })));
    let bad_type = MINIMAL.replace("type = \"text\"", "type = \"colour\"");
    assert!(matches!(Template::parse(&bad_type), Err(NoticeError::TemplateFormat(_))));
    let table = MINIMAL.replace("这是正文，{{name}}。", "| a | b |\n| a | b | c |");
    assert!(matches!(Template::parse(&table), Err(NoticeError::TemplateSyntax { line: 2, .. })));
}

#[test]
fn a_missing_required_field_is_refused() {
    let t = templates::default_for(NoticeKind::Acceptance);
    let mut fields = example_fields(NoticeKind::Acceptance);
    fields.0.remove("reporter_name");
    let err = renderer().render(&t, &fields, &header()).expect_err("missing field");
    assert!(matches!(&err, NoticeError::MissingField { name, .. } if name == "reporter_name"), "{err:?}");
    // The officer reads the field's label, never its internal name.
    assert_eq!(err.to_string(), "缺少必填字段“检举控告人”：请填写后再生成文书。");
    // Blank counts as missing.
    let fields = example_fields(NoticeKind::Acceptance).with("reporter_name", "   ");
    assert!(matches!(t.check(&fields), Err(NoticeError::MissingField { .. })));
    // A field with a default may be left out.
    let mut fields = example_fields(NoticeKind::Acceptance);
    fields.0.remove("channel");
    t.check(&fields).expect("channel has a default");
}

#[test]
fn a_value_of_the_wrong_type_is_refused() {
    let t = templates::default_for(NoticeKind::Acceptance);
    let fields = example_fields(NoticeKind::Acceptance).with("received_date", "2026-03-02");
    let err = t.check(&fields).expect_err("text for a date");
    assert!(matches!(&err, NoticeError::WrongType { expected: "日期", got: "文字", .. }), "{err:?}");
    assert!(err.to_string().contains("应为日期"), "{err}");

    let date = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
    let fields = example_fields(NoticeKind::Acceptance).with("subject", FieldValue::Date(date));
    assert!(matches!(t.check(&fields), Err(NoticeError::WrongType { .. })));

    let fields = example_fields(NoticeKind::Acceptance).with("subject", "第一行\n第二行");
    assert!(matches!(t.check(&fields), Err(NoticeError::InvalidValue { .. })));

    let fields = example_fields(NoticeKind::Acceptance).with("reporter_nmae", "张某某");
    assert!(matches!(t.check(&fields), Err(NoticeError::UndeclaredValue { .. })));
}

#[test]
fn document_numbers_follow_the_national_rules() {
    let t = templates::default_for(NoticeKind::ServiceReceipt);
    for bad in [
        "某纪发〔2026〕第7号",
        "某纪发〔2026〕07号",
        "某纪发[2026]7号",
        "某纪发〔26〕7号",
        "〔2026〕7号",
        "某纪发〔2026〕7",
    ] {
        let fields = example_fields(NoticeKind::ServiceReceipt).with("document_number", bad);
        let err = t.check(&fields).expect_err(bad);
        assert!(matches!(err, NoticeError::InvalidValue { .. }), "{bad}: {err:?}");
    }
    let mut h = header();
    h.doc_number = Some("某纪告〔2026〕012号".into());
    let err = renderer().render(&t, &example_fields(NoticeKind::ServiceReceipt), &h).expect_err("leading zero");
    assert!(err.to_string().contains("不编虚位"), "{err}");
}

#[test]
fn a_missing_font_is_a_clear_error() {
    let empty = tempfile::tempdir().expect("tempdir");
    let err = FontSet::from_dirs(&[empty.path().to_path_buf()]).expect_err("no fonts there");
    assert!(matches!(err, NoticeError::FontMissing { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("Noto Serif CJK SC") && msg.contains("fonts-noto-cjk"), "{msg}");

    // With only the Song and Hei faces present, the 楷体 role is the one reported.
    let partial = tempfile::tempdir().expect("tempdir");
    for f in ["NotoSerifCJK-Regular.ttc", "NotoSerifCJK-Bold.ttc", "NotoSansCJK-Bold.ttc"] {
        std::os::unix::fs::symlink(format!("/usr/share/fonts/opentype/noto/{f}"), partial.path().join(f))
            .expect("link");
    }
    let err = FontSet::from_dirs(&[partial.path().to_path_buf()]).expect_err("no kai");
    let msg = err.to_string();
    assert!(msg.contains("二级标题（楷体）") && msg.contains("fonts-lxgw-wenkai"), "{msg}");
}

#[test]
fn a_character_the_font_lacks_is_named_not_printed_as_a_box() {
    let t = templates::default_for(NoticeKind::Acceptance);
    let fields = example_fields(NoticeKind::Acceptance).with("reporter_name", "张\u{1F600}");
    let err = renderer().render(&t, &fields, &header()).expect_err("emoji");
    assert!(matches!(err, NoticeError::GlyphMissing { ch: '\u{1F600}', .. }), "{err:?}");
    assert!(err.to_string().contains("U+1F600"), "{err}");
}

#[test]
fn typst_markup_in_a_value_prints_literally() {
    let t = templates::default_for(NoticeKind::NotificationLetter);
    let evil = "#set page(width: 20mm)] #text(size: 80pt)[大] $x^2$ *粗* _斜_ <lbl> @ref // 注释 {{content}} \\ `code`";
    let fields =
        example_fields(NoticeKind::NotificationLetter).with("request", evil).with("recipient_org", "]#pagebreak()[");
    let pdf = renderer().render(&t, &fields, &header()).expect("renders");
    let path = write("escaping.pdf", &pdf);
    assert_eq!(crate::common::page_count(&path), 1, "#pagebreak() must not run");
    let text = pdftotext(&path);
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let want: String = evil.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(squeezed.contains(&want), "markup should print as typed:\n{text}");
    assert!(squeezed.contains("]#pagebreak()[："), "{text}");
    // The page is still A4: the value's `#set page` did nothing.
    let info = std::process::Command::new("pdfinfo").arg(&path).output().expect("pdfinfo");
    assert!(String::from_utf8_lossy(&info.stdout).contains("595.276 x 841.89"), "not A4");
}

#[test]
fn markup_in_template_text_prints_literally_too() {
    let src = MINIMAL.replace("这是正文，{{name}}。", "#set text(size: 5pt) 正文 #{ panic() } ]");
    let t = Template::parse(&src).expect("parses");
    let fields = qingfeng_notice::Fields::new().with("name", "甲");
    let pdf = renderer().render(&t, &fields, &header()).expect("renders");
    let text = pdftotext(&write("template-markup.pdf", &pdf));
    assert!(text.contains("#set text(size: 5pt) 正文 #{ panic() } ]"), "{text}");
}

#[test]
fn values_typed_as_text_take_the_field_type() {
    let t = templates::default_for(NoticeKind::Acceptance);
    let fields = t
        .fields_from_text([("reporter_name", "张某某"), ("received_date", "2026-03-02"), ("subject", "某某问题")])
        .expect("parses");
    let date = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
    assert_eq!(fields.get("received_date"), Some(&FieldValue::Date(date)));
    t.check(&fields).expect("valid");
    assert_eq!(t.parse_value("received_date", "2026年3月2日").expect("chinese date"), FieldValue::Date(date));
    let err = t.parse_value("received_date", "三月二日").expect_err("not a date");
    assert!(err.to_string().contains("不是有效日期"), "{err}");
    assert!(matches!(t.parse_value("nobody", "x"), Err(NoticeError::UndeclaredValue { .. })));
}

#[test]
fn a_header_without_an_office_is_refused() {
    let t = templates::default_for(NoticeKind::Acceptance);
    let mut h = header();
    h.office_name = "  ".into();
    let err = renderer().render(&t, &example_fields(NoticeKind::Acceptance), &h).expect_err("no office");
    assert!(err.to_string().contains("发文机关署名"), "{err}");
}

#[test]
fn unknown_keys_in_a_template_are_refused() {
    let bad = MINIMAL.replace("version = 7", "version = 7\ncolour = \"red\"");
    let err = Template::parse(&bad).expect_err("unknown key");
    assert!(matches!(err, NoticeError::TemplateFormat(_)), "{err:?}");
}
