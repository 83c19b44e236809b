//! The projector for the key-problem catalogue: `catalogue.published` from the hub becomes a row
//! of `problem_catalogues`, once per version.

use rusqlite::{Connection, params};

use super::catalogue::CataloguePublished;
use crate::error::{CoreError, Result};
use crate::events::Event;

/// Applies `catalogue.published`: the version's row after checking its hash and rules. Only the
/// hub publishes versions; one from anywhere else is refused, as is a second, different text
/// under a version number already held. The same version arriving twice changes nothing.
pub(crate) fn project(tx: &Connection, event: &Event, at: &str) -> Result<()> {
    if event.origin_office != crate::ownership::HUB_OFFICE {
        return Err(CoreError::Tampered(format!("重点问题目录只能由省级平台发布（事件 {}）", event.id)));
    }
    let p: CataloguePublished = event.payload()?;
    let doc = p.verified()?;
    let json = doc.canonical()?;
    let held: Option<String> = tx
        .prepare_cached("SELECT sha256 FROM problem_catalogues WHERE version = ?1")?
        .query_row([doc.version], |r| r.get(0))
        .map(Some)
        .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })?;
    match held {
        Some(h) if h == p.sha256 => Ok(()),
        Some(_) => Err(CoreError::Tampered(format!("重点问题目录第 {} 版出现了两个不同的文本", doc.version))),
        None => {
            tx.prepare_cached(
                "INSERT INTO problem_catalogues (version, title, effective, sha256, doc_json, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![doc.version, doc.title, doc.effective, p.sha256, json, at])?;
            Ok(())
        }
    }
}
