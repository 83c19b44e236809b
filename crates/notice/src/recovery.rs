//! The recovery page (恢复页): the office's recovery code printed once for its safe, in nine
//! groups of digits with a QR code of the same text, and what it is for.
//!
//! The program never stores the code, so this page (and whatever the administrator copied from
//! the screen) is the only copy. It is rendered with the same fonts and Typst machinery as the
//! notices, from a fixed layout fed JSON.

use serde::Serialize;

use crate::error::{NoticeError, Result};
use crate::fonts::{FontRole, FontSet};

const LAYOUT: &str = include_str!("recovery.typ");

/// What the page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoverySheet {
    pub office_name: String,
    pub office_code: String,
    /// The nine groups of six digits.
    pub groups: Vec<String>,
    /// The recovery key's short number, to match the page with what the program shows.
    pub key_id: String,
    /// When and by whom the code was made (display text).
    pub created: String,
    pub created_by: String,
}

#[derive(Serialize)]
struct Role<'a> {
    family: &'a str,
    weight: u16,
}

#[derive(Serialize)]
struct Fonts<'a> {
    title: Role<'a>,
    body: Role<'a>,
    heading: Role<'a>,
}

#[derive(Serialize)]
struct Section {
    heading: &'static str,
    lines: Vec<String>,
}

#[derive(Serialize)]
struct SheetJson<'a> {
    title: &'static str,
    subtitle: &'static str,
    office: &'a str,
    office_code: &'a str,
    created: &'a str,
    created_by: &'a str,
    key_id: String,
    groups: &'a [String],
    qr: String,
    sections: Vec<Section>,
    fonts: Fonts<'a>,
}

/// The key number as printed: upper case in groups of four (`3F9A-1C2B-…`).
pub fn key_number(key_id: &str) -> String {
    let upper = key_id.to_uppercase();
    upper.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

fn sections() -> Vec<Section> {
    let s = |heading, lines: &[&str]| Section { heading, lines: lines.iter().map(|l| (*l).to_owned()).collect() };
    vec![
        s(
            "这张纸有什么用",
            &[
                "本机关清风系统的数据库密钥保存在电脑的钥匙串中。电脑损坏、重装系统或钥匙串丢失时，凭这张恢复页上的恢复码可以：",
                "一、在原电脑或新电脑上重新打开本机关的数据库（“用恢复码解锁”）；",
                "二、打开本机关的备份文件，把数据恢复到新电脑（“从备份恢复”）；",
                "三、与省级平台保存的本机关记录一起，在新电脑上恢复（“从省级平台恢复”）。",
                "没有恢复码，备份文件谁也打不开；拿到恢复码的人却能打开备份中的全部记录，包括检举人信息。",
            ],
        ),
        s(
            "如何保管",
            &[
                "装入信封密封，放入保险柜，由两人共同登记保管。不要拍照，不要扫描，不要存放在电脑、手机或U盘里，不要与备份U盘放在一起。",
                "如本页遗失或可能被他人看到，请系统管理员立即在清风“备份与恢复”中更换恢复码：旧恢复码随即作废，请销毁旧的恢复页。",
            ],
        ),
        s(
            "如何使用",
            &[
                "在清风启动页选择“恢复数据”，按屏幕提示输入上面九组数字（分组之间的空格、横线可输可不输），或用扫码枪扫描右侧二维码。",
                "每组数字自带校验，抄错或输错时程序会指出是第几组有误。",
            ],
        ),
    ]
}

/// Renders the recovery page to PDF.
pub fn render_recovery_sheet(fonts: &FontSet, sheet: &RecoverySheet) -> Result<Vec<u8>> {
    if sheet.groups.len() != 9 || sheet.groups.iter().any(|g| g.len() != 6 || !g.bytes().all(|b| b.is_ascii_digit())) {
        return Err(NoticeError::InvalidValue {
            label: "恢复码".into(), reason: "应为九组、每组六位数字".into()
        });
    }
    let text = sheet.groups.join("-");
    let qr = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| NoticeError::Layout(e.to_string()))?
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    let role = |r: FontRole| {
        let rf = fonts.role(r);
        Role { family: &rf.family, weight: rf.weight }
    };
    let json = SheetJson {
        title: "清风系统恢复页",
        subtitle: "机密 · 请存放于保险柜",
        office: sheet.office_name.trim(),
        office_code: sheet.office_code.trim(),
        created: &sheet.created,
        created_by: &sheet.created_by,
        key_id: key_number(&sheet.key_id),
        groups: &sheet.groups,
        qr,
        sections: sections(),
        fonts: Fonts { title: role(FontRole::Title), body: role(FontRole::Body), heading: role(FontRole::Heading) },
    };
    // Names come from the office; check they print before Typst would draw empty boxes.
    let mut body = format!("{}{}{}", json.office, json.created, json.created_by);
    for s in &json.sections {
        body.push_str(&s.lines.concat());
    }
    if let Some(ch) = fonts.first_missing_glyph(FontRole::Body, &body) {
        return Err(NoticeError::GlyphMissing { ch, code: ch as u32, font: fonts.role(FontRole::Body).family.clone() });
    }
    let data = serde_json::to_string(&json).map_err(|e| NoticeError::Layout(e.to_string()))?;
    let engine = crate::render::engine(LAYOUT, fonts);
    crate::render::compile_pdf(&engine, fonts, "sheet", &data, format!("qingfeng-recovery/{}", sheet.key_id))
}
