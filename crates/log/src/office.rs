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
    fn parents_must_be_ancestors() {
        assert!(validate_parent("530102", OfficeLevel::County, "530100").is_ok());
        assert!(validate_parent("469001", OfficeLevel::County, "460000").is_ok());
        assert!(validate_parent("530102", OfficeLevel::County, "520100").is_err());
        assert!(validate_parent("530100", OfficeLevel::Prefecture, "530000").is_ok());
        assert!(validate_parent("530000", OfficeLevel::Province, "110000").is_err());
    }
}
