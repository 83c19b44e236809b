//! Reads a law or rule from plain text or Markdown: an optional header block of metadata, then
//! 第X编 / 第X章 / 第X节 headings and 第X条 articles numbered in Chinese numerals (一 … 九十九,
//! 一百零一) or Arabic digits, each article's body running to the next heading or article.
//!
//! Numbering is checked as a reader would: articles run 1, 2, 3 … through the whole document,
//! chapters restart in each part and sections in each chapter. A gap, a repeat or a step back is
//! refused with the line it happened on, because a mis-numbered article cited in a decision would
//! send a reader to the wrong rule. A file that declares itself an excerpt (节选：是) may skip
//! numbers but never repeat or go back.

use super::model::*;
use crate::error::{CoreError, Result};
use crate::input::{optional, required};

/// The largest file imported, in bytes: far above any law (the Civil Code is about 300 KB).
pub const MAX_TEXT_BYTES: usize = 4 * 1024 * 1024;

/// Parses a Chinese or Arabic number as used in headings and article labels: 一, 十, 十一, 二十,
/// 一百零一, 一千零五十, 10, １０. Returns None for anything else, including zero.
pub fn cn_number(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if s.chars().all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c)) {
        let ascii: String = s
            .chars()
            .map(|c| if c.is_ascii_digit() { c } else { char::from(b'0' + (c as u32 - '０' as u32) as u8) })
            .collect();
        return ascii.parse::<u32>().ok().filter(|n| *n > 0 && *n < 100_000);
    }
    let mut total = 0u32;
    let mut digit: Option<u32> = None;
    let mut last_unit = u32::MAX;
    let mut zero_pending = false;
    for c in s.chars() {
        let d = match c {
            '零' | '〇' => {
                // A zero only stands between a unit and a smaller digit (一百零一).
                if digit.is_some() || total == 0 || zero_pending {
                    return None;
                }
                zero_pending = true;
                continue;
            }
            '一' => 1,
            '二' | '两' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            '十' | '百' | '千' => {
                let unit = match c {
                    '十' => 10,
                    '百' => 100,
                    _ => 1000,
                };
                if unit >= last_unit {
                    return None;
                }
                // 十一 is ten-one; anywhere else a unit needs its digit (一百一十, not 一百十).
                let n = match digit.take() {
                    Some(n) => n,
                    None if unit == 10 && total == 0 => 1,
                    None => return None,
                };
                total += n * unit;
                last_unit = unit;
                zero_pending = false;
                continue;
            }
            _ => return None,
        };
        if digit.is_some() {
            return None;
        }
        digit = Some(d);
    }
    if zero_pending && digit.is_none() {
        return None;
    }
    let total = total + digit.unwrap_or(0);
    (total > 0).then_some(total)
}

/// What a line of the body is.
#[derive(Debug, PartialEq, Eq)]
enum Line {
    Heading { level: HeadingLevel, number: u32, label: String, title: String },
    Article { number: u32, label: String, rest: String },
    Text(String),
    Blank,
}

/// Removes Markdown decoration a heading or article line may carry: `#` marks, a quote mark, and
/// the bold markers around the label (`**第一条** …`).
fn undecorate(line: &str) -> String {
    let mut s = line.trim();
    s = s.trim_start_matches('#').trim_start();
    if let Some(rest) = s.strip_prefix('>') {
        s = rest.trim_start();
    }
    if let Some(rest) = s.strip_prefix("**") {
        return rest.replacen("**", "", 1);
    }
    s.to_owned()
}

fn classify(raw: &str) -> Line {
    let line = undecorate(raw);
    if line.is_empty() {
        return Line::Blank;
    }
    if let Some(after) = line.strip_prefix('第') {
        let numeral: String = after
            .chars()
            .take_while(|c| {
                cn_number(&c.to_string()).is_some() || "零〇十百千0123456789０１２３４５６７８９".contains(*c)
            })
            .collect();
        let rest = &after[numeral.len()..];
        let mut chars = rest.chars();
        if let (Some(marker), Some(number)) = (chars.next(), cn_number(&numeral)) {
            let tail = chars.as_str();
            // A label stands alone or is followed by a space (often U+3000); "第三条规定的" at the
            // start of a paragraph is text that mentions an article.
            let bounded = tail.is_empty() || tail.starts_with(char::is_whitespace);
            let label = format!("第{numeral}{marker}");
            let level = match marker {
                '编' => Some(HeadingLevel::Part),
                '章' => Some(HeadingLevel::Chapter),
                '节' => Some(HeadingLevel::Section),
                _ => None,
            };
            if bounded {
                if let Some(level) = level {
                    // Titles are often spaced for typesetting (总　　则); the spaces mean nothing.
                    let title: String = tail.chars().filter(|c| !c.is_whitespace()).collect();
                    return Line::Heading { level, number, label, title };
                }
                if marker == '条' {
                    return Line::Article { number, label, rest: tail.trim().to_owned() };
                }
            }
        }
    }
    Line::Text(line.trim().to_owned())
}

