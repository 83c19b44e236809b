//! Reading the library: search with ranked, highlighted results; the document list; a document
//! with its headings and articles; and the citations of a record.
//!
//! Search uses the trigram index for terms of three or more characters (ranked by bm25) and a
//! scan of the same rows for shorter ones, which a trigram index cannot match; a query mixing
//! both uses the index for the long terms and filters by the short ones.

use rusqlite::{OptionalExtension, params_from_iter, types::Value};
use serde::{Deserialize, Serialize};

use super::model::*;
use crate::authz::{Action, Actor, ComplaintAct, LibraryAct, PenaltyAct, authorize};
use crate::error::{CoreError, Result};
use crate::store::Store;

/// The most results one page returns.
pub const MAX_LIMIT: u32 = 200;

fn may_view(store: &Store, actor: &Actor) -> Result<()> {
    authorize(actor, &Action::Library { office: store.office()?, act: LibraryAct::View })
}

/// A search as a screen or a script asks it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SearchQuery {
    pub text: String,
    /// Only this document (all its versions unless `status` narrows them).
    #[serde(default)]
    pub document: Option<String>,
    #[serde(default)]
    pub status: Option<DocumentStatus>,
    /// At most this many results (default 20, at most 200).
    #[serde(default)]
    pub limit: Option<u32>,
    #[serde(default)]
    pub offset: Option<u32>,
}

/// A matched stretch of an article's text, in characters (Unicode scalar values) from the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Highlight {
    pub start: u32,
    pub end: u32,
}

/// A piece of an article's text, marked when it matched: a screen draws these without any HTML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Segment {
    pub text: String,
    pub hit: bool,
}

/// One article found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SearchHit {
    pub document_id: String,
    pub version: String,
    pub document_title: String,
    pub status: DocumentStatus,
    pub article: u32,
    pub article_label: String,
    /// The headings above the article, e.g. `第二章 政务处分的种类和适用`.
    pub heading: Option<String>,
    pub text: String,
    pub highlights: Vec<Highlight>,
    pub segments: Vec<Segment>,
    /// Higher is better: the negated bm25 score for indexed searches, the number of
    /// occurrences for scanned ones.
    pub rank: f64,
}

/// A page of results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SearchResults {
    /// `index` (trigram full-text) or `scan` (every term shorter than three characters).
    pub mode: String,
    pub total: u32,
    pub hits: Vec<SearchHit>,
}

/// The query's terms, lower-cased as the index compares them (ASCII only, like SQLite's lower).
fn terms(text: &str) -> Result<Vec<String>> {
    if text.chars().count() > 100 {
        return Err(CoreError::invalid("搜索内容过长（不超过 100 个字），请缩短后重试。"));
    }
    let terms: Vec<String> = text.split_whitespace().map(|t| t.to_ascii_lowercase()).collect();
    if terms.is_empty() {
        return Err(CoreError::invalid("请输入要查找的文字，例如“政务处分”或“警告”。"));
    }
    Ok(terms)
}

/// Every occurrence of every term in `text`, merged, in character offsets.
pub fn highlights(text: &str, terms: &[String]) -> Vec<Highlight> {
    let lower = text.to_ascii_lowercase();
    // Byte offset → character offset; ASCII lower-casing keeps every byte where it was.
    let mut char_at = vec![0u32; lower.len() + 1];
    let mut n = 0u32;
    for (b, c) in lower.char_indices() {
        for slot in char_at.iter_mut().skip(b).take(c.len_utf8()) {
            *slot = n;
        }
        n += 1;
    }
    char_at[lower.len()] = n;
    let mut spans: Vec<(u32, u32)> = Vec::new();
    for term in terms.iter().filter(|t| !t.is_empty()) {
        for (b, m) in lower.match_indices(term.as_str()) {
            spans.push((char_at[b], char_at[b + m.len()]));
        }
    }
    spans.sort_unstable();
    let mut merged: Vec<Highlight> = Vec::new();
    for (start, end) in spans {
        match merged.last_mut() {
            Some(last) if start <= last.end => last.end = last.end.max(end),
            _ => merged.push(Highlight { start, end }),
        }
    }
    merged
}

/// Cuts `text` into plain and matched pieces along `highlights`.
pub fn segments(text: &str, highlights: &[Highlight]) -> Vec<Segment> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut at = 0usize;
    for h in highlights {
        let (s, e) = (h.start as usize, h.end as usize);
        if s > at {
            out.push(Segment { text: chars[at..s].iter().collect(), hit: false });
        }
        out.push(Segment { text: chars[s..e].iter().collect(), hit: true });
        at = e;
    }
    if at < chars.len() {
        out.push(Segment { text: chars[at..].iter().collect(), hit: false });
    }
    out
}

