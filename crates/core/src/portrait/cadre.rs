//! A cadre's identity as the rules read it: the citizen ID number checked and masked, names and
//! units compared the way records write them, and which records are suggested as a cadre's.
//!
//! Pure: no database. A suggestion is never a match: records name people by name and unit as the
//! officer typed them, so two people of one name in one unit look alike; an officer confirms or
//! splits every suggestion (`workflow`), and only confirmed records count in a file.

use crate::error::{CoreError, Result};

/// The ID number's weights and check characters (GB 11643-1999).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Checks an 18-character citizen ID number (full-width digits and a lower-case x are accepted)
/// and returns its masked form, `530102********1234`: enough to tell two people of one name apart
/// on a screen, while the number itself is never stored.
pub fn mask_id_number(text: &str) -> Result<String> {
    let normalised: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            'x' | 'ｘ' | 'Ｘ' => 'X',
            other => other,
        })
        .collect();
    let chars: Vec<char> = normalised.chars().collect();
    if chars.len() != 18
        || !chars[..17].iter().all(|c| c.is_ascii_digit())
        || !(chars[17].is_ascii_digit() || chars[17] == 'X')
    {
        return Err(CoreError::invalid(format!(
            "身份证号“{}”应为 18 位（前 17 位为数字，最后一位为数字或 X），请核对。",
            text.trim()
        )));
    }
    let sum: u32 = chars[..17].iter().zip(WEIGHTS).map(|(c, w)| c.to_digit(10).unwrap_or(0) * w).sum();
    if CHECK[(sum % 11) as usize] != chars[17] {
        return Err(CoreError::invalid(format!("身份证号“{}”的校验位不对，请逐位核对后重新填写。", text.trim())));
    }
    Ok(format!("{}********{}", chars[..6].iter().collect::<String>(), chars[14..].iter().collect::<String>()))
}

/// A name or unit as compared: surrounding and inner white space removed (records typed by hand
/// carry stray spaces, as in 张 三).
pub fn normalise(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The shortest unit name that matches a longer one by containment: 县住建局 matches 某县住建局,
/// but 县委 does not match 县委组织部.
const MIN_CONTAINED_CHARS: usize = 3;

/// Whether a record's unit may be the cadre's: the same (ignoring spaces), one containing the
/// other (at least three characters), or the record names no unit. `names` are the cadre's unit
/// and the other names a registered unit goes by.
pub fn unit_matches(names: &[String], record_unit: &str) -> bool {
    let r = normalise(record_unit);
    if r.is_empty() {
        return true;
    }
    names.iter().map(|n| normalise(n)).filter(|n| !n.is_empty()).any(|n| {
        n == r
            || (n.chars().count() >= MIN_CONTAINED_CHARS && r.contains(&n))
            || (r.chars().count() >= MIN_CONTAINED_CHARS && n.contains(&r))
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers_are_checked_and_masked() {
        // A number with a valid check digit (the standard's own example).
        assert_eq!(mask_id_number("11010519491231002X").unwrap(), "110105********002X");
        assert_eq!(mask_id_number(" １１０１０５１９４９１２３１００２ｘ ").unwrap(), "110105********002X");
        assert!(mask_id_number("110105194912310021").unwrap_err().to_string().contains("校验位"));
        assert!(mask_id_number("1101051949123100").unwrap_err().to_string().contains("18 位"));
    }

    #[test]
    fn units_match_as_records_write_them() {
        let names = vec!["县住建局".to_owned(), "县住房和城乡建设局".to_owned()];
        assert!(unit_matches(&names, "县住建局"));
        assert!(unit_matches(&names, " 县住房和城乡建设局 "));
        assert!(unit_matches(&names, "某县住建局"));
        assert!(unit_matches(&names, ""));
        assert!(!unit_matches(&names, "县交通局"));
        assert!(!unit_matches(&["县委".to_owned()], "县委组织部"));
    }
}
