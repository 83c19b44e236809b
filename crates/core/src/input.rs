//! Checks on what an officer typed, shared by every workflow: required and optional text with a
//! length limit, each refused with a Chinese message naming the field.

use crate::error::{CoreError, Result};

/// Trimmed text that must be present and at most `max` characters long.
pub fn required(what: &str, text: &str, max: usize) -> Result<String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(CoreError::invalid(format!("请填写{what}。")));
    }
    if t.chars().count() > max {
        return Err(CoreError::invalid(format!("{what}不能超过 {max} 个字。")));
    }
    Ok(t.to_owned())
}

/// Trimmed text that may be absent or blank (None), otherwise at most `max` characters long.
pub fn optional(what: &str, text: Option<&str>, max: usize) -> Result<Option<String>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => required(what, t, max).map(Some),
    }
}

/// Trimmed text that may be blank, at most `max` characters long: a note an officer may leave
/// empty, but never so long that its record could not travel to the hub.
pub fn bounded(what: &str, text: &str, max: usize) -> Result<String> {
    let t = text.trim();
    if t.chars().count() > max {
        return Err(CoreError::invalid(format!(
            "{what}不能超过 {max} 个字（现有 {} 个字），请精简。",
            t.chars().count()
        )));
    }
    Ok(t.to_owned())
}
