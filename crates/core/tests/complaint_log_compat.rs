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

const LOG: &str = include_str!("data/complaint_log_v1.tsv");
const DUMP: &str = include_str!("data/complaint_log_v1.dump");

fn is_complaint_kind(kind: &str) -> bool {
    kind.starts_with("complaint.") || kind.starts_with("approval.")
}

#[test]
fn every_old_complaint_event_encodes_back_to_its_own_bytes() {
    let events = common::old_log::events(LOG);
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
    // Columns issue #14 (`identity_sealed`, `name_sealed`), issue #16 (offices' `short_name` and
    // `unit`) and issue #19 (checklists' `penalty_id`) appended since the fixture was taken.
    common::old_log::assert_rebuilds_to(
        LOG,
        DUMP,
        &[("complaints", " | 0"), ("complaint_attachments", " | 0"), ("offices", " | NULL | office")],
    );
}
