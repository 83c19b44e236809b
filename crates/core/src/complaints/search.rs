//! Chinese full-text search: text is indexed one CJK character per token, and queries become
//! phrase queries, so any substring of two, three or more characters is found — and a single
//! character too — without a trigram index's three-character minimum.

use crate::error::{CoreError, Result};

/// Whether `c` is written without spaces between words (CJK ideographs, kana, hangul, full-width).
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3040..=0x30FF | 0x3100..=0x312F | 0x3190..=0x31FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Text as the index stores it: every CJK character stands alone, other words stay whole.
pub fn spaced(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        if is_cjk(c) {
            out.push(' ');
            out.push(c);
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// Turns what an officer typed into a safe FTS5 query: each whitespace-separated term becomes a
/// quoted phrase of its tokens, and all terms must match. Operators and punctuation typed by the
/// user are never interpreted as query syntax.
pub fn fts_query(input: &str) -> Result<String> {
    let mut phrases = Vec::new();
    for term in input.split_whitespace() {
        let tokens: Vec<String> = spaced(term)
            .split(|c: char| !(c.is_alphanumeric() || is_cjk(c)))
            .filter(|t| !t.is_empty())
            .map(str::to_lowercase)
            .collect();
        if !tokens.is_empty() {
            phrases.push(format!("\"{}\"", tokens.join(" ")));
        }
    }
    if phrases.is_empty() {
        return Err(CoreError::invalid("搜索内容中没有可检索的文字或数字，请输入要查找的人名、单位或事项。"));
    }
    if input.chars().count() > 200 {
        return Err(CoreError::invalid("搜索内容过长（不超过 200 个字），请缩短后重试。"));
    }
    Ok(phrases.join(" AND "))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn cjk_characters_stand_alone_and_words_stay_whole() {
        assert_eq!(spaced("张三ABC公司"), " 张  三 ABC 公  司 ");
    }

    #[test]
    fn queries_are_phrases_and_special_characters_are_inert() {
        assert_eq!(fts_query("罚款").unwrap(), "\"罚 款\"");
        assert_eq!(fts_query("王五 工程").unwrap(), "\"王 五\" AND \"工 程\"");
        assert_eq!(fts_query("\"OR* (NEAR").unwrap(), "\"or\" AND \"near\"");
        assert!(fts_query("*** ((( ---").is_err());
    }
}
