//! Offices as every replica and the hub name them: the level in the tree province → prefecture →
//! county, GB/T 2260 division codes, and the rules an office's name and parent must meet.
//!
//! The hub registers offices with these rules and an office's store checks its own setup with
//! them, so an office the hub accepts is one the office would accept too.

use serde::{Deserialize, Serialize};

use crate::error::{LogError, Result};

/// An office's level in the tree province → prefecture → county.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum OfficeLevel {
    Province,
    Prefecture,
    County,
}

impl OfficeLevel {
    /// The stored and serialized name.
    pub fn as_str(self) -> &'static str {
        match self {
            OfficeLevel::Province => "province",
            OfficeLevel::Prefecture => "prefecture",
            OfficeLevel::County => "county",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "province" => Ok(OfficeLevel::Province),
            "prefecture" => Ok(OfficeLevel::Prefecture),
            "county" => Ok(OfficeLevel::County),
            other => Err(LogError::invalid(format!(
                "不认识的机关层级“{other}”：可选 province（省级）、prefecture（州市级）、county（县级）。"
            ))),
        }
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            OfficeLevel::Province => "省级",
            OfficeLevel::Prefecture => "州市级",
            OfficeLevel::County => "县级",
        }
    }
}

/// Province-level prefixes of GB/T 2260 (mainland, plus 71 Taiwan, 81 Hong Kong, 82 Macao).
const PROVINCE_PREFIXES: [&str; 34] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43", "44",
    "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
];

/// Checks a six-digit administrative division code against the office's level.
pub fn validate_division_code(code: &str, level: OfficeLevel) -> Result<()> {
    let bad = |why: &str| {
        LogError::invalid(format!(
            "行政区划代码“{code}”不正确：{why}。请填写 6 位 GB/T 2260 代码，如县级 530102、州市级 530100、省级 530000。"
        ))
    };
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("应为 6 位数字"));
    }
    if !PROVINCE_PREFIXES.contains(&&code[..2]) {
        return Err(bad("前两位不是有效的省级代码"));
    }
    let (pref, county) = (&code[2..4], &code[4..6]);
    match level {
        OfficeLevel::Province if pref != "00" || county != "00" => Err(bad("省级机关的代码后四位应为 0000")),
        OfficeLevel::Prefecture if pref == "00" || county != "00" => {
            Err(bad("州市级机关的代码第 3–4 位不为 00、后两位为 00"))
        }
        OfficeLevel::County if county == "00" => Err(bad("县级机关的代码后两位不能为 00")),
        _ => Ok(()),
    }
}

/// Checks that `parent` is a proper ancestor of `code` in the division tree.
pub fn validate_parent(code: &str, level: OfficeLevel, parent: &str) -> Result<()> {
    let expected: Vec<String> = match level {
        OfficeLevel::Province => {
            return Err(LogError::invalid("省级机关没有上级机关代码，请留空。"));
        }
        OfficeLevel::Prefecture => vec![format!("{}0000", &code[..2])],
        // A county may sit under a prefecture, or directly under a province (直辖县级行政区).
        OfficeLevel::County => vec![format!("{}00", &code[..4]), format!("{}0000", &code[..2])],
    };
    if expected.iter().any(|e| e == parent) {
        Ok(())
    } else {
        Err(LogError::invalid(format!(
            "上级机关代码“{parent}”与本机关代码“{code}”不相符：应为 {}。",
            expected.join(" 或 ")
        )))
    }
}

/// What a directory entry is: a commission (纪委监委) with its own division code, or a resident
/// group (派驻纪检监察组) that belongs to the office sending it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    #[default]
    Office,
    ResidentGroup,
}

impl UnitKind {
    /// The stored and serialized name.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Office => "office",
            UnitKind::ResidentGroup => "resident_group",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "office" => Ok(UnitKind::Office),
            "resident_group" => Ok(UnitKind::ResidentGroup),
            other => Err(LogError::invalid(format!("不认识的单位类别“{other}”：可选 纪委监委、派驻组。"))),
        }
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            UnitKind::Office => "纪委监委",
            UnitKind::ResidentGroup => "派驻纪检监察组",
        }
    }
}

