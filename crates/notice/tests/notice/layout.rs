//! Measures the rendered PDF against GB/T 9704-2012: text block 156 × 225 mm at 28 mm from the left
//! and 37 mm from the top, 22 lines of 28 characters, page numbers below the block.

use std::path::Path;
use std::process::Command;

use crate::common::{header, renderer, write};
use qingfeng_notice::{Fields, Template};

const MM_PER_PT: f64 = 25.4 / 72.0;
const LEFT: f64 = 28.0;
const TOP: f64 = 37.0;
const WIDTH: f64 = 156.0;
const HEIGHT: f64 = 225.0;
const PITCH: f64 = HEIGHT / 22.0;
const CHAR: f64 = WIDTH / 28.0;

/// One line of text as poppler sees it, in millimetres from the top-left corner of the page.
#[derive(Debug, Clone)]
struct Line {
    page: usize,
    x_min: f64,
    y_min: f64,
    x_max: f64,
    y_max: f64,
    text: String,
}

fn attr(tag: &str, name: &str) -> f64 {
    let key = format!("{name}=\"");
    let start = tag.find(&key).expect("attribute") + key.len();
    let end = start + tag[start..].find('"').expect("closing quote");
    tag[start..end].parse::<f64>().expect("number") * MM_PER_PT
}

/// Every text line of the PDF, from `pdftotext -bbox-layout`.
fn lines(pdf: &Path) -> Vec<Line> {
    let out = Command::new("pdftotext").arg("-bbox-layout").arg(pdf).arg("-").output().expect("pdftotext runs");
    assert!(out.status.success());
    let xml = String::from_utf8(out.stdout).expect("utf-8");
    let mut result = Vec::new();
    for (page, page_xml) in xml.split("<page ").skip(1).enumerate() {
        for line_xml in page_xml.split("<line ").skip(1) {
            let tag = &line_xml[..line_xml.find('>').expect("tag end")];
            let body = &line_xml[..line_xml.find("</line>").expect("line end")];
            let mut text = String::new();
            for word in body.split("<word ").skip(1) {
                let w = &word[word.find('>').expect("word tag") + 1..word.find("</word>").expect("word end")];
                text.push_str(w);
            }
            result.push(Line {
                page: page + 1,
                x_min: attr(tag, "xMin"),
                y_min: attr(tag, "yMin"),
                x_max: attr(tag, "xMax"),
                y_max: attr(tag, "yMax"),
                text,
            });
        }
    }
    result
}

const LONG: &str = r#"
kind = "notification_letter"
version = 1
title = "版心测量"
addressee = "{{to}}："
body = """
{{text}}
"""

[[fields]]
name = "to"
label = "受函单位"
type = "office"

[[fields]]
name = "text"
label = "正文"
type = "text"
"#;

fn close(actual: f64, expected: f64, tolerance: f64, what: &str) {
    assert!((actual - expected).abs() <= tolerance, "{what}: {actual:.2} mm, expected {expected:.2} ± {tolerance} mm");
}

#[test]
fn the_text_block_sits_where_gb_t_9704_puts_it() {
    let template = Template::parse(LONG).expect("parses");
    // One long paragraph of ideographs only, so every full line holds exactly 28 characters.
    let text = "纪检监察机关依规依纪依法履行监督执纪问责和监督调查处置职责".repeat(60);
    let fields = Fields::new().with("to", "某某单位").with("text", text.as_str());
    let pdf = renderer().render(&template, &fields, &header()).expect("renders");
    let path = write("layout.pdf", &pdf);
    let all = lines(&path);
    let is_page_number = |l: &Line| l.text.starts_with('—');
    let pages = all.iter().map(|l| l.page).max().expect("pages");
    assert!(pages >= 3, "the test text should fill more than two pages");

    // The document number is the first line of the text block: its top at 37 mm, flush right.
    let number = &all[0];
    assert!(number.text.contains('〔'), "the first line is the document number: {number:?}");
    close(number.y_min, TOP, 0.3, "top of the text block (document number)");
    close(number.x_max, LEFT + WIDTH, 0.5, "right edge of the document number");

    // The title on the next line, centred on the block.
    let title = &all[1];
    assert_eq!(title.text, "版心测量");
    close(title.y_min, TOP + PITCH, 0.3, "top of the title");
    close((title.x_min + title.x_max) / 2.0, LEFT + WIDTH / 2.0, 0.3, "centre of the title");

    // A full page of body text (page 2 has no title): 22 lines, the first at the top of the block,
    // one line pitch apart, every line 28 ideographs from the left edge to the right edge.
    let page2: Vec<&Line> = all.iter().filter(|l| l.page == 2 && !is_page_number(l)).collect();
    assert_eq!(page2.len(), 22, "lines on a full page");
    close(page2[0].y_min, TOP, 0.3, "top of the text block on page 2");
    for pair in page2.windows(2) {
        close(pair[1].y_min - pair[0].y_min, PITCH, 0.05, "line pitch");
    }
    let last = page2[21];
    assert!(last.y_max <= TOP + HEIGHT, "the last line ends at {:.2} mm, below the text block", last.y_max);
    for l in &page2 {
        assert_eq!(l.text.chars().count(), 28, "characters on the line “{}”", l.text);
        close(l.x_min, LEFT, 0.3, "left edge of a body line");
        close(l.x_max, LEFT + WIDTH, 0.3, "right edge of a body line");
    }

    // The paragraph's first line is indented two characters; the addressee is flush left.
    let addressee = all.iter().find(|l| l.text == "某某单位：").expect("addressee line");
    close(addressee.x_min, LEFT, 0.3, "addressee");
    let first = all.iter().find(|l| l.page == 1 && l.text.starts_with("纪检监察")).expect("first body line");
    close(first.x_min, LEFT + 2.0 * CHAR, 0.3, "first-line indent");
    assert_eq!(first.text.chars().count(), 26);
    // The title does not push the first page off the grid: its body lines sit on the same 22 lines
    // as those of later pages.
    let offset = (first.y_min - TOP) / PITCH;
    close((offset - offset.round()) * PITCH, 0.0, 0.3, "first page's body line off the grid by");

    // Page numbers: their middle 7 mm below the text block; odd pages right, even pages left, one
    // 4号 character (14 pt) in from the edge of the block.
    let four_hao = 14.0 * MM_PER_PT;
    for n in all.iter().filter(|l| is_page_number(l)) {
        close((n.y_min + n.y_max) / 2.0, TOP + HEIGHT + 7.0, 1.0, "page number height");
        if n.page % 2 == 1 {
            close(n.x_max, LEFT + WIDTH - four_hao, 1.5, "odd page number, right");
        } else {
            close(n.x_min, LEFT + four_hao, 1.5, "even page number, left");
        }
        let digits: String = n.text.chars().filter(char::is_ascii_digit).collect();
        assert_eq!(digits, n.page.to_string());
    }

    // Signature: the date right of centre, the office's name centred above it.
    let date = all.iter().find(|l| l.text == "2026年3月10日").expect("date line");
    let office = all.iter().find(|l| l.text == "中共某某县纪律检查委员会").expect("office line");
    close((office.x_min + office.x_max) / 2.0, (date.x_min + date.x_max) / 2.0, 0.5, "signature centred on the date");
    close(date.y_min - office.y_min, PITCH, 0.05, "date on the line after the signature");
}
