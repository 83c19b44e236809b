//! The recovery page: the code in nine groups, its QR code reading back as the same text, the
//! office named, one page, and the same bytes for the same input.

use std::process::Command;

use qingfeng_notice::{FontSet, RecoverySheet, render_recovery_sheet};

use crate::common;

fn sheet() -> RecoverySheet {
    RecoverySheet {
        office_name: "五华区纪委监委".into(),
        office_code: "530102".into(),
        groups: ["123453", "000000", "720885", "010010", "555555", "300003", "660660", "111111", "000011"]
            .map(str::to_owned)
            .to_vec(),
        key_id: "3f9a1c2b7d0e4f56".into(),
        created: "2026年11月5日 14:30".into(),
        created_by: "张管理".into(),
    }
}

#[test]
fn the_recovery_page_prints_the_code_and_a_qr_code_of_it() {
    let fonts = FontSet::discover().expect("fonts are installed");
    let pdf = render_recovery_sheet(&fonts, &sheet()).expect("renders");
    assert_eq!(render_recovery_sheet(&fonts, &sheet()).expect("renders"), pdf, "deterministic");
    let path = common::write("恢复页.pdf", &pdf);
    assert_eq!(common::page_count(&path), 1);
    let text: String = common::pdftotext(&path).chars().filter(|c| !c.is_whitespace()).collect();
    for needle in ["清风系统恢复页", "五华区纪委监委", "530102", "3F9A-1C2B-7D0E-4F56", "保险柜", "第9组"]
    {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
    for g in sheet().groups {
        assert!(text.contains(&g), "group {g} missing");
    }

    // Rasterise the page as a printer would and read the QR code back.
    let png_base = common::out_dir().join("恢复页");
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "150", "-singlefile"])
        .arg(&path)
        .arg(&png_base)
        .status()
        .expect("pdftoppm runs");
    assert!(status.success());
    let img = image::open(png_base.with_extension("png")).expect("png").to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the page");
    let (_, content) = grids[0].decode().expect("the QR code decodes");
    assert_eq!(content, sheet().groups.join("-"));
}

#[test]
fn a_malformed_code_is_not_printed() {
    let fonts = FontSet::discover().expect("fonts are installed");
    let mut bad = sheet();
    bad.groups.pop();
    assert!(render_recovery_sheet(&fonts, &bad).is_err());
}
