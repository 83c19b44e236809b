//! Complaint vocabulary (DOMAIN.md §2): channels, statuses, outcomes, disposal methods, and the
//! event payloads that carry them.

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};
use crate::identity::Role;

/// How a complaint arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ComplaintChannel {
    /// 来信
    Letter,
    /// 来访
    Visit,
    /// 来电（12388）
    Phone,
    /// 网络
    Web,
}

/// Where a complaint is in its handling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ComplaintStatus {
    /// 已登记，待筛选 (petitions).
    Registered,
    /// 已移送承办部门 (accepted and transferred).
    WithDepartment,
    /// 重复举报，存查.
    Repeat,
    /// 已向上报送.
    ReportedUpward,
    /// 已向下转送.
    TransferredDownward,
    /// 不予受理.
    NotAccepted,
    /// 谈话函询中.
    Inquiry,
    /// 初步核实中.
    Verification,
    /// 暂存待查.
    Held,
    /// 已立案审查调查.
    CaseFiled,
    /// 已办结.
    Concluded,
    /// 已交办下级: a leader approved assigning it to an office below; the hub hands it over.
    Assigned,
    /// 已平级移交: a leader approved handing it to an office of the same level under the same
    /// office above; the hub hands it over.
    HandedLaterally,
}

/// Screening outcomes (all by petitions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ScreeningOutcome {
    AcceptTransfer,
    Repeat,
    ReportUpward,
    TransferDownward,
    NotAccepted,
}

/// Disposal of a clue (问题线索处置), each after collective study and a leader's approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DisposalMethod {
    /// 谈话函询: written reply due 15 working days after the letter.
    Inquiry,
    /// 初步核实.
    Verification,
    /// 暂存待查.
    Hold,
    /// 予以了结.
    Close,
    /// 移送审查调查（立案）.
    FileCase,
}

/// How an accusation turned out, when it turned out false or mistaken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum AccusationFinding {
    /// Nothing of the kind.
    None,
    /// 错告: an honest mistake.
    Mistaken,
    /// 诬告陷害: a false accusation.
    False,
}

/// A step that needs a leader's approval before it takes effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ApprovalAction {
    /// 退回信访室.
    Return,
    /// A disposal method; an inquiry names the date its letter goes out.
    Dispose { method: DisposalMethod, letter_date: Option<String> },
    /// 交办: hand the complaint to an office below, which reports its result within
    /// `report_days` working days of the approval (None: the office's configured default).
    Assign { to_office: String, report_days: Option<u32> },
    /// 督办: supervise an office below handling the complaint; it reports its result within
    /// `report_days` working days of the approval (None: the office's configured default).
    Supervise { report_days: Option<u32> },
    /// 平级移交: hand the complaint to an office of the same level under the same office above
    /// (the route rule, `qingfeng_log::route`), which screens it afresh.
    Lateral { to_office: String },
    /// 采取留置: asked of the leader of the office directly above (DOMAIN.md: the upper level
    /// approves detention), which decides it in its own program.
    Detain,
    /// 延长留置: the one extension by three months, asked of the office above likewise.
    ExtendDetention,
}

impl ApprovalAction {
    /// The stored name in `approvals.action`.
    pub fn as_str(&self) -> &'static str {
        match self {
            ApprovalAction::Return => "return",
            ApprovalAction::Dispose { .. } => "dispose",
            ApprovalAction::Assign { .. } => "assign",
            ApprovalAction::Supervise { .. } => "supervise",
            ApprovalAction::Lateral { .. } => "lateral",
            ApprovalAction::Detain => "detain",
            ApprovalAction::ExtendDetention => "extend_detention",
        }
    }

    /// Whether the office above decides it (留置 and its extension), not this office's leader.
    pub fn is_upper(&self) -> bool {
        matches!(self, ApprovalAction::Detain | ApprovalAction::ExtendDetention)
    }
}

