//! The catalogue of event kinds: their names, and which of them stay in their office, merge as
//! grow-only sets, or touch an aggregate that has an owner.
//!
//! Names are append-only: never rename a shipped one, because old logs must still replay and
//! every replica and the hub must read them alike. Add new kinds here, not in the crates that use
//! them, so the hub's routing and the office's projector read one list.

pub const OFFICE_CREATED: &str = "office.created";
pub const USER_CREATED: &str = "user.created";
pub const USER_PASSWORD_CHANGED: &str = "user.password_changed";
pub const USER_ROLE_GRANTED: &str = "user.role_granted";
pub const USER_ROLE_REVOKED: &str = "user.role_revoked";
pub const USER_DEACTIVATED: &str = "user.deactivated";
pub const USER_REACTIVATED: &str = "user.reactivated";
pub const USER_LOGGED_IN: &str = "user.logged_in";
pub const USER_LOGIN_FAILED: &str = "user.login_failed";
pub const USER_LOGGED_OUT: &str = "user.logged_out";
/// An administrator asks to grant a post that reads identities; a second person decides (issue #14).
pub const USER_ROLE_REQUESTED: &str = "user.role_requested";
/// Another administrator or a leader approves or refuses such a request.
pub const USER_ROLE_REQUEST_DECIDED: &str = "user.role_request_decided";
pub const SETTING_CHANGED: &str = "setting.changed";
pub const CALENDAR_UPDATED: &str = "calendar.updated";
pub const ACCESS_DENIED: &str = "access.denied";
pub const COMPLAINT_REGISTERED: &str = "complaint.registered";
pub const COMPLAINT_SCREENED: &str = "complaint.screened";
pub const COMPLAINT_ACCEPTANCE_NOTIFIED: &str = "complaint.acceptance_notified";
pub const COMPLAINT_FORWARDED: &str = "complaint.forwarded";
pub const COMPLAINT_RETURNED: &str = "complaint.returned";
pub const COMPLAINT_DISPOSED: &str = "complaint.disposed";
pub const COMPLAINT_INQUIRY_REPLIED: &str = "complaint.inquiry_replied";
pub const COMPLAINT_CONCLUDED: &str = "complaint.concluded";
pub const COMPLAINT_FEEDBACK_GIVEN: &str = "complaint.feedback_given";
pub const COMPLAINT_OBJECTION_RECORDED: &str = "complaint.objection_recorded";
pub const COMPLAINT_IDENTITY_VIEWED: &str = "complaint.identity_viewed";
pub const APPROVAL_REQUESTED: &str = "approval.requested";
pub const APPROVAL_DECIDED: &str = "approval.decided";
pub const COMPLAINT_EXPORTED: &str = "complaint.exported";
pub const COMPLAINT_CASE_MILESTONE: &str = "complaint.case_milestone";
pub const COMPLAINT_DETENTION_STARTED: &str = "complaint.detention_started";
pub const COMPLAINT_DETENTION_EXTENDED: &str = "complaint.detention_extended";
pub const COMPLAINT_DETENTION_ENDED: &str = "complaint.detention_ended";
pub const COMPLAINT_QUARTERLY_REPORT_SUBMITTED: &str = "complaint.quarterly_report_submitted";
pub const COMPLAINT_ATTACHMENT_ADDED: &str = "complaint.attachment_added";
pub const COMPLAINT_ATTACHMENT_VIEWED: &str = "complaint.attachment_viewed";
/// 交办: a leader's approval to assign a complaint to an office below takes effect.
pub const COMPLAINT_ASSIGNED: &str = "complaint.assigned";
/// 平级移交: a leader's approval to hand a complaint to an office of the same level under the
/// same office above takes effect (the hub then orders the change of owner).
pub const COMPLAINT_HANDED_LATERALLY: &str = "complaint.handed_laterally";
/// 督办: an office above asks its leader to approve supervising a lower office's complaint.
pub const COMPLAINT_SUPERVISION_REQUESTED: &str = "complaint.supervision_requested";
/// 督办: the leader above grants or refuses the supervision.
pub const COMPLAINT_SUPERVISION_DECIDED: &str = "complaint.supervision_decided";
/// 督办: the granted supervision takes effect (a result report falls due).
pub const COMPLAINT_SUPERVISED: &str = "complaint.supervised";
/// 上报办理结果: the office handling an assigned or supervised complaint reports its result.
pub const COMPLAINT_RESULT_REPORTED: &str = "complaint.result_reported";
// Penalty execution and rectification checklists (DOMAIN.md §3–§4): `qingfeng_core::penalty`.
/// A penalty decision is entered and its execution checklist generated (`penalty:<id>`).
pub const PENALTY_REGISTERED: &str = "penalty.registered";
/// A rectification list (整改清单) is entered (`checklist:<id>`).
pub const CHECKLIST_REGISTERED: &str = "checklist.registered";
/// An item is submitted with its evidence for review.
pub const CHECKLIST_ITEM_SUBMITTED: &str = "checklist.item_submitted";
/// The reviewer approves a submitted item; the next item opens.
pub const CHECKLIST_ITEM_APPROVED: &str = "checklist.item_approved";
/// The reviewer sends a submitted item back with a rectification note.
pub const CHECKLIST_ITEM_REJECTED: &str = "checklist.item_rejected";
/// A payment toward a confiscation or repayment item.
pub const CHECKLIST_PAYMENT_RECORDED: &str = "checklist.payment_recorded";
/// An item's deadline is extended with an approval (post and pay changes, up to 6 months).
pub const CHECKLIST_ITEM_EXTENDED: &str = "checklist.item_extended";
/// An administrator publishes a new version of a checklist template.
pub const CHECKLIST_TEMPLATE_PUBLISHED: &str = "checklist.template_published";
/// An appraisal grade, promotion, award or pay-step change is recorded against a person.
pub const PERSON_BENEFIT_RECORDED: &str = "person.benefit_recorded";
/// The owner of an aggregate offers it to another office (report upward, transfer downward, assign).
pub const OWNERSHIP_OFFERED: &str = "ownership.offered";
/// The hub orders an ownership change; only the hub's chain carries this kind.
pub const OWNERSHIP_CHANGED: &str = "ownership.changed";
/// The hub cannot route an owner's offer (the route rule refuses it over the hub's directory):
/// written on the hub's chain to the offices of the aggregate, with the reason in Chinese, so
/// the sender hears of it on its next sync and the case returns to its hands.
pub const OWNERSHIP_DECLINED: &str = "ownership.declined";
/// A person at the owning office settles an event that arrived under a stale ownership.
pub const CONFLICT_RESOLVED: &str = "conflict.resolved";
// The reference library (资料袋): `qingfeng_core::library`.
/// A document version is imported into the library (`library:<doc-id>`); the payload carries
/// the whole parsed document with its version and content hash, so any replica rebuilds it.
pub const LIBRARY_DOCUMENT_IMPORTED: &str = "library.document_imported";
/// An article is cited from a record (`complaint:<id>`, `penalty:<id>`, `checklist:<id>`).
pub const CITATION_ADDED: &str = "citation.added";
/// A citation is withdrawn from its record.
pub const CITATION_REMOVED: &str = "citation.removed";
// Notices (DOMAIN.md §6): `qingfeng_core::documents`.
/// An administrator saves a new version of a notice template (`notice_template:<office>:<kind>`).
pub const NOTICE_TEMPLATE_SAVED: &str = "notice.template_saved";
/// A notice is issued with its number and the PDF's hash, on the record's aggregate.
pub const DOCUMENT_ISSUED: &str = "document.issued";
// Sealing (issue #14): `qingfeng_core::sealing`.
/// An office publishes its public sealing keys (`office:<code>`); the hub re-publishes them on
/// its own chain for every office.
pub const OFFICE_SEALING_KEYS: &str = "office.sealing_keys";
/// A complaint's sealed identity and file names, sealed again to offices they were not yet
/// sealed to (a hand-over, or keys of an office above that arrived later).
pub const COMPLAINT_IDENTITY_SEALED: &str = "complaint.identity_sealed";
/// A hand-over (report upward, transfer downward, assign) waits because the receiving office
/// has published no sealing key yet; the payload is the `ownership.offered` it will become.
pub const COMPLAINT_HANDOVER_HELD: &str = "complaint.handover_held";
/// An administrator wrote a bundle for the hub (`office:<code>`): who took the office's
/// records out on a removable disk, and how many events.
pub const BUNDLE_EXPORTED: &str = "bundle.exported";
// The province's directory (issue #16): written by the hub alone.
/// The hub imports offices and resident groups into the province's directory in one batch
/// (`directory:<first line's code>`); the payload lists every entry added or changed.
pub const DIRECTORY_IMPORTED: &str = "directory.imported";
/// An office names one of its officers for every other office (`officer:<user id>`): the name
/// and office alone, never the account, so a timeline elsewhere shows a person, not an id.
pub const OFFICER_NAMED: &str = "officer.named";
/// The hub publishes a version of the key-problem catalogue (重点问题目录, `catalogue:key_problems/<version>`):
/// the whole list with its version and content hash (`qingfeng_log::catalogue`).
pub const CATALOGUE_PUBLISHED: &str = "catalogue.published";
/// 审核办理结果: the office that assigned or supervised a complaint accepts (采纳) the result the
/// handling office reported; written by that office above, never the owner.
pub const COMPLAINT_RESULT_ACCEPTED: &str = "complaint.result_accepted";
/// 退回重报: that office sends the reported result back with a note; a new report falls due at
/// the handling office.
pub const COMPLAINT_RESULT_RETURNED: &str = "complaint.result_returned";
/// The hub publishes a version of a province-wide document (`content:<kind>:<id>/<version>`): a
/// regulation, a notice template or a checklist template, whole, with its content hash
/// (`qingfeng_log::content`).
pub const CONTENT_PUBLISHED: &str = "content.published";
/// An office puts a province-published template version in force in place of its own
/// (`content:<kind>:<id>`): its administrator's choice, never made by a sync.
pub const CONTENT_ADOPTED: &str = "content.adopted";

