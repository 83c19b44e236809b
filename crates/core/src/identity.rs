//! Offices, departments and roles (DOMAIN.md §1), division codes, and password hashing.

use std::fmt;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};

// The office vocabulary is shared with the hub through the log crate; it stays reachable here.
pub use qingfeng_log::office::{OfficeLevel, validate_division_code, validate_parent};

/// Checks a person's or office's display name: the log crate's rule for its length, and no
/// character that could act on whoever reads it (issue #14).
pub fn validate_name(what: &str, name: &str) -> Result<()> {
    qingfeng_log::office::validate_name(what, name)?;
    crate::input::check_line(what, name.trim())
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