impl ComplaintChannel {
    pub fn as_str(self) -> &'static str {
        match self {
            ComplaintChannel::Letter => "letter",
            ComplaintChannel::Visit => "visit",
            ComplaintChannel::Phone => "phone",
            ComplaintChannel::Web => "web",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ComplaintChannel::Letter => "来信",
            ComplaintChannel::Visit => "来访",
            ComplaintChannel::Phone => "来电",
            ComplaintChannel::Web => "网络",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        [ComplaintChannel::Letter, ComplaintChannel::Visit, ComplaintChannel::Phone, ComplaintChannel::Web]
            .into_iter()
            .find(|c| c.as_str() == s || c.label() == s)
            .ok_or_else(|| {
                CoreError::invalid(format!(
                    "不认识的渠道“{s}”：可选 letter（来信）、visit（来访）、phone（来电）、web（网络）。"
                ))
            })
    }
}

impl ComplaintStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ComplaintStatus::Registered => "registered",
            ComplaintStatus::WithDepartment => "with_department",
            ComplaintStatus::Repeat => "repeat",
            ComplaintStatus::ReportedUpward => "reported_upward",
            ComplaintStatus::TransferredDownward => "transferred_downward",
            ComplaintStatus::NotAccepted => "not_accepted",
            ComplaintStatus::Inquiry => "inquiry",
            ComplaintStatus::Verification => "verification",
            ComplaintStatus::Held => "held",
            ComplaintStatus::CaseFiled => "case_filed",
            ComplaintStatus::Concluded => "concluded",
            ComplaintStatus::Assigned => "assigned",
            ComplaintStatus::HandedLaterally => "handed_laterally",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ComplaintStatus::Registered => "待筛选",
            ComplaintStatus::WithDepartment => "已移送承办部门",
            ComplaintStatus::Repeat => "重复举报（存查）",
            ComplaintStatus::ReportedUpward => "已向上报送",
            ComplaintStatus::TransferredDownward => "已向下转送",
            ComplaintStatus::NotAccepted => "不予受理",
            ComplaintStatus::Inquiry => "谈话函询中",
            ComplaintStatus::Verification => "初步核实中",
            ComplaintStatus::Held => "暂存待查",
            ComplaintStatus::CaseFiled => "已立案审查调查",
            ComplaintStatus::Concluded => "已办结",
            ComplaintStatus::Assigned => "已交办下级",
            ComplaintStatus::HandedLaterally => "已平级移交",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        ALL_STATUSES
            .into_iter()
            .find(|c| c.as_str() == s || c.label() == s)
            .ok_or_else(|| CoreError::invalid(format!("不认识的状态“{s}”。")))
    }
}

/// Every status, in workflow order.
pub const ALL_STATUSES: [ComplaintStatus; 13] = [
    ComplaintStatus::Registered,
    ComplaintStatus::WithDepartment,
    ComplaintStatus::Repeat,
    ComplaintStatus::ReportedUpward,
    ComplaintStatus::TransferredDownward,
    ComplaintStatus::NotAccepted,
    ComplaintStatus::Inquiry,
    ComplaintStatus::Verification,
    ComplaintStatus::Held,
    ComplaintStatus::CaseFiled,
    ComplaintStatus::Concluded,
    ComplaintStatus::Assigned,
    ComplaintStatus::HandedLaterally,
];

impl ScreeningOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            ScreeningOutcome::AcceptTransfer => "accept_transfer",
            ScreeningOutcome::Repeat => "repeat",
            ScreeningOutcome::ReportUpward => "report_upward",
            ScreeningOutcome::TransferDownward => "transfer_downward",
            ScreeningOutcome::NotAccepted => "not_accepted",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ScreeningOutcome::AcceptTransfer => "受理并移送",
            ScreeningOutcome::Repeat => "重复举报",
            ScreeningOutcome::ReportUpward => "向上报送",
            ScreeningOutcome::TransferDownward => "向下转送",
            ScreeningOutcome::NotAccepted => "不予受理",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        [
            ScreeningOutcome::AcceptTransfer,
            ScreeningOutcome::Repeat,
            ScreeningOutcome::ReportUpward,
            ScreeningOutcome::TransferDownward,
            ScreeningOutcome::NotAccepted,
        ]
        .into_iter()
        .find(|c| c.as_str() == s || c.label() == s)
        .ok_or_else(|| {
            CoreError::invalid(format!(
                "不认识的筛选结果“{s}”：可选 accept_transfer、repeat、report_upward、transfer_downward、not_accepted。"
            ))
        })
    }

    /// The status a complaint takes after this outcome.
    pub fn status(self) -> ComplaintStatus {
        match self {
            ScreeningOutcome::AcceptTransfer => ComplaintStatus::WithDepartment,
            ScreeningOutcome::Repeat => ComplaintStatus::Repeat,
            ScreeningOutcome::ReportUpward => ComplaintStatus::ReportedUpward,
            ScreeningOutcome::TransferDownward => ComplaintStatus::TransferredDownward,
            ScreeningOutcome::NotAccepted => ComplaintStatus::NotAccepted,
        }
    }
}

