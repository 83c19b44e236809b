// Generated from the Rust types in crates/core/src/api.rs by ts-rs. Do not edit by hand:
// run `UPDATE_BINDINGS=1 cargo test -p qingfeng-desktop bindings` after changing them.

export type OfficeLevel = "province" | "prefecture" | "county";
export type Role = "admin" | "petitions" | "supervision" | "investigation" | "case_management" | "trial" | "leader";
export type OfficeView = { 
/**
 * Six-digit administrative division code (GB/T 2260), e.g. `530102`.
 */
code: string, name: string, level: OfficeLevel, parent_code: string | null, };
export type RoleGrant = { office_code: string, role: Role, };
export type UserView = { id: string, username: string, display_name: string, office_code: string, grants: Array<RoleGrant>, active: boolean, 
/**
 * RFC 3339 time until which login is refused after too many wrong passwords.
 */
locked_until: string | null, 
/**
 * Posts that read identities requested for this user and awaiting a second person's approval.
 */
pending_roles: Array<Role>, };
export type RoleRequestView = { id: string, username: string, display_name: string, role: Role, 
/**
 * Who asked, by name.
 */
requested_by: string, 
/**
 * Beijing time, to the minute.
 */
requested_at: string, 
/**
 * `pending`, `approved` or `refused`.
 */
status: string, decided_by: string | null, decided_at: string | null, comment: string | null, };
export type TodayView = { 
/**
 * ISO date, e.g. `2026-11-21`.
 */
date: string, 
/**
 * ISO weekday: 1 = Monday … 7 = Sunday.
 */
weekday: number, working_day: boolean, 
/**
 * True when the year is not in the calendar and only weekends were counted.
 */
provisional: boolean, 
/**
 * Why the day is what it is, in Chinese (e.g. "国庆节放假", "调休上班", "周末").
 */
note: string, };
export type AppStatus = { 
/**
 * False until the first-run setup has created the office and its administrator.
 */
initialized: boolean, office: OfficeView | null, db_path: string, };
export type SessionView = { session_id: string, user: UserView, office: OfficeView, };
export type HomeView = { office: OfficeView, user: UserView, today: TodayView, };
export type SetupRequest = { office_code: string, office_name: string, office_level: OfficeLevel, parent_code: string | null, admin_username: string, admin_display_name: string, admin_password: string, };
export type LoginRequest = { username: string, password: string, };
export type ErrorView = { code: string, message: string, };
export type ComplaintChannel = "letter" | "visit" | "phone" | "web";
export type ComplaintStatus = "registered" | "with_department" | "repeat" | "reported_upward" | "transferred_downward" | "not_accepted" | "inquiry" | "verification" | "held" | "case_filed" | "concluded" | "assigned" | "handed_laterally";
export type ScreeningOutcome = "accept_transfer" | "repeat" | "report_upward" | "transfer_downward" | "not_accepted";
export type DisposalMethod = "inquiry" | "verification" | "hold" | "close" | "file_case";
export type AccusationFinding = "none" | "mistaken" | "false";
export type ApprovalAction = { "action": "return" } | { "action": "dispose", method: DisposalMethod, letter_date: string | null, } | { "action": "assign", to_office: string, report_days: number | null, } | { "action": "supervise", report_days: number | null, } | { "action": "lateral", to_office: string, } | { "action": "detain" } | { "action": "extend_detention" };
export type Reporter = { name: string, unit: string | null, contact: string, address: string | null, };
export type Subject = { name: string, post: string, unit: string, 
/**
 * Cadre-management level, e.g. 县管干部、市管干部.
 */
level: string, };
export type RegisterComplaint = { channel: ComplaintChannel, 
/**
 * RFC 3339 time of receipt, or an ISO date (taken as the start of that day in Beijing time).
 */
received_at: string, 
/**
 * `None` for an anonymous complaint.
 */
reporter: Reporter | null, 
/**
 * Real-name (实名): the reporter gave their own name and a concrete contact.
 */
real_name: boolean, 
/**
 * How the real name was verified, if it was: `phone` or `in_person`.
 */
real_name_verified: string | null, summary: string, content: string, categories: Array<string>, subjects: Array<Subject>, 
/**
 * An earlier complaint this one repeats, when the officer linked it at registration.
 */
repeat_of: string | null, };
export type ScreenRequest = { outcome: ScreeningOutcome, department: Role | null, reason: string, refer_to: string | null, repeat_of: string | null, };
export type DatedRequest = { 
/**
 * YYYY-MM-DD.
 */
date: string, note: string, };
export type ConcludeRequest = { date: string, result: string, accusation: AccusationFinding, clearance: boolean, };
export type ObjectionRequest = { date: string, content: string, new_evidence: boolean, };
export type ResultReviewRequest = { accept: boolean, note: string, 
/**
 * Working days for the new report (a send-back only; empty takes the office's default).
 */
report_days: number | null, };
export type ComplaintActionKind = "screen" | "notify_acceptance" | "record_forwarded" | "request_return" | "request_disposal" | "decide_approval" | "record_inquiry_reply" | "conclude" | "record_feedback" | "record_objection" | "reveal_reporter" | "record_case_milestone" | "start_detention" | "extend_detention" | "end_detention" | "request_assignment" | "request_supervision" | "report_result" | "request_lateral" | "request_detention" | "request_detention_extension" | "accept_result" | "return_result";
export type CaseStage = "filed" | "investigation" | "trial_accepted" | "decided";
export type AttachmentView = { sha256: string, 
/**
 * The file's name for posts that may open it; "附件 N" for the others.
 */
name: string, kind_label: string, media_type: string, size: number, added_at: string, added_by: string, 
/**
 * False while the file's content is still on its way from another office (附件传输中): the
 * event that names it arrived first.
 */
available: boolean, };
export type MilestoneRequest = { stage: CaseStage, date: string, note: string, };
export type DeadlineKind = "acceptance_notice" | "report_upward" | "transfer_downward" | "transfer_registration" | "inquiry_reply" | "result_feedback" | "trial_review" | "detention_end" | "detention_reminder" | "quarterly_report" | "assignment_report" | "supervision_report" | "penalty_serve" | "penalty_announce" | "penalty_post_pay" | "penalty_execution_report" | "penalty_restoration" | "checklist_item" | "rectification_item" | "letter_feedback" | "opinion_reply" | "result_review";
export type Light = "green" | "yellow" | "red" | "done" | "cancelled";
export type DeadlineView = { id: string, aggregate: string, kind: DeadlineKind, label: string, 
/**
 * The rule and what it counts from, in words.
 */
basis: string, start: string, 
/**
 * YYYY-MM-DD.
 */
due: string, provisional: boolean, 
/**
 * `open`, `done` or `cancelled`.
 */
status: string, light: Light, 
/**
 * Working days from today to the due date (negative when overdue); 0 when closed.
 */
working_days_left: number, closed_date: string | null, };
export type ComplaintSummary = { id: string, number: string, channel: ComplaintChannel, received_date: string, status: ComplaintStatus, status_label: string, department: Role | null, summary: string, 
/**
 * Names and units reported on, e.g. "张某（某局局长）".
 */
subjects: Array<string>, real_name: boolean, anonymous: boolean, 
/**
 * How the reporter is shown in lists: always masked.
 */
reporter_display: string, 
/**
 * The earliest open deadline, if any.
 */
next_due: string | null, light: Light | null, };
export type ComplaintPage = { 
/**
 * The newest complaints matching the filter, at most `limit` of them.
 */
rows: Array<ComplaintSummary>, 
/**
 * How many complaints of this office match the filter in all.
 */
total: number, 
/**
 * The most rows the page may hold.
 */
limit: number, };
export type TimelineEntry = { seq: number, 
/**
 * Beijing time, to the minute.
 */
time: string, actor: string, kind: string, text: string, };
export type ApprovalView = { id: string, action: string, reason: string, requested_by: string, requested_at: string, status: string, decided_by: string | null, comment: string | null, 
/**
 * The office above asked to approve it (留置, its extension), by name; `None` for this
 * office's own approvals.
 */
upper_office: string | null, };
export type UnitKind = "office" | "resident_group";
export type DirectoryOffice = { code: string, name: string, 
/**
 * 机关代字 for document numbers; `None` for an office the hub has not given one.
 */
short_name: string | null, level: OfficeLevel, 
/**
 * 省级, 州市级 or 县级.
 */
level_label: string, unit: UnitKind, 
/**
 * 纪委监委 or 派驻纪检监察组.
 */
unit_label: string, 
/**
 * The office above; for a resident group, the office that sends it.
 */
parent_code: string | null, parent_name: string | null, };
export type HandoverTargets = { 
/**
 * 向上报送 (screening).
 */
report_upward: Array<DirectoryOffice>, 
/**
 * 向下转送 (screening).
 */
transfer_downward: Array<DirectoryOffice>, 
/**
 * 交办.
 */
assign: Array<DirectoryOffice>, 
/**
 * 平级移交.
 */
lateral: Array<DirectoryOffice>, };
export type ComplaintDetail = { summary: ComplaintSummary, content: string, categories: Array<string>, subject_details: Array<Subject>, real_name_verified: string | null, outcome: string | null, outcome_note: string | null, refer_to: string | null, 
/**
 * `refer_to` as people read it: the office's name when it names one of the directory by its
 * code (a hand-over's destination), else what was written.
 */
refer_to_name: string | null, disposal: string | null, result: string | null, accusation: string | null, clearance: boolean, repeat_of: string | null, deadlines: Array<DeadlineView>, timeline: Array<TimelineEntry>, approvals: Array<ApprovalView>, 
/**
 * Whether the viewer's post may reveal the reporter (the reading is logged).
 */
can_reveal_reporter: boolean, 
/**
 * What the viewer may do now.
 */
actions: Array<ComplaintActionKind>, 
/**
 * The notices (文书) the viewer may issue for it now, by kind id (`acceptance`,
 * `non_acceptance`, `result_feedback`, `inquiry`): the workflow's answer, shown as is.
 */
notices: Array<string>, 
/**
 * The approval waiting for a leader, if any.
 */
pending_approval: string | null, 
/**
 * Files attached (names masked for posts that may not see the reporter).
 */
attachments: Array<AttachmentView>, 
/**
 * The office handling the complaint now.
 */
owner: OfficeRef, 
/**
 * Whether this office handles it (otherwise it is on record here, read-only but for 督办).
 */
handled_here: boolean, 
/**
 * The offices below that it may be assigned to (交办), when the viewer may assign it.
 */
assign_targets: Array<OfficeRef>, 
/**
 * The offices the viewer may hand it to, by kind of hand-over: the route rule over this
 * replica's directory (`directory::destinations`), each list filled only when the step that
 * hands it over is open to the viewer. The dialogs' pickers offer exactly these, by name.
 */
handover_targets: HandoverTargets, 
/**
 * Steps taken elsewhere after the case changed hands (kept, not applied), for a leader of
 * the office handling it to settle.
 */
conflicts: Array<ConflictItem>, };
export type OfficeRef = { code: string, name: string, };
export type ConflictItem = { event_id: string, complaint_id: string, number: string, summary: string, 
/**
 * The step, in words (as in the timeline).
 */
step: string, 
/**
 * The office that took it, by name.
 */
office: string, actor: string, 
/**
 * Beijing time of the step, to the minute.
 */
time: string, 
/**
 * `open` or `resolved`.
 */
status: string, 
/**
 * `adopted` (the handling office redid it) or `dismissed`.
 */
resolution: string | null, note: string | null, 
/**
 * Whether the viewer may settle it (a leader of the office handling the case).
 */
can_resolve: boolean, };
export type ComplaintFilter = { status: ComplaintStatus | null, channel: ComplaintChannel | null, department: Role | null, 
/**
 * A reported unit (substring).
 */
unit: string | null, received_from: string | null, received_to: string | null, overdue_only: boolean, 
/**
 * Full-text query over summary, content and the people reported.
 */
text: string | null, limit: number | null, };
export type InboxItem = { complaint: ComplaintSummary, task: string, };
export type Dashboard = { today: string, red: number, yellow: number, green: number, 
/**
 * Open deadlines, earliest first, each with its complaint's number and summary.
 */
items: Array<DashboardItem>, };
export type DashboardItem = { deadline: DeadlineView, complaint_id: string, number: string, summary: string, };
export type SimilarComplaint = { complaint: ComplaintSummary, reasons: Array<string>, };
export type Count = { key: string, label: string, count: number, };
export type StatsFilter = { from: string | null, to: string | null, };
export type Statistics = { from: string | null, to: string | null, total: number, by_month: Array<Count>, by_channel: Array<Count>, by_category: Array<Count>, 
/**
 * The 20 units reported on most.
 */
by_unit: Array<Count>, by_status: Array<Count>, 
/**
 * Complaints with a deadline (open or met) and, of those, how many are or were overdue.
 */
with_deadlines: number, overdue: number, 
/**
 * Overdue share in per mille (integer, so no rounding surprises between front ends).
 */
overdue_per_mille: number, };
export type UnitSummary = { unit: string, total: number, by_status: Array<Count>, by_category: Array<Count>, 
/**
 * People of the unit reported on, with how often: "张某（局长）", 3.
 */
people: Array<Count>, complaints: Array<ComplaintSummary>, };
export type ExportFormat = "csv" | "xlsx";
export type BlockedEvent = { 
/**
 * The record and the step, in words, e.g. "检举控告 530102-2026-00001 的登记".
 */
record: string, 
/**
 * Why it cannot be sent and what to do, in Chinese.
 */
reason: string, size: number, limit: number, 
/**
 * Later events of this device waiting behind it (the chain's order cannot skip it).
 */
waiting: number, 
/**
 * Its position in this device's chain, for the administrator.
 */
seq: number, };
export type BlobTotals = { missing: number, missing_bytes: number, received_bytes: number, };
export type SyncStatus = { device_id: string, office_code: string | null, 
/**
 * Set once the device holds a certificate from the hub.
 */
enrolled: boolean, hub_url: string | null, 
/**
 * This device's events the hub has not yet receipted.
 */
pending: number, acked_seq: number, head_seq: number, 
/**
 * The last feed position applied.
 */
feed_cursor: number, last_success: string | null, last_attempt: string | null, 
/**
 * The last failure in Chinese, cleared by the next success.
 */
last_error: string | null, 
/**
 * Change sets the hub refused (each with its reason); the queue moved past them.
 */
rejected: number, 
/**
 * Events kept but not applied because their office no longer owned the case.
 */
open_conflicts: number, 
/**
 * The record that stops this device's uploads, when one is too large to send.
 */
blocked: BlockedEvent | null, 
/**
 * Attachments, evidence and PDFs the log names that have not arrived yet (附件传输中).
 */
blobs: BlobTotals, 
/**
 * Clocks out of step, in plain words: events from another office held aside because its
 * device's clock is ahead, or this machine's clock differing from the hub's.
 */
clock_alarm: string | null, 
/**
 * Events held aside until this machine's time reaches theirs.
 */
held_events: number, };
export type SyncReport = { uploaded_events: number, changesets_accepted: number, changesets_rejected: number, 
/**
 * Reasons of the rejections, in Chinese.
 */
rejections: Array<string>, downloaded_events: number, applied_events: number, conflicts: number, 
/**
 * Complaints whose reporter was sealed again to offices above whose keys arrived.
 */
resealed: number, 
/**
 * Hand-overs that waited for the receiving office's key and were made now.
 */
released_handovers: number, 
/**
 * The record that stops this device's uploads, in words, when one is too large to send; the
 * events before it were sent and the feed was still read.
 */
blocked: string | null, 
/**
 * Attachments, evidence and PDFs sent to the hub and received from it, and their bytes.
 */
blobs_sent: number, blobs_received: number, blob_bytes: number, };
export type BundleReport = { changesets: number, events: number, receipts: number, applied_events: number, conflicts: number, rejections: Array<string>, 
/**
 * The record that could not be written into the bundle (too large to send), in words; the
 * events before it were written.
 */
blocked: string | null, 
/**
 * Attachments, evidence and PDFs written into or taken from the bundle, and their bytes.
 */
blobs: number, blob_bytes: number, };
export type PartyPenalty = "warning" | "serious_warning" | "removal_from_post" | "probation" | "expulsion";
export type GovernmentSanction = "warning" | "demerit" | "major_demerit" | "demotion" | "dismissal" | "expulsion";
export type ItemStatus = "pending" | "open" | "submitted" | "rejected" | "approved";
export type ChecklistScope = "penalty" | "rectification";
export type RectificationSource = "inspection_tour" | "audit" | "special_supervision" | "two_responsibilities" | "reform_by_case";
export type BenefitKind = "appraisal" | "promotion" | "award" | "pay_step";
export type AppraisalGrade = "excellent" | "competent" | "basically_competent" | "incompetent" | "undetermined";
export type PenaltyPerson = { name: string, unit: string, post: string, 
/**
 * 职级, e.g. 一级主任科员.
 */
rank: string, party_member: boolean, 
/**
 * 人大代表.
 */
deputy: boolean, 
/**
 * 政协委员.
 */
cppcc_member: boolean, 
/**
 * 党外干部 (a non-party cadre: the united-front department is told).
 */
non_party_cadre: boolean, };
export type RegisterPenalty = { person: PenaltyPerson, 
/**
 * 处分决定文号, e.g. 五纪处〔2026〕3号.
 */
decision_number: string, 
/**
 * 作出决定的机关.
 */
deciding_body: string, party_penalty: PartyPenalty | null, 
/**
 * For probation (留党察看): 1 or 2 years.
 */
probation_years: number | null, government_sanction: GovernmentSanction | null, 
/**
 * Several government sanctions of the same kind combined (default 1).
 */
sanction_count: number | null, 
/**
 * For several sanctions of one kind: the period decided, in months (default: their sum,
 * at most 48).
 */
sanction_months: number | null, 
/**
 * 处分决定日期 (YYYY-MM-DD): government sanctions count from it.
 */
decision_date: string, 
/**
 * 批准日期: party penalties count from it.
 */
approval_date: string | null, 
/**
 * 主体责任部门: the units that execute the decision (the first is responsible by default).
 */
responsible_units: Array<string>, 
/**
 * 收缴金额 (yuan, at most two decimals).
 */
confiscate: string | null, 
/**
 * 责令退赔金额 (yuan, at most two decimals).
 */
repay: string | null, 
/**
 * The organisational handling decided alongside (组织处理), if any.
 */
organisational_handling: string | null, 
/**
 * The complaint the decision arose from, if any.
 */
complaint_id: string | null, };
export type InfluencePeriod = { 
/**
 * `party` or `government`.
 */
system: string, 
/**
 * The penalty's code (`PartyPenalty::as_str` or `GovernmentSanction::as_str`).
 */
penalty: string, 
/**
 * The penalty it follows from, in Chinese.
 */
label: string, start: string, 
/**
 * `None` when permanent (开除).
 */
months: number | null, 
/**
 * The last day of the period (per the configured end-day rule); `None` when permanent.
 */
end: string | null, permanent: boolean, };
export type Evidence = { sha256: string, name: string, media_type: string, size: number, };
export type RectificationItemForm = { 
/**
 * The problem found.
 */
title: string, responsible_unit: string, 
/**
 * YYYY-MM-DD.
 */
due_date: string, 
/**
 * The measures planned.
 */
measures: string, 
/**
 * The most points the item can score, if it is scored.
 */
max_score: string | null, };
export type RegisterRectification = { title: string, source: RectificationSource, 
/**
 * The date the problems were handed over (YYYY-MM-DD).
 */
start_date: string, items: Array<RectificationItemForm>, 
/**
 * A template to generate the items from, e.g. `rectification.two_responsibilities`.
 */
template: string | null, 
/**
 * For a template: the unit responsible for its items.
 */
responsible_unit: string | null, 
/**
 * For a template: the date its items are due.
 */
due_date: string | null, 
/**
 * Items must be done in order (each opened when the one before is approved).
 */
sequential: boolean, 
/**
 * For reform by case (以案促改): the penalty decision (its id or document number) whose
 * lessons the unit's tasks carry out. The list then follows the built-in reform template,
 * in the penalised person's unit unless another is named.
 */
penalty_id: string | null, };
export type PaymentOutcome = { amount_due: string, amount_paid: string, amount_remaining: string, };
export type SubmissionView = { date: string, note: string, measures: string | null, result: string | null, evidence: Array<Evidence>, submitted_by: string, submitted_at: string, 
/**
 * `pending`, `approved` or `rejected`.
 */
outcome: string, reviewed_by: string | null, review_date: string | null, review_note: string | null, };
export type PaymentView = { date: string, amount: string, note: string, recorded_by: string, };
export type GuidanceView = { date: string, text: string, given_by: string, };
export type ReformOf = { penalty_id: string, decision_number: string, person_name: string, person_unit: string, };
export type ReformList = { id: string, title: string, 
/**
 * `open` or `done`.
 */
status: string, items_done: number, items_total: number, guidance: number, };
export type ItemStep = "submit" | "record_payment" | "extend" | "approve" | "reject" | "guide";
export type ItemView = { ord: number, 
/**
 * What the item is (the template's code): `serve`, `announce`, …, `restore`.
 */
kind: string, title: string, status: ItemStatus, status_label: string, 
/**
 * `None` while the item waits for the one before it.
 */
light: Light | null, 
/**
 * Yellow because nothing was done for 10 days, not because the date is near.
 */
idle: boolean, 
/**
 * The due date (YYYY-MM-DD), once the item is open.
 */
due: string | null, 
/**
 * The same as `due`, under the name the deadlines use.
 */
due_date: string | null, provisional: boolean, deadline_kind: DeadlineKind, deadline_label: string, responsible_unit: string, measures: string, result: string | null, payment: boolean, amount_due: string | null, amount_paid: string | null, amount_remaining: string | null, max_score: string | null, score: string | null, letters: Array<string>, extendable_to: number | null, rejections: number, 
/**
 * The reviewer's last note (the rectification note after a rejection).
 */
review_note: string | null, last_action_date: string | null, submissions: Array<SubmissionView>, payments: Array<PaymentView>, 
/**
 * 案件审理室's guidance opinions on the item, oldest first.
 */
guidance: Array<GuidanceView>, 
/**
 * What the viewer may do to this item now (`workflow::allowed`): the page shows one control
 * for each and no other.
 */
steps: Array<ItemStep>, 
/**
 * When the item can move on but not by the viewer's hand: who acts next, or why the viewer
 * may not (`workflow::waiting`).
 */
waiting: string | null, 
/**
 * When the viewer may submit the item but the workflow would still refuse it: why (money
 * still unpaid), shown beside the form.
 */
blocked: string | null, };
export type PeriodSpan = { start: string, 
/**
 * `None` when permanent.
 */
end: string | null, permanent: boolean, };
export type PenaltyDetail = { id: string, form: RegisterPenalty, decision_number: string, penalty_label: string, 
/**
 * `executing` or `executed`.
 */
status: string, amount_due: string | null, template_id: string | null, template_version: number | null, influence_period: PeriodSpan | null, periods: Array<InfluencePeriod>, 
/**
 * The six-month execution report's due date and light.
 */
report_due: string | null, report_light: Light | null, 
/**
 * The first item not yet approved.
 */
current_ord: number | null, items: Array<ItemView>, 
/**
 * Benefits recorded against the person inside a barring influence period.
 */
flags: Array<BenefitFlag>, 
/**
 * The reform-by-case list (以案促改) entered for the decision, if any.
 */
reform: ReformList | null, 
/**
 * Whether the viewer may start the reform-by-case list now (none yet, and the post to enter one).
 */
may_start_reform: boolean, };
export type ChecklistDetail = { id: string, title: string, source: string, start_date: string, 
/**
 * `open` or `done`.
 */
status: string, sequential: boolean, template_id: string | null, template_version: number | null, items: Array<ItemView>, 
/**
 * The sum of scores given and of the maximum scores, for a scored list.
 */
total_score: string | null, max_score: string | null, 
/**
 * For reform by case (以案促改): the penalty decision the list follows.
 */
reform_of: ReformOf | null, };
export type BoardFilter = { 
/**
 * `penalty` (default) or `rectification`.
 */
scope: ChecklistScope | null, 
/**
 * `open` (being executed) or `done`.
 */
status: string | null, 
/**
 * Only rows whose current item has this light.
 */
light: Light | null, 
/**
 * Only checklists with an item for this responsible unit (part of its name).
 */
unit: string | null, 
/**
 * Part of the person's name, the decision number or the list's title.
 */
text: string | null, limit: number | null, };
export type CurrentItem = { ord: number, kind: string, title: string, status: ItemStatus, responsible_unit: string, due: string | null, light: Light | null, 
/**
 * Yellow because nothing was done for 10 days, not because the date is near.
 */
idle: boolean, };
export type BoardRow = { id: string, scope: ChecklistScope, title: string, decision_number: string | null, person_name: string | null, person_unit: string | null, penalty_label: string | null, start_date: string, 
/**
 * `open` or `done`.
 */
status: string, current: CurrentItem | null, light: Light | null, items_done: number, items_total: number, };
export type LightCounts = { green: number, yellow: number, red: number, };
export type Board = { rows: Array<BoardRow>, counts: LightCounts, 
/**
 * Whether the viewer may enter a new decision (or list, for that board): the workflow's
 * registration step, asked about this viewer.
 */
may_register: boolean, };
export type QueueRow = { checklist_id: string, scope: ChecklistScope, checklist_title: string, ord: number, kind: string, title: string, responsible_unit: string, submitted_by: string, submitted_date: string | null, due: string | null, light: Light | null, 
/**
 * Yellow because nothing was done for 10 days, not because the date is near.
 */
idle: boolean, 
/**
 * False when the viewer submitted it (someone else must review it).
 */
can_review: boolean, };
export type BenefitFlag = { benefit_id: string, person_name: string, person_unit: string, kind: BenefitKind, kind_label: string, date: string, grade: AppraisalGrade | null, detail: string, penalty_id: string, decision_number: string, reason: string, };
export type RejectionRate = { 
/**
 * `YYYY-MM`, or the responsible unit.
 */
key: string, reviewed: number, rejected: number, };
export type MonthCount = { month: string, count: number, };
export type PenaltyStats = { items_approved: number, approved_on_time: number, open_overdue: number, by_month: Array<RejectionRate>, by_unit: Array<RejectionRate>, 
/**
 * Reform-by-case lists (以案促改) entered, and those whose every task is approved.
 */
reform_lists: number, reform_done: number, 
/**
 * Guidance opinions (指导意见) given on the lists' items, in all and by month (`YYYY-MM`).
 */
guidance_given: number, guidance_by_month: Array<MonthCount>, };
export type TemplateInfo = { id: string, version: number, scope: ChecklistScope, name: string, source: string, published_at: string, body: string, };
export type BenefitForm = { person_name: string, person_unit: string, kind: BenefitKind, 
/**
 * The date it took effect (YYYY-MM-DD); for an appraisal, the last day of the year rated.
 */
date: string, 
/**
 * For an appraisal.
 */
grade: AppraisalGrade | null, detail: string, };
export type BenefitView = { id: string, kind: BenefitKind, kind_label: string, date: string, grade: AppraisalGrade | null, detail: string, 
/**
 * Why it is barred, when it falls inside a barring influence period.
 */
flags: Array<string>, };
export type PersonPenalty = { id: string, decision_number: string, penalty_label: string, decision_date: string, periods: Array<InfluencePeriod>, };
export type PersonPage = { name: string, unit: string, penalties: Array<PersonPenalty>, benefits: Array<BenefitView>, 
/**
 * Whether today lies inside any influence period.
 */
in_influence_period: boolean, 
/**
 * Whether the viewer may record a benefit against the person (`PenaltyAct::RecordBenefit`).
 */
may_record_benefit: boolean, };
export type BenefitOutcome = { benefit_id: string, flags: Array<string>, };
export type EvidenceUpload = { name: string, path: string, size: number, };
export type SubmitForm = { date: string, note: string, measures: string | null, result: string | null, files: Array<EvidenceUpload>, };
export type DocumentStatus = "in_force" | "amended" | "repealed";
export type DocumentSource = "starter" | "import" | "hub";
export type HeadingLevel = "part" | "chapter" | "section";
export type Heading = { 
/**
 * Position among the document's headings, from 1.
 */
ord: number, level: HeadingLevel, number: number, 
/**
 * As written, e.g. `第二章`.
 */
label: string, 
/**
 * E.g. `政务处分的种类和适用`.
 */
title: string, };
export type ImportOutcome = { document_id: string, version: string, title: string, status: DocumentStatus, headings: number, articles: number, 
/**
 * The same version with the same content was already in the library: nothing was written.
 */
unchanged: boolean, content_hash: string, };
export type CitationView = { id: string, record: string, item: number | null, document_id: string, version: string, article: number, document_title: string, article_label: string, note: string | null, 
/**
 * The article's text, when this replica holds the document.
 */
text: string | null, added_by: string, 
/**
 * Beijing time, to the minute.
 */
added_at: string, };
export type CiteRequest = { 
/**
 * `complaint:<id>`, `penalty:<id>` or `checklist:<id>`.
 */
record: string, item: number | null, document_id: string, 
/**
 * The version cited; the version in force when absent.
 */
version: string | null, article: number, note: string | null, };
export type SearchQuery = { text: string, 
/**
 * Only this document (all its versions unless `status` narrows them).
 */
document: string | null, status: DocumentStatus | null, 
/**
 * At most this many results (default 20, at most 200).
 */
limit: number | null, offset: number | null, };
export type Highlight = { start: number, end: number, };
export type Segment = { text: string, hit: boolean, };
export type SearchHit = { document_id: string, version: string, document_title: string, status: DocumentStatus, article: number, article_label: string, 
/**
 * The headings above the article, e.g. `第二章 政务处分的种类和适用`.
 */
heading: string | null, text: string, highlights: Array<Highlight>, segments: Array<Segment>, 
/**
 * Higher is better: the negated bm25 score for indexed searches, the number of
 * occurrences for scanned ones.
 */
rank: number, };
export type SearchResults = { 
/**
 * `index` (trigram full-text) or `scan` (every term shorter than three characters).
 */
mode: string, total: number, hits: Array<SearchHit>, };
export type DocumentSummary = { id: string, version: string, title: string, issuer: string, number: string | null, effective: string, status: DocumentStatus, source: DocumentSource, excerpt: boolean, articles: number, content_hash: string, };
export type Article = { number: number, 
/**
 * As written, e.g. `第七条`.
 */
label: string, 
/**
 * The innermost heading above the article (its `ord`), if any.
 */
heading: number | null, 
/**
 * The body: paragraphs separated by `\n`.
 */
text: string, };
export type DocumentView = { summary: DocumentSummary, preamble: string, headings: Array<Heading>, articles: Array<Article>, 
/**
 * Every version of the document, newest first.
 */
versions: Array<DocumentSummary>, };
export type ImportForm = { path: string, title: string | null, issuer: string | null, number: string | null, effective: string | null, version: string | null, excerpt: boolean, };
export type ContentKind = "regulation" | "notice_template" | "checklist_template";
export type ProvinceItem = { kind: ContentKind, id: string, version: number, title: string, 
/**
 * When it arrived (UTC, RFC 3339).
 */
received_at: string, 
/**
 * Arrived since this officer last looked.
 */
new: boolean, 
/**
 * Why the office cannot use it (numbering that does not parse, a template that does not
 * validate); `None` when usable.
 */
refused: string | null, 
/**
 * The office's own version it was adopted as, if adopted.
 */
adopted_as: number | null, 
/**
 * For a template: the office's version in force now (`None` for a regulation).
 */
office_version: number | null, 
/**
 * For a template: this is the newest province version and the office has not adopted it.
 */
adoptable: boolean, };
export type Purpose = "promotion" | "award" | "nomination" | "other";
export type UnitCategory = "party_government" | "institution" | "state_enterprise" | "school" | "township" | "other";
export type OpinionStatus = "draft" | "submitted" | "approved" | "replied";
export type FindingKind = "open_complaint" | "clue_under_disposal" | "under_investigation" | "handed_over" | "penalty_in_period" | "concluded_complaint" | "past_penalty";
export type Finding = { kind: FindingKind, kind_label: string, 
/**
 * The record: `complaint:<id>#<ord>`, `penalty:<id>`.
 */
record: string, 
/**
 * Confirmed as this cadre's; `false` for a suggestion (same name and unit) an officer has yet
 * to confirm or split off.
 */
confirmed: boolean, 
/**
 * For the officer: the complaint's number and state, or the decision's number and penalty.
 */
label: string, 
/**
 * The receipt or decision date.
 */
date: string, 
/**
 * The end of the influence period, for a penalty.
 */
until: string | null, 
/**
 * Whether it bars what the request is for.
 */
bears: boolean, 
/**
 * Why, in the words a conclusion may use (never the complaint's content or its reporter).
 */
reason: string, };
export type CadreForm = { name: string, unit: string, post: string, 
/**
 * The 18-character citizen ID number; only its masked form is kept.
 */
id_number: string | null, };
export type UnitForm = { name: string, category: UnitCategory, 
/**
 * Other names records use for the unit (简称、曾用名).
 */
aliases: Array<string>, };
export type OpinionRequestForm = { 
/**
 * Who asks: 中共某县委组织部.
 */
requester: string, 
/**
 * Their letter's number: 县组函〔2026〕15号.
 */
request_ref: string, purpose: Purpose, 
/**
 * What exactly (拟提拔为副科级领导干部); required for `other`.
 */
purpose_note: string, 
/**
 * When their letter arrived (YYYY-MM-DD).
 */
received_date: string, 
/**
 * Working days to reply in; the office's default when absent.
 */
reply_working_days: number | null, persons: Array<CadreForm>, };
export type MatchStep = "confirm" | "split";
export type OpinionStep = "edit" | "submit" | "approve" | "return" | "reply";
export type Band = "green" | "yellow" | "orange" | "red";
export type Deduction = { label: string, count: number, each: number, points: number, };
export type Profile = { score: number, band: Band, band_label: string, deductions: Array<Deduction>, };
export type CadreSummary = { id: string, name: string, unit: string, post: string, 
/**
 * `110105********002X`, when an ID number was given.
 */
id_masked: string | null, };
export type FileRecord = { 
/**
 * The record key the match commands take.
 */
record: string, 
/**
 * 检举控告, 处分决定 or 考核晋升评优记录.
 */
kind_label: string, 
/**
 * The complaint's number and state, the decision's number and penalty, the benefit.
 */
label: string, date: string, 
/**
 * The unit the record names (which may differ from the cadre's, for a confirmed record).
 */
unit: string, confirmed: boolean, 
/**
 * 已确认为本人 or 疑似（同名同单位，待确认）.
 */
state_label: string, 
/**
 * The steps the viewer may take on it.
 */
steps: Array<MatchStep>, };
export type Reading = { read_by: string, read_at: string, purpose: string, };
export type CadreFile = { cadre: CadreSummary, records: Array<FileRecord>, 
/**
 * How many records were split off as other people's of the same name.
 */
split: number, 
/**
 * The opinions replied or in hand for this cadre: the request's reference and status.
 */
opinions: Array<string>, 
/**
 * The latest readings of this file, newest first (this one included).
 */
readings: Array<Reading>, };
export type UnitRow = { id: string, name: string, category_label: string, aliases: Array<string>, profile: Profile, };
export type OpinionRow = { id: string, requester: string, request_ref: string, purpose_label: string, received_date: string, persons: number, status: OpinionStatus, status_label: string, reply_number: string | null, deadline: DeadlineView | null, };
export type OpinionPersonView = { ord: number, cadre_id: string, name: string, unit: string, post: string, findings: Array<Finding>, 
/**
 * The conclusion the findings give, in the office's phrasing.
 */
proposed: string, 
/**
 * The conclusion the reply will carry (the officer's, or the proposal).
 */
conclusion: string, 
/**
 * The officer rewrote the proposal.
 */
edited: boolean, 
/**
 * Suggested records still to be confirmed or split on the cadre's file.
 */
unresolved: number, };
export type OpinionPage = { id: string, requester: string, request_ref: string, purpose_label: string, purpose_note: string, received_date: string, status: OpinionStatus, status_label: string, return_note: string | null, reply_number: string | null, deadline: DeadlineView | null, persons: Array<OpinionPersonView>, steps: Array<OpinionStep>, 
/**
 * Who acts next, when the viewer may not.
 */
waiting: string | null, };
export type OpinionStepForm = { step: OpinionStep, ord: number | null, text: string | null, note: string | null, };
export type LetterKind = "suggestion" | "reminder";
export type ReminderTopic = "integrity" | "duty";
export type LetterStatus = "drafted" | "issued" | "feedback" | "closed";
export type LetterForm = { kind: LetterKind, 
/**
 * Required for a reminder letter, absent for a suggestion.
 */
topic: ReminderTopic | null, unit: string, title: string, 
/**
 * The problems found, one per entry (each counted as rectified or not).
 */
problems: Array<string>, 
/**
 * What the unit should do.
 */
suggestions: string, 
/**
 * Working days from the issue for the unit's feedback; the office's default when absent.
 */
feedback_working_days: number | null, 
/**
 * A fixed feedback date instead of working days (YYYY-MM-DD), after the issue date.
 */
feedback_due: string | null, };
export type CircularUnit = { unit: string, problems: Array<string>, };
export type LetterStep = "issue" | "record_feedback" | "accept" | "send_back" | "remind";
export type CircularForm = { title: string, period_from: string, period_to: string, };
export type LetterRow = { id: string, kind: LetterKind, 
/**
 * 监督建议书, or 提醒函（廉政提醒）.
 */
kind_label: string, unit: string, title: string, status: LetterStatus, status_label: string, number: string | null, issue_date: string | null, round: number, reminders: number, problems_total: number, problems_rectified: number, 
/**
 * The feedback deadline now owed (or last met), with its light.
 */
deadline: DeadlineView | null, };
export type FeedbackView = { round: number, date: string, content: string, rectified: Array<number>, evidence: Array<Evidence>, due_date: string | null, on_time: boolean, 
/**
 * 待审核, 已采纳 or 已退回.
 */
outcome_label: string, review_note: string | null, review_date: string | null, };
export type ReminderView = { date: string, note: string, };
export type LetterDetail = { row: LetterRow, problems: Array<string>, suggestions: string, feedback_working_days: number, feedback_due: string | null, feedback: Array<FeedbackView>, reminders: Array<ReminderView>, 
/**
 * The steps the viewer may take now (签发 is taken through the notice).
 */
steps: Array<LetterStep>, 
/**
 * Whether the feedback owed now is late.
 */
late: boolean, };
export type CircularRow = { id: string, title: string, period_from: string, period_to: string, units: Array<CircularUnit>, 
/**
 * 拟稿 or 已签发.
 */
status_label: string, issued: boolean, number: string | null, issue_date: string | null, };
export type SupervisionStats = { 
/**
 * Letters issued (发送监督建议和提醒函).
 */
letters_sent: number, suggestions_sent: number, reminder_letters_sent: number, 
/**
 * Letters whose feedback was accepted (完成反馈任务).
 */
feedback_completed: number, 
/**
 * Letters whose first feedback came by its due date.
 */
feedback_on_time: number, 
/**
 * Letters with at least one feedback.
 */
feedback_received: number, 
/**
 * Letters whose feedback is owed and late today.
 */
feedback_overdue: number, 
/**
 * Feedbacks sent back.
 */
feedback_sent_back: number, 
/**
 * Reminders (催办) sent.
 */
reminders_sent: number, 
/**
 * Problems the letters pointed out, and those rectified (推动整改问题).
 */
problems_total: number, problems_rectified: number, 
/**
 * Circulars issued in the period, and the units they named (通报存在问题部门).
 */
circulars_issued: number, units_named: number, };
export type LetterStepForm = { step: LetterStep, date: string | null, content: string | null, rectified: Array<number> | null, files: Array<EvidenceUpload> | null, note: string | null, working_days: number | null, };
export type Category = { 
/**
 * A stable code (lower-case letters, digits and `_`): what later versions keep when they
 * rename a category.
 */
code: string, 
/**
 * The name shown and stored on complaints, e.g. 违规收送礼品礼金.
 */
name: string, 
/**
 * The code of the top-level category this key problem belongs to (two levels at most).
 */
parent?: string, };
export type VersionHeld = { version: number, title: string, effective: string, builtin: boolean, };
export type CatalogueView = { title: string, version: number, effective: string, note: string, 
/**
 * True for the version shipped with the program, false for one the provincial hub published.
 */
builtin: boolean, 
/**
 * Categories in catalogue order: each top-level category followed by its key problems.
 */
categories: Array<Category>, 
/**
 * Every version held, newest first: (version, 施行日期, received from the hub).
 */
versions: Array<VersionHeld>, };
export type ReportRequest = { 
/**
 * First and last date of receipt (YYYY-MM-DD), both included.
 */
from: string, to: string, 
/**
 * A category of the key-problem catalogue: the report counts it and its key problems.
 */
theme: string | null, 
/**
 * A reported unit: the report counts the complaints about it.
 */
unit: string | null, };
export type ReportSection = { 
/**
 * 一、基本情况 and so on.
 */
heading: string, paragraphs: Array<string>, };
export type AnalysisReport = { office_name: string, 
/**
 * 综合分析 or 专题分析.
 */
kind_label: string, title: string, 
/**
 * 2026年第三季度, 2026年9月, 2026年, or 2026年9月1日至2026年11月15日.
 */
period_label: string, from: string, to: string, theme: string | null, unit: string | null, 
/**
 * The date the figures were read (Beijing), printed under the title.
 */
generated_on: string, 
/**
 * The catalogue version the categories were grouped by.
 */
catalogue_title: string, catalogue_version: number, total: number, concluded: number, by_channel: Array<Count>, 
/**
 * Categories as filed on the complaints (a complaint may carry several).
 */
by_category: Array<Count>, 
/**
 * The same grouped under the catalogue's top-level categories.
 */
by_key_problem: Array<Count>, 
/**
 * The 10 units reported on most.
 */
by_unit: Array<Count>, by_disposal: Array<Count>, by_status: Array<Count>, 
/**
 * Every month of the period, with months without complaints as zero.
 */
by_month: Array<Count>, with_deadlines: number, overdue: number, overdue_per_mille: number, 
/**
 * Penalty decisions dated within the period, and by penalty.
 */
penalties: number, penalties_by_kind: Array<Count>, 
/**
 * Rectification lists (整改清单) started within the period: lists, lists done, items, items
 * done, items past their deadline and not done.
 */
rectification_lists: number, rectification_done: number, rectification_items: number, rectification_items_done: number, rectification_items_overdue: number, sections: Array<ReportSection>, };
export type AnalysisPreview = { report: AnalysisReport, first_page: string, pages: number, };
export type IssuedDocument = { id: string, kind: string, kind_name: string, title: string, number: string, year: number, serial: number, 
/**
 * The record's aggregate (`complaint:<id>`, `penalty:<id>`, `checklist:<id>`, `document:<id>`).
 */
aggregate: string, record_label: string, template_version: number, pdf_sha256: string, pdf_size: number, issue_date: string, 
/**
 * The issuing officer's name.
 */
issued_by: string, 
/**
 * Beijing time, to the minute.
 */
issued_at: string, 
/**
 * Another document of this office carries the same number: two devices of the office each
 * issued it while offline. The register shows it, so the office can withdraw one copy.
 */
duplicate_number: boolean, };
export type DocumentFilter = { year: number | null, kind: string | null, 
/**
 * Only the notices of one record (`complaint:<id>`, …).
 */
aggregate: string | null, };
export type TemplateView = { kind: string, kind_name: string, version: number, title: string, sha256: string, 
/**
 * Shipped with the program (as opposed to saved by this office's administrator).
 */
builtin: boolean, 
/**
 * The version used for new notices of this kind.
 */
active: boolean, saved_by: string, saved_at: string, source: string, };
export type NoticeRecord = { 
/**
 * `complaint`, `penalty`, `checklist`, or `none` for a notice filled in by hand.
 */
kind: string, id: string | null, };
export type FieldInput = { name: string, value: string, };
export type NoticeField = { name: string, label: string, 
/**
 * `text`, `multiline`, `date`, `office` or `doc_number`.
 */
field_type: string, required: boolean, 
/**
 * The value as it stands (dates as YYYY-MM-DD), or the template's default.
 */
value: string | null, 
/**
 * Taken from the record: shown, not editable.
 */
locked: boolean, };
export type NoticeForm = { kind: string, title: string, template_version: number, fields: Array<NoticeField>, };
export type NoticePreview = { title: string, 
/**
 * The number it would get if issued now (not reserved).
 */
next_number: string, 
/**
 * PNG images of the pages, base64.
 */
pages: Array<string>, };
export type PrinterView = { name: string, is_default: boolean, };
export type PrintStatusView = { 
/**
 * `queued`, `completed`, `stopped` or `unknown`.
 */
state: string, 
/**
 * What to tell the officer, in Chinese.
 */
message: string, };
export type FieldType = "text" | "multiline" | "date" | "office" | "doc_number";
export type FieldRef = { 
/**
 * The field's internal name.
 */
name: string, 
/**
 * The field's Chinese label when the reference was made.
 */
label: string, };
export type Piece = { "type": "text", 
/**
 * The words.
 */
text: string, } | { "type": "field" } & FieldRef;
export type FormRow = { 
/**
 * Printed only when this field has a value.
 */
condition: FieldRef | null, 
/**
 * The cells, each a line of pieces.
 */
cells: Array<Array<Piece>>, };
export type FormBlock = { "type": "paragraph", 
/**
 * Printed only when this field has a value.
 */
condition: FieldRef | null, 
/**
 * The paragraph's text.
 */
pieces: Array<Piece>, } | { "type": "heading", 
/**
 * Printed only when this field has a value.
 */
condition: FieldRef | null, 
/**
 * The heading's text.
 */
pieces: Array<Piece>, } | { "type": "subheading", 
/**
 * Printed only when this field has a value.
 */
condition: FieldRef | null, 
/**
 * The heading's text.
 */
pieces: Array<Piece>, } | { "type": "table", 
/**
 * The rows, each with its own condition.
 */
rows: Array<FormRow>, } | { "type": "blank" };
export type FormField = { 
/**
 * Internal name (lower-case letters, digits, `_`); the editor makes one for a new field.
 */
name: string, 
/**
 * The Chinese label.
 */
label: string, 
/**
 * What the field holds.
 */
field_type: FieldType, 
/**
 * Whether a value must be given.
 */
required: boolean, 
/**
 * Text printed when no value is given.
 */
default: string | null, };
export type TemplateForm = { 
/**
 * The kind's id.
 */
kind: string, 
/**
 * The kind's Chinese name.
 */
kind_name: string, 
/**
 * The version the form was read from (a save makes a newer one).
 */
version: number, 
/**
 * The title printed at the top.
 */
title: string, 
/**
 * The 主送 line; empty when the notice has none.
 */
addressee: Array<Piece>, 
/**
 * Whether the issuing office, date and seal space are printed under the body.
 */
signature: boolean, 
/**
 * The body.
 */
blocks: Array<FormBlock>, 
/**
 * The fields, in form order.
 */
fields: Array<FormField>, };
export type TemplateEditor = { form: TemplateForm, next_version: number, };
export type MigrationKind = "complaints" | "penalties" | "rectifications";
export type FieldSpec = { 
/**
 * A stable key (what mappings store).
 */
key: string, 
/**
 * The field's name on screen.
 */
label: string, required: boolean, 
/**
 * What the cells may hold, for the mapping screen.
 */
hint: string, };
export type ColumnMap = { field: string, 
/**
 * The column's header as the file writes it.
 */
header: string, };
export type Mapping = { kind: MigrationKind, 
/**
 * The name it is saved under, e.g. 原信访平台导出表.
 */
name: string, columns: Array<ColumnMap>, };
export type RowProblem = { row: number, 
/**
 * The column's header, when one column is at fault.
 */
column: string | null, reason: string, };
export type MigrationOutcome = "dry_run" | "imported" | "nothing_new" | "refused";
export type MigrationReport = { outcome: MigrationOutcome, kind: MigrationKind, file_name: string, 
/**
 * The header row's number and the headers found in it.
 */
header_row: number, headers: Array<string>, 
/**
 * Data rows read.
 */
rows: number, 
/**
 * Records that are new and valid (entered, when the outcome is `Imported`).
 */
new_records: number, 
/**
 * Records already held from an earlier import, left as they were.
 */
already_imported: number, 
/**
 * Of those, how many differ from what was imported then (the older platform changed them).
 */
changed_since: number, 
/**
 * Bad rows, the first [`MAX_PROBLEMS`] of them.
 */
problems: Array<RowProblem>, 
/**
 * How many bad rows there are in all.
 */
problem_count: number, 
/**
 * The import's id, when records were entered.
 */
batch_id: string | null, };
export type FilePreview = { file_name: string, header_row: number, headers: Array<string>, 
/**
 * Up to five data rows as text.
 */
sample: Array<Array<string>>, 
/**
 * A mapping matching the headers to fields by the names older platforms use.
 */
suggested: Mapping, 
/**
 * The fields of the kind, for the mapping screen.
 */
fields: Array<FieldSpec>, };
export type BatchView = { batch_id: string, kind: MigrationKind, file_name: string, mapping_name: string, rows: number, imported: number, skipped: number, date: string, };
export type MigrationPhase = "checking" | "writing";
export type MigrationFile = { path: string, preview: FilePreview, saved: Array<Mapping>, };
export type MigrationProgress = { phase: MigrationPhase, done: number, total: number, };
export type BackupView = { backup_id: string, file_name: string, 
/**
 * RFC 3339.
 */
created_at: string, bytes: number, events: number, };
export type RecoveryStatus = { 
/**
 * Whether the office has a recovery code.
 */
has_code: boolean, 
/**
 * When the current code was made.
 */
code_set_at: string | null, 
/**
 * Whether this machine's key envelope is sealed to the current code.
 */
envelope_ok: boolean, 
/**
 * This device's last verified backup.
 */
last_backup: BackupView | null, 
/**
 * Whole days since that backup (none when there is none).
 */
days_since_backup: number | null, 
/**
 * Set when there is no backup, or the last one is older than the warning threshold: the
 * sentence to show, in Chinese.
 */
warning: string | null, 
/**
 * The backup folder on this machine, if chosen.
 */
backup_dir: string | null, keep: number, interval_hours: number, warn_days: number, 
/**
 * The last failed attempt's reason, cleared by the next success.
 */
last_error: string | null, last_attempt: string | null, 
/**
 * Whether a scheduled backup is due now (a folder is set and the interval has passed).
 */
due: boolean, };
export type Stage = "export" | "write" | "verify" | "check" | "decrypt" | "download" | "install";
export type Progress = { stage: Stage, 
/**
 * What the progress bar says (the stage's label).
 */
label: string, done: number, total: number, };
export type BackupHeader = { format: number, backup_id: string, office_code: string, office_name: string, 
/**
 * The device whose database this is.
 */
device_id: string, created_at_ms: number, 
/**
 * The recovery key the backup key is sealed to.
 */
key_id: string, 
/**
 * Events in the backup.
 */
events: number, 
/**
 * Bytes of the encrypted database.
 */
body_len: number, };
export type BackupReport = { file: string, backup_id: string, office_code: string, created_at: string, bytes: number, events: number, 
/**
 * Older backups removed from the folder (beyond the number to keep, or sealed to a replaced
 * recovery code).
 */
removed: Array<string>, };
export type ListedBackup = { path: string, header: BackupHeader, bytes: number, };
export type ExistingDb = { 
/**
 * `none` (no file), `empty` (never set up), `openable`, or `unopenable` (key lost or damaged).
 */
state: string, office_code: string | null, events: number, 
/**
 * Events in it that the backup does not hold.
 */
newer_events: number, 
/**
 * When its newest event was made (display text).
 */
last_event_at: string | null, };
export type RestorePreview = { office_code: string, office_name: string, 
/**
 * When the backup was made (display text).
 */
backup_created_at: string, backup_events: number, 
/**
 * The old device's events that the hub had not receipted when the backup was made.
 */
unsent_at_backup: number, existing: ExistingDb, 
/**
 * Whether the user must confirm (a database is already there).
 */
needs_confirmation: boolean, 
/**
 * The sentences to show before the restore, in Chinese.
 */
notes: Array<string>, };
export type RestoreReport = { office_code: string, office_name: string, db: string, events: number, device_id: string, previous_device: string, 
/**
 * Where the database that was there before now is.
 */
moved_aside: string | null, key_store: string, };
export type DeviceRestored = { device_id: string, events: number, 
/**
 * When its last event the hub holds was made (display text).
 */
last_event_at: string | null, };
export type HubRestoreReport = { office_code: string, office_name: string, db: string, device_id: string, events: number, 
/**
 * The office's devices and how far the hub holds each (what came back).
 */
devices: Array<DeviceRestored>, 
/**
 * The sentences to show, in Chinese.
 */
notes: Array<string>, };
export type RecoveryCodeView = { groups: Array<string>, key_number: string, 
/**
 * The recovery page as PNG images (base64), or none when the page could not be rendered
 * (then `sheet_error` says why, and the groups must be copied by hand).
 */
pages: Array<string>, sheet_error: string | null, };
export type StartupView = { 
/**
 * The store is open.
 */
open: boolean, 
/**
 * The office has been set up.
 */
initialized: boolean, 
/**
 * The database exists but its key is not in the key store (the keyring was lost).
 */
key_missing: boolean, 
/**
 * A key envelope lies beside the database, so the recovery code can open it.
 */
envelope: boolean, 
/**
 * Why the store could not be opened, in Chinese.
 */
problem: string | null, };
export type BackupSettings = { 
/**
 * This machine's backup folder (may be on a USB drive).
 */
dir: string, keep: number, interval_hours: number, warn_days: number, };
export type WorkKind = "complaint" | "approval" | "execution" | "rectification" | "result_report" | "quarterly_report" | "cross_office" | "supervision";
export type WorkTarget = { "page": "complaint", id: string, } | { "page": "penalty", id: string, } | { "page": "rectification", id: string, } | { "page": "letter", id: string, } | { "page": "quarterly_report", department: Role, quarter: string, };
export type WorkItem = { 
/**
 * Unique within the list.
 */
key: string, kind: WorkKind, kind_label: string, 
/**
 * What to do, in words (e.g. "筛选：决定受理移送、报送、转送或不予受理").
 */
task: string, 
/**
 * The record: a complaint's number, a decision's number, a list's title, a quarter.
 */
record: string, 
/**
 * What the record is about: a complaint's summary, the penalised person, the item.
 */
summary: string, 
/**
 * Whose duty it is: a department, a responsible unit, the leader, an office.
 */
duty: string, 
/**
 * The duty's deadline by name (e.g. 受理告知), when the row has one.
 */
deadline_label: string | null, 
/**
 * YYYY-MM-DD.
 */
due: string | null, provisional: boolean, light: Light | null, 
/**
 * The light in words: "已逾期 3 个工作日", "2 个工作日内到期", "已 12 天未办理", "还有 20 个工作日".
 */
light_note: string | null, 
/**
 * Since when the work has waited (YYYY-MM-DD): receipt, request, submission, opening.
 */
since: string, target: WorkTarget, };
export type KindCount = { kind: WorkKind, label: string, total: number, red: number, yellow: number, };
export type Worklist = { today: string, 
/**
 * The most urgent rows first (at most [`PER_SOURCE`] from each source).
 */
items: Array<WorkItem>, 
/**
 * Every kind the viewer's posts can have, with its counts (zero counts included).
 */
counts: Array<KindCount>, total: number, red: number, yellow: number, };
export type WorklistFilter = { 
/**
 * Only this kind (the counts still cover every kind).
 */
kind: WorkKind | null, 
/**
 * Only the counts, no rows (the menu's badge).
 */
counts_only: boolean, };
export type QuarterlyReportForm = { department: Role, 
/**
 * E.g. `2026Q3`.
 */
quarter: string, 
/**
 * YYYY-MM-DD.
 */
date: string, note: string, };
export type NewUserForm = { username: string, display_name: string, password: string, roles: Array<Role>, };
