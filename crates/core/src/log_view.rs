//! Reading the event log through a login (issue #14): every post of the office may list recent
//! events, and each sees of their payloads only what its post may read.
//!
//! Password hashes are never shown. Case content (complaints, approvals, penalties, checklists,
//! documents, citations, conflicts) is shown to the business posts only, not to the
//! administrator, who reads no case. A reporter's identity and attachment file names are shown
//! only to the posts that may read identities (petitions, leader), read from this replica's
//! projection (where sealed identities were opened with its keys), and each complaint whose
//! identity is shown gets a `complaint.identity_viewed` record, as any other reading does.
//! Sealed values themselves are shown as a mark, never as ciphertext.

use rusqlite::OptionalExtension;
use serde::Serialize;
use serde_json::{Value, json};

use crate::authz::{Action, Actor, ComplaintAct, authorize};
use crate::complaints::IdentityViewed;
use crate::error::Result;
use crate::events::{Event, NewEvent};
use crate::projector::kind;
use crate::store::{Decision, Store};

/// What replaces a field the reader may not see.
pub const HIDDEN: &str = "（已隐去）";
/// What replaces a sealed value.
pub const SEALED: &str = "（已加密）";
/// What replaces a case's content for a post that reads no case.
pub const CASE_CONTENT: &str = "（案件内容，仅业务岗位可查看）";

/// Why an identity reading from the log is recorded.
const PURPOSE: &str = "查看事件日志";

/// One event as a reader of the log sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventView {
    pub id: String,
    pub origin_office: String,
    pub origin_device: String,
    pub seq: u64,
    pub time: String,
    pub actor: String,
    pub kind: String,
    /// The step in Chinese (`queue::kind_label`, the one table of step names), for reading.
    pub kind_label: String,
    pub aggregate: String,
    pub payload: Value,
    pub hash: String,
}

fn is_case_kind(kind: &str) -> bool {
    ["complaint.", "approval.", "penalty.", "checklist.", "person.", "document.", "citation.", "conflict."]
        .iter()
        .any(|p| kind.starts_with(p))
}

/// Replaces every `password_hash` field, at any depth.
fn hide_password_hashes(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if k == "password_hash" {
                    *v = Value::String(HIDDEN.into());
                } else {
                    hide_password_hashes(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(hide_password_hashes),
        _ => {}
    }
}

fn complaint_id(event: &Event) -> Option<&str> {
    event.aggregate.strip_prefix("complaint:")
}

/// `anonymous`, then the reporter's name, unit, contact and address columns.
type ReporterRow = (bool, Option<String>, Option<String>, Option<String>, Option<String>);

/// The reporter as this replica holds it, or None (anonymous, or sealed to other offices).
fn reporter(store: &Store, id: &str) -> Result<Option<Value>> {
    let row: Option<ReporterRow> = store
        .conn()
        .query_row(
            "SELECT anonymous, reporter_name, reporter_unit, reporter_contact, reporter_address FROM complaints WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    Ok(match row {
        Some((false, Some(name), unit, contact, address)) => {
            Some(json!({ "name": name, "unit": unit, "contact": contact, "address": address }))
        }
        _ => None,
    })
}

fn attachment_name(store: &Store, id: &str, sha256: &str) -> Result<Option<String>> {
    Ok(store
        .conn()
        .query_row(
            "SELECT name FROM complaint_attachments WHERE complaint_id = ?1 AND sha256 = ?2 AND name <> ''",
            [id, sha256],
            |r| r.get(0),
        )
        .optional()?)
}

/// The most recent `limit` events, newest first, as `actor`'s post may see them. Refused (and the
/// refusal recorded) for anyone without a post in this office.
pub fn list_events(store: &mut Store, actor: &Actor, limit: u32) -> Result<Vec<EventView>> {
    let office = store.office()?;
    store.execute(actor, Action::ViewLog { office: office.clone() }, |_tx, _ctx| Ok(Decision::default()))?;
    let reads_cases = authorize(actor, &Action::Complaint { office: office.clone(), act: ComplaintAct::View }).is_ok();
    let reads_identity =
        authorize(actor, &Action::Complaint { office: office.clone(), act: ComplaintAct::ViewIdentity }).is_ok();
    let mut shown: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for e in store.recent_events(limit)? {
        let mut payload = e.payload_json();
        hide_password_hashes(&mut payload);
        if is_case_kind(&e.kind) && !reads_cases {
            payload = Value::String(CASE_CONTENT.into());
        } else if let (Some(id), Value::Object(map)) = (complaint_id(&e), &mut payload) {
            match e.kind.as_str() {
                kind::COMPLAINT_REGISTERED => {
                    let had_reporter = map.get("sealed_identity").is_some()
                        || map.get("form").and_then(|f| f.get("reporter")).is_some_and(|r| !r.is_null());
                    if map.contains_key("sealed_identity") {
                        map.insert("sealed_identity".into(), Value::String(SEALED.into()));
                    }
                    if had_reporter && let Some(Value::Object(form)) = map.get_mut("form") {
                        let value = match (reads_identity, reporter(store, id)?) {
                            (true, Some(r)) => {
                                shown.push(id.to_owned());
                                r
                            }
                            (true, None) => Value::String(SEALED.into()),
                            (false, _) => Value::String(HIDDEN.into()),
                        };
                        form.insert("reporter".into(), value);
                    }
                }
                kind::COMPLAINT_ATTACHMENT_ADDED => {
                    if map.contains_key("sealed_name") {
                        map.insert("sealed_name".into(), Value::String(SEALED.into()));
                    }
                    let sha = map.get("sha256").and_then(Value::as_str).unwrap_or_default().to_owned();
                    let name = match (reads_identity, attachment_name(store, id, &sha)?) {
                        (true, Some(n)) => {
                            shown.push(id.to_owned());
                            Value::String(n)
                        }
                        (true, None) => Value::String(SEALED.into()),
                        (false, _) => Value::String(HIDDEN.into()),
                    };
                    map.insert("name".into(), name);
                }
                kind::COMPLAINT_IDENTITY_SEALED => {
                    for field in ["identity", "attachments"] {
                        if map.contains_key(field) {
                            map.insert(field.into(), Value::String(SEALED.into()));
                        }
                    }
                }
                _ => {}
            }
        }
        out.push(EventView {
            time: e.display_time(),
            hash: hex::encode(e.hash),
            payload,
            id: e.id,
            origin_office: e.origin_office,
            origin_device: e.origin_device,
            seq: e.seq,
            actor: e.actor,
            kind_label: crate::queue::kind_label(&e.kind).to_owned(),
            kind: e.kind,
            aggregate: e.aggregate,
        });
    }
    shown.sort();
    shown.dedup();
    if !shown.is_empty() {
        // Every identity the listing showed is a reading like any other, and is recorded as one.
        store.execute(actor, Action::Complaint { office, act: ComplaintAct::ViewIdentity }, |_tx, _ctx| {
            let events = shown
                .iter()
                .map(|id| {
                    Ok(NewEvent::new(
                        kind::COMPLAINT_IDENTITY_VIEWED,
                        format!("complaint:{id}"),
                        &IdentityViewed { complaint_id: id.clone(), purpose: PURPOSE.into() },
                    )?)
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(Decision::events(events))
        })?;
    }
    Ok(out)
}