impl DisposalMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            DisposalMethod::Inquiry => "inquiry",
            DisposalMethod::Verification => "verification",
            DisposalMethod::Hold => "hold",
            DisposalMethod::Close => "close",
            DisposalMethod::FileCase => "file_case",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DisposalMethod::Inquiry => "谈话函询",
            DisposalMethod::Verification => "初步核实",
            DisposalMethod::Hold => "暂存待查",
            DisposalMethod::Close => "予以了结",
            DisposalMethod::FileCase => "立案审查调查",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        [
            DisposalMethod::Inquiry,
            DisposalMethod::Verification,
            DisposalMethod::Hold,
            DisposalMethod::Close,
            DisposalMethod::FileCase,
        ]
        .into_iter()
        .find(|c| c.as_str() == s || c.label() == s)
        .ok_or_else(|| {
            CoreError::invalid(format!("不认识的处置方式“{s}”：可选 inquiry、verification、hold、close、file_case。"))
        })
    }

    /// The status a complaint takes once this disposal is approved.
    pub fn status(self) -> ComplaintStatus {
        match self {
            DisposalMethod::Inquiry => ComplaintStatus::Inquiry,
            DisposalMethod::Verification => ComplaintStatus::Verification,
            DisposalMethod::Hold => ComplaintStatus::Held,
            // An approved close still needs its conclusion (办结) with a result, which opens the
            // real-name feedback duty; until then the complaint stays with its department.
            DisposalMethod::Close => ComplaintStatus::WithDepartment,
            DisposalMethod::FileCase => ComplaintStatus::CaseFiled,
        }
    }
}

/// Departments a complaint may be transferred to for handling.
pub fn handling_department(role: Role) -> Result<Role> {
    match role {
        Role::Supervision | Role::Investigation => Ok(role),
        other => {
            Err(CoreError::invalid(format!("不能移送至“{}”：承办部门应为监督检查室或审查调查室。", other.label())))
        }
    }
}

/// The reporter (检举人), when not anonymous.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Reporter {
    pub name: String,
    pub unit: Option<String>,
    pub contact: String,
    pub address: Option<String>,
}

/// A person or unit reported on (被反映人).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Subject {
    pub name: String,
    pub post: String,
    pub unit: String,
    /// Cadre-management level, e.g. 县管干部、市管干部.
    pub level: String,
}

/// Everything entered when a complaint is registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RegisterComplaint {
    pub channel: ComplaintChannel,
    /// RFC 3339 time of receipt, or an ISO date (taken as the start of that day in Beijing time).
    pub received_at: String,
    /// `None` for an anonymous complaint.
    pub reporter: Option<Reporter>,
    /// Real-name (实名): the reporter gave their own name and a concrete contact.
    pub real_name: bool,
    /// How the real name was verified, if it was: `phone` or `in_person`.
    pub real_name_verified: Option<String>,
    pub summary: String,
    pub content: String,
    pub categories: Vec<String>,
    pub subjects: Vec<Subject>,
    /// An earlier complaint this one repeats, when the officer linked it at registration.
    pub repeat_of: Option<String>,
}

/// Payload of `complaint.registered`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Registered {
    pub complaint_id: String,
    pub number: String,
    pub office_code: String,
    pub received_at: String,
    pub received_date: String,
    /// The form as entered, except that a reporter registered since issue #14 is not in it: it is
    /// in `sealed_identity` instead, encrypted to the offices entitled to read it.
    pub form: RegisterComplaint,
    /// The reporter (`crate::sealing::SealedIdentity`), sealed to the owning office and the
    /// offices above it. Absent in old logs (the reporter is then in `form`) and for anonymous
    /// complaints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed_identity: Option<Vec<qingfeng_seal::SealedBox>>,
    /// The acceptance-notice rule this registration opens (`Rule::code`), carried so that a rebuild never
    /// moves its due date when the rule changes; absent in events written before it travelled,
    /// which keep today's rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_rule: Option<String>,
}

