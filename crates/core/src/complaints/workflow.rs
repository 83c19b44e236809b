//! The complaint (检举控告) and its approvals as one pure state machine: every workflow rule of
//! DOMAIN.md §2 in one place, with no SQL and no store.
//!
//! - `Complaint` is a complaint's state, loaded once (`state::load`); `Office` is the office
//!   acting and the offices below it, which the assignment and supervision rules read.
//! - `Step` (the page's `ComplaintActionKind`) names what may be done; `check` decides whether an
//!   actor may take a step now and gives the refusal in Chinese; `allowed` lists the steps an
//!   actor may take, derived from `check`, and is all the complaint page's buttons come from.
//! - `Task` names the inbox's tasks by the steps that do them; `tasks` (from `check`) is what
//!   puts a complaint on a post's inbox (`query::inbox` only looks for candidates in SQL).
//! - `decide` turns a command into the events it produces (`events::ComplaintEvent`), after the
//!   same `check`.
//! - `duties` says which deadlines each event opens or closes. The rules' values travel in the
//!   events that open them (`rule`, `notice_rule`, `reminder_rule`, an assignment's report
//!   days), so a rebuild never moves an old due date; events written before a value was carried
//!   fall back to today's rule (`DeadlineKind::rule`).
//! - The acceptance-notice duty lives here alone: opened by `duties` for a first real-name
//!   complaint, met by `Step::NotifyAcceptance` (or by issuing the notice, `owes`), cancelled by
//!   the screenings and the assignment that hand the notice to someone else, and refused for a
//!   notice document by `acceptance_notice_refusal`.
//!
//! Architecture invariant: nothing here reads or writes the database; `ops` loads, calls `decide`
//! and appends through `Store::execute`, the projector (`project`) applies `duties`, and the
//! page (`query::show`) shows `allowed`.

use chrono::NaiveDate;
use qingfeng_log::route::Handover;

use super::events::ComplaintEvent;
use super::model::*;
use crate::authz::{Action, Actor, ComplaintAct, authorize};
use crate::deadlines::{DeadlineKind, Rule};
use crate::error::{CoreError, Result};
use crate::identity::Role;
use crate::input::{bounded, required};

/// A step of the complaint workflow, as the page names it.
pub type Step = ComplaintActionKind;

/// Every step, in the order the page shows its buttons.
pub const STEPS: [Step; 23] = [
    Step::Screen,
    Step::RequestAssignment,
    Step::RequestLateral,
    Step::ReportResult,
    Step::NotifyAcceptance,
    Step::RecordForwarded,
    Step::RequestSupervision,
    Step::RequestReturn,
    Step::RequestDisposal,
    Step::DecideApproval,
    Step::RecordInquiryReply,
    Step::Conclude,
    Step::RecordFeedback,
    Step::RecordObjection,
    Step::RecordCaseMilestone,
    Step::StartDetention,
    Step::ExtendDetention,
    Step::RequestDetention,
    Step::RequestDetentionExtension,
    Step::EndDetention,
    Step::RevealReporter,
    Step::AcceptResult,
    Step::ReturnResult,
];

/// The aggregate a complaint's events are on.
pub fn aggregate(id: &str) -> String {
    format!("complaint:{id}")
}

// ---------------------------------------------------------------------------------------------
// State

/// One approval of a complaint as the rules read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    pub id: String,
    pub request: ApprovalAction,
    pub requested_by: String,
    /// The office whose leader decides (the one that asked); `None` in approvals older than the
    /// column, which belong to the office holding them.
    pub office: Option<String>,
    /// `pending`, `granted` or `refused`.
    pub status: String,
}

/// A deadline another office than the owner follows or owes on the complaint, as the review
/// rules read it: a result report an office above demanded (`AssignmentReport`,
/// `SupervisionReport`: `office` is the office that follows it), or the review of a reported
/// result (`ResultReview`: `office` is the office that reviews).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watch {
    /// The deadline's id (a review's verdict names the review it meets).
    pub id: String,
    pub kind: DeadlineKind,
    pub office: String,
    pub open: bool,
}

/// One complaint as the rules read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Complaint {
    pub id: String,
    pub status: ComplaintStatus,
    pub department: Option<Role>,
    pub anonymous: bool,
    pub real_name: bool,
    pub received_date: NaiveDate,
    /// The approved disposal (`DisposalMethod::as_str`), once one is.
    pub disposal: Option<String>,
    pub repeat_of: Option<String>,
    /// The office that owns it now, with its name (empty when this replica does not know it).
    pub owner: String,
    pub owner_name: String,
    /// The kinds of its open deadlines.
    pub open: Vec<DeadlineKind>,
    pub approvals: Vec<Approval>,
    pub stage: Option<CaseStage>,
    pub detention_start: Option<NaiveDate>,
    pub detention_extended: bool,
    pub detention_ended: Option<NaiveDate>,
    /// Result reports demanded by offices above and their reviews, open or closed.
    pub watches: Vec<Watch>,
}

/// The office taking a step, and the offices below it in this replica's directory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Office {
    pub code: String,
    /// The office above, which a report upward is offered to.
    pub parent: Option<String>,
    /// The offices directly below, which a transfer downward may be offered to.
    pub children: Vec<String>,
    /// Every office below, at any depth: those it may assign to and supervise.
    pub below: Vec<String>,
    /// The province's directory as this replica holds it, for the route rule
    /// (`qingfeng_log::route`); empty when no hub has sent one (an office working on paper).
    pub directory: Vec<qingfeng_log::route::RouteOffice>,
}

impl Office {
    /// Whether this replica holds the province's directory: this office and at least one other
    /// (an office's own setup records only itself). Only then is a destination checked against
    /// the route rule here; before the directory arrives the hub still checks it.
    pub fn in_directory(&self) -> bool {
        self.directory.iter().any(|o| o.code == self.code) && self.directory.iter().any(|o| o.code != self.code)
    }

    /// The office directly above that approves what the upper level must (留置 and its one
    /// extension, DOMAIN.md): this office's parent in the directory, when this replica holds the
    /// directory and the parent is in it. `None` for the province, and for an office with no hub
    /// (no directory), which record those steps themselves as before.
    pub fn upper(&self) -> Option<&qingfeng_log::route::RouteOffice> {
        if !self.in_directory() {
            return None;
        }
        let parent = self.directory.iter().find(|o| o.code == self.code)?.parent.clone()?;
        self.directory.iter().find(|o| o.code == parent)
    }

    /// The name of office `code` in this replica's directory, or the code when it is not there.
    pub fn name_of(&self, code: &str) -> String {
        self.directory.iter().find(|o| o.code == code).map_or_else(|| code.to_owned(), |o| o.name.clone())
    }

    /// Checks a hand-over from this office to `to` by the route rule; the refusal says why.
    pub fn route(&self, kind: qingfeng_log::route::Handover, to: &str) -> Result<qingfeng_log::route::RouteOffice> {
        let lookup = |c: &str| self.directory.iter().find(|o| o.code == c).cloned();
        Ok(qingfeng_log::route::check(kind, &self.code, to, &lookup)?)
    }
}

impl Complaint {
    fn has_open(&self, kind: DeadlineKind) -> bool {
        self.open.contains(&kind)
    }

    /// Whether `office` demanded a result report on this complaint (assigned or supervised it).
    pub fn demanded_by(&self, office: &str) -> bool {
        self.watches.iter().any(|w| {
            w.office == office && matches!(w.kind, DeadlineKind::AssignmentReport | DeadlineKind::SupervisionReport)
        })
    }

    /// The review `office` owes now: a result reported to it and not yet accepted or sent back.
    pub fn review_for(&self, office: &str) -> Option<&Watch> {
        self.watches.iter().find(|w| w.open && w.kind == DeadlineKind::ResultReview && w.office == office)
    }

    /// The demand a send-back by `office` renews: its assignment if it assigned the complaint,
    /// else its supervision.
    pub fn demand_of(&self, office: &str) -> DeadlineKind {
        let assigned = self.watches.iter().any(|w| w.office == office && w.kind == DeadlineKind::AssignmentReport);
        if assigned { DeadlineKind::AssignmentReport } else { DeadlineKind::SupervisionReport }
    }

    /// The approval pending at `office`: a supervision asked by an office above is decided there,
    /// and does not hold up this office's own steps.
    pub fn pending_at(&self, office: &str) -> Option<&Approval> {
        self.approvals.iter().find(|a| a.status == "pending" && a.office.as_deref().unwrap_or(office) == office)
    }