/// Metadata read from the header block.
#[derive(Debug, Default)]
struct Header {
    id: Option<String>,
    title: Option<String>,
    issuer: Option<String>,
    number: Option<String>,
    effective: Option<String>,
    version: Option<String>,
    excerpt: Option<bool>,
    repealed: Option<bool>,
}

fn yes(v: &str, line_no: usize) -> Result<bool> {
    match v {
        "是" | "yes" | "true" => Ok(true),
        "否" | "no" | "false" => Ok(false),
        _ => Err(CoreError::invalid(format!("第 {line_no} 行：“{v}”应填写“是”或“否”。"))),
    }
}

/// Reads `键：值` lines at the top of the file (optionally between `---` lines). Returns the
/// header and the index of the first body line.
fn header(lines: &[&str]) -> Result<(Header, usize)> {
    let mut h = Header::default();
    let mut i = 0;
    while i < lines.len() && lines[i].trim().is_empty() {
        i += 1;
    }
    let fenced = lines.get(i).is_some_and(|l| l.trim() == "---");
    if fenced {
        i += 1;
    }
    while i < lines.len() {
        let line = lines[i].trim();
        if fenced && line == "---" {
            return Ok((h, i + 1));
        }
        let Some((key, value)) = line.split_once(['：', ':']) else { break };
        let value = value.trim().to_owned();
        let line_no = i + 1;
        match key.trim() {
            "标识" | "id" => h.id = Some(value),
            "标题" | "名称" | "title" => h.title = Some(value),
            "制定机关" | "发布机关" | "发文机关" | "issuer" => h.issuer = Some(value),
            "文号" | "number" => h.number = Some(value),
            "施行日期" | "生效日期" | "effective" => h.effective = Some(value),
            "版本" | "version" => h.version = Some(value),
            "节选" | "摘录" | "excerpt" => h.excerpt = Some(yes(&value, line_no)?),
            "状态" | "status" => h.repealed = Some(DocumentStatus::parse(&value)? == DocumentStatus::Repealed),
            "来源" | "source" => {}
            _ if fenced => {
                return Err(CoreError::invalid(format!(
                    "第 {line_no} 行：文件头中不认识“{}”。可用：标识、标题、制定机关、文号、施行日期、版本、节选、状态、来源。",
                    key.trim()
                )));
            }
            _ => break,
        }
        i += 1;
    }
    if fenced {
        return Err(CoreError::invalid("文件头以“---”开始，但没有以“---”结束，请补上结束行。"));
    }
    Ok((h, i))
}

/// A document id: given, or derived from the title so that re-importing the same title finds the
/// same document (and so marks its earlier version amended).
fn document_id(given: Option<&str>, title: &str) -> Result<String> {
    match given.map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) => {
            let ok = id.len() <= 64
                && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && id.starts_with(|c: char| c.is_ascii_lowercase());
            if !ok {
                return Err(CoreError::invalid(format!(
                    "文件标识“{id}”无效：请用小写英文字母开头，只含小写字母、数字和“-”，不超过 64 个字符。"
                )));
            }
            Ok(id.to_owned())
        }
        None => Ok(format!("doc-{}", &crate::encoding::sha256_hex(title.as_bytes())[..12])),
    }
}

