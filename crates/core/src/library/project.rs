//! Applies library and citation events to their tables. Idempotent by construction: a document
//! version already present is left alone and citations are inserted or ignored, because the same
//! event is replayed when an aggregate is re-projected and a published document may arrive twice.

use rusqlite::{OptionalExtension, Transaction, params};

use super::model::*;
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::projector::kind;

/// Applies one `library.*` or `citation.*` event.
pub fn apply(tx: &Transaction<'_>, event: &Event, at: &str) -> Result<()> {
    match event.kind.as_str() {
        kind::LIBRARY_DOCUMENT_IMPORTED => {
            let p: DocumentImported = event.payload()?;
            insert_document(tx, &p, &event.id, &event.actor, at)?;
        }
        kind::CITATION_ADDED => {
            let p: CitationAdded = event.payload()?;
            tx.prepare_cached(
                "INSERT OR IGNORE INTO citations (citation_id, aggregate, item_ord, doc_id, version, article_number,
                    document_title, article_label, note, added_by, added_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute(params![
                p.citation_id,
                event.aggregate,
                p.item,
                p.document_id,
                p.version,
                p.article,
                p.document_title,
                p.article_label,
                p.note,
                event.actor,
                at,
            ])?;
        }
        kind::CITATION_REMOVED => {
            let p: CitationRemoved = event.payload()?;
            // A removal marks the row and is never undone (a citation id is never added again);
            // the first removal's time and author are kept. Its `citation.added` always precedes
            // it in the log, since only a citation the remover's replica held can be removed.
            tx.prepare_cached(
                "UPDATE citations SET removed_by = ?2, removed_at = ?3 WHERE citation_id = ?1 AND removed_at IS NULL",
            )?
            .execute(params![p.citation_id, event.actor, at])?;
        }
        other => {
            return Err(CoreError::Encoding(format!("unknown event kind {other} (event {})", event.id)));
        }
    }
    Ok(())
}

/// Sets every version's status from the set of versions, so the result does not depend on the
/// order they arrived in: the version with the latest effective date (then the greatest version
/// name) is in force and the rest amended; when that version is declared repealed, all are.
fn recompute_status(tx: &Transaction<'_>, doc_id: &str) -> Result<()> {
    let latest: (String, bool) = tx
        .prepare_cached(
            "SELECT version, repealed FROM library_documents WHERE doc_id = ?1
             ORDER BY effective_date DESC, version DESC LIMIT 1",
        )?
        .query_row([doc_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    tx.prepare_cached(
        "UPDATE library_documents SET status = CASE
            WHEN ?3 THEN 'repealed' WHEN version = ?2 THEN 'in_force' ELSE 'amended' END
         WHERE doc_id = ?1",
    )?
    .execute(params![doc_id, latest.0, latest.1])?;
    Ok(())
}

/// Writes one document version into the library's tables, unless that version is already there
/// (the first text of a version wins on every replica). Called for an office's own import and for
/// a regulation the provincial hub published (`crate::province`).
pub(crate) fn insert_document(
    tx: &Transaction<'_>,
    p: &DocumentImported,
    event_id: &str,
    actor: &str,
    at: &str,
) -> Result<()> {
    let d = &p.document;
    // The hash is part of what a hub signs and a reader relies on: a payload whose text
    // does not match it was altered, and must not become the rule officers cite.
    if d.content_hash()? != p.content_hash {
        return Err(CoreError::Tampered(format!(
            "事件 {} 中的文件《{}》与其内容摘要不符，可能被篡改。",
            event_id, d.title
        )));
    }
    let present: Option<String> = tx
        .prepare_cached("SELECT content_hash FROM library_documents WHERE doc_id = ?1 AND version = ?2")?
        .query_row(params![d.id, d.version], |r| r.get(0))
        .optional()?;
    // The first text of a version wins on every replica, since all apply the log in the
    // same order; the import command refuses a different text under a known version.
    if present.is_some() {
        return Ok(());
    }
    tx.prepare_cached(
        "INSERT INTO library_documents (doc_id, version, title, issuer, doc_number, effective_date, status,
                repealed, excerpt, source, content_hash, preamble, article_count, event_id, imported_by, imported_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'amended', ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        d.id,
        d.version,
        d.title,
        d.issuer,
        d.number,
        d.effective,
        d.repealed,
        d.excerpt,
        p.source.as_str(),
        p.content_hash,
        d.preamble,
        d.articles.len() as i64,
        event_id,
        actor,
        at,
    ])?;
    let mut heading = tx.prepare_cached(
        "INSERT INTO library_chapters (doc_id, version, ord, level, number, label, title)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for h in &d.headings {
        heading.execute(params![d.id, d.version, h.ord, h.level.as_str(), h.number, h.label, h.title])?;
    }
    let mut article = tx.prepare_cached(
        "INSERT INTO library_articles (doc_id, version, number, label, chapter_ord, text)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut index = tx.prepare_cached("INSERT INTO library_search (rowid, text) VALUES (?1, ?2)")?;
    for a in &d.articles {
        article.execute(params![d.id, d.version, a.number, a.label, a.heading, a.text])?;
        index.execute(params![tx.last_insert_rowid(), a.text])?;
    }
    recompute_status(tx, &d.id)?;
    Ok(())
}