    /// Whether the complaint may be concluded: handled under an approved disposal (函询、初核、
    /// 暂存、立案), or approved to be closed (予以了结) while still with the department.
    pub fn closable(&self) -> bool {
        use ComplaintStatus as S;
        matches!(self.status, S::Inquiry | S::Verification | S::Held | S::CaseFiled)
            || (self.status == S::WithDepartment && self.disposal.as_deref() == Some(DisposalMethod::Close.as_str()))
    }
}

// ---------------------------------------------------------------------------------------------
// The check

fn wrong_state(c: &Complaint, what: &str) -> CoreError {
    CoreError::invalid(format!("该检举控告当前状态为“{}”，不能{what}。", c.status.label()))
}

/// The department handling the complaint, for the steps only it takes.
fn department(c: &Complaint) -> Result<Role> {
    c.department.ok_or_else(|| wrong_state(c, "由承办部门办理"))
}

/// The post a step needs (`authz` holds which roles hold it).
fn act_of(c: Option<&Complaint>, step: Step) -> Result<ComplaintAct> {
    let dept = || c.map(department).unwrap_or(Ok(Role::Supervision));
    Ok(match step {
        Step::Screen | Step::RequestAssignment | Step::RequestLateral => ComplaintAct::Screen,
        Step::NotifyAcceptance | Step::RecordForwarded | Step::ReportResult => ComplaintAct::Notify,
        Step::RequestReturn | Step::RequestDisposal => ComplaintAct::RequestApproval { department: dept()? },
        Step::DecideApproval => ComplaintAct::DecideApproval,
        Step::RecordInquiryReply
        | Step::Conclude
        | Step::RecordFeedback
        | Step::RecordCaseMilestone
        | Step::StartDetention
        | Step::ExtendDetention
        | Step::EndDetention
        | Step::RequestDetention
        | Step::RequestDetentionExtension => ComplaintAct::Handle { department: dept()? },
        Step::RecordObjection => ComplaintAct::RecordObjection,
        Step::RevealReporter => ComplaintAct::ViewIdentity,
        Step::RequestSupervision => ComplaintAct::Supervise,
        Step::AcceptResult | Step::ReturnResult => ComplaintAct::ReviewResult,
    })
}

/// The `Action` a step on `c` is authorized as, in `office`; `Store::execute` checks and records
/// it. Refused when the step needs a handling department and the complaint has none yet.
pub fn action(c: &Complaint, office: &str, step: Step) -> Result<Action> {
    Ok(Action::Complaint { office: office.to_owned(), act: act_of(Some(c), step)? })
}

/// Whether the complaint's state allows `request` now, whoever asks: checked when it is asked
/// and again when a leader grants it, since the complaint may have moved on in between.
pub fn check_request_state(c: &Complaint, request: &ApprovalAction) -> Result<()> {
    use ComplaintStatus as S;
    match request {
        ApprovalAction::Return if c.status == S::WithDepartment => Ok(()),
        ApprovalAction::Return => Err(wrong_state(c, "退回信访室")),
        ApprovalAction::Dispose { .. }
            if matches!(c.status, S::WithDepartment | S::Held | S::Inquiry | S::Verification) =>
        {
            Ok(())
        }
        ApprovalAction::Dispose { .. } => Err(wrong_state(c, "提请处置")),
        ApprovalAction::Assign { .. } if c.status == S::Registered => Ok(()),
        ApprovalAction::Assign { .. } => Err(wrong_state(c, "交办下级（交办须在筛选前提请）")),
        // A lateral hand-over is how screening finds the case belongs to a sibling office.
        ApprovalAction::Lateral { .. } if c.status == S::Registered => Ok(()),
        ApprovalAction::Lateral { .. } => Err(wrong_state(c, "平级移交（平级移交须在筛选前提请）")),
        ApprovalAction::Supervise { .. }
            if matches!(c.status, S::Concluded | S::Repeat | S::NotAccepted | S::ReportedUpward) =>
        {
            Err(wrong_state(c, "督办"))
        }
        ApprovalAction::Supervise { .. } => Ok(()),
        ApprovalAction::Detain | ApprovalAction::ExtendDetention if c.status == S::CaseFiled => Ok(()),
        ApprovalAction::Detain | ApprovalAction::ExtendDetention => {
            Err(wrong_state(c, "提请上级机关批准留置（须为已立案审查调查）"))
        }
    }
}

/// The request for the office above's approval of detention that waits for its answer, if any.
pub fn pending_upper(c: &Complaint) -> Option<&Approval> {
    c.approvals.iter().find(|a| a.status == "pending" && a.request.is_upper())
}

/// Refuses a step on a complaint another office owns now.
fn owned_here(c: &Complaint, here: &Office) -> Result<()> {
    if c.owner == here.code { Ok(()) } else { Err(crate::ownership::not_owned(&c.owner, &c.owner_name)) }
}

fn no_pending(c: &Complaint, here: &Office) -> Result<()> {
    match c.pending_at(&here.code) {
        Some(_) => Err(CoreError::invalid("该检举控告已有待审批的事项，请等领导审批后再提请。")),
        None => Ok(()),
    }
}

/// Whether `actor`, working in office `here`, may take `step` on complaint `c` now; the refusal
/// says why in Chinese. The order of the checks is the order an officer reads them in: whose
/// post it is, whose case it is, then the complaint's state.
pub fn check(c: &Complaint, here: &Office, actor: &Actor, step: Step) -> Result<()> {
    use ComplaintStatus as S;
    authorize(actor, &action(c, &here.code, step)?)?;
    // Supervision is asked of a case another office handles; an approval is decided where it
    // was asked. Every other step is the owning office's alone.
    if !matches!(step, Step::RequestSupervision | Step::DecideApproval | Step::AcceptResult | Step::ReturnResult) {
        owned_here(c, here)?;
    }
    match step {
        Step::Screen => {
            if c.status != S::Registered {
                return Err(wrong_state(c, "再次筛选"));
            }
        }
        Step::RequestAssignment => {
            check_request_state(c, &ApprovalAction::Assign { to_office: String::new(), report_days: None })?;
            no_pending(c, here)?;
            if here.below.is_empty() {
                return Err(CoreError::invalid(
                    "本机关名录中没有下级机关，不能交办。下级机关名录随同步从省级平台取得，请先同步。",
                ));
            }
        }
        Step::RequestLateral => {
            check_request_state(c, &ApprovalAction::Lateral { to_office: String::new() })?;
            no_pending(c, here)?;
            if !here.in_directory() {
                return Err(CoreError::invalid(
                    "本机关还没有机关名录，不能平级移交。机关名录随同步从省级平台取得，请先同步。",
                ));
            }
            if qingfeng_log::route::allowed(Handover::Lateral, &here.code, &here.directory).is_empty() {
                return Err(CoreError::invalid("机关名录中没有与本机关同属一个上级机关的同级机关，不能平级移交。"));
            }
        }
        Step::ReportResult => {
            if !c.has_open(DeadlineKind::AssignmentReport) && !c.has_open(DeadlineKind::SupervisionReport) {
                return Err(CoreError::invalid("此件不是交办件或督办件，或者办理结果已经上报过了。"));
            }
        }
        Step::NotifyAcceptance => owes(c, DeadlineKind::AcceptanceNotice)?,
        Step::RecordForwarded => {
            if !matches!(c.status, S::ReportedUpward | S::TransferredDownward) {
                return Err(wrong_state(c, "记录报送或转送"));
            }
            if !c.has_open(DeadlineKind::ReportUpward) && !c.has_open(DeadlineKind::TransferDownward) {
                return Err(CoreError::invalid("该检举控告的报送或转送已经记录过了。"));
            }
        }
        Step::RequestSupervision => {
            check_request_state(c, &ApprovalAction::Supervise { report_days: None })?;
            no_pending(c, here)?;
            if c.owner == here.code {
                return Err(CoreError::invalid(
                    "督办是对下级机关办理的检举控告提出要求；本机关自己办理的件请直接办理。",
                ));
            }
            if here.in_directory() {
                here.route(Handover::Supervise, &c.owner)?;
            } else if !here.below.contains(&c.owner) {
                return Err(CoreError::invalid(format!("此件由 {} 办理，不是本机关的下级机关，不能督办。", c.owner)));
            }
            if c.has_open(DeadlineKind::SupervisionReport) {
                return Err(CoreError::invalid("此件正在督办中，下级机关报告办理结果前不能再次督办。"));
            }
        }
        Step::RequestReturn => {
            check_request_state(c, &ApprovalAction::Return)?;
            no_pending(c, here)?;
        }
        Step::RequestDisposal => {
            check_request_state(c, &ApprovalAction::Dispose { method: DisposalMethod::Close, letter_date: None })?;
            no_pending(c, here)?;
        }
        Step::DecideApproval => {
            let pending =
                c.pending_at(&here.code).ok_or_else(|| CoreError::invalid("该检举控告没有待本机关审批的事项。"))?;
            check_decider(pending, here, actor)?;
        }
        Step::RecordInquiryReply => {
            if c.status != S::Inquiry || !c.has_open(DeadlineKind::InquiryReply) {
                return Err(wrong_state(c, "记录函询回复"));
            }
        }
        Step::Conclude => {
            if !c.closable() {
                return Err(CoreError::invalid(format!(
                    "该检举控告当前状态为“{}”，须先经领导审批确定处置方式，才能办结。",
                    c.status.label()
                )));
            }
        }
        Step::RecordFeedback => owes(c, DeadlineKind::ResultFeedback)?,
        Step::RecordObjection => {
            if c.status != S::Concluded {
                return Err(wrong_state(c, "记录对办理结果的反馈意见"));
            }
        }
        Step::RecordCaseMilestone | Step::StartDetention | Step::ExtendDetention | Step::EndDetention => {
            if c.status != S::CaseFiled {
                return Err(wrong_state(c, "记录立案后的办理阶段或留置（须为已立案审查调查）"));
            }
            check_case_step(c, step)?;
            // With an office above, detention and its extension are that office's to approve
            // in the program: asked by `RequestDetention*`, never recorded here on a typed reference.
            if matches!(step, Step::StartDetention | Step::ExtendDetention)
                && let Some(upper) = here.upper()
            {
                return Err(CoreError::invalid(format!(
                    "{}须报上一级机关（{}）批准：请点“提请上级批准”，批准后自动生效。",
                    if step == Step::StartDetention { "采取留置措施" } else { "延长留置" },
                    upper.name
                )));
            }
        }
        Step::RequestDetention | Step::RequestDetentionExtension => {
            if c.status != S::CaseFiled {
                return Err(wrong_state(c, "提请上级机关批准留置（须为已立案审查调查）"));
            }
            let local = if step == Step::RequestDetention { Step::StartDetention } else { Step::ExtendDetention };
            check_case_step(c, local)?;
            if here.upper().is_none() {
                return Err(CoreError::invalid(
                    "本机关没有上一级机关（或尚未从省级平台取得机关名录），留置由本机关直接记录。",
                ));
            }
            if let Some(p) = pending_upper(c) {
                return Err(CoreError::invalid(format!(
                    "已向上一级机关提请{}，尚未批复，不能重复提请。",
                    if p.request == ApprovalAction::Detain { "采取留置措施" } else { "延长留置" }
                )));
            }
        }
        Step::RevealReporter => {
            if c.anonymous {
                return Err(CoreError::invalid("匿名检举控告没有检举人身份可查看。"));
            }
        }
        Step::AcceptResult | Step::ReturnResult => check_review(c, here)?,
    }
    Ok(())
}