/// Payload of `complaint.screened`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Screened {
    pub complaint_id: String,
    /// The business date of the decision (Beijing time): deadlines it closes or opens count from it.
    pub date: String,
    pub outcome: ScreeningOutcome,
    pub department: Option<Role>,
    pub reason: String,
    pub refer_to: Option<String>,
    pub repeat_of: Option<String>,
    /// The rule of the deadline this event opens (`Rule::code`), carried so that a rebuild never
    /// moves its due date when the rule changes; absent in events written before it travelled,
    /// which keep today's rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

/// Payload of a dated act on a complaint: acceptance notice sent, forwarded, reply received,
/// result fed back.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DatedAct {
    pub complaint_id: String,
    pub date: String,
    pub note: String,
    /// The rule of the deadline this event opens (`Rule::code`), carried so that a rebuild never
    /// moves its due date when the rule changes; absent in events written before it travelled,
    /// which keep today's rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The detention reminder's rule, carried like `rule`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder_rule: Option<String>,
}

/// Payload of `approval.requested`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApprovalRequested {
    pub approval_id: String,
    pub complaint_id: String,
    pub request: ApprovalAction,
    pub reason: String,
}

/// Payload of `approval.decided`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApprovalDecided {
    pub approval_id: String,
    pub complaint_id: String,
    pub granted: bool,
    pub comment: String,
}

/// Payload of `complaint.returned` and `complaint.disposed`: the approved step taking effect.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApprovedStep {
    pub complaint_id: String,
    pub approval_id: String,
    pub request: ApprovalAction,
    /// The rule of the deadline this event opens (`Rule::code`), carried so that a rebuild never
    /// moves its due date when the rule changes; absent in events written before it travelled,
    /// which keep today's rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

/// Payload of `complaint.concluded`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Concluded {
    pub complaint_id: String,
    pub date: String,
    pub result: String,
    pub accusation: AccusationFinding,
    /// 澄清正名: a wrongly accused cadre's name was cleared.
    pub clearance: bool,
    /// The rule of the deadline this event opens (`Rule::code`), carried so that a rebuild never
    /// moves its due date when the rule changes; absent in events written before it travelled,
    /// which keep today's rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

/// Payload of `complaint.objection_recorded`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Objection {
    pub complaint_id: String,
    pub date: String,
    pub content: String,
    /// New evidence sends the complaint back for handling.
    pub new_evidence: bool,
}

/// Payload of `complaint.identity_viewed`: every reading of a reporter's identity is recorded.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IdentityViewed {
    pub complaint_id: String,
    pub purpose: String,
}

/// A screening decision as the desktop sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScreenRequest {
    pub outcome: ScreeningOutcome,
    pub department: Option<Role>,
    pub reason: String,
    pub refer_to: Option<String>,
    pub repeat_of: Option<String>,
}

/// A dated act as the desktop sends it (acceptance notice, forwarding, inquiry reply, feedback).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DatedRequest {
    /// YYYY-MM-DD.
    pub date: String,
    pub note: String,
}

/// A conclusion as the desktop sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConcludeRequest {
    pub date: String,
    pub result: String,
    pub accusation: AccusationFinding,
    pub clearance: bool,
}

/// The reporter's objection as the desktop sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ObjectionRequest {
    pub date: String,
    pub content: String,
    pub new_evidence: bool,
}

