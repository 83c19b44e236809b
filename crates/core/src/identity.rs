//! Offices, departments and roles (DOMAIN.md §1), division codes, and password hashing.

use std::fmt;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};

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
            other => Err(CoreError::invalid(format!(
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

/// A role granted per office: the system administrator, or one of the departments of DOMAIN.md §1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages accounts, roles, settings and the calendar; sees no case content by virtue of this role.
    Admin,
    Petitions,
    Supervision,
    Investigation,
    CaseManagement,
    Trial,
    Leader,
}

impl Role {
    /// Every role, in display order.
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::Petitions,
        Role::Supervision,
        Role::Investigation,
        Role::CaseManagement,
        Role::Trial,
        Role::Leader,
    ];

    /// The business departments and the leader: every post but the administrator, who manages
    /// accounts and settings and reads no case.
    pub const BUSINESS: [Role; 6] =
        [Role::Petitions, Role::Supervision, Role::Investigation, Role::CaseManagement, Role::Trial, Role::Leader];

    /// The stored and serialized name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Petitions => "petitions",
            Role::Supervision => "supervision",
            Role::Investigation => "investigation",
            Role::CaseManagement => "case_management",
            Role::Trial => "trial",
            Role::Leader => "leader",
        }
    }

    /// The Chinese name of the post.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "系统管理员",
            Role::Petitions => "信访室",
            Role::Supervision => "监督检查室",
            Role::Investigation => "审查调查室",
            Role::CaseManagement => "案件监督管理室",
            Role::Trial => "案件审理室",
            Role::Leader => "分管领导",
        }
    }

    /// Parses either the code name or the Chinese name.
    pub fn parse(s: &str) -> Result<Self> {
        Role::ALL.into_iter().find(|r| r.as_str() == s || r.label() == s).ok_or_else(|| {
            let names: Vec<String> = Role::ALL.iter().map(|r| format!("{}（{}）", r.as_str(), r.label())).collect();
            CoreError::invalid(format!("不认识的角色“{s}”。可选：{}。", names.join("、")))
        })
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
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
        CoreError::invalid(format!(
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
            return Err(CoreError::invalid("省级机关没有上级机关代码，请留空。"));
        }
        OfficeLevel::Prefecture => vec![format!("{}0000", &code[..2])],
        // A county may sit under a prefecture, or directly under a province (直辖县级行政区).
        OfficeLevel::County => vec![format!("{}00", &code[..4]), format!("{}0000", &code[..2])],
    };
    if expected.iter().any(|e| e == parent) {
        Ok(())
    } else {
        Err(CoreError::invalid(format!(
            "上级机关代码“{parent}”与本机关代码“{code}”不相符：应为 {}。",
            expected.join(" 或 ")
        )))
    }
}

/// Minimum password length; officers type these daily, so length beats complexity rules.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Checks a new password.
pub fn validate_password(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(CoreError::invalid(format!("密码至少 {MIN_PASSWORD_CHARS} 位，请重新设置。")));
    }
    if password.chars().count() > 128 {
        return Err(CoreError::invalid("密码不能超过 128 位。"));
    }
    Ok(())
}

/// Checks a login name: 2–32 letters, digits, `_`, `.` or `-`, so it is easy to type anywhere.
pub fn validate_username(username: &str) -> Result<()> {
    let ok_chars = username.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if !(2..=32).contains(&username.len()) || !ok_chars {
        return Err(CoreError::invalid(format!(
            "账号“{username}”不符合要求：应为 2–32 位英文字母、数字或 _ . -（如 zhangsan）。"
        )));
    }
    Ok(())
}

/// Checks a person's or office's display name.
pub fn validate_name(what: &str, name: &str) -> Result<()> {
    let n = name.trim().chars().count();
    if n == 0 || n > 64 {
        return Err(CoreError::invalid(format!("{what}不能为空，且不超过 64 个字。")));
    }
    crate::input::check_line(what, name.trim())
}

/// Hashes a password with Argon2id (the crate's defaults follow OWASP's recommendation).
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| CoreError::Encoding(format!("password hashing failed: {e}")))
}

/// Checks a password against a stored Argon2 hash.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
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

    #[test]
    fn password_hash_round_trip_uses_argon2id() {
        let h = hash_password("正确的密码123").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("正确的密码123", &h));
        assert!(!verify_password("错误的密码123", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn roles_parse_from_code_or_chinese() {
        assert_eq!(Role::parse("case_management").unwrap(), Role::CaseManagement);
        assert_eq!(Role::parse("案件审理室").unwrap(), Role::Trial);
        assert!(Role::parse("boss").unwrap_err().to_string().contains("可选"));
    }
}
