//! Province-wide content in the office's store (issue #16 item 7): the regulations, notice
//! templates and checklist templates the hub publishes as `content.published`, what is new for an
//! officer, and adopting a province template as the office's own.
//!
//! The rule (ARCHITECTURE.md, "Province content beside the office's own"): a regulation is
//! reference text and enters the library at once, marked as the province's; a template decides
//! what the office prints and which duties a decision opens, so a province version never comes
//! into force by a sync. The office's own newest version stays in force until its administrator
//! adopts the province's (`content.adopted`), which saves the province's text as the office's next
//! version through the same event a local edit uses. A local edit is therefore never overwritten,
//! and which text is in force is always the office's newest version, as before.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};

pub use qingfeng_log::content::{ContentKind, ContentPublished, ProvinceDoc, aggregate};

use crate::authz::{Action, Actor, NoticeAct, PenaltyAct};
use crate::error::{CoreError, Result};
use crate::events::{Event, NewEvent};
use crate::projector::kind;
use crate::store::{Decision, Store};

/// Payload of `content.adopted` (aggregate `content:<kind>:<id>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentAdopted {
    pub kind: ContentKind,
    pub id: String,
    /// The province version adopted.
    pub version: u32,
    /// Its hash, so the adoption names one text.
    pub sha256: String,
    /// The office's own version number it was saved as.
    pub adopted_as: u32,
}

/// One province version as the screens list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProvinceItem {
    pub kind: ContentKind,
    pub id: String,
    pub version: u32,
    pub title: String,
    /// When it arrived (UTC, RFC 3339).
    pub received_at: String,
    /// Arrived since this officer last looked.
    pub new: bool,
    /// Why the office cannot use it (numbering that does not parse, a template that does not
    /// validate); `None` when usable.
    pub refused: Option<String>,
    /// The office's own version it was adopted as, if adopted.
    pub adopted_as: Option<u32>,
    /// For a template: the office's version in force now (`None` for a regulation).
    pub office_version: Option<u32>,
    /// For a template: this is the newest province version and the office has not adopted it.
    pub adoptable: bool,
}

/// A row of `province_content` as listed.
struct Stored {
    rowid: i64,
    kind: String,
    id: String,
    version: u32,
    title: String,
    received_at: String,
    refused: Option<String>,
    adopted_as: Option<u32>,
}

/// Every province version received, newest first, with what is new for `actor`.
pub fn list(store: &Store, actor: &Actor) -> Result<Vec<ProvinceItem>> {
    let p = viewer(store, actor)?;
    let conn = store.conn();
    let seen = seen_through(conn, &p.user_id)?;
    let office = store.office()?;
    let mut stmt = conn.prepare(
        "SELECT rowid, kind, id, version, title, received_at, refused, adopted_as FROM province_content
         ORDER BY rowid DESC",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Stored {
                rowid: r.get(0)?,
                kind: r.get(1)?,
                id: r.get(2)?,
                version: r.get(3)?,
                title: r.get(4)?,
                received_at: r.get(5)?,
                refused: r.get(6)?,
                adopted_as: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let kind = ContentKind::parse(&row.kind)?;
        let office_version = office_version(conn, &office, kind, &row.id)?;
        let newest = newest_usable(conn, kind, &row.id)?;
        let adoptable = kind != ContentKind::Regulation
            && row.refused.is_none()
            && row.adopted_as.is_none()
            && newest == Some(row.version);
        out.push(ProvinceItem {
            kind,
            id: row.id,
            version: row.version,
            title: row.title,
            received_at: row.received_at,
            new: row.rowid > seen,
            refused: row.refused,
            adopted_as: row.adopted_as,
            office_version,
            adoptable,
        });
    }
    Ok(out)
}

/// How many province versions arrived since `actor` last looked (the count on the menu).
pub fn new_count(store: &Store, actor: &Actor) -> Result<u32> {
    let p = viewer(store, actor)?;
    let seen = seen_through(store.conn(), &p.user_id)?;
    Ok(store.conn().query_row("SELECT count(*) FROM province_content WHERE rowid > ?1", [seen], |r| r.get(0))?)
}

/// Records that `actor` has seen everything received so far. This is the officer's reading state,
/// not a record of the office: it is written directly, like a session, and is no event.
pub fn mark_seen(store: &Store, actor: &Actor) -> Result<()> {
    let p = viewer(store, actor)?;
    store.conn().execute(
        "INSERT INTO province_content_seen (user_id, seen_through)
         VALUES (?1, (SELECT coalesce(max(rowid), 0) FROM province_content))
         ON CONFLICT (user_id) DO UPDATE SET seen_through = excluded.seen_through",
        [&p.user_id],
    )?;
    Ok(())
}

