//! Previews drawn in-process: a notice's PDF becomes one PNG page per PDF page, of A4's size at
//! the requested resolution, and looks like poppler's drawing of the same PDF (the reference
//! renderer, used here only as a yardstick: the program itself needs no poppler).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::{accepted, notices, office};
use qingfeng_documents::pages::png_pages;
use qingfeng_documents::{NoticeKind, NoticeRequest, Record};

/// A PNG's pixels in grey (one byte each), with its width and height.
fn grey_png(bytes: &[u8]) -> (usize, usize, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let (w, h) = (info.width as usize, info.height as usize);
    let grey = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|p| if channels >= 3 { ((u16::from(p[0]) + u16::from(p[1]) + u16::from(p[2])) / 3) as u8 } else { p[0] })
        .collect();
    (w, h, grey)
}

/// poppler's drawing of the PDF's first page in grey at `dpi` (PGM).
fn poppler_grey(pdf: &[u8], dpi: u32) -> (usize, usize, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("n.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-gray", "-f", "1", "-l", "1"])
        .arg(&path)
        .output()
        .expect("pdftoppm (poppler-utils), the test's yardstick");
    assert!(out.status.success());
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
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, out.stdout[start..].to_vec())
}

#[test]
fn a_notice_is_drawn_in_process_like_the_reference_renderer() {
    let mut o = office();
    let xinfang = o.xinfang.clone();
    let id = accepted(&mut o);
    let req = NoticeRequest::new(NoticeKind::Acceptance, Record::Complaint(id));
    let preview = notices().preview(&mut o.store, &xinfang, &req).unwrap();

    let pages = png_pages(&preview.pdf, 72).unwrap();
    assert_eq!(pages.len(), 1);
    let ours = grey_png(&pages[0]);
    // A4 is 595.3 × 841.9 points: one pixel per point at 72 dpi.
    assert!((595..=596).contains(&ours.0) && (841..=842).contains(&ours.1), "{} × {}", ours.0, ours.1);
    let ink = |p: &(usize, usize, Vec<u8>)| p.2.iter().filter(|&&v| v < 160).count();
    assert!(ink(&ours) > 2_000, "the title and body are drawn: {} dark pixels", ink(&ours));
    // The text block's left margin (28 mm ≈ 79 px) is blank, as GB/T 9704 wants.
    assert!((0..ours.1).all(|y| ours.2[y * ours.0 + 40] > 200), "nothing is drawn in the binding margin");

    let reference = poppler_grey(&preview.pdf, 72);
    let (w, h) = (ours.0.min(reference.0), ours.1.min(reference.1));
    let mut diff = 0u64;
    for y in 0..h {
        for x in 0..w {
            diff += u64::from(ours.2[y * ours.0 + x].abs_diff(reference.2[y * reference.0 + x]));
        }
    }
    let mean = diff as f64 / (w * h) as f64;
    assert!(mean < 6.0, "the page differs from poppler's drawing by {mean:.2} grey levels on average");
    // Higher resolutions scale the page; out-of-range ones are clamped.
    let wide = grey_png(&png_pages(&preview.pdf, 500).unwrap()[0]).0;
    assert!((1653..=1654).contains(&wide), "drawn at 200 dpi, not 500: {wide} px wide");
}

#[test]
fn a_damaged_pdf_is_refused_in_words() {
    let err = png_pages(b"%PDF-1.7 not really", 110).unwrap_err().to_string();
    assert!(err.contains("无法显示文书预览") && err.contains("另存为PDF"), "{err}");
}