/// Kinds the hub writes on its own chain and sends to every office: the directory, the
/// province's calendar and every office's sealing keys, plus the ownership changes it orders. A replica refuses any other kind
/// signed by the hub, and a new office's feed starts with every province-wide event so far.
pub fn is_hub_published(kind: &str) -> bool {
    matches!(
        kind,
        OWNERSHIP_CHANGED
            | OWNERSHIP_DECLINED
            | OFFICE_CREATED
            | CALENDAR_UPDATED
            | OFFICE_SEALING_KEYS
            | DIRECTORY_IMPORTED
            | CATALOGUE_PUBLISHED
            | CONTENT_PUBLISHED
    )
}

/// The hub's kinds that every office receives, old and new alike (everything the hub publishes
/// except ownership changes, which go to the offices concerned).
pub const PROVINCE_WIDE: [&str; 6] =
    [OFFICE_CREATED, CALENDAR_UPDATED, OFFICE_SEALING_KEYS, DIRECTORY_IMPORTED, CATALOGUE_PUBLISHED, CONTENT_PUBLISHED];

// Integrity files and integrity opinions (廉政档案、廉政意见回复): `qingfeng_core::integrity`.
/// A cadre's identity is entered: name, unit, post and an ID number kept only masked (`cadre:<id>`).
pub const CADRE_REGISTERED: &str = "cadre.registered";
/// An officer confirms that a record (a complaint's person reported on, a penalty decision, a
/// recorded benefit) is this cadre's.
pub const CADRE_MATCH_CONFIRMED: &str = "cadre.match_confirmed";
/// An officer splits a suggested record off: it names another person of the same name.
pub const CADRE_MATCH_SPLIT: &str = "cadre.match_split";
/// A unit (a party or government organ, an institution, a state enterprise) is entered for its
/// integrity file and profile (`unit:<id>`).
pub const UNIT_REGISTERED: &str = "unit.registered";
/// Someone read a cadre's or a unit's integrity file: an audit record, like an identity reading.
pub const INTEGRITY_FILE_VIEWED: &str = "integrity.file_viewed";
/// The organisation department's request for integrity opinions on a list of cadres (`opinion:<id>`).
pub const OPINION_REQUESTED: &str = "opinion.requested";
/// The officer writes (or rewrites) the conclusion for one person on the list.
pub const OPINION_CONCLUSION_EDITED: &str = "opinion.conclusion_edited";
/// The conclusions go to the leader, with the findings they rest on.
pub const OPINION_SUBMITTED: &str = "opinion.submitted";
/// The leader approves the conclusions.
pub const OPINION_APPROVED: &str = "opinion.approved";
/// The leader sends the conclusions back with a note.
pub const OPINION_RETURNED: &str = "opinion.returned";
/// The reply is issued as a numbered notice (beside `document.issued`).
pub const OPINION_REPLIED: &str = "opinion.replied";
// Supervision letters and circulars (监督建议、提醒函、监督通报): `qingfeng_core::supervision`.
/// A supervision suggestion or reminder letter to a unit is drafted (`letter:<id>`).
pub const LETTER_REGISTERED: &str = "letter.registered";
/// The letter is issued with its number; the unit's feedback falls due.
pub const LETTER_ISSUED: &str = "letter.issued";
/// The unit's feedback is recorded (date, content, problems rectified, evidence).
pub const LETTER_FEEDBACK_RECORDED: &str = "letter.feedback_recorded";
/// The feedback is accepted and the letter closed.
pub const LETTER_FEEDBACK_ACCEPTED: &str = "letter.feedback_accepted";
/// The feedback is sent back; the unit owes it again.
pub const LETTER_FEEDBACK_SENT_BACK: &str = "letter.feedback_sent_back";
/// The unit is reminded (催办) that its feedback is late.
pub const LETTER_REMINDED: &str = "letter.reminded";
/// A circular (监督通报) naming units with problems is drafted from a period's records (`circular:<id>`).
pub const CIRCULAR_DRAFTED: &str = "circular.drafted";
/// The circular is issued as a numbered notice.
pub const CIRCULAR_ISSUED: &str = "circular.issued";
/// 案件审理室 gives a guidance opinion (指导意见) on an item of a checklist (reform by case, 以案促改).
pub const CHECKLIST_GUIDANCE_GIVEN: &str = "checklist.guidance_given";
// Recovery keys, backups and restores (a lost key is not lost work): `qingfeng_core::recovery`.
/// The office's recovery key is made or replaced (`office:<code>`); carries only the public half.
pub const RECOVERY_KEY_SET: &str = "recovery.key_set";
/// A backup was written and verified (`office:<code>`).
pub const BACKUP_CREATED: &str = "backup.created";
/// A database was restored from a backup or from the hub (`office:<code>`): the first event of
/// the new device.
pub const RECOVERY_RESTORED: &str = "recovery.restored";
/// The office's secret sealing keys sealed to its recovery code (`office:<code>`), so a machine
/// restored from the hub can read the reporters' identities again; the hub cannot open it.
pub const RECOVERY_SEALING_ESCROW: &str = "recovery.sealing_escrow";
// Importing an older platform's records (数据迁移): `qingfeng_core::migration`.
/// A column mapping for one kind of file is saved under a name (`import_mapping:<office>:<kind>:<name>`);
/// saving the name again replaces it. Label: 保存导入列对应关系.
pub const IMPORT_MAPPING_SAVED: &str = "import.mapping_saved";
/// A record just registered was brought over from the older platform (on the record's own
/// aggregate, right after its registration): its original number, the file row, and the state
/// the older platform had reached, which the projection takes as the record's history.
/// Label: 从原平台迁移.
pub const IMPORT_RECORD_MIGRATED: &str = "import.record_migrated";
/// An import finished (`import:<batch id>`): the file, its mapping and the counts. Label: 完成数据导入.
pub const IMPORT_COMPLETED: &str = "import.completed";
// Approvals the office above gives (issue #16 item 6): `qingfeng_core::complaints`.
/// The office handling a filed case asks the office directly above it (its parent in the
/// directory) to approve detention (留置) or its one extension. Written by the owner on the
/// complaint; the hub routes it to the office above like every event of the case. Label: 提请上级批准.
pub const COMPLAINT_UPPER_APPROVAL_REQUESTED: &str = "complaint.upper_approval_requested";
/// A leader of the office asked grants or refuses it, with the approval's date; a grant takes
/// effect wherever the decision arrives (detention starts or is extended from it). Written by
/// the office above, which does not own the case, so it is grow-only. Label: 上级机关批复.
pub const COMPLAINT_UPPER_APPROVAL_DECIDED: &str = "complaint.upper_approval_decided";