/// Whether office `here` may review (accept or send back) the result reported on `c` now: only
/// the office that assigned or supervised it, only while a report waits for its review.
fn check_review(c: &Complaint, here: &Office) -> Result<()> {
    if !c.demanded_by(&here.code) {
        return Err(CoreError::invalid(
            "此件不是本机关交办或督办的，不能审核其办理结果；办理结果由交办或督办的机关审核。",
        ));
    }
    if c.review_for(&here.code).is_some() {
        return Ok(());
    }
    let awaiting = c.watches.iter().any(|w| {
        w.open
            && w.office == here.code
            && matches!(w.kind, DeadlineKind::AssignmentReport | DeadlineKind::SupervisionReport)
    });
    Err(CoreError::invalid(if awaiting {
        "承办机关还没有上报（或重新上报）办理结果，暂无可审核的报告。"
    } else {
        "该办理结果已经审核过了，不能重复审核。"
    }))
}

/// The rules of a filed case's steps: stages run to a decision, detention is taken before the
/// trial, extended once and ended once.
fn check_case_step(c: &Complaint, step: Step) -> Result<()> {
    let detained = c.detention_start.is_some();
    let released = c.detention_ended.is_some();
    match step {
        Step::RecordCaseMilestone if c.stage == Some(CaseStage::Decided) => {
            Err(CoreError::invalid("案件阶段须依次记录：下一步应为“（已作出处理决定，无后续阶段）”，不能再记录。"))
        }
        Step::StartDetention if !matches!(c.stage, Some(CaseStage::Filed | CaseStage::Investigation)) => {
            Err(CoreError::invalid("留置只能在立案后、移送审理前采取。"))
        }
        Step::StartDetention if detained => Err(CoreError::invalid("该案已经采取过留置措施。")),
        Step::ExtendDetention if !detained || released => Err(CoreError::invalid("该案不在留置期间，不能延长留置。")),
        Step::ExtendDetention if c.detention_extended => {
            Err(CoreError::invalid("留置只能延长一次（3 个月），该案已经延长过。"))
        }
        Step::EndDetention if !detained => Err(CoreError::invalid("该案没有采取留置措施。")),
        Step::EndDetention if released => Err(CoreError::invalid("留置已经解除。")),
        _ => Ok(()),
    }
}

/// Whether a reporter-facing duty (the acceptance notice or the result feedback) is owed now:
/// the one rule that the step, its button and the notice document's side effect all read.
pub fn owes(c: &Complaint, duty: DeadlineKind) -> Result<()> {
    match duty {
        DeadlineKind::AcceptanceNotice => {
            if !c.has_open(DeadlineKind::AcceptanceNotice) {
                return Err(CoreError::invalid("该检举控告没有待办的受理告知（非实名、重复举报或已告知）。"));
            }
            if c.status == ComplaintStatus::Registered {
                return Err(CoreError::invalid("尚未筛选受理，请先完成筛选再告知检举人。"));
            }
        }
        _ => {
            if c.status != ComplaintStatus::Concluded || !c.has_open(DeadlineKind::ResultFeedback) {
                return Err(wrong_state(c, "记录结果反馈（须为已办结的实名检举且尚未反馈）"));
            }
        }
    }
    Ok(())
}

/// Why an acceptance notice (受理告知书) may not be issued for `c`, or `None` when it may: only to
/// a first real-name reporter, once the complaint is accepted here. (Issuing it after the duty
/// was met is a reissue, which is allowed.)
pub fn acceptance_notice_refusal(c: &Complaint) -> Option<String> {
    use ComplaintStatus as S;
    if c.repeat_of.is_some() || c.status == S::Repeat {
        return Some("重复举报只登记存查，不发受理告知书。".into());
    }
    if !c.real_name {
        return Some("受理告知只向实名检举控告人作出；本件为署名但未实名的检举控告。".into());
    }
    match c.status {
        S::Registered => Some("该检举控告尚未筛选受理，请先完成筛选。".into()),
        S::NotAccepted => Some("该检举控告不予受理，应签发不予受理告知书。".into()),
        S::ReportedUpward | S::TransferredDownward | S::Assigned | S::HandedLaterally => {
            Some(format!("该检举控告{}，由受理机关告知检举控告人。", c.status.label()))
        }
        _ => None,
    }
}

/// The notices (文书) the complaint's page offers `actor`, by the kind ids `documents` names:
/// those to the reporter, which name them and so are issued by petitions (who may read the
/// identity), and the inquiry letter, issued by the handling department. The page shows exactly
/// these; issuing one is checked again by `documents` (`acceptance_notice_refusal` and the
/// notice's own rules).
pub fn notices(c: &Complaint, here: &Office, actor: &Actor) -> Vec<&'static str> {
    use ComplaintStatus as S;
    if c.owner != here.code {
        return Vec::new();
    }
    let may = |act| authorize(actor, &Action::Complaint { office: here.code.clone(), act }).is_ok();
    let to_reporter = !c.anonymous && may(ComplaintAct::Notify);
    let mut out = Vec::new();
    if to_reporter && acceptance_notice_refusal(c).is_none() {
        out.push("acceptance");
    }
    if to_reporter && c.status == S::NotAccepted {
        out.push("non_acceptance");
    }
    if to_reporter && c.real_name && c.status == S::Concluded {
        out.push("result_feedback");
    }
    if c.status == S::Inquiry && c.department.is_some_and(|department| may(ComplaintAct::Handle { department })) {
        out.push("inquiry");
    }
    out
}

