//! Library commands: import a document version, load the starter set, cite an article from a
//! record and withdraw a citation. Each validates inside the transaction and appends its events
//! through `Store::execute`, so a refused import or citation leaves the store unchanged.

use rusqlite::{Connection, OptionalExtension, params};

use super::model::*;
use super::parse;
use crate::authz::{Action, Actor, LibraryAct};
use crate::error::{CoreError, Result};
use crate::events::NewEvent;
use crate::input::optional;
use crate::projector::kind;
use crate::store::{Decision, Store};

/// The aggregate of a document (all its versions).
pub fn document_aggregate(doc_id: &str) -> String {
    format!("library:{doc_id}")
}

fn status_of(conn: &Connection, doc_id: &str, version: &str) -> Result<DocumentStatus> {
    let s: String = conn.query_row(
        "SELECT status FROM library_documents WHERE doc_id = ?1 AND version = ?2",
        params![doc_id, version],
        |r| r.get(0),
    )?;
    DocumentStatus::parse(&s)
}

fn outcome(doc: &LibraryDocument, hash: &str, status: DocumentStatus, unchanged: bool) -> ImportOutcome {
    ImportOutcome {
        document_id: doc.id.clone(),
        version: doc.version.clone(),
        title: doc.title.clone(),
        status,
        headings: doc.headings.len() as u32,
        articles: doc.articles.len() as u32,
        unchanged,
        content_hash: hash.to_owned(),
    }
}

/// Imports a document version parsed from `req` (系统管理员). The same version with the same
/// content is a no-op; the same version with different content is refused (a version, once cited,
/// must keep its words); a new version marks the earlier ones amended.
pub fn import(store: &mut Store, actor: &Actor, req: &ImportRequest) -> Result<ImportOutcome> {
    import_as(store, actor, req, DocumentSource::Import)
}

fn import_as(store: &mut Store, actor: &Actor, req: &ImportRequest, source: DocumentSource) -> Result<ImportOutcome> {
    let office = store.office()?;
    // Parsing (files up to a few MB) needs no database, so it is done before the write lock is
    // taken; its refusal is returned inside, after the permission check, as before.
    let parsed = parse::parse(req).and_then(|doc| Ok((doc.content_hash()?, doc)));
    let mut imported = None;
    store.execute(actor, Action::Library { office, act: LibraryAct::Import }, |tx, _ctx| {
        let (hash, doc) = parsed?;
        let present: Option<String> = tx
            .prepare_cached("SELECT content_hash FROM library_documents WHERE doc_id = ?1 AND version = ?2")?
            .query_row(params![doc.id, doc.version], |r| r.get(0))
            .optional()?;
        let unchanged = match present {
            Some(h) if h == hash => true,
            Some(_) => {
                return Err(CoreError::invalid(format!(
                    "《{}》的版本“{}”已在资料袋中，但内容与本次导入的不同。已引用的条文不能被改写：如是新的版本，请填写新的版本号（文件头“版本：…”或 --version）后再导入。",
                    doc.title, doc.version
                )));
            }
            None => false,
        };
        let events = if unchanged {
            Vec::new()
        } else {
            vec![NewEvent::new(
                kind::LIBRARY_DOCUMENT_IMPORTED,
                document_aggregate(&doc.id),
                &DocumentImported { document: doc.clone(), source, content_hash: hash.clone() },
            )?]
        };
        imported = Some((doc, hash, unchanged));
        Ok(Decision::events(events))
    })?;
    let (doc, hash, unchanged) = imported.ok_or_else(|| CoreError::Encoding("import decided nothing".into()))?;
    // The status comes from the projection: an older version imported later is amended at once.
    Ok(outcome(&doc, &hash, status_of(store.conn(), &doc.id, &doc.version)?, unchanged))
}

/// Loads the starter documents shipped in the program, as the program itself (`system`).
/// Idempotent: a document already present with the same content writes nothing, so this runs
/// whenever the library is first opened.
pub fn load_starter(store: &mut Store) -> Result<Vec<ImportOutcome>> {
    let mut out = Vec::new();
    for text in super::starter::TEXTS {
        let req = ImportRequest { text: (*text).to_owned(), ..Default::default() };
        out.push(import_as(store, &Actor::System, &req, DocumentSource::Starter)?);
    }
    Ok(out)
}