/// The officer reading, who must be allowed to read the library (every officer of the office).
fn viewer<'a>(store: &Store, actor: &'a Actor) -> Result<&'a crate::authz::Principal> {
    crate::authz::authorize(actor, &Action::Library { office: store.office()?, act: crate::authz::LibraryAct::View })?;
    match actor {
        Actor::User(p) => Ok(p),
        _ => Err(CoreError::NoSession),
    }
}

fn seen_through(conn: &Connection, user: &str) -> Result<i64> {
    Ok(conn
        .query_row("SELECT seen_through FROM province_content_seen WHERE user_id = ?1", [user], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// The office's version in force of a template (its newest, built-in included).
fn office_version(conn: &Connection, office: &str, kind: ContentKind, id: &str) -> Result<Option<u32>> {
    Ok(match kind {
        ContentKind::Regulation => None,
        ContentKind::ChecklistTemplate => crate::penalty::template::latest_version(conn, id)?,
        ContentKind::NoticeTemplate => conn.query_row(
            // Offices above hold lower offices' templates too; only this office's and the
            // built-in ones ('') are its own.
            "SELECT max(version) FROM notice_templates WHERE kind = ?1 AND office_code IN (?2, '')",
            params![id, office],
            |r| r.get(0),
        )?,
    })
}

fn newest_usable(conn: &Connection, kind: ContentKind, id: &str) -> Result<Option<u32>> {
    Ok(conn.query_row(
        "SELECT max(version) FROM province_content WHERE kind = ?1 AND id = ?2 AND refused IS NULL",
        params![kind.as_str(), id],
        |r| r.get(0),
    )?)
}

/// Puts province version `version` of template `id` in force as the office's next own version
/// (administrators, with the permission the kind's own save needs). Only the newest usable province
/// version can be adopted, and only once. A notice template's text is the caller's to check by
/// rendering it (the core knows nothing of the template syntax), as for a local save.
pub fn adopt(store: &mut Store, actor: &Actor, kind: ContentKind, id: &str, version: u32) -> Result<u32> {
    adopt_checked(store, actor, kind, id, version, |_| Ok(()))
}

/// [`adopt`], with the text first checked by `check` (the notice template's parser, which the
/// core does not know); its refusal is returned as the reason and nothing is recorded.
pub fn adopt_checked(
    store: &mut Store,
    actor: &Actor,
    kind: ContentKind,
    id: &str,
    version: u32,
    check: impl FnOnce(&str) -> std::result::Result<(), String>,
) -> Result<u32> {
    let office = store.office()?;
    let action = match kind {
        ContentKind::Regulation => {
            return Err(CoreError::invalid("法规制度收到后即已列入资料袋，无需采用。"));
        }
        ContentKind::ChecklistTemplate => Action::Penalty { office: office.clone(), act: PenaltyAct::PublishTemplate },
        ContentKind::NoticeTemplate => Action::Notice { office: office.clone(), act: NoticeAct::SaveTemplate },
    };
    let mut adopted_as = 0;
    store.execute(actor, action, |tx, _ctx| {
        type Held = (String, String, String, Option<String>, Option<u32>);
        let row: Option<Held> = tx
            .query_row(
                "SELECT title, body, sha256, refused, adopted_as FROM province_content
                 WHERE kind = ?1 AND id = ?2 AND version = ?3",
                params![kind.as_str(), id, version],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let Some((title, body, sha256, refused, already)) = row else {
            return Err(CoreError::NotFound { what: "省级发布的版本", id: format!("{id} 第 {version} 版") });
        };
        let label = format!("{}《{title}》省级第 {version} 版", kind.label());
        if let Some(reason) = refused {
            return Err(CoreError::invalid(format!("{label}本机无法使用：{reason}")));
        }
        if let Some(n) = already {
            return Err(CoreError::invalid(format!("{label}已采用为本机关第 {n} 版，无需再次采用。")));
        }
        if newest_usable(tx, kind, id)? != Some(version) {
            return Err(CoreError::invalid(format!("{label}已有更新的省级版本，请采用最新版本。")));
        }
        check(&body).map_err(|reason| CoreError::invalid(format!("{label}不能采用：{reason}")))?;
        let next = office_version(tx, &office, kind, id)?.unwrap_or(0) + 1;
        let own = match kind {
            ContentKind::ChecklistTemplate => {
                let mut t = crate::penalty::template::Template::parse(&body)?;
                if let Some(v) = office_version(tx, &office, kind, id)? {
                    let old = crate::penalty::template::load(tx, id, v)?;
                    if old.scope != t.scope {
                        return Err(CoreError::invalid(format!("{label}改变了清单类别（处分执行或整改），不能采用。")));
                    }
                }
                t.version = next;
                let body = serde_json::to_string(&t).map_err(|e| CoreError::Encoding(e.to_string()))?;
                crate::penalty::events::PenaltyEvent::TemplatePublished(crate::penalty::TemplatePublished {
                    template_id: t.id.clone(),
                    version: next,
                    scope: t.scope,
                    name: t.name.clone(),
                    priority: t.priority,
                    body,
                })
                .encode(&format!("template:{}", t.id))?
            }
            ContentKind::NoticeTemplate => {
                let info = crate::documents::kind_info(id)?;
                NewEvent::new(
                    kind::NOTICE_TEMPLATE_SAVED,
                    format!("notice_template:{office}:{}", info.id),
                    &crate::documents::TemplateSaved {
                        office_code: office.clone(),
                        kind: info.id.into(),
                        version: next,
                        title: title.chars().take(60).collect(),
                        sha256: crate::encoding::sha256_hex(body.as_bytes()),
                        source: body,
                        scope: "province".into(),
                    },
                )?
            }
            ContentKind::Regulation => return Err(CoreError::invalid("法规制度收到后即已列入资料袋，无需采用。")),
        };
        let adopted = NewEvent::new(
            kind::CONTENT_ADOPTED,
            format!("content:{}:{id}", kind.as_str()),
            &ContentAdopted { kind, id: id.to_owned(), version, sha256, adopted_as: next },
        )?;
        adopted_as = next;
        Ok(Decision::events(vec![own, adopted]))
    })?;
    Ok(adopted_as)
}

/// Applies `content.published` (a row, and a regulation's library entry) and `content.adopted`.
pub(crate) fn project(tx: &Transaction<'_>, event: &Event, at: &str) -> Result<()> {
    if event.kind == kind::CONTENT_ADOPTED {
        let p: ContentAdopted = event.payload()?;
        tx.execute(
            "UPDATE province_content SET adopted_at = ?1, adopted_by = ?2, adopted_as = ?3
             WHERE kind = ?4 AND id = ?5 AND version = ?6 AND sha256 = ?7",
            params![at, event.actor, p.adopted_as, p.kind.as_str(), p.id, p.version, p.sha256],
        )?;
        return Ok(());
    }
    if event.origin_office != crate::ownership::HUB_OFFICE {
        return Err(CoreError::Tampered(format!("省级统一内容只能由省级平台发布（事件 {}）", event.id)));
    }
    let p: ContentPublished = event.payload()?;
    let doc = p.verified()?;
    let held: Option<String> = tx
        .prepare_cached("SELECT sha256 FROM province_content WHERE kind = ?1 AND id = ?2 AND version = ?3")?
        .query_row(params![doc.kind.as_str(), doc.id, doc.version], |r| r.get(0))
        .optional()?;
    match held {
        Some(h) if h == p.sha256 => return Ok(()),
        Some(_) => return Err(CoreError::Tampered(format!("{}出现了两个不同的文本", doc.describe()))),
        None => {}
    }
    // What the office's own formats say about the text. A refusal is kept beside the row rather
    // than stopping the sync: the hub signed it, and the officer should see that it came.
    let refused = match usable(tx, &doc) {
        Ok(Some(imported)) => {
            crate::library::project::insert_document(tx, &imported, &event.id, &event.actor, at)?;
            None
        }
        Ok(None) => None,
        Err(CoreError::Invalid(reason)) => Some(reason),
        Err(e) => return Err(e),
    };
    tx.prepare_cached(
        "INSERT INTO province_content (kind, id, version, title, body, sha256, event_id, received_at, refused)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        doc.kind.as_str(),
        doc.id,
        doc.version,
        doc.title,
        doc.body,
        p.sha256,
        event.id,
        at,
        refused
    ])?;
    Ok(())
}

/// Checks a document by its kind's own rules; for a regulation, returns the library import it
/// becomes (version 省级第 N 版, source the hub).
fn usable(tx: &Transaction<'_>, doc: &ProvinceDoc) -> Result<Option<crate::library::DocumentImported>> {
    match doc.kind {
        ContentKind::Regulation => {
            let req = crate::library::ImportRequest {
                text: doc.body.clone(),
                id: Some(doc.id.clone()),
                title: Some(doc.title.clone()),
                version: Some(format!("省级第{}版", doc.version)),
                ..Default::default()
            };
            let document = crate::library::parse::parse(&req)?;
            let content_hash = document.content_hash()?;
            Ok(Some(crate::library::DocumentImported {
                document,
                source: crate::library::DocumentSource::Hub,
                content_hash,
            }))
        }
        ContentKind::ChecklistTemplate => {
            let t = crate::penalty::template::Template::parse(&doc.body)?;
            if let Some(v) = crate::penalty::template::latest_version(tx, &t.id)? {
                let old = crate::penalty::template::load(tx, &t.id, v)?;
                if old.scope != t.scope {
                    return Err(CoreError::invalid("省级模板与本机同编号模板的清单类别不同（处分执行或整改）。"));
                }
            }
            Ok(None)
        }
        ContentKind::NoticeTemplate => {
            crate::documents::kind_info(&doc.id)?;
            if doc.body.len() > 64 * 1024 {
                return Err(CoreError::invalid("模板过长（超过 64 KB）。"));
            }
            Ok(None)
        }
    }
}