/// Whether `actor` may decide `approval` in office `here`: only a leader of the office that
/// asked, never the one who asked, and only once.
pub fn check_decider(approval: &Approval, here: &Office, actor: &Actor) -> Result<()> {
    if let Some(office) = approval.office.as_deref().filter(|o| *o != here.code) {
        if approval.request.is_upper() {
            return Err(CoreError::invalid(format!(
                "该事项是向{}提请的，须由该机关的领导审批。",
                here.name_of(office)
            )));
        }
        return Err(CoreError::invalid("该审批事项由其他机关提请，须由该机关的领导审批。"));
    }
    if approval.status != "pending" {
        return Err(CoreError::invalid("该审批事项已经审批过了。"));
    }
    if actor.id() == approval.requested_by {
        return Err(CoreError::invalid("提请人不能审批自己提请的事项，请由另一位领导审批。"));
    }
    Ok(())
}

/// Every step `actor` may take on the complaint now: exactly those `check` allows, in the page's
/// order.
pub fn allowed(c: &Complaint, here: &Office, actor: &Actor) -> Vec<Step> {
    STEPS.into_iter().filter(|&s| check(c, here, actor, s).is_ok()).collect()
}

// ---------------------------------------------------------------------------------------------
// The inbox

/// A task on an officer's inbox (收件箱): what is to be done about a complaint, in the inbox's
/// words, and the steps that do it. A complaint is on the inbox under a task exactly when
/// `allowed` gives the viewer one of its steps, so the inbox lists what the complaint's page
/// offers, and a new state or step changes both at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Task {
    Screen,
    NotifyAcceptance,
    Forward,
    ReportResult,
    Handle,
    Feedback,
    Approve,
    ReviewResult,
}

impl Task {
    /// Every task, in the inbox's order.
    pub const ALL: [Task; 8] = [
        Task::Screen,
        Task::NotifyAcceptance,
        Task::Forward,
        Task::ReportResult,
        Task::Handle,
        Task::Feedback,
        Task::Approve,
        Task::ReviewResult,
    ];

    /// The task as the inbox names it.
    pub fn label(self) -> &'static str {
        match self {
            Task::Screen => "待筛选",
            Task::NotifyAcceptance => "待告知检举人受理",
            Task::Forward => "待报送或转送",
            Task::ReportResult => "待上报交办督办结果",
            Task::Handle => "待处置或办理",
            Task::Feedback => "待反馈办理结果",
            Task::Approve => "待审批",
            Task::ReviewResult => "待审核下级上报的办理结果",
        }
    }

    /// The steps that do the task. Asking for an assignment is a way of screening, offered on
    /// the same complaints, so the screening task stands for both.
    pub fn steps(self) -> &'static [Step] {
        match self {
            Task::Screen => &[Step::Screen],
            Task::NotifyAcceptance => &[Step::NotifyAcceptance],
            Task::Forward => &[Step::RecordForwarded],
            Task::ReportResult => &[Step::ReportResult],
            Task::Handle => &[
                Step::RequestReturn,
                Step::RequestDisposal,
                Step::RecordInquiryReply,
                Step::Conclude,
                Step::RecordCaseMilestone,
                Step::StartDetention,
                Step::ExtendDetention,
                Step::RequestDetention,
                Step::RequestDetentionExtension,
                Step::EndDetention,
            ],
            Task::Feedback => &[Step::RecordFeedback],
            Task::Approve => &[Step::DecideApproval],
            Task::ReviewResult => &[Step::AcceptResult, Step::ReturnResult],
        }
    }

    /// Whether `actor` has this task on complaint `c` now: one of its steps passes `check`.
    pub fn open_for(self, c: &Complaint, here: &Office, actor: &Actor) -> bool {
        self.steps().iter().any(|&step| check(c, here, actor, step).is_ok())
    }
}

/// The inbox tasks `actor` has on complaint `c` now, derived from `check` like `allowed`.
pub fn tasks(c: &Complaint, here: &Office, actor: &Actor) -> Vec<Task> {
    Task::ALL.into_iter().filter(|t| t.open_for(c, here, actor)).collect()
}

// ---------------------------------------------------------------------------------------------
// Commands and decisions

/// The longest note on a dated act.
pub const MAX_NOTE_CHARS: usize = super::limits::MAX_NOTE_CHARS;

/// A date and a note, as most steps carry them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dated {
    pub date: String,
    pub note: String,
}

/// A step with what the officer entered for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// 筛选. `repeat_of` names an earlier complaint the caller found in this replica.
    Screen {
        outcome: ScreeningOutcome,
        department: Option<Role>,
        reason: String,
        refer_to: Option<String>,
        repeat_of: Option<String>,
    },
    NotifyAcceptance(Dated),
    RecordForwarded(Dated),
    ReportResult(Dated),
    /// Asks a leader for a step; an assignment's or supervision's report days are already
    /// resolved against the office's settings.
    Request {
        approval_id: String,
        request: ApprovalAction,
        reason: String,
    },
    Decide {
        approval_id: String,
        granted: bool,
        comment: String,
    },
    RecordInquiryReply(Dated),
    Conclude {
        date: String,
        result: String,
        accusation: AccusationFinding,
        clearance: bool,
    },
    RecordFeedback(Dated),
    RecordObjection {
        date: String,
        content: String,
        new_evidence: bool,
    },
    RecordCaseMilestone {
        stage: CaseStage,
        date: String,
        note: String,
    },
    StartDetention(Dated),
    ExtendDetention {
        date: String,
        approval_ref: String,
    },
    EndDetention(Dated),
    RevealReporter {
        purpose: String,
    },
    /// 采纳办理结果, with an optional note.
    AcceptResult {
        note: String,
    },
    /// 退回重报: the note says what to redo; the new report falls due in `report_days` working
    /// days (already checked against the office's settings).
    ReturnResult {
        note: String,
        report_days: u32,
    },
}

impl Command {
    /// The step the command takes.
    pub fn step(&self) -> Step {
        match self {
            Command::Screen { .. } => Step::Screen,
            Command::NotifyAcceptance(_) => Step::NotifyAcceptance,
            Command::RecordForwarded(_) => Step::RecordForwarded,
            Command::ReportResult(_) => Step::ReportResult,
            Command::Request { request, .. } => match request {
                ApprovalAction::Return => Step::RequestReturn,
                ApprovalAction::Dispose { .. } => Step::RequestDisposal,
                ApprovalAction::Assign { .. } => Step::RequestAssignment,
                ApprovalAction::Supervise { .. } => Step::RequestSupervision,
                ApprovalAction::Lateral { .. } => Step::RequestLateral,
                ApprovalAction::Detain => Step::RequestDetention,
                ApprovalAction::ExtendDetention => Step::RequestDetentionExtension,
            },
            Command::Decide { .. } => Step::DecideApproval,
            Command::RecordInquiryReply(_) => Step::RecordInquiryReply,
            Command::Conclude { .. } => Step::Conclude,
            Command::RecordFeedback(_) => Step::RecordFeedback,
            Command::RecordObjection { .. } => Step::RecordObjection,
            Command::RecordCaseMilestone { .. } => Step::RecordCaseMilestone,
            Command::StartDetention(_) => Step::StartDetention,
            Command::ExtendDetention { .. } => Step::ExtendDetention,
            Command::EndDetention(_) => Step::EndDetention,
            Command::RevealReporter { .. } => Step::RevealReporter,
            Command::AcceptResult { .. } => Step::AcceptResult,
            Command::ReturnResult { .. } => Step::ReturnResult,
        }
    }
}

/// A handover the events of a step offer (a report upward, a transfer or an assignment
/// downward): becomes an ownership change once the hub orders it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub to_office: String,
    pub reason: String,
    pub basis: String,
}

/// What a step decides: the complaint's events, and the handover it offers, if any.
#[derive(Debug, Clone, Default)]
pub struct Decided {
    pub events: Vec<ComplaintEvent>,
    pub offer: Option<Offer>,
}

impl Decided {
    fn one(event: ComplaintEvent) -> Decided {
        Decided { events: vec![event], offer: None }
    }
}

/// Parses a date an officer entered for an act: a real date, not in the future, not before the
/// complaint was received.
pub fn act_date(c: &Complaint, text: &str, what: &str, today: NaiveDate) -> Result<NaiveDate> {
    let d = qingfeng_calendar::parse_date(text)?;
    if d > today {
        return Err(CoreError::invalid(format!("{what}日期 {d} 晚于今天（{today}），请填写实际日期。")));
    }
    if d < c.received_date {
        return Err(CoreError::invalid(format!("{what}日期 {d} 早于收到检举控告的日期 {}，请核对。", c.received_date)));
    }
    Ok(d)
}