/// Checks a resident group's code: its sending office's six-digit code, a hyphen and a two-digit
/// serial from 01 (`530000-01`). Resident groups have no division code of their own, and this
/// form keeps them apart from every GB/T 2260 code while naming the office they belong to.
pub fn validate_resident_group_code(code: &str, sending_office: &str) -> Result<()> {
    let bad = |why: &str| {
        LogError::invalid(format!(
            "派驻组代码“{code}”不正确：{why}。派驻组代码为派出机关代码加“-”和两位序号，如 530000-01。"
        ))
    };
    let Some((head, serial)) = code.split_once('-') else {
        return Err(bad("缺少“-”和序号"));
    };
    if serial.len() != 2 || !serial.bytes().all(|b| b.is_ascii_digit()) || serial == "00" {
        return Err(bad("序号应为 01–99 的两位数字"));
    }
    if head != sending_office {
        return Err(bad(&format!("前六位应为派出机关代码 {sending_office}")));
    }
    Ok(())
}

/// Checks an office's short name (机关代字), which opens its document numbers (`五纪受〔2026〕1号`):
/// one to eight characters, no spaces or punctuation that would break a number.
pub fn validate_short_name(short: &str) -> Result<()> {
    let n = short.chars().count();
    if n == 0 || n > 8 {
        return Err(LogError::invalid("简称不能为空，且不超过 8 个字（用于文号，如“五”“昆”）。"));
    }
    if short
        .chars()
        .any(|c| c.is_whitespace() || c.is_ascii_punctuation() || "〔〕〔〕（）()【】，。、；：".contains(c))
    {
        return Err(LogError::invalid("简称不能含空格或标点（用于文号，如“五”“昆”）。"));
    }
    Ok(())
}

/// Checks a person's or office's display name.
pub fn validate_name(what: &str, name: &str) -> Result<()> {
    let n = name.trim().chars().count();
    if n == 0 || n > 64 {
        return Err(LogError::invalid(format!("{what}不能为空，且不超过 64 个字。")));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn division_codes_follow_level() {
        assert!(validate_division_code("530102", OfficeLevel::County).is_ok());
        assert!(validate_division_code("530100", OfficeLevel::Prefecture).is_ok());
        assert!(validate_division_code("530000", OfficeLevel::Province).is_ok());
        for (code, level) in [
            ("53010", OfficeLevel::County),
            ("5301022", OfficeLevel::County),
            ("53010a", OfficeLevel::County),
            ("990102", OfficeLevel::County),
            ("530100", OfficeLevel::County),
            ("530102", OfficeLevel::Prefecture),
            ("530100", OfficeLevel::Province),
        ] {
            let e = validate_division_code(code, level).unwrap_err();
            assert!(e.to_string().contains("行政区划代码"), "{code}: {e}");
        }
    }

    #[test]
    fn resident_group_codes_name_their_office() {
        assert!(validate_resident_group_code("530000-01", "530000").is_ok());
        assert!(validate_resident_group_code("530102-12", "530102").is_ok());
        for code in ["530000", "530000-1", "530000-00", "530000-0a", "530100-01", "530000-001"] {
            let e = validate_resident_group_code(code, "530000").unwrap_err();
            assert!(e.to_string().contains("派驻组代码"), "{code}: {e}");
        }
        assert!(validate_short_name("五").is_ok());
        assert!(validate_short_name("").is_err());
        assert!(validate_short_name("五 华").is_err());
        assert!(validate_short_name("〔五〕").is_err());
        assert!(validate_short_name("一二三四五六七八九").is_err());
    }

    #[test]
    fn parents_must_be_ancestors() {
        assert!(validate_parent("530102", OfficeLevel::County, "530100").is_ok());
        assert!(validate_parent("469001", OfficeLevel::County, "460000").is_ok());
        assert!(validate_parent("530102", OfficeLevel::County, "520100").is_err());
        assert!(validate_parent("530100", OfficeLevel::Prefecture, "530000").is_ok());
        assert!(validate_parent("530000", OfficeLevel::Province, "110000").is_err());
    }
}