/// Checks a heading's or an article's number against the one before it at its level.
fn check_number(what: char, label: &str, number: u32, last: Option<u32>, excerpt: bool, line_no: usize) -> Result<()> {
    let expected = last.map_or(1, |n| n + 1);
    let unit = what;
    match last {
        Some(prev) if number == prev => Err(CoreError::invalid(format!(
            "第 {line_no} 行：“{label}”重复（上一{unit}也是第 {prev} {unit}）。请核对原文编号后重新导入。"
        ))),
        Some(prev) if number < prev => Err(CoreError::invalid(format!(
            "第 {line_no} 行：“{label}”出现在第 {prev} {unit}之后，编号顺序颠倒。请核对原文编号后重新导入。"
        ))),
        _ if number != expected && !excerpt => Err(CoreError::invalid(format!(
            "第 {line_no} 行：“{label}”之前缺少第 {expected} {unit}（编号跳号）。请补全缺漏的内容；如只导入部分条文，请在文件头写明“节选：是”。"
        ))),
        _ => Ok(()),
    }
}

/// Parses an import into a checked document. Nothing is written; a refusal names the line.
pub fn parse(req: &ImportRequest) -> Result<LibraryDocument> {
    if req.text.len() > MAX_TEXT_BYTES {
        return Err(CoreError::invalid(format!(
            "文件过大（{} KB），超过 {} KB 的上限。请拆分为多个文件后分别导入。",
            req.text.len() / 1024,
            MAX_TEXT_BYTES / 1024
        )));
    }
    let text = req.text.strip_prefix('\u{feff}').unwrap_or(&req.text);
    let lines: Vec<&str> = text.lines().collect();
    let (h, body_start) = header(&lines)?;
    let excerpt = req.excerpt.or(h.excerpt).unwrap_or(false);

    let mut title_line: Option<String> = None;
    let mut preamble: Vec<String> = Vec::new();
    let mut headings: Vec<Heading> = Vec::new();
    let mut articles: Vec<Article> = Vec::new();
    // The last number seen at each level, reset for the levels below when a heading opens.
    let mut last_part: Option<u32> = None;
    let mut last_chapter: Option<u32> = None;
    let mut last_section: Option<u32> = None;
    let mut current_heading: Option<u32> = None;
    // The line where the current article began, and its paragraphs.
    let mut open: Option<(usize, Article, Vec<String>)> = None;
    // A table of contents (目录) repeats the headings; it is skipped up to the first heading seen
    // again, where the body begins.
    let mut toc: Option<Option<String>> = None;

    let close = |open: &mut Option<(usize, Article, Vec<String>)>, articles: &mut Vec<Article>| -> Result<()> {
        if let Some((line_no, mut a, paragraphs)) = open.take() {
            if paragraphs.is_empty() {
                return Err(CoreError::invalid(format!(
                    "第 {line_no} 行：“{}”没有条文内容。请补上条文，或删去这一行。",
                    a.label
                )));
            }
            a.text = paragraphs.join("\n");
            articles.push(a);
        }
        Ok(())
    };

    for (index, raw) in lines.iter().enumerate().skip(body_start) {
        let line_no = index + 1;
        let line = classify(raw);
        if let Some(first) = &mut toc {
            match &line {
                Line::Blank => continue,
                Line::Heading { label, title, .. } => {
                    let key = format!("{label}{title}");
                    match first {
                        None => {
                            *first = Some(key);
                            continue;
                        }
                        Some(k) if *k != key => continue,
                        Some(_) => toc = None,
                    }
                }
                _ => toc = None,
            }
        }
        match line {
            Line::Blank => {}
            Line::Text(t) if open.is_none() && articles.is_empty() && headings.is_empty() => {
                if t.chars().filter(|c| !c.is_whitespace()).collect::<String>() == "目录" {
                    toc = Some(None);
                } else if title_line.is_none() && preamble.is_empty() {
                    title_line = Some(t);
                } else {
                    preamble.push(t);
                }
            }
            Line::Text(t) => match &mut open {
                Some((_, _, paragraphs)) => paragraphs.push(t),
                None => {
                    return Err(CoreError::invalid(format!(
                        "第 {line_no} 行：章节标题之后、第一条之前出现了正文“{}”。条文应以“第X条”开头；请核对这一行。",
                        t.chars().take(20).collect::<String>()
                    )));
                }
            },
            Line::Heading { level, number, label, title } => {
                close(&mut open, &mut articles)?;
                match level {
                    HeadingLevel::Part => {
                        check_number(level.char(), &label, number, last_part, excerpt, line_no)?;
                        last_part = Some(number);
                        last_chapter = None;
                        last_section = None;
                    }
                    HeadingLevel::Chapter => {
                        check_number(level.char(), &label, number, last_chapter, excerpt, line_no)?;
                        last_chapter = Some(number);
                        last_section = None;
                    }
                    HeadingLevel::Section => {
                        if last_chapter.is_none() {
                            return Err(CoreError::invalid(format!(
                                "第 {line_no} 行：“{label}”不在任何“章”之下。节应写在所属的章标题之后。"
                            )));
                        }
                        check_number(level.char(), &label, number, last_section, excerpt, line_no)?;
                        last_section = Some(number);
                    }
                }
                if title.chars().count() > 100 {
                    return Err(CoreError::invalid(format!("第 {line_no} 行：标题过长（超过 100 个字），请核对。")));
                }
                let ord = headings.len() as u32 + 1;
                headings.push(Heading { ord, level, number, label, title });
                current_heading = Some(ord);
            }
            Line::Article { number, label, rest } => {
                close(&mut open, &mut articles)?;
                let last = articles.last().map(|a| a.number);
                check_number('条', &label, number, last, excerpt, line_no)?;
                let paragraphs = if rest.is_empty() { Vec::new() } else { vec![rest] };
                open = Some((
                    line_no,
                    Article { number, label, heading: current_heading, text: String::new() },
                    paragraphs,
                ));
            }
        }
    }
    close(&mut open, &mut articles)?;
    if articles.is_empty() {
        return Err(CoreError::invalid(
            "文件中没有识别到任何条文。条文应以“第一条”“第1条”这样的编号开头，编号后留一个空格。",
        ));
    }

    let title_text = req.title.clone().or(h.title).or_else(|| title_line.clone()).unwrap_or_default();
    let title = required("文件标题（标题：…）", &title_text, 200)?;
    // The first line repeats the title in most files; anything else before the articles is kept.
    if let Some(t) = title_line.filter(|t| *t != title) {
        preamble.insert(0, t);
    }
    let issuer = required("制定机关（制定机关：…）", req.issuer.as_deref().or(h.issuer.as_deref()).unwrap_or(""), 100)?;
    let number = optional("文号", req.number.as_deref().or(h.number.as_deref()), 100)?;
    let effective_text = req.effective.as_deref().or(h.effective.as_deref()).unwrap_or("").trim().to_owned();
    if effective_text.is_empty() {
        return Err(CoreError::invalid("请填写施行日期（文件头“施行日期：2020-07-01”，或命令行 --effective）。"));
    }
    let effective = qingfeng_calendar::parse_date(&effective_text)
        .map_err(|e| CoreError::invalid(format!("施行日期“{effective_text}”无效：{e}")))?
        .to_string();
    // A version is named by its effective date unless the file names it (2023年修订).
    let version = required("版本", req.version.as_deref().or(h.version.as_deref()).unwrap_or(&effective), 50)?;
    let id = document_id(req.id.as_deref().or(h.id.as_deref()), &title)?;
    Ok(LibraryDocument {
        id,
        version,
        title,
        issuer,
        number,
        effective,
        repealed: h.repealed.unwrap_or(false),
        excerpt,
        preamble: preamble.join("\n"),
        headings,
        articles,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn chinese_and_arabic_numerals() {
        let cases = [
            ("一", 1),
            ("十", 10),
            ("十一", 11),
            ("二十", 20),
            ("九十九", 99),
            ("一百", 100),
            ("一百零一", 101),
            ("一百一十", 110),
            ("一百一十二", 112),
            ("二百零八", 208),
            ("一千零五十", 1050),
            ("一千二百六十", 1260),
            ("10", 10),
            ("１２", 12),
        ];
        for (s, n) in cases {
            assert_eq!(cn_number(s), Some(n), "{s}");
        }
        for bad in ["", "零", "十十", "一一", "一百十", "百", "0", "一零", "一百零", "x"] {
            assert_eq!(cn_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn lines_are_classified() {
        assert_eq!(
            classify("第一章　总　　则"),
            Line::Heading {
                level: HeadingLevel::Chapter, number: 1, label: "第一章".into(), title: "总则".into()
            }
        );
        assert_eq!(
            classify("**第十条** 正文"),
            Line::Article { number: 10, label: "第十条".into(), rest: "正文".into() }
        );
        assert_eq!(classify("第三条规定的情形"), Line::Text("第三条规定的情形".into()));
        assert_eq!(classify("  "), Line::Blank);
    }
}