/// The acceptance-notice rule a registration carries: a first real-name complaint opens the
/// duty, a repeat or an unnamed one does not (`duties` reads the same condition).
pub fn notice_rule(form: &RegisterComplaint) -> Option<String> {
    opens_acceptance_notice(form).then(|| DeadlineKind::AcceptanceNotice.rule().code())
}

/// Whether a registration opens the acceptance-notice duty.
fn opens_acceptance_notice(form: &RegisterComplaint) -> bool {
    form.real_name && form.repeat_of.is_none()
}

/// The rule a deadline kind is opened with now, as the events carry it.
fn rule_now(kind: DeadlineKind) -> Option<String> {
    Some(kind.rule().code())
}

fn dated(c: &Complaint, d: &Dated, what: &str, today: NaiveDate) -> Result<DatedAct> {
    Ok(DatedAct {
        complaint_id: c.id.clone(),
        date: act_date(c, &d.date, what, today)?.to_string(),
        note: bounded("办理情况说明", &d.note, MAX_NOTE_CHARS)?,
        ..DatedAct::default()
    })
}

/// The events `command` produces on complaint `c`, taken by `actor` in office `here` on business
/// date `today`; or the refusal, in Chinese, of the step or of what was entered.
pub fn decide(c: &Complaint, here: &Office, actor: &Actor, command: &Command, today: NaiveDate) -> Result<Decided> {
    use ComplaintEvent as E;
    if !matches!(command, Command::Decide { .. }) {
        check(c, here, actor, command.step())?;
    }
    let id = c.id.clone();
    Ok(match command {
        Command::Screen { outcome, department, reason, refer_to, repeat_of } => {
            screen(c, here, *outcome, *department, reason, refer_to.as_deref(), repeat_of.as_deref(), today)?
        }
        Command::NotifyAcceptance(d) => Decided::one(E::AcceptanceNotified(dated(c, d, "告知", today)?)),
        Command::RecordForwarded(d) => Decided::one(E::Forwarded(dated(c, d, "报送或转送", today)?)),
        Command::ReportResult(d) => {
            let note = required("办理结果（上报内容）", &d.note, 2_000)?;
            let date = act_date(c, &d.date, "上报", today)?.to_string();
            // The review the report opens at the office above travels in it (`duties`).
            let rule = rule_now(DeadlineKind::ResultReview);
            Decided::one(E::ResultReported(DatedAct { complaint_id: id, date, note, rule, ..DatedAct::default() }))
        }
        Command::AcceptResult { note } => {
            let review = c.review_for(&here.code).ok_or_else(|| CoreError::invalid("没有待本机关审核的办理结果。"))?;
            Decided::one(E::ResultAccepted(ResultReviewed {
                complaint_id: id,
                review_id: review.id.clone(),
                date: today.to_string(),
                note: bounded("审核意见", note, MAX_NOTE_CHARS)?,
                report_kind: None,
                handling_office: None,
                report_days: None,
            }))
        }
        Command::ReturnResult { note, report_days } => {
            let review = c.review_for(&here.code).ok_or_else(|| CoreError::invalid("没有待本机关审核的办理结果。"))?;
            let note = required("退回重报的理由和要求", note, MAX_NOTE_CHARS)?;
            if !(RETURN_REPORT_DAYS.0..=RETURN_REPORT_DAYS.1).contains(report_days) {
                return Err(CoreError::invalid(format!(
                    "重新报告的期限应为 {} 至 {} 个工作日，现填 {report_days} 个工作日。",
                    RETURN_REPORT_DAYS.0, RETURN_REPORT_DAYS.1
                )));
            }
            Decided::one(E::ResultReturned(ResultReviewed {
                complaint_id: id,
                review_id: review.id.clone(),
                date: today.to_string(),
                note,
                report_kind: Some(c.demand_of(&here.code).as_str().to_owned()),
                handling_office: Some(c.owner.clone()),
                report_days: Some(*report_days),
            }))
        }
        Command::Request { approval_id, request, reason } => request_approval(c, here, approval_id, request, reason)?,
        Command::Decide { approval_id, granted, comment } => {
            decide_approval(c, here, actor, approval_id, *granted, comment, today)?
        }
        Command::RecordInquiryReply(d) => Decided::one(E::InquiryReplied(dated(c, d, "回复", today)?)),
        Command::Conclude { date, result, accusation, clearance } => {
            let d = act_date(c, date, "办结", today)?;
            let result = required("办理结果", result, 5_000)?;
            if *clearance && *accusation == AccusationFinding::None {
                return Err(CoreError::invalid("澄清正名只适用于错告或诬告的情形，请先选择认定结果。"));
            }
            Decided::one(E::Concluded(Concluded {
                complaint_id: id,
                date: d.to_string(),
                result,
                accusation: *accusation,
                clearance: *clearance,
                rule: if c.real_name { rule_now(DeadlineKind::ResultFeedback) } else { None },
            }))
        }
        Command::RecordFeedback(d) => Decided::one(E::FeedbackGiven(dated(c, d, "反馈", today)?)),
        Command::RecordObjection { date, content, new_evidence } => {
            let d = act_date(c, date, "反馈意见", today)?;
            let content = required("反馈意见内容", content, 5_000)?;
            Decided::one(E::ObjectionRecorded(Objection {
                complaint_id: id,
                date: d.to_string(),
                content,
                new_evidence: *new_evidence,
            }))
        }
        Command::RecordCaseMilestone { stage, date, note } => {
            if c.stage != stage.previous() {
                let expected = match c.stage {
                    None => CaseStage::Filed.label().to_owned(),
                    Some(CaseStage::Decided) => "（已作出处理决定，无后续阶段）".to_owned(),
                    Some(s) => [CaseStage::Investigation, CaseStage::TrialAccepted, CaseStage::Decided]
                        .into_iter()
                        .find(|n| n.previous() == Some(s))
                        .map(|n| n.label().to_owned())
                        .unwrap_or_default(),
                };
                return Err(CoreError::invalid(format!(
                    "案件阶段须依次记录：下一步应为“{expected}”，不能记录“{}”。",
                    stage.label()
                )));
            }
            if *stage == CaseStage::Decided && c.detention_start.is_some() && c.detention_ended.is_none() {
                return Err(CoreError::invalid("留置尚未解除，请先记录解除留置的日期。"));
            }
            let d = act_date(c, date, stage.label(), today)?;
            Decided::one(E::CaseMilestone(CaseMilestone {
                complaint_id: id,
                stage: *stage,
                date: d.to_string(),
                note: bounded("办理情况说明", note, MAX_NOTE_CHARS)?,
                rule: (*stage == CaseStage::TrialAccepted).then(|| DeadlineKind::TrialReview.rule().code()),
            }))
        }
        Command::StartDetention(d) => Decided::one(E::DetentionStarted(DatedAct {
            rule: rule_now(DeadlineKind::DetentionEnd),
            reminder_rule: rule_now(DeadlineKind::DetentionReminder),
            ..dated(c, d, "留置", today)?
        })),
        Command::ExtendDetention { date, approval_ref } => {
            let approval_ref = required("上一级机关批准文号", approval_ref, 100)?;
            let d = act_date(c, date, "延长留置", today)?;
            Decided::one(E::DetentionExtended(DetentionExtended {
                complaint_id: id,
                date: d.to_string(),
                approval_ref,
                rule: Some(EXTENDED_DETENTION.code()),
                reminder_rule: Some(EXTENDED_REMINDER.code()),
            }))
        }
        Command::EndDetention(d) => {
            let act = dated(c, d, "解除留置", today)?;
            if let Some(start) = c.detention_start
                && act.date < start.to_string()
            {
                return Err(CoreError::invalid(format!("解除留置的日期早于留置开始日期 {start}，请核对。")));
            }
            Decided::one(E::DetentionEnded(act))
        }
        Command::RevealReporter { purpose } => Decided::one(E::IdentityViewed(IdentityViewed {
            complaint_id: id,
            purpose: required("查看事由", purpose, 200)?,
        })),
    })
}

/// The working days a send-back may give the handling office for its new report, inclusive: at
/// least a week's work, at most about a year (the range of the demands themselves, settings).
pub const RETURN_REPORT_DAYS: (u32, u32) = (5, 250);

/// Detention once extended: six months in all from the original start, never moved.
const EXTENDED_DETENTION: Rule = Rule::MonthsFixed(6);
/// Its reminder: ten days before the six months end.
const EXTENDED_REMINDER: Rule = Rule::DaysBeforeMonthsFixed(10, 6);