/// An FTS5 string literal: the term in double quotes, inner quotes doubled, so nothing the user
/// typed is read as query syntax; with the trigram tokenizer a quoted term matches as a substring.
fn fts_phrase(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

/// Searches the articles.
pub fn search(store: &Store, actor: &Actor, q: &SearchQuery) -> Result<SearchResults> {
    may_view(store, actor)?;
    let terms = terms(&q.text)?;
    let limit = q.limit.unwrap_or(20).clamp(1, MAX_LIMIT);
    let offset = q.offset.unwrap_or(0);
    let (long, short): (Vec<&String>, Vec<&String>) = terms.iter().partition(|t| t.chars().count() >= 3);
    let indexed = !long.is_empty();

    let documents = "JOIN library_documents d ON d.doc_id = a.doc_id AND d.version = a.version";
    // bm25 may only be called in the FTS query itself, so the match is a subquery of its own that
    // hands out each matching row's score.
    let from = if indexed {
        format!(
            "(SELECT rowid AS rid, -bm25(library_search) AS fts_score FROM library_search WHERE library_search MATCH ?) m
             JOIN library_articles a ON a.id = m.rid {documents}"
        )
    } else {
        format!("library_articles a {documents}")
    };
    let mut filters: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    if indexed {
        let query: Vec<String> = long.iter().map(|t| fts_phrase(t)).collect();
        args.push(Value::Text(query.join(" AND ")));
    }
    // SQLite's lower() folds only ASCII and copies the text; a term without Latin letters (nearly
    // every Chinese term) is matched on the text as stored.
    let text_for = |t: &str| if t.chars().any(|c| c.is_ascii_alphabetic()) { "lower(a.text)" } else { "a.text" };
    for t in &short {
        filters.push(format!("instr({}, ?) > 0", text_for(t)));
        args.push(Value::Text((*t).clone()));
    }
    if let Some(doc) = q.document.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        filters.push("a.doc_id = ?".into());
        args.push(Value::Text(doc.to_owned()));
    }
    if let Some(status) = q.status {
        filters.push("d.status = ?".into());
        args.push(Value::Text(status.as_str().into()));
    }
    let where_ = if filters.is_empty() { "1".to_owned() } else { filters.join(" AND ") };
    let conn = store.conn();

    // Scanned results rank by how often the terms occur; ties keep the documents' reading order.
    let score = if indexed {
        "m.fts_score".to_owned()
    } else {
        let counts: Vec<String> = short
            .iter()
            .map(|t| format!("CAST((length(a.text) - length(replace({}, ?, ''))) AS REAL) / ?", text_for(t)))
            .collect();
        counts.join(" + ")
    };
    let mut page_args: Vec<Value> = Vec::new();
    if !indexed {
        for t in &short {
            page_args.push(Value::Text((*t).clone()));
            page_args.push(Value::Integer(t.chars().count() as i64));
        }
    }
    page_args.extend(args.iter().cloned());
    page_args.push(Value::Integer(i64::from(limit)));
    page_args.push(Value::Integer(i64::from(offset)));
    // Ranking sorts every match, so the sort carries only small columns; the articles' text is read
    // for the page alone. The total comes from the same pass (a window count) instead of a second
    // search.
    let sql = format!(
        "SELECT r.score, r.total, a.doc_id, a.version, d.title, d.status, a.number, a.label, a.chapter_ord, a.text
         FROM (SELECT a.id AS id, {score} AS score, count(*) OVER () AS total,
                      d.status = 'in_force' AS in_force, a.doc_id AS doc_id, a.version AS version, a.number AS number
               FROM {from} WHERE {where_}
               ORDER BY score DESC, in_force DESC, doc_id, version, number LIMIT ? OFFSET ?) r
         JOIN library_articles a ON a.id = r.id {documents}
         ORDER BY r.score DESC, r.in_force DESC, r.doc_id, r.version, r.number"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(&page_args), |r| {
        Ok((
            r.get::<_, f64>(0)?,
            r.get::<_, u32>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, u32>(6)?,
            r.get::<_, String>(7)?,
            r.get::<_, Option<u32>>(8)?,
            r.get::<_, String>(9)?,
        ))
    })?;
    let mut total: Option<u32> = None;
    let mut page = Vec::new();
    for row in rows {
        let (rank, count, document_id, version, document_title, status, article, label, chapter, text) = row?;
        total = Some(count);
        page.push((rank, document_id, version, document_title, status, article, label, chapter, text));
    }
    // A page past the last match has no row to carry the total; only then is it counted apart.
    let total = match total {
        Some(t) => t,
        None if offset == 0 => 0,
        None => conn
            .prepare_cached(&format!("SELECT count(*) FROM {from} WHERE {where_}"))?
            .query_row(params_from_iter(&args), |r| r.get(0))?,
    };
    let mut hits = Vec::new();
    for row in page {
        let (rank, document_id, version, document_title, status, article, article_label, chapter, text) = row;
        let marks = highlights(&text, &terms);
        let heading = chapter.map(|ord| heading_path(conn, &document_id, &version, ord)).transpose()?.flatten();
        hits.push(SearchHit {
            segments: segments(&text, &marks),
            highlights: marks,
            document_id,
            version,
            document_title,
            status: DocumentStatus::parse(&status)?,
            article,
            article_label,
            heading,
            text,
            rank,
        });
    }
    Ok(SearchResults { mode: if indexed { "index" } else { "scan" }.into(), total, hits })
}

