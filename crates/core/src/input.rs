//! Checks on what an officer typed, shared by every workflow: required and optional text with a
//! length limit, and characters that could attack whoever reads the text (control characters,
//! bidirectional overrides), each refused with a Chinese message naming the field.

use crate::error::{CoreError, Result};

/// Trimmed text that must be present and at most `max` characters long.
pub fn required(what: &str, text: &str, max: usize) -> Result<String> {
    // Windows line ends are line ends; a lone carriage return is refused below.
    let normalised = text.replace("\r\n", "\n");
    let t = normalised.trim();
    if t.is_empty() {
        return Err(CoreError::invalid(format!("请填写{what}。")));
    }
    if t.chars().count() > max {
        return Err(CoreError::invalid(format!("{what}不能超过 {max} 个字。")));
    }
    check_characters(what, t)?;
    Ok(t.to_owned())
}

/// Trimmed text that may be absent or blank (None), otherwise at most `max` characters long.
pub fn optional(what: &str, text: Option<&str>, max: usize) -> Result<Option<String>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => required(what, t, max).map(Some),
    }
}

/// Whether `c` could act on whoever reads the text instead of being shown: a control character
/// (NUL, BEL, ESC, DEL, the C1 set, and line breaks and tabs, which callers allow where text
/// may span lines), a bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069, and the
/// marks U+200E, U+200F, U+061C) that makes text show in another order than it is stored, a line
/// or paragraph separator (U+2028, U+2029), or a byte-order mark (U+FEFF).
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

fn unsafe_kind(c: char) -> &'static str {
    match c {
        '\n' | '\r' | '\u{2028}' | '\u{2029}' => "换行符",
        '\t' => "制表符",
        c if c.is_control() => "控制字符",
        '\u{FEFF}' => "不可见的格式字符",
        _ => "文字方向控制符",
    }
}

fn refuse(what: &str, text: &str, allow_lines: bool) -> Result<()> {
    for (i, c) in text.chars().enumerate() {
        if allow_lines && (c == '\n' || c == '\t') {
            continue;
        }
        if is_unsafe_char(c) {
            return Err(CoreError::invalid(format!(
                "{what}第 {} 个字是不可见的{}（可能来自复制粘贴或被人为插入），已拒绝保存。请删除该字符后重新输入。",
                i + 1,
                unsafe_kind(c)
            )));
        }
    }
    Ok(())
}

/// Refuses text (that may span lines: line breaks and tabs are allowed) holding a character that
/// could act on a terminal, a spreadsheet or a reader's screen instead of being shown.
pub fn check_characters(what: &str, text: &str) -> Result<()> {
    refuse(what, text, true)
}

/// The same for a one-line field (a name, a unit, a contact, a file name): no line breaks or
/// tabs either.
pub fn check_line(what: &str, text: &str) -> Result<()> {
    refuse(what, text, false)
}

/// Trimmed one-line text that may be absent or blank (None), otherwise checked with [`check_line`].
pub fn optional_line(what: &str, text: Option<&str>, max: usize) -> Result<Option<String>> {
    let cleaned = optional(what, text, max)?;
    if let Some(t) = &cleaned {
        check_line(what, t)?;
    }
    Ok(cleaned)
}

/// Refuses an event payload (canonical CBOR) holding any text with a character that
/// [`check_characters`] refuses: the last line of defence in the one write path, so no record
/// ever stores one, whichever form or import it came from.
pub fn check_payload(payload: &[u8]) -> Result<()> {
    fn walk(v: &ciborium::Value) -> bool {
        match v {
            ciborium::Value::Text(t) => t.chars().all(|c| c == '\n' || c == '\t' || !is_unsafe_char(c)),
            ciborium::Value::Array(items) => items.iter().all(walk),
            ciborium::Value::Map(entries) => entries.iter().all(|(k, v)| walk(k) && walk(v)),
            ciborium::Value::Tag(_, inner) => walk(inner),
            _ => true,
        }
    }
    let value: ciborium::Value = crate::encoding::from_cbor(payload)?;
    if walk(&value) {
        Ok(())
    } else {
        Err(CoreError::invalid(
            "输入的文字中含有不可见的控制字符或文字方向控制符（可能来自复制粘贴或被人为插入），已拒绝保存。请检查刚才填写或导入的文字，删除这些字符后重试。",
        ))
    }
}

/// Trimmed text that may be blank, at most `max` characters long: a note an officer may leave
/// empty, but never so long that its record could not travel to the hub.
pub fn bounded(what: &str, text: &str, max: usize) -> Result<String> {
    let normalised = text.replace("\r\n", "\n");
    let t = normalised.trim();
    if t.chars().count() > max {
        return Err(CoreError::invalid(format!(
            "{what}不能超过 {max} 个字（现有 {} 个字），请精简。",
            t.chars().count()
        )));
    }
    check_characters(what, t)?;
    Ok(t.to_owned())
}