#[allow(clippy::too_many_arguments)]
fn screen(
    c: &Complaint,
    here: &Office,
    outcome: ScreeningOutcome,
    department: Option<Role>,
    reason: &str,
    refer_to: Option<&str>,
    repeat_of: Option<&str>,
    today: NaiveDate,
) -> Result<Decided> {
    let reason = bounded("筛选理由", reason, MAX_NOTE_CHARS)?;
    let refer_to = refer_to.map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
    let mut chosen_department = None;
    let mut repeat = None;
    match outcome {
        ScreeningOutcome::AcceptTransfer => {
            let d =
                department.ok_or_else(|| CoreError::invalid("受理并移送须选择承办部门（监督检查室或审查调查室）。"))?;
            chosen_department = Some(handling_department(d)?);
        }
        ScreeningOutcome::Repeat => {
            let earlier = repeat_of.ok_or_else(|| CoreError::invalid("重复举报须关联此前的检举控告。"))?;
            if earlier == c.id {
                return Err(CoreError::invalid("不能把检举控告关联为它自己的重复。"));
            }
            repeat = Some(earlier.to_owned());
        }
        ScreeningOutcome::NotAccepted => {
            required("不予受理的理由", &reason, 500)?;
            if refer_to.is_none() {
                return Err(CoreError::invalid("不予受理须写明应向何处反映（告知检举人去向）。"));
            }
        }
        ScreeningOutcome::ReportUpward | ScreeningOutcome::TransferDownward => {
            required("报送或转送的理由", &reason, 500)?;
        }
    }
    // With a hub, reporting upward hands the case to the parent office, and transferring
    // downward to an office directly below when `refer_to` names one by its code: the offer
    // becomes an ownership change once the hub orders it. Without a hub the paper route works.
    // With the office in the directory, the destination is checked by the route rule before
    // anything is recorded: a misroute is refused here, not recorded and then never handed over.
    let target = match outcome {
        ScreeningOutcome::ReportUpward if here.in_directory() => {
            let to = refer_to
                .clone()
                .or_else(|| here.parent.clone())
                .ok_or_else(|| CoreError::invalid("本机关没有上级机关，不能向上报送。"))?;
            Some(here.route(Handover::ReportUpward, &to)?.code)
        }
        ScreeningOutcome::TransferDownward if here.in_directory() => {
            let to = refer_to.clone().unwrap_or_default();
            Some(here.route(Handover::TransferDownward, &to)?.code)
        }
        ScreeningOutcome::ReportUpward => here.parent.clone(),
        ScreeningOutcome::TransferDownward => refer_to.clone().filter(|code| here.children.contains(code)),
        _ => None,
    };
    let rule = match outcome {
        ScreeningOutcome::ReportUpward => rule_now(DeadlineKind::ReportUpward),
        ScreeningOutcome::TransferDownward => rule_now(DeadlineKind::TransferDownward),
        ScreeningOutcome::AcceptTransfer => rule_now(DeadlineKind::QuarterlyReport),
        ScreeningOutcome::Repeat | ScreeningOutcome::NotAccepted => None,
    };
    Ok(Decided {
        events: vec![ComplaintEvent::Screened(Screened {
            complaint_id: c.id.clone(),
            date: today.to_string(),
            outcome,
            department: chosen_department,
            reason,
            refer_to,
            repeat_of: repeat,
            rule,
        })],
        offer: target.map(|to_office| Offer {
            to_office,
            reason: outcome.as_str().to_owned(),
            basis: format!("{}:{}", crate::projector::kind::COMPLAINT_SCREENED, outcome.as_str()),
        }),
    })
}

fn request_approval(
    c: &Complaint,
    here: &Office,
    approval_id: &str,
    request: &ApprovalAction,
    reason: &str,
) -> Result<Decided> {
    let reason = match request {
        ApprovalAction::Assign { .. } => required("交办理由和要求", reason, 2_000)?,
        ApprovalAction::Supervise { .. } => required("督办事由和要求", reason, 2_000)?,
        ApprovalAction::Lateral { .. } => required("平级移交的理由", reason, 2_000)?,
        ApprovalAction::Detain => required("提请采取留置措施的理由", reason, 2_000)?,
        ApprovalAction::ExtendDetention => required("提请延长留置的理由", reason, 2_000)?,
        _ => required("提请理由（集体研究意见）", reason, 2_000)?,
    };
    let request = match request {
        ApprovalAction::Dispose { method: DisposalMethod::Inquiry, letter_date } => {
            let letter = letter_date
                .as_deref()
                .ok_or_else(|| CoreError::invalid("谈话函询须填写函询函发出日期（回复期限从该日起算）。"))?;
            let d = qingfeng_calendar::parse_date(letter)?;
            if d < c.received_date {
                return Err(CoreError::invalid("函询函发出日期早于收到检举控告的日期，请核对。"));
            }
            ApprovalAction::Dispose { method: DisposalMethod::Inquiry, letter_date: Some(d.to_string()) }
        }
        ApprovalAction::Dispose { method, .. } => ApprovalAction::Dispose { method: *method, letter_date: None },
        ApprovalAction::Return => ApprovalAction::Return,
        ApprovalAction::Assign { to_office, report_days } => {
            let to_office = to_office.trim().to_owned();
            if to_office.is_empty() {
                return Err(CoreError::invalid("请选择交办给哪个下级机关。"));
            }
            if here.in_directory() {
                here.route(Handover::Assign, &to_office)?;
            } else if !here.below.contains(&to_office) {
                return Err(CoreError::invalid(format!("{to_office} 不是本机关的下级机关，只能交办给下级机关。")));
            }
            ApprovalAction::Assign { to_office, report_days: *report_days }
        }
        ApprovalAction::Supervise { report_days } => ApprovalAction::Supervise { report_days: *report_days },
        ApprovalAction::Lateral { to_office } => {
            let to_office = to_office.trim().to_owned();
            if to_office.is_empty() {
                return Err(CoreError::invalid("请从机关名录中选择平级移交给哪个机关。"));
            }
            ApprovalAction::Lateral { to_office: here.route(Handover::Lateral, &to_office)?.code }
        }
        ApprovalAction::Detain => ApprovalAction::Detain,
        ApprovalAction::ExtendDetention => ApprovalAction::ExtendDetention,
    };
    if request.is_upper() {
        let upper = here.upper().ok_or_else(|| CoreError::invalid("本机关没有上一级机关，留置由本机关直接记录。"))?;
        return Ok(Decided::one(ComplaintEvent::UpperApprovalRequested(UpperApprovalRequested {
            approval_id: approval_id.to_owned(),
            complaint_id: c.id.clone(),
            request,
            reason,
            to_office: upper.code.clone(),
        })));
    }
    let supervise = matches!(request, ApprovalAction::Supervise { .. });
    let p = ApprovalRequested { approval_id: approval_id.to_owned(), complaint_id: c.id.clone(), request, reason };
    Ok(Decided::one(if supervise {
        ComplaintEvent::SupervisionRequested(p)
    } else {
        ComplaintEvent::ApprovalRequested(p)
    }))
}

fn decide_approval(
    c: &Complaint,
    here: &Office,
    actor: &Actor,
    approval_id: &str,
    granted: bool,
    comment: &str,
    today: NaiveDate,
) -> Result<Decided> {
    authorize(actor, &action(c, &here.code, Step::DecideApproval)?)?;
    let approval = c
        .approvals
        .iter()
        .find(|a| a.id == approval_id)
        .ok_or_else(|| CoreError::NotFound { what: "审批事项", id: approval_id.to_owned() })?;
    check_decider(approval, here, actor)?;
    let comment = bounded("审批意见", comment, MAX_NOTE_CHARS)?;
    if !granted && comment.is_empty() {
        return Err(CoreError::invalid("不同意时请填写审批意见，说明理由。"));
    }
    let request = approval.request.clone();
    if request.is_upper() {
        return decide_upper(c, approval_id, request, granted, comment, today);
    }
    let supervise = matches!(request, ApprovalAction::Supervise { .. });
    let decided = ApprovalDecided { approval_id: approval_id.to_owned(), complaint_id: c.id.clone(), granted, comment };
    let mut out = Decided::one(if supervise {
        ComplaintEvent::SupervisionDecided(decided)
    } else {
        ComplaintEvent::ApprovalDecided(decided)
    });
    if granted {
        // The complaint may have moved on since the request; the step must still be legal now,
        // and (but for a supervision from above) still this office's to take.
        if !supervise {
            owned_here(c, here)?;
        }
        check_request_state(c, &request)?;
        let rule = match &request {
            ApprovalAction::Dispose { method: DisposalMethod::Inquiry, letter_date: Some(_) } => {
                rule_now(DeadlineKind::InquiryReply)
            }
            _ => None,
        };
        let step = ApprovedStep { complaint_id: c.id.clone(), approval_id: approval_id.to_owned(), request, rule };
        let effect = match &step.request {
            ApprovalAction::Return => ComplaintEvent::Returned(step.clone()),
            ApprovalAction::Dispose { .. } => ComplaintEvent::Disposed(step.clone()),
            ApprovalAction::Assign { to_office, .. } => {
                // An assignment hands the case to the office below once the hub orders it,
                // exactly like a transfer downward; the office below then screens it afresh.
                out.offer = Some(Offer {
                    to_office: to_office.clone(),
                    reason: "assign".to_owned(),
                    basis: format!("{}:{to_office}", crate::projector::kind::COMPLAINT_ASSIGNED),
                });
                ComplaintEvent::Assigned(step.clone())
            }
            ApprovalAction::Supervise { .. } => ComplaintEvent::Supervised(step.clone()),
            ApprovalAction::Detain | ApprovalAction::ExtendDetention => {
                return Err(CoreError::Encoding("an upper approval decided as this office's own".into()));
            }
            ApprovalAction::Lateral { to_office } => {
                // Ordered by the hub exactly like the other hand-overs: the sibling office
                // screens it afresh and owes a real-name reporter the acceptance notice.
                out.offer = Some(Offer {
                    to_office: to_office.clone(),
                    reason: Handover::Lateral.offer_reason().to_owned(),
                    basis: format!("{}:{to_office}", crate::projector::kind::COMPLAINT_HANDED_LATERALLY),
                });
                ComplaintEvent::HandedLaterally(step.clone())
            }
        };
        out.events.push(effect);
    }
    Ok(out)
}