/// Something the viewer may do to a complaint now; screens show one button for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ComplaintActionKind {
    Screen,
    NotifyAcceptance,
    RecordForwarded,
    RequestReturn,
    RequestDisposal,
    DecideApproval,
    RecordInquiryReply,
    Conclude,
    RecordFeedback,
    RecordObjection,
    RevealReporter,
    RecordCaseMilestone,
    StartDetention,
    ExtendDetention,
    EndDetention,
    /// 交办下级 (with a leader's approval): petitions at an office with offices below.
    RequestAssignment,
    /// 督办 (with a leader's approval): an office above the one handling the complaint.
    RequestSupervision,
    /// 上报办理结果: the office a complaint was assigned to or is supervised at.
    ReportResult,
    /// 平级移交 (with a leader's approval): petitions, before screening, to an office of the
    /// same level under the same office above.
    RequestLateral,
    /// 提请上级批准采取留置: the handling department of an office that has an office above.
    RequestDetention,
    /// 提请上级批准延长留置: likewise, for the one extension.
    RequestDetentionExtension,
}

/// Stages of a filed case (立案 → 审查调查 → 审理 → 决定), recorded in order as milestones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CaseStage {
    /// 立案.
    Filed,
    /// 审查调查.
    Investigation,
    /// 审理（受理）: trial review is due within one month.
    TrialAccepted,
    /// 作出处理决定.
    Decided,
}

impl CaseStage {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStage::Filed => "filed",
            CaseStage::Investigation => "investigation",
            CaseStage::TrialAccepted => "trial_accepted",
            CaseStage::Decided => "decided",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseStage::Filed => "立案",
            CaseStage::Investigation => "审查调查",
            CaseStage::TrialAccepted => "移送审理",
            CaseStage::Decided => "作出处理决定",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        [CaseStage::Filed, CaseStage::Investigation, CaseStage::TrialAccepted, CaseStage::Decided]
            .into_iter()
            .find(|c| c.as_str() == s || c.label() == s)
            .ok_or_else(|| {
                CoreError::invalid(format!(
                    "不认识的案件阶段“{s}”：可选 filed、investigation、trial_accepted、decided。"
                ))
            })
    }

    /// The stage that must come before this one.
    pub fn previous(self) -> Option<CaseStage> {
        match self {
            CaseStage::Filed => None,
            CaseStage::Investigation => Some(CaseStage::Filed),
            CaseStage::TrialAccepted => Some(CaseStage::Investigation),
            CaseStage::Decided => Some(CaseStage::TrialAccepted),
        }
    }
}

/// Payload of `complaint.case_milestone`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseMilestone {
    pub complaint_id: String,
    pub stage: CaseStage,
    pub date: String,
    pub note: String,
    /// The rule of the deadline this event opens (`Rule::code`), carried so that a rebuild never
    /// moves its due date when the rule changes; absent in events written before it travelled,
    /// which keep today's rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

/// Payload of `complaint.detention_extended`: once, by 3 months, with the upper level's approval.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DetentionExtended {
    pub complaint_id: String,
    pub date: String,
    /// The upper level's approval (文号 or reference).
    pub approval_ref: String,
    /// The rule of the deadline this event opens (`Rule::code`), carried so that a rebuild never
    /// moves its due date when the rule changes; absent in events written before it travelled,
    /// which keep today's rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The detention reminder's rule, carried like `rule`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder_rule: Option<String>,
}

/// Payload of `complaint.quarterly_report_submitted`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuarterlyReportSubmitted {
    pub department: Role,
    /// E.g. `2026Q4`.
    pub quarter: String,
    pub date: String,
    pub note: String,
}

/// A milestone as the desktop sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MilestoneRequest {
    pub stage: CaseStage,
    pub date: String,
    pub note: String,
}

/// Payload of `complaint.upper_approval_requested`: a step the office above must approve (留置,
/// its extension), asked by the office handling the complaint.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UpperApprovalRequested {
    pub approval_id: String,
    pub complaint_id: String,
    pub request: ApprovalAction,
    pub reason: String,
    /// The office above whose leader decides (the requesting office's parent in the directory).
    pub to_office: String,
}

/// Payload of `complaint.upper_approval_decided`: the office above grants or refuses.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UpperApprovalDecided {
    pub approval_id: String,
    pub complaint_id: String,
    pub granted: bool,
    pub comment: String,
    /// The approval's date (Beijing): a granted detention runs from it.
    pub date: String,
    /// What was decided, as asked.
    pub request: ApprovalAction,
    /// The rules of the detention deadlines a grant opens (`Rule::code`), carried so that a
    /// rebuild never moves them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder_rule: Option<String>,
}