/// Whether every starter document is already in the library (a read, for callers that want to
/// avoid taking the write lock when nothing is missing).
pub fn starter_loaded(store: &Store) -> Result<bool> {
    for text in super::starter::TEXTS {
        let doc = parse::parse(&ImportRequest { text: (*text).to_owned(), ..Default::default() })?;
        let n: i64 = store.conn().query_row(
            "SELECT count(*) FROM library_documents WHERE doc_id = ?1 AND version = ?2",
            params![doc.id, doc.version],
            |r| r.get(0),
        )?;
        if n == 0 {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Loads the starter set unless it is there already.
pub fn ensure_starter(store: &mut Store) -> Result<()> {
    if store.office_code().is_some() && !starter_loaded(store)? {
        load_starter(store)?;
    }
    Ok(())
}

/// Checks that `record` names a record this replica holds, and `item` one of its items.
fn check_record(conn: &Connection, record: &str, item: Option<u32>) -> Result<()> {
    let (prefix, id) = record.split_once(':').ok_or_else(|| bad_record(record))?;
    let exists: bool = match prefix {
        "complaint" => {
            if item.is_some() {
                return Err(CoreError::invalid("检举控告没有执行事项，引用时不要填写事项序号。"));
            }
            conn.prepare_cached("SELECT 1 FROM complaints WHERE id = ?1")?
                .query_row([id], |_| Ok(true))
                .optional()?
                .unwrap_or(false)
        }
        "penalty" | "checklist" => {
            let found = conn
                .prepare_cached("SELECT 1 FROM checklists WHERE aggregate = ?1")?
                .query_row([record], |_| Ok(true))
                .optional()?
                .unwrap_or(false);
            if found && let Some(ord) = item {
                let has = conn
                    .prepare_cached(
                        "SELECT 1 FROM checklist_items i JOIN checklists c ON c.id = i.checklist_id
                         WHERE c.aggregate = ?1 AND i.ord = ?2",
                    )?
                    .query_row(params![record, ord], |_| Ok(true))
                    .optional()?
                    .unwrap_or(false);
                if !has {
                    return Err(CoreError::invalid(format!("该清单没有第 {ord} 项事项，请核对事项序号。")));
                }
            }
            found
        }
        _ => return Err(bad_record(record)),
    };
    if exists { Ok(()) } else { Err(CoreError::NotFound { what: "被引用的记录", id: record.to_owned() }) }
}

fn bad_record(record: &str) -> CoreError {
    CoreError::invalid(format!("记录“{record}”无法识别：应为 complaint:<编号>、penalty:<编号> 或 checklist:<编号>。"))
}

/// Cites an article from a record; returns the citation's id.
pub fn cite(store: &mut Store, actor: &Actor, req: &CiteRequest) -> Result<String> {
    let office = store.office()?;
    let citation_id = uuid::Uuid::now_v7().to_string();
    store.execute(actor, Action::Library { office, act: LibraryAct::Cite }, |tx, _ctx| {
        let record = req.record.trim();
        check_record(tx, record, req.item)?;
        let doc_id = req.document_id.trim();
        let version = match req.version.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            Some(v) => v.to_owned(),
            None => tx
                .prepare_cached(
                    "SELECT version FROM library_documents WHERE doc_id = ?1
                     ORDER BY status = 'in_force' DESC, effective_date DESC, version DESC LIMIT 1",
                )?
                .query_row([doc_id], |r| r.get(0))
                .optional()?
                .ok_or_else(|| CoreError::NotFound { what: "资料袋中的文件", id: doc_id.to_owned() })?,
        };
        let found: Option<(String, String)> = tx
            .prepare_cached(
                "SELECT d.title, a.label FROM library_articles a
                 JOIN library_documents d ON d.doc_id = a.doc_id AND d.version = a.version
                 WHERE a.doc_id = ?1 AND a.version = ?2 AND a.number = ?3",
            )?
            .query_row(params![doc_id, version, req.article], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((document_title, article_label)) = found else {
            return Err(CoreError::invalid(format!(
                "资料袋中的文件 {doc_id}（版本 {version}）没有第 {} 条。请在资料袋中查到条文后再引用。",
                req.article
            )));
        };
        let duplicate: bool = tx
            .prepare_cached(
                "SELECT 1 FROM citations WHERE aggregate = ?1 AND item_ord IS ?2 AND doc_id = ?3 AND version = ?4
                    AND article_number = ?5 AND removed_at IS NULL",
            )?
            .query_row(params![record, req.item, doc_id, version, req.article], |_| Ok(true))
            .optional()?
            .unwrap_or(false);
        if duplicate {
            return Err(CoreError::invalid(format!("已引用过《{document_title}》{article_label}，无需重复引用。")));
        }
        let note = optional("引用说明", req.note.as_deref(), 500)?;
        Ok(Decision::events(vec![NewEvent::new(
            kind::CITATION_ADDED,
            record,
            &CitationAdded {
                citation_id: citation_id.clone(),
                record: record.to_owned(),
                item: req.item,
                document_id: doc_id.to_owned(),
                version,
                article: req.article,
                document_title,
                article_label,
                note,
            },
        )?]))
    })?;
    Ok(citation_id)
}

/// Withdraws a citation.
pub fn uncite(store: &mut Store, actor: &Actor, citation_id: &str) -> Result<()> {
    let office = store.office()?;
    store.execute(actor, Action::Library { office, act: LibraryAct::Cite }, |tx, _ctx| {
        let row: Option<(String, Option<String>)> = tx
            .prepare_cached("SELECT aggregate, removed_at FROM citations WHERE citation_id = ?1")?
            .query_row([citation_id.trim()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((aggregate, removed)) = row else {
            return Err(CoreError::NotFound { what: "引用", id: citation_id.trim().to_owned() });
        };
        if removed.is_some() {
            return Err(CoreError::invalid("该引用已经撤销，无需再撤销。"));
        }
        Ok(Decision::events(vec![NewEvent::new(
            kind::CITATION_REMOVED,
            aggregate,
            &CitationRemoved { citation_id: citation_id.trim().to_owned() },
        )?]))
    })?;
    Ok(())
}