/// The office above decides a lower office's request (留置, its extension): one grow-only event
/// that is both the answer and, when granted, the step itself, dated with the approval's date.
/// A grant is checked against the case as this office holds it (detention not yet taken, or taken
/// and not yet extended or ended); a refusal needs a reason and takes nothing.
fn decide_upper(
    c: &Complaint,
    approval_id: &str,
    request: ApprovalAction,
    granted: bool,
    comment: String,
    today: NaiveDate,
) -> Result<Decided> {
    if granted {
        check_request_state(c, &request)?;
        let step = if request == ApprovalAction::Detain { Step::StartDetention } else { Step::ExtendDetention };
        check_case_step(c, step)?;
    }
    let (rule, reminder_rule) = match (&request, granted) {
        (ApprovalAction::Detain, true) => {
            (rule_now(DeadlineKind::DetentionEnd), rule_now(DeadlineKind::DetentionReminder))
        }
        (_, true) => (Some(EXTENDED_DETENTION.code()), Some(EXTENDED_REMINDER.code())),
        (_, false) => (None, None),
    };
    Ok(Decided::one(ComplaintEvent::UpperApprovalDecided(UpperApprovalDecided {
        approval_id: approval_id.to_owned(),
        complaint_id: c.id.clone(),
        granted,
        comment,
        date: today.to_string(),
        request,
        rule,
        reminder_rule,
    })))
}

/// Whether the office above's decision `p`, written by `office`, answers a request still waiting
/// for that office on complaint `c` (the state before it). Anything else (a second answer, an
/// answer from an office that was not asked) is kept in the log and changes nothing: the one
/// rule the projector and `duties` share.
pub fn upper_decision_applies(c: &Complaint, p: &UpperApprovalDecided, office: &str) -> bool {
    c.approvals.iter().any(|a| {
        a.id == p.approval_id && a.status == "pending" && a.request.is_upper() && a.office.as_deref() == Some(office)
    })
}

// ---------------------------------------------------------------------------------------------
// Duties

/// A deadline an event opens or closes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Duty {
    /// Opens deadline `id` of `kind`, due by `rule` from `start`, on `aggregate` (the complaint's
    /// when `None`). `duty_office` owes it when another office than the owner does (an
    /// assignment's office below); `watch_office` follows it from above.
    Open {
        id: String,
        aggregate: Option<String>,
        kind: DeadlineKind,
        rule: Rule,
        start: NaiveDate,
        watch_office: Option<String>,
        duty_office: Option<String>,
    },
    /// Closes the complaint's open deadlines of `kind` as met (`done`) or no longer owed
    /// (`cancelled`) on `date`.
    Close { kind: DeadlineKind, status: &'static str, date: String },
    /// Closes one deadline by id.
    CloseId { id: String, status: &'static str, date: String },
}

/// What `duties` needs of the stored event besides its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta<'a> {
    pub event_id: &'a str,
    pub origin_office: &'a str,
    /// The business (Beijing) date the event was taken on, for steps dated by when they happen.
    pub business_date: NaiveDate,
}

fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| CoreError::Encoding(format!("bad date {s}: {e}")))
}

/// The rule an event carries, or today's rule for `kind` when it was written before rules travelled.
fn carried(rule: &Option<String>, kind: DeadlineKind) -> Result<Rule> {
    match rule {
        Some(code) => Rule::parse(code),
        None => Ok(kind.rule()),
    }
}

/// An extension's end and reminder: the rules its event carries, or six months from the original
/// start and ten days before it (older logs carry none), whether the office itself extended it or
/// the office above approved the extension.
fn extension_rules(rule: &Option<String>, reminder: &Option<String>) -> Result<(Rule, Rule)> {
    let parse = |code: &Option<String>, default: Rule| code.as_deref().map_or(Ok(default), Rule::parse);
    Ok((parse(rule, EXTENDED_DETENTION)?, parse(reminder, EXTENDED_REMINDER)?))
}

