//! How long each field of a complaint's registration may be, checked when the complaint is
//! registered so that an oversized record is refused at the form, with the field named, instead
//! of being saved and later stopping the office's sync (issue #13, defect 2).
//!
//! The desktop's form sets the same limits as `maxLength` (`ui/src/limits.ts`, checked against
//! these constants by a test), so an officer cannot type past them; the core checks again because
//! the command line and any other caller go through here too.

use super::model::RegisterComplaint;
use crate::error::{CoreError, Result};
use crate::input::bounded;

/// A person's name (检举人、被反映人): Chinese names are two to four characters; fifty leaves room
/// for ethnic-minority and foreign names written in full.
pub const MAX_PERSON_NAME_CHARS: usize = 50;
/// A unit's full name, e.g. 某某县人民政府办公室某某股.
pub const MAX_UNIT_CHARS: usize = 100;
/// A post (职务) and a cadre level (级别).
pub const MAX_POST_CHARS: usize = 100;
pub const MAX_LEVEL_CHARS: usize = 30;
/// A reporter's contact: one or two phone numbers, or an e-mail address.
pub const MAX_CONTACT_CHARS: usize = 100;
/// A postal address.
pub const MAX_ADDRESS_CHARS: usize = 200;
/// One category (问题类别) and how many a complaint may carry.
pub const MAX_CATEGORY_CHARS: usize = 30;
pub const MAX_CATEGORIES: usize = 20;
/// A step's reason, note or comment (筛选理由、办理情况、审批意见…).
pub const MAX_NOTE_CHARS: usize = 2_000;

/// Checks the people and categories of an already trimmed registration form.
pub(crate) fn check_form(f: &RegisterComplaint) -> Result<()> {
    if let Some(r) = &f.reporter {
        bounded("检举人姓名（或单位名称）", &r.name, MAX_PERSON_NAME_CHARS)?;
        bounded("检举人联系方式", &r.contact, MAX_CONTACT_CHARS)?;
        bounded("检举人单位", r.unit.as_deref().unwrap_or_default(), MAX_UNIT_CHARS)?;
        bounded("检举人住址", r.address.as_deref().unwrap_or_default(), MAX_ADDRESS_CHARS)?;
    }
    for (i, s) in f.subjects.iter().enumerate() {
        let n = i + 1;
        bounded(&format!("第 {n} 个被反映人的姓名"), &s.name, MAX_PERSON_NAME_CHARS)?;
        bounded(&format!("第 {n} 个被反映人的单位"), &s.unit, MAX_UNIT_CHARS)?;
        bounded(&format!("第 {n} 个被反映人的职务"), &s.post, MAX_POST_CHARS)?;
        bounded(&format!("第 {n} 个被反映人的级别"), &s.level, MAX_LEVEL_CHARS)?;
    }
    if f.categories.len() > MAX_CATEGORIES {
        return Err(CoreError::invalid(format!("问题类别不能超过 {MAX_CATEGORIES} 个。")));
    }
    for c in &f.categories {
        bounded("问题类别", c, MAX_CATEGORY_CHARS)?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The desktop's form and the core must stop at the same length, or an officer would type
    /// text the core then refuses (or the form would cut text the core allows).
    #[test]
    fn the_forms_limits_are_the_cores() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../ui/src/limits.ts");
        let text = std::fs::read_to_string(path).unwrap();
        let ui = |name: &str| -> usize {
            let line = text.lines().find(|l| l.starts_with(&format!("export const {name} = "))).unwrap();
            line.rsplit(' ').next().unwrap().trim_end_matches(';').parse().unwrap()
        };
        for (name, core) in [
            ("MAX_PERSON_NAME_CHARS", MAX_PERSON_NAME_CHARS),
            ("MAX_UNIT_CHARS", MAX_UNIT_CHARS),
            ("MAX_POST_CHARS", MAX_POST_CHARS),
            ("MAX_LEVEL_CHARS", MAX_LEVEL_CHARS),
            ("MAX_CONTACT_CHARS", MAX_CONTACT_CHARS),
            ("MAX_ADDRESS_CHARS", MAX_ADDRESS_CHARS),
            ("MAX_CATEGORY_CHARS", MAX_CATEGORY_CHARS),
            ("MAX_CATEGORIES", MAX_CATEGORIES),
            ("MAX_NOTE_CHARS", MAX_NOTE_CHARS),
            ("MAX_CONTENT_CHARS", crate::complaints::ops::MAX_CONTENT_CHARS),
        ] {
            assert_eq!(ui(name), core, "{name}");
        }
    }
}