/// The headings above an article, outermost first: `第一编 总则 第二章 …`.
fn heading_path(conn: &rusqlite::Connection, doc_id: &str, version: &str, ord: u32) -> Result<Option<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT ord, level, label, title FROM library_chapters WHERE doc_id = ?1 AND version = ?2 AND ord <= ?3
         ORDER BY ord DESC",
    )?;
    let rows = stmt.query_map(rusqlite::params![doc_id, version, ord], |r| {
        Ok((r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
    })?;
    // Walk back from the article's heading, taking each enclosing level once.
    let mut path: Vec<String> = Vec::new();
    let mut deepest: Option<HeadingLevel> = None;
    for row in rows {
        let (level, label, title) = row?;
        let level = HeadingLevel::parse(&level)?;
        if deepest.is_none_or(|d| level < d) {
            path.push(if title.is_empty() { label } else { format!("{label} {title}") });
            deepest = Some(level);
        }
        if level == HeadingLevel::Part {
            break;
        }
    }
    path.reverse();
    Ok((!path.is_empty()).then(|| path.join(" ")))
}

/// A document version in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DocumentSummary {
    pub id: String,
    pub version: String,
    pub title: String,
    pub issuer: String,
    pub number: Option<String>,
    pub effective: String,
    pub status: DocumentStatus,
    pub source: DocumentSource,
    pub excerpt: bool,
    pub articles: u32,
    pub content_hash: String,
}

const SUMMARY_COLUMNS: &str = "doc_id, version, title, issuer, doc_number, effective_date, status, source, excerpt,
    article_count, content_hash";

fn summary(r: &rusqlite::Row<'_>) -> rusqlite::Result<(DocumentSummary, String, String)> {
    Ok((
        DocumentSummary {
            id: r.get(0)?,
            version: r.get(1)?,
            title: r.get(2)?,
            issuer: r.get(3)?,
            number: r.get(4)?,
            effective: r.get(5)?,
            status: DocumentStatus::InForce,
            source: DocumentSource::Import,
            excerpt: r.get(8)?,
            articles: r.get(9)?,
            content_hash: r.get(10)?,
        },
        r.get(6)?,
        r.get(7)?,
    ))
}

fn finish(row: (DocumentSummary, String, String)) -> Result<DocumentSummary> {
    let (mut s, status, source) = row;
    s.status = DocumentStatus::parse(&status)?;
    s.source = DocumentSource::parse(&source)?;
    Ok(s)
}

/// Every document version, documents in force first, then by title and latest version.
pub fn documents(store: &Store, actor: &Actor) -> Result<Vec<DocumentSummary>> {
    may_view(store, actor)?;
    let mut stmt = store.conn().prepare(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM library_documents
         ORDER BY status = 'in_force' DESC, title, effective_date DESC, version DESC"
    ))?;
    let rows = stmt.query_map([], summary)?;
    rows.map(|r| finish(r?)).collect()
}

/// A document version with everything a reader needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DocumentView {
    pub summary: DocumentSummary,
    pub preamble: String,
    pub headings: Vec<Heading>,
    pub articles: Vec<Article>,
    /// Every version of the document, newest first.
    pub versions: Vec<DocumentSummary>,
}