/// The deadlines `event` opens or closes, given the complaint's state before it (`None` for a
/// registration, a quarterly report and an export).
pub fn duties(before: Option<&Complaint>, event: &ComplaintEvent, meta: &Meta<'_>) -> Result<Vec<Duty>> {
    use ComplaintEvent as E;
    let missing = || CoreError::Encoding(format!("{} arrived for an unknown complaint", event.kind()));
    let open = |kind: DeadlineKind, rule: Rule, start: NaiveDate| Duty::Open {
        id: format!("{}:{}", kind.as_str(), meta.event_id),
        aggregate: None,
        kind,
        rule,
        start,
        watch_office: None,
        duty_office: None,
    };
    let close =
        |kind: DeadlineKind, status: &'static str, date: &str| Duty::Close { kind, status, date: date.to_owned() };
    use DeadlineKind as K;
    Ok(match event {
        E::Registered(p) => {
            // A first real-name reporter must hear within 15 working days that it was accepted.
            if opens_acceptance_notice(&p.form) {
                vec![open(K::AcceptanceNotice, carried(&p.notice_rule, K::AcceptanceNotice)?, date(&p.received_date)?)]
            } else {
                Vec::new()
            }
        }
        E::Screened(p) => {
            let received = before.ok_or_else(missing)?.received_date;
            // Screening is how an office registers a complaint transferred down to it: whatever it
            // decides, that duty is met (none is open at the office that registered it first).
            let registered = close(K::TransferRegistration, "done", &p.date);
            let mut duties = match p.outcome {
                // Repeats and refusals get no acceptance notice; for the others the office that
                // handles it now tells the reporter.
                ScreeningOutcome::Repeat | ScreeningOutcome::NotAccepted => {
                    vec![close(K::AcceptanceNotice, "cancelled", &p.date)]
                }
                ScreeningOutcome::ReportUpward => vec![
                    close(K::AcceptanceNotice, "cancelled", &p.date),
                    open(K::ReportUpward, carried(&p.rule, K::ReportUpward)?, received),
                ],
                ScreeningOutcome::TransferDownward => vec![
                    close(K::AcceptanceNotice, "cancelled", &p.date),
                    open(K::TransferDownward, carried(&p.rule, K::TransferDownward)?, received),
                ],
                // The department now owes this quarter's report of concluded results.
                ScreeningOutcome::AcceptTransfer => match p.department {
                    Some(dept) => {
                        let (end, quarter) = crate::deadlines::quarter_of(date(&p.date)?);
                        let office = meta.origin_office;
                        vec![Duty::Open {
                            id: format!("quarterly_report:{office}:{}:{quarter}", dept.as_str()),
                            aggregate: Some(format!("quarterly:{office}:{}", dept.as_str())),
                            kind: K::QuarterlyReport,
                            rule: carried(&p.rule, K::QuarterlyReport)?,
                            start: end,
                            watch_office: None,
                            duty_office: None,
                        }]
                    }
                    None => Vec::new(),
                },
            };
            duties.push(registered);
            duties
        }
        E::AcceptanceNotified(p) => vec![close(K::AcceptanceNotice, "done", &p.date)],
        E::Forwarded(p) => vec![close(K::ReportUpward, "done", &p.date), close(K::TransferDownward, "done", &p.date)],
        E::Assigned(p) => {
            let ApprovalAction::Assign { to_office, report_days } = &p.request else {
                return Err(CoreError::Encoding(format!(
                    "complaint.assigned without an assignment (event {})",
                    meta.event_id
                )));
            };
            let today = meta.business_date;
            // The office below screens it afresh and tells a real-name reporter itself.
            vec![
                close(K::AcceptanceNotice, "cancelled", &today.to_string()),
                Duty::Open {
                    id: format!("{}:{}", K::AssignmentReport.as_str(), meta.event_id),
                    aggregate: None,
                    kind: K::AssignmentReport,
                    rule: Rule::WorkingDays(report_days.unwrap_or(60)),
                    start: today,
                    watch_office: Some(meta.origin_office.to_owned()),
                    duty_office: Some(to_office.clone()),
                },
            ]
        }
        // The sibling office tells a real-name reporter once it has the case (`ownership`).
        E::HandedLaterally(_) => vec![close(K::AcceptanceNotice, "cancelled", &meta.business_date.to_string())],
        E::Supervised(p) => {
            let ApprovalAction::Supervise { report_days } = &p.request else {
                return Err(CoreError::Encoding(format!(
                    "complaint.supervised without a supervision (event {})",
                    meta.event_id
                )));
            };
            vec![Duty::Open {
                id: format!("{}:{}", K::SupervisionReport.as_str(), meta.event_id),
                aggregate: None,
                kind: K::SupervisionReport,
                rule: Rule::WorkingDays(report_days.unwrap_or(30)),
                start: meta.business_date,
                watch_office: Some(meta.origin_office.to_owned()),
                duty_office: None,
            }]
        }
        E::ResultReported(p) => {
            let mut out =
                vec![close(K::AssignmentReport, "done", &p.date), close(K::SupervisionReport, "done", &p.date)];
            // Each office above whose demand this meets now reviews the result (审核把关). A report
            // written before reviews existed carries no review rule and opens none, so old logs
            // replay as they did.
            if let (Some(rule), Some(c)) = (&p.rule, before) {
                let mut reviewers: Vec<&str> = c
                    .watches
                    .iter()
                    .filter(|w| w.open && matches!(w.kind, K::AssignmentReport | K::SupervisionReport))
                    .map(|w| w.office.as_str())
                    .collect();
                reviewers.sort_unstable();
                reviewers.dedup();
                for office in reviewers {
                    out.push(Duty::Open {
                        id: format!("{}:{office}:{}", K::ResultReview.as_str(), meta.event_id),
                        aggregate: None,
                        kind: K::ResultReview,
                        rule: Rule::parse(rule)?,
                        // From the day the report was sent, whatever date it was dated: the
                        // office above cannot review it before it arrives.
                        start: meta.business_date,
                        watch_office: None,
                        duty_office: Some(office.to_owned()),
                    });
                }
            }
            out
        }
        E::ResultAccepted(p) => vec![Duty::CloseId { id: p.review_id.clone(), status: "done", date: p.date.clone() }],
        E::ResultReturned(p) => {
            let kind = match p.report_kind.as_deref() {
                Some(k) => DeadlineKind::parse(k)?,
                None => K::AssignmentReport,
            };
            vec![
                Duty::CloseId { id: p.review_id.clone(), status: "done", date: p.date.clone() },
                // The new report is the handling office's duty again, followed by the reviewer.
                Duty::Open {
                    id: format!("{}:{}", kind.as_str(), meta.event_id),
                    aggregate: None,
                    kind,
                    rule: Rule::WorkingDays(p.report_days.unwrap_or(RETURN_REPORT_DAYS.0)),
                    start: date(&p.date)?,
                    watch_office: Some(meta.origin_office.to_owned()),
                    duty_office: p.handling_office.clone(),
                },
            ]
        }
        E::Disposed(p) => match &p.request {
            ApprovalAction::Dispose { method: DisposalMethod::Inquiry, letter_date: Some(letter) } => {
                vec![open(K::InquiryReply, carried(&p.rule, K::InquiryReply)?, date(letter)?)]
            }
            ApprovalAction::Dispose { .. } => Vec::new(),
            _ => {
                return Err(CoreError::Encoding(format!(
                    "complaint.disposed without a disposal (event {})",
                    meta.event_id
                )));
            }
        },
        E::InquiryReplied(p) => vec![close(K::InquiryReply, "done", &p.date)],
        E::Concluded(p) => {
            let c = before.ok_or_else(missing)?;
            let mut out = vec![close(K::InquiryReply, "cancelled", &p.date)];
            if c.real_name {
                out.push(open(K::ResultFeedback, carried(&p.rule, K::ResultFeedback)?, date(&p.date)?));
            }
            out
        }
        E::FeedbackGiven(p) => vec![close(K::ResultFeedback, "done", &p.date)],
        E::CaseMilestone(p) => match p.stage {
            CaseStage::TrialAccepted => vec![open(K::TrialReview, carried(&p.rule, K::TrialReview)?, date(&p.date)?)],
            CaseStage::Decided => vec![close(K::TrialReview, "done", &p.date)],
            CaseStage::Filed | CaseStage::Investigation => Vec::new(),
        },
        E::DetentionStarted(p) => {
            let start = date(&p.date)?;
            vec![
                open(K::DetentionEnd, carried(&p.rule, K::DetentionEnd)?, start),
                open(K::DetentionReminder, carried(&p.reminder_rule, K::DetentionReminder)?, start),
            ]
        }
        E::DetentionExtended(p) => {
            // The period runs on from the original start: six months in all, still never moved.
            let start = before.ok_or_else(missing)?.detention_start.ok_or_else(missing)?;
            let (rule, reminder) = extension_rules(&p.rule, &p.reminder_rule)?;
            vec![
                close(K::DetentionEnd, "cancelled", &p.date),
                close(K::DetentionReminder, "cancelled", &p.date),
                open(K::DetentionEnd, rule, start),
                open(K::DetentionReminder, reminder, start),
            ]
        }
        E::DetentionEnded(p) => {
            vec![close(K::DetentionEnd, "done", &p.date), close(K::DetentionReminder, "done", &p.date)]
        }
        E::QuarterlyReportSubmitted(p) => vec![Duty::CloseId {
            id: format!("quarterly_report:{}:{}:{}", meta.origin_office, p.department.as_str(), p.quarter),
            status: "done",
            date: p.date.clone(),
        }],
        E::UpperApprovalDecided(p) => {
            let c = before.ok_or_else(missing)?;
            if !p.granted || !upper_decision_applies(c, p, meta.origin_office) {
                return Ok(Vec::new());
            }
            // The detention runs from the approval's date; the office above follows its end and
            // the reminder ten days before it (`watch_office`), as it follows a result report.
            let followed = |kind: DeadlineKind, rule: Rule, start: NaiveDate| Duty::Open {
                id: format!("{}:{}", kind.as_str(), meta.event_id),
                aggregate: None,
                kind,
                rule,
                start,
                watch_office: Some(meta.origin_office.to_owned()),
                duty_office: None,
            };
            match p.request {
                ApprovalAction::Detain => {
                    let start = date(&p.date)?;
                    vec![
                        followed(K::DetentionEnd, carried(&p.rule, K::DetentionEnd)?, start),
                        followed(K::DetentionReminder, carried(&p.reminder_rule, K::DetentionReminder)?, start),
                    ]
                }
                ApprovalAction::ExtendDetention => {
                    let Some(start) = c.detention_start else { return Ok(Vec::new()) };
                    let (rule, reminder) = extension_rules(&p.rule, &p.reminder_rule)?;
                    vec![
                        close(K::DetentionEnd, "cancelled", &p.date),
                        close(K::DetentionReminder, "cancelled", &p.date),
                        followed(K::DetentionEnd, rule, start),
                        followed(K::DetentionReminder, reminder, start),
                    ]
                }
                _ => Vec::new(),
            }
        }
        E::UpperApprovalRequested(_)
        | E::ApprovalRequested(_)
        | E::SupervisionRequested(_)
        | E::ApprovalDecided(_)
        | E::SupervisionDecided(_)
        | E::Returned(_)
        | E::ObjectionRecorded(_)
        | E::AttachmentAdded(_)
        | E::AttachmentViewed(_)
        | E::IdentityViewed(_)
        | E::Exported(_)
        | E::IdentitySealed(_)
        | E::HandoverHeld(_) => Vec::new(),
    })
}
