//! Old penalty logs replay unchanged. `data/penalty_log_v1.tsv` is a log written by the code
//! before the penalty workflow became typed events (issue #15): a decision with a rejection, an
//! approval, an extension and a payment, two rectification lists, a template version and two
//! benefits; `data/penalty_log_v1.dump` is what that code's rebuild made of it. Every event must
//! decode to its typed form and encode back to the very bytes in the log, and today's rebuild of
//! the log must make the same tables.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use qingfeng_core::penalty::events::PenaltyEvent;

const LOG: &str = include_str!("data/penalty_log_v1.tsv");
const DUMP: &str = include_str!("data/penalty_log_v1.dump");

fn is_penalty_kind(kind: &str) -> bool {
    kind.starts_with("penalty.") || kind.starts_with("checklist.") || kind.starts_with("person.")
}

#[test]
fn every_old_penalty_event_encodes_back_to_its_own_bytes() {
    let events = common::old_log::events(LOG);
    let mut seen = std::collections::BTreeSet::new();
    for e in events.iter().filter(|e| is_penalty_kind(&e.kind)) {
        let typed = PenaltyEvent::decode(e).unwrap_or_else(|err| panic!("{} does not decode: {err}", e.kind));
        assert_eq!(typed.kind(), e.kind);
        let again = typed.encode(&e.aggregate).unwrap();
        assert_eq!(again.payload, e.payload, "{} ({}) encodes to other bytes than the log holds", e.kind, e.id);
        assert_eq!(again.aggregate, e.aggregate);
        seen.insert(e.kind.clone());
    }
    // The log covers every kind the penalty side has ever written.
    assert_eq!(
        seen.into_iter().collect::<Vec<_>>(),
        [
            "checklist.item_approved",
            "checklist.item_extended",
            "checklist.item_rejected",
            "checklist.item_submitted",
            "checklist.payment_recorded",
            "checklist.registered",
            "checklist.template_published",
            "penalty.registered",
            "person.benefit_recorded",
        ]
    );
}

#[test]
fn an_old_log_rebuilds_to_the_tables_it_made_then() {
    // Columns issue #14 (`identity_sealed`, `name_sealed`), issue #16 (offices' `short_name` and
    // `unit`) and issue #19 (checklists' `penalty_id`) appended since the fixture was taken.
    common::old_log::assert_rebuilds_to(LOG, DUMP, &[("offices", " | NULL | office"), ("checklists", " | NULL")]);
}
