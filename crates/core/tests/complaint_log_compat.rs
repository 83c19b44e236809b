//! Old complaint logs replay unchanged. `data/complaint_log_v1.tsv` is a prefecture's log written
//! by the code before the complaint workflow became typed events (issue #15): every complaint and
//! approval kind, from each screening outcome and disposal to a filed case with detention, an
//! attachment, an export, a quarterly report, an assignment to a county and a supervision of one
//! with the county's result report; `data/complaint_log_v1.dump` is what that code's rebuild made
//! of it. Every complaint event must decode to its typed form and encode back to the very bytes in
//! the log, and today's rebuild of the log must make the same tables.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use qingfeng_core::complaints::events::ComplaintEvent;
use qingfeng_core::events::Event;

const LOG: &str = include_str!("data/complaint_log_v1.tsv");
const DUMP: &str = include_str!("data/complaint_log_v1.dump");

fn hash32(hex_text: &str) -> [u8; 32] {
    hex::decode(hex_text).unwrap().try_into().unwrap()
}

fn events() -> Vec<Event> {
    LOG.lines()
        .map(|line| {
            let c: Vec<&str> = line.split('\t').collect();
            assert_eq!(c.len(), 11, "a log line has 11 columns: {line}");
            Event {
                id: c[0].into(),
                origin_office: c[1].into(),
                origin_device: c[2].into(),
                seq: c[3].parse().unwrap(),
                hlc: c[4].parse().unwrap(),
                actor: c[5].into(),
                kind: c[6].into(),
                aggregate: c[7].into(),
                payload: hex::decode(c[8]).unwrap(),
                prev: hash32(c[9]),
                hash: hash32(c[10]),
            }
        })
        .collect()
}

fn is_complaint_kind(kind: &str) -> bool {
    kind.starts_with("complaint.") || kind.starts_with("approval.")
}

#[test]
fn every_old_complaint_event_encodes_back_to_its_own_bytes() {
    let events = events();
    let mut seen = std::collections::BTreeSet::new();
    for e in events.iter().filter(|e| is_complaint_kind(&e.kind)) {
        let typed = ComplaintEvent::decode(e).unwrap_or_else(|err| panic!("{} does not decode: {err}", e.kind));
        assert_eq!(typed.kind(), e.kind);
        let again = typed.encode(&e.aggregate).unwrap();
        assert_eq!(again.payload, e.payload, "{} ({}) encodes to other bytes than the log holds", e.kind, e.id);
        assert_eq!(again.aggregate, e.aggregate);
        seen.insert(e.kind.clone());
    }
    // The log covers every kind the complaint side has ever written.
    assert_eq!(
        seen.into_iter().collect::<Vec<_>>(),
        [
            "approval.decided",
            "approval.requested",
            "complaint.acceptance_notified",
            "complaint.assigned",
            "complaint.attachment_added",
            "complaint.attachment_viewed",
            "complaint.case_milestone",
            "complaint.concluded",
            "complaint.detention_ended",
            "complaint.detention_extended",
            "complaint.detention_started",
            "complaint.disposed",
            "complaint.exported",
            "complaint.feedback_given",
            "complaint.forwarded",
            "complaint.identity_viewed",
            "complaint.inquiry_replied",
            "complaint.objection_recorded",
            "complaint.quarterly_report_submitted",
            "complaint.registered",
            "complaint.result_reported",
            "complaint.returned",
            "complaint.screened",
            "complaint.supervised",
            "complaint.supervision_decided",
            "complaint.supervision_requested",
        ]
    );
}

#[test]
fn an_old_complaint_log_rebuilds_to_the_tables_it_made_then() {
    let f = common::empty();
    let conn = f.store.raw_connection_for_tests();
    for e in events() {
        conn.execute(
            "INSERT INTO events (id, origin_office, origin_device, seq, hlc, actor, kind, aggregate, payload, prev, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            rusqlite::params![
                e.id,
                e.origin_office,
                e.origin_device,
                e.seq as i64,
                e.hlc as i64,
                e.actor,
                e.kind,
                e.aggregate,
                e.payload,
                e.prev.to_vec(),
                e.hash.to_vec()
            ],
        )
        .unwrap();
    }
    let mut store = f.store;
    store.rebuild().unwrap();
    let dump = store.projection_dump().unwrap();
    // Tables added to the projection after the fixture was taken (such as `blob_refs`) hold
    // nothing the old code made, so only the tables the fixture has are compared, each in full.
    // Columns added since (issue #14's `identity_sealed` and `name_sealed`, issue #16's offices'
    // `short_name` and `unit`, appended by their migrations) must hold their value for a log without sealed data, and nothing else changes.
    let now = sections(&dump);
    for (table, rows) in sections(DUMP) {
        let rebuilt = now.iter().find(|(t, _)| *t == table).map(|(_, r)| r.as_slice()).unwrap_or_default();
        let added = ADDED_COLUMNS.iter().find(|(t, _)| *t == table).map_or("", |(_, cells)| *cells);
        let expected: Vec<String> = rows.iter().map(|r| format!("{r}{added}")).collect();
        if rebuilt.len() != expected.len() || rebuilt.iter().zip(&expected).any(|(a, b)| a != b) {
            let first = rebuilt.iter().zip(&expected).find(|(a, b)| a != b);
            panic!("the rebuilt table {table} differs from the old code's; first differing row:\n now: {first:?}");
        }
    }
}

/// Columns added to a fixture table since the fixture was taken, as they read for its log.
const ADDED_COLUMNS: &[(&str, &str)] =
    &[("complaints", " | 0"), ("complaint_attachments", " | 0"), ("offices", " | NULL | office")];

/// Splits a projection dump into its tables (`## name` headers) and their rows.
fn sections(dump: &str) -> Vec<(&str, Vec<&str>)> {
    let mut out: Vec<(&str, Vec<&str>)> = Vec::new();
    for line in dump.lines() {
        match line.strip_prefix("## ") {
            Some(name) => out.push((name, Vec::new())),
            None => match out.last_mut() {
                Some((_, rows)) => rows.push(line),
                None => out.push(("", vec![line])),
            },
        }
    }
    out
}