/// A document by id (or exact title), in `version` or else the version in force (or the latest).
pub fn show(store: &Store, actor: &Actor, doc: &str, version: Option<&str>) -> Result<DocumentView> {
    may_view(store, actor)?;
    let conn = store.conn();
    let doc = doc.trim();
    let id: String = conn
        .prepare_cached("SELECT doc_id FROM library_documents WHERE doc_id = ?1 OR title = ?1 LIMIT 1")?
        .query_row([doc], |r| r.get(0))
        .optional()?
        .ok_or_else(|| CoreError::NotFound { what: "资料袋中的文件", id: doc.to_owned() })?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM library_documents WHERE doc_id = ?1
         ORDER BY effective_date DESC, version DESC"
    ))?;
    let versions: Vec<DocumentSummary> = stmt.query_map([&id], summary)?.map(|r| finish(r?)).collect::<Result<_>>()?;
    let chosen = match version.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => versions
            .iter()
            .find(|s| s.version == v)
            .cloned()
            .ok_or_else(|| CoreError::NotFound { what: "该文件的版本", id: format!("{id} {v}") })?,
        None => versions
            .iter()
            .find(|s| s.status == DocumentStatus::InForce)
            .or(versions.first())
            .cloned()
            .ok_or_else(|| CoreError::NotFound { what: "资料袋中的文件", id: id.clone() })?,
    };
    let preamble: String = conn.query_row(
        "SELECT preamble FROM library_documents WHERE doc_id = ?1 AND version = ?2",
        [&id, &chosen.version],
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare_cached(
        "SELECT ord, level, number, label, title FROM library_chapters WHERE doc_id = ?1 AND version = ?2 ORDER BY ord",
    )?;
    let headings = stmt
        .query_map([&id, &chosen.version], |r| {
            Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?, r.get::<_, u32>(2)?, r.get(3)?, r.get(4)?))
        })?
        .map(|r| {
            let (ord, level, number, label, title) = r?;
            Ok(Heading { ord, level: HeadingLevel::parse(&level)?, number, label, title })
        })
        .collect::<Result<Vec<_>>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT number, label, chapter_ord, text FROM library_articles WHERE doc_id = ?1 AND version = ?2 ORDER BY number",
    )?;
    let articles = stmt
        .query_map([&id, &chosen.version], |r| {
            Ok(Article { number: r.get(0)?, label: r.get(1)?, heading: r.get(2)?, text: r.get(3)? })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(DocumentView { summary: chosen, preamble, headings, articles, versions })
}

/// The citations of a record that are not withdrawn, oldest first; `item` narrows to one item.
/// They belong to the case (their notes say what is intended), so only the posts that read the
/// record read them; the administrator, who reads the library, reads no case.
pub fn citations(store: &Store, actor: &Actor, record: &str, item: Option<u32>) -> Result<Vec<CitationView>> {
    let office = store.office()?;
    let action = match record.trim().split_once(':') {
        Some(("complaint", _)) => Action::Complaint { office, act: ComplaintAct::View },
        _ => Action::Penalty { office, act: PenaltyAct::View },
    };
    authorize(actor, &action)?;
    let conn = store.conn();
    let mut stmt = conn.prepare_cached(
        "SELECT c.citation_id, c.aggregate, c.item_ord, c.doc_id, c.version, c.article_number, c.document_title,
            c.article_label, c.note, a.text, coalesce(u.display_name, c.added_by), c.added_at
         FROM citations c
         LEFT JOIN library_articles a ON a.doc_id = c.doc_id AND a.version = c.version AND a.number = c.article_number
         LEFT JOIN users u ON u.id = c.added_by
         WHERE c.aggregate = ?1 AND c.removed_at IS NULL AND (?2 IS NULL OR c.item_ord = ?2)
         ORDER BY c.added_at, c.citation_id",
    )?;
    let rows = stmt.query_map(rusqlite::params![record.trim(), item], |r| {
        let at: String = r.get(11)?;
        Ok(CitationView {
            id: r.get(0)?,
            record: r.get(1)?,
            item: r.get(2)?,
            document_id: r.get(3)?,
            version: r.get(4)?,
            article: r.get(5)?,
            document_title: r.get(6)?,
            article_label: r.get(7)?,
            note: r.get(8)?,
            text: r.get(9)?,
            added_by: r.get(10)?,
            added_at: crate::clock::display_stored(&at),
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}