/// Kinds that stay inside their office: accounts (they carry password hashes), sessions,
/// logins and local settings. The hub keeps them (an office can be restored from it) but routes
/// them to no other office. A calendar an office imported is its own; the hub publishes the
/// province's calendar from its own chain.
pub fn is_office_private(kind: &str) -> bool {
    kind.starts_with("user.")
        || matches!(kind, SETTING_CHANGED | ACCESS_DENIED | CALENDAR_UPDATED)
        // Which province template an office puts in force is its own choice.
        || kind == CONTENT_ADOPTED
        // Recovery keys, backups and restores concern the office's own machines and safe.
        || is_recovery(kind)
}

/// Kinds of the office's recovery keys, backups and restores (`qingfeng_core::recovery`).
pub fn is_recovery(kind: &str) -> bool {
    kind.starts_with("recovery.") || kind.starts_with("backup.")
}

/// Kinds that add to an aggregate without changing its workflow state (audit records,
/// attachments): they merge as grow-only sets, so any office with access may write them and
/// they never conflict with an ownership change.
pub fn is_grow_only(kind: &str) -> bool {
    matches!(
        kind,
        COMPLAINT_IDENTITY_VIEWED
            | COMPLAINT_EXPORTED
            // Re-sealing adds readers of what is already there; it moves no workflow.
            | COMPLAINT_IDENTITY_SEALED
            | COMPLAINT_ATTACHMENT_ADDED
            | COMPLAINT_ATTACHMENT_VIEWED
            // Supervision is written by an office above the owner and never moves the
            // complaint's own workflow: it only adds a demand and a due report.
            | COMPLAINT_SUPERVISION_REQUESTED
            | COMPLAINT_SUPERVISION_DECIDED
            | COMPLAINT_SUPERVISED
            // The review of a reported result (采纳、退回重报) is the office above's like a
            // supervision: it adds a verdict and perhaps a new due report, never a workflow step.
            | COMPLAINT_RESULT_ACCEPTED
            | COMPLAINT_RESULT_RETURNED
            // A citation only annotates a record with the rules it rests on; it never moves
            // a workflow, so it merges like a comment whoever owns the record.
            | CITATION_ADDED
            | CITATION_REMOVED
            // Reading an integrity file is an audit record, like reading a reporter's identity.
            | INTEGRITY_FILE_VIEWED
            // The office above answers a lower office's request for its approval (留置): written
            // by an office that does not own the case, and never competing with the owner's own
            // steps (the owner cannot take the step itself while it has an office above).
            | COMPLAINT_UPPER_APPROVAL_DECIDED
    )
}

/// Kinds the hub sends to every office whoever wrote them: the names of officers, so that any
/// office a case reaches can say who took each step.
pub fn is_province_wide(kind: &str) -> bool {
    kind == OFFICER_NAMED
}

/// Aggregates that have an owner and an epoch (workflow aggregates); every other aggregate has none.
pub const WORKFLOW_PREFIXES: [&str; 3] = ["complaint:", "penalty:", "checklist:"];

/// Whether `aggregate` is a workflow aggregate, with an owner that offices hand on to each other.
pub fn is_workflow_aggregate(aggregate: &str) -> bool {
    WORKFLOW_PREFIXES.iter().any(|p| aggregate.starts_with(p))
}
