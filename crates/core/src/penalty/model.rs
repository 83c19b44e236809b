//! Penalty vocabulary (DOMAIN.md §3–§4): penalties and sanctions, item states, the forms officers
//! fill in, and the event payloads that carry them.

use serde::{Deserialize, Serialize};

use crate::deadlines::DeadlineKind;
use crate::error::{CoreError, Result};

/// Party penalties (党纪处分), lightest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum PartyPenalty {
    /// 警告: 1 year.
    Warning,
    /// 严重警告: 18 months.
    SeriousWarning,
    /// 撤销党内职务: 2 years.
    RemovalFromPost,
    /// 留党察看: 1 or 2 years, as decided.
    Probation,
    /// 开除党籍: 5 years; the person cannot rejoin.
    Expulsion,
}

/// Government sanctions (政务处分), lightest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum GovernmentSanction {
    /// 警告: 6 months.
    Warning,
    /// 记过: 12 months.
    Demerit,
    /// 记大过: 18 months.
    MajorDemerit,
    /// 降级: 24 months.
    Demotion,
    /// 撤职: 24 months.
    Dismissal,
    /// 开除: permanent.
    Expulsion,
}

impl PartyPenalty {
    pub const ALL: [PartyPenalty; 5] = [
        PartyPenalty::Warning,
        PartyPenalty::SeriousWarning,
        PartyPenalty::RemovalFromPost,
        PartyPenalty::Probation,
        PartyPenalty::Expulsion,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PartyPenalty::Warning => "warning",
            PartyPenalty::SeriousWarning => "serious_warning",
            PartyPenalty::RemovalFromPost => "removal_from_post",
            PartyPenalty::Probation => "probation",
            PartyPenalty::Expulsion => "expulsion",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PartyPenalty::Warning => "党内警告",
            PartyPenalty::SeriousWarning => "党内严重警告",
            PartyPenalty::RemovalFromPost => "撤销党内职务",
            PartyPenalty::Probation => "留党察看",
            PartyPenalty::Expulsion => "开除党籍",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s || p.label() == s).ok_or_else(|| {
            // The refusal reaches officers (the import screen's row errors), so it names the
            // choices by their Chinese labels only, from the one list.
            let choices: Vec<&str> = Self::ALL.iter().map(|p| p.label()).collect();
            CoreError::invalid(format!("不认识的党纪处分“{s}”：可选{}。", choices.join("、")))
        })
    }
}

impl GovernmentSanction {
    pub const ALL: [GovernmentSanction; 6] = [
        GovernmentSanction::Warning,
        GovernmentSanction::Demerit,
        GovernmentSanction::MajorDemerit,
        GovernmentSanction::Demotion,
        GovernmentSanction::Dismissal,
        GovernmentSanction::Expulsion,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GovernmentSanction::Warning => "warning",
            GovernmentSanction::Demerit => "demerit",
            GovernmentSanction::MajorDemerit => "major_demerit",
            GovernmentSanction::Demotion => "demotion",
            GovernmentSanction::Dismissal => "dismissal",
            GovernmentSanction::Expulsion => "expulsion",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            GovernmentSanction::Warning => "政务警告",
            GovernmentSanction::Demerit => "记过",
            GovernmentSanction::MajorDemerit => "记大过",
            GovernmentSanction::Demotion => "降级",
            GovernmentSanction::Dismissal => "撤职",
            GovernmentSanction::Expulsion => "开除",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s || p.label() == s).ok_or_else(|| {
            let choices: Vec<&str> = Self::ALL.iter().map(|p| p.label()).collect();
            CoreError::invalid(format!("不认识的政务处分“{s}”：可选{}。", choices.join("、")))
        })
    }
}

/// Where an item is in its review cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// 待前序事项审核通过.
    Pending,
    /// 待办理.
    Open,
    /// 已提交，待审核.
    Submitted,
    /// 已驳回，待整改后重新提交.
    Rejected,
    /// 审核通过.
    Approved,
}

impl ItemStatus {
    pub const ALL: [ItemStatus; 5] =
        [ItemStatus::Pending, ItemStatus::Open, ItemStatus::Submitted, ItemStatus::Rejected, ItemStatus::Approved];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Pending => "pending",
            ItemStatus::Open => "open",
            ItemStatus::Submitted => "submitted",
            ItemStatus::Rejected => "rejected",
            ItemStatus::Approved => "approved",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ItemStatus::Pending => "待开启",
            ItemStatus::Open => "待办理",
            ItemStatus::Submitted => "待审核",
            ItemStatus::Rejected => "已驳回",
            ItemStatus::Approved => "已通过",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == s || p.label() == s)
            .ok_or_else(|| CoreError::invalid(format!("不认识的事项状态“{s}”。")))
    }
}

/// What kind of checklist: a penalty's execution items, or a rectification list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ChecklistScope {
    Penalty,
    Rectification,
}

impl ChecklistScope {
    pub fn as_str(self) -> &'static str {
        match self {
            ChecklistScope::Penalty => "penalty",
            ChecklistScope::Rectification => "rectification",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "penalty" => Ok(ChecklistScope::Penalty),
            "rectification" => Ok(ChecklistScope::Rectification),
            other => Err(CoreError::invalid(format!("不认识的清单类别“{other}”：可选 penalty 或 rectification。"))),
        }
    }
}

/// Where the problems of a rectification list were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RectificationSource {
    /// 巡察.
    InspectionTour,
    /// 审计.
    Audit,
    /// 专项监督.
    SpecialSupervision,
    /// “两个责任”考核.
    TwoResponsibilities,
    /// 以案促改: the reform a penalty decision calls for in the penalised person's unit.
    ReformByCase,
}

impl RectificationSource {
    pub const ALL: [RectificationSource; 5] = [
        RectificationSource::InspectionTour,
        RectificationSource::Audit,
        RectificationSource::SpecialSupervision,
        RectificationSource::TwoResponsibilities,
        RectificationSource::ReformByCase,
    ];

    /// The source stored under this code, if it is one.
    pub fn parse(code: &str) -> Option<RectificationSource> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RectificationSource::InspectionTour => "inspection_tour",
            RectificationSource::Audit => "audit",
            RectificationSource::SpecialSupervision => "special_supervision",
            RectificationSource::TwoResponsibilities => "two_responsibilities",
            RectificationSource::ReformByCase => "reform_by_case",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RectificationSource::InspectionTour => "巡察",
            RectificationSource::Audit => "审计",
            RectificationSource::SpecialSupervision => "专项监督",
            RectificationSource::TwoResponsibilities => "“两个责任”考核",
            RectificationSource::ReformByCase => "以案促改",
        }
    }
}

/// What was recorded against a person, for the influence-period guard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum BenefitKind {
    /// 年度考核等次.
    Appraisal,
    /// 晋升职务、职级.
    Promotion,
    /// 评先评优.
    Award,
    /// 晋升工资档次.
    PayStep,
}

impl BenefitKind {
    pub const ALL: [BenefitKind; 4] =
        [BenefitKind::Appraisal, BenefitKind::Promotion, BenefitKind::Award, BenefitKind::PayStep];

    pub fn as_str(self) -> &'static str {
        match self {
            BenefitKind::Appraisal => "appraisal",
            BenefitKind::Promotion => "promotion",
            BenefitKind::Award => "award",
            BenefitKind::PayStep => "pay_step",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BenefitKind::Appraisal => "年度考核",
            BenefitKind::Promotion => "晋升职务职级",
            BenefitKind::Award => "评先评优",
            BenefitKind::PayStep => "晋升工资档次",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s || p.label() == s).ok_or_else(|| {
            CoreError::invalid(format!(
                "不认识的登记类别“{s}”：可选 appraisal（年度考核）、promotion（晋升）、award（评先评优）、pay_step（工资档次）。"
            ))
        })
    }
}

/// Annual appraisal grades (年度考核等次).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum AppraisalGrade {
    /// 优秀.
    Excellent,
    /// 称职（合格）.
    Competent,
    /// 基本称职（基本合格）.
    BasicallyCompetent,
    /// 不称职（不合格）.
    Incompetent,
    /// 不定等次.
    Undetermined,
}

impl AppraisalGrade {
    pub const ALL: [AppraisalGrade; 5] = [
        AppraisalGrade::Excellent,
        AppraisalGrade::Competent,
        AppraisalGrade::BasicallyCompetent,
        AppraisalGrade::Incompetent,
        AppraisalGrade::Undetermined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AppraisalGrade::Excellent => "excellent",
            AppraisalGrade::Competent => "competent",
            AppraisalGrade::BasicallyCompetent => "basically_competent",
            AppraisalGrade::Incompetent => "incompetent",
            AppraisalGrade::Undetermined => "undetermined",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AppraisalGrade::Excellent => "优秀",
            AppraisalGrade::Competent => "称职",
            AppraisalGrade::BasicallyCompetent => "基本称职",
            AppraisalGrade::Incompetent => "不称职",
            AppraisalGrade::Undetermined => "不定等次",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s || p.label() == s).ok_or_else(|| {
            CoreError::invalid(format!(
                "不认识的考核等次“{s}”：可选 excellent（优秀）、competent（称职）、basically_competent（基本称职）、incompetent（不称职）、undetermined（不定等次）。"
            ))
        })
    }
}

/// The penalised person (受处分人).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct PenaltyPerson {
    pub name: String,
    pub unit: String,
    #[serde(default)]
    pub post: String,
    /// 职级, e.g. 一级主任科员.
    #[serde(default)]
    pub rank: String,
    pub party_member: bool,
    /// 人大代表.
    #[serde(default)]
    pub deputy: bool,
    /// 政协委员.
    #[serde(default)]
    pub cppcc_member: bool,
    /// 党外干部 (a non-party cadre: the united-front department is told).
    #[serde(default)]
    pub non_party_cadre: bool,
}

/// Everything entered for a penalty decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RegisterPenalty {
    pub person: PenaltyPerson,
    /// 处分决定文号, e.g. 五纪处〔2026〕3号.
    pub decision_number: String,
    /// 作出决定的机关.
    pub deciding_body: String,
    #[serde(default)]
    pub party_penalty: Option<PartyPenalty>,
    /// For probation (留党察看): 1 or 2 years.
    #[serde(default)]
    pub probation_years: Option<u32>,
    #[serde(default)]
    pub government_sanction: Option<GovernmentSanction>,
    /// Several government sanctions of the same kind combined (default 1).
    #[serde(default)]
    pub sanction_count: Option<u32>,
    /// For several sanctions of one kind: the period decided, in months (default: their sum,
    /// at most 48).
    #[serde(default)]
    pub sanction_months: Option<u32>,
    /// 处分决定日期 (YYYY-MM-DD): government sanctions count from it.
    pub decision_date: String,
    /// 批准日期: party penalties count from it.
    #[serde(default)]
    pub approval_date: Option<String>,
    /// 主体责任部门: the units that execute the decision (the first is responsible by default).
    pub responsible_units: Vec<String>,
    /// 收缴金额 (yuan, at most two decimals).
    #[serde(default)]
    pub confiscate: Option<String>,
    /// 责令退赔金额 (yuan, at most two decimals).
    #[serde(default)]
    pub repay: Option<String>,
    /// The organisational handling decided alongside (组织处理), if any.
    #[serde(default)]
    pub organisational_handling: Option<String>,
    /// The complaint the decision arose from, if any.
    #[serde(default)]
    pub complaint_id: Option<String>,
}

/// One influence period (影响期): party from approval, government from decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct InfluencePeriod {
    /// `party` or `government`.
    pub system: String,
    /// The penalty's code (`PartyPenalty::as_str` or `GovernmentSanction::as_str`).
    pub penalty: String,
    /// The penalty it follows from, in Chinese.
    pub label: String,
    pub start: String,
    /// `None` when permanent (开除).
    pub months: Option<u32>,
    /// The last day of the period (per the configured end-day rule); `None` when permanent.
    pub end: Option<String>,
    pub permanent: bool,
}

/// An item as generated from a template, carried in the registration event so every replica
/// holds the same items whatever templates it knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneratedItem {
    pub ord: u32,
    pub code: String,
    pub title: String,
    pub responsible_unit: String,
    pub measures: String,
    pub deadline_kind: DeadlineKind,
    /// The deadline rule's stored form, e.g. `months:1`.
    pub rule: String,
    /// The date the rule counts from.
    pub start: String,
    pub extendable_to: Option<u32>,
    pub payment: bool,
    pub amount_due: Option<String>,
    pub max_score: Option<String>,
    pub letters: Vec<String>,
}

/// Payload of `penalty.registered`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PenaltyRegistered {
    pub penalty_id: String,
    pub office_code: String,
    /// The business date of entry.
    pub date: String,
    pub form: RegisterPenalty,
    pub penalty_label: String,
    pub amount_due: Option<String>,
    pub periods: Vec<InfluencePeriod>,
    pub template_id: String,
    pub template_version: u32,
    pub items: Vec<GeneratedItem>,
    /// The execution report's deadline rule as it stood when the decision was entered (e.g.
    /// `months:6`), so a later change of the rule never moves this report's due date. Absent in
    /// events written before it was carried: they keep `DeadlineKind::PenaltyExecutionReport`'s
    /// rule. Left out of the payload when absent, so old events encode to their own bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_rule: Option<String>,
}

/// Payload of `checklist.registered` (a rectification list).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChecklistRegistered {
    pub checklist_id: String,
    pub office_code: String,
    pub date: String,
    pub title: String,
    pub source: RectificationSource,
    pub template_id: Option<String>,
    pub template_version: Option<u32>,
    pub sequential: bool,
    pub items: Vec<GeneratedItem>,
    /// The penalty decision a reform-by-case list follows. Left out when absent, so lists entered
    /// before it was carried encode to their own bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub penalty_id: Option<String>,
}

/// Payload of `checklist.guidance_given`: a guidance opinion (指导意见) 案件审理室 gives on an item
/// of a rectification list, recorded and counted; it moves no item.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GuidanceGiven {
    pub checklist_id: String,
    pub ord: u32,
    pub date: String,
    pub text: String,
}

/// A file of evidence as the event records it (the bytes are in `blobs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Evidence {
    pub sha256: String,
    pub name: String,
    pub media_type: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: u64,
}

/// Payload of `checklist.item_submitted`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ItemSubmitted {
    pub checklist_id: String,
    pub ord: u32,
    /// The date the work was done (e.g. the decision was served).
    pub date: String,
    pub note: String,
    pub measures: Option<String>,
    pub result: Option<String>,
    pub evidence: Vec<Evidence>,
}

/// Payload of `checklist.item_approved`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ItemApproved {
    pub checklist_id: String,
    pub ord: u32,
    pub date: String,
    pub note: String,
    /// The score given, for a scored item.
    pub score: Option<String>,
}

/// Payload of `checklist.item_rejected`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ItemRejected {
    pub checklist_id: String,
    pub ord: u32,
    pub date: String,
    /// The rectification note (整改意见) the unit works from.
    pub note: String,
}

/// Payload of `checklist.payment_recorded`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PaymentRecorded {
    pub checklist_id: String,
    pub ord: u32,
    pub date: String,
    /// Yuan with two decimals, e.g. `1200.50`.
    pub amount: String,
    pub note: String,
}

/// Payload of `checklist.item_extended`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ItemExtended {
    pub checklist_id: String,
    pub ord: u32,
    pub date: String,
    /// The extended period, in months from the item's start.
    pub months: u32,
    /// The approval (批准文号 or reference).
    pub approval_ref: String,
}

/// Payload of `checklist.template_published`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TemplatePublished {
    pub template_id: String,
    pub version: u32,
    pub scope: ChecklistScope,
    pub name: String,
    pub priority: i64,
    /// The template document (JSON), exactly as checked.
    pub body: String,
}

/// Payload of `person.benefit_recorded`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BenefitRecorded {
    pub benefit_id: String,
    pub office_code: String,
    pub form: BenefitForm,
}

/// A submission as the desktop sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SubmitRequest {
    /// The date the work was done (YYYY-MM-DD), not before the decision, not in the future.
    pub date: String,
    pub note: String,
    /// For rectification items: the measures taken.
    pub measures: Option<String>,
    /// For rectification items: the result.
    pub result: Option<String>,
    /// Evidence files (a signed proof of service, a receipt), stored in the encrypted database.
    pub files: Vec<EvidenceFile>,
}

/// A file of evidence as the desktop sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EvidenceFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A rectification item as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RectificationItemForm {
    /// The problem found.
    pub title: String,
    pub responsible_unit: String,
    /// YYYY-MM-DD.
    pub due_date: String,
    /// The measures planned.
    #[serde(default)]
    pub measures: String,
    /// The most points the item can score, if it is scored.
    #[serde(default)]
    pub max_score: Option<String>,
}

/// A rectification list (整改清单) as entered: problems listed one by one, or a scored template
/// (the "two responsibilities" list) with one responsible unit and due date for its indicators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RegisterRectification {
    pub title: String,
    pub source: RectificationSource,
    /// The date the problems were handed over (YYYY-MM-DD).
    pub start_date: String,
    #[serde(default)]
    pub items: Vec<RectificationItemForm>,
    /// A template to generate the items from, e.g. `rectification.two_responsibilities`.
    #[serde(default)]
    pub template: Option<String>,
    /// For a template: the unit responsible for its items.
    #[serde(default)]
    pub responsible_unit: Option<String>,
    /// For a template: the date its items are due.
    #[serde(default)]
    pub due_date: Option<String>,
    /// Items must be done in order (each opened when the one before is approved).
    #[serde(default)]
    pub sequential: bool,
    /// For reform by case (以案促改): the penalty decision (its id or document number) whose
    /// lessons the unit's tasks carry out. The list then follows the built-in reform template,
    /// in the penalised person's unit unless another is named.
    #[serde(default)]
    pub penalty_id: Option<String>,
}

/// A benefit recorded against a person, for the influence-period guard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct BenefitForm {
    pub person_name: String,
    pub person_unit: String,
    pub kind: BenefitKind,
    /// The date it took effect (YYYY-MM-DD); for an appraisal, the last day of the year rated.
    pub date: String,
    /// For an appraisal.
    #[serde(default)]
    pub grade: Option<AppraisalGrade>,
    #[serde(default)]
    pub detail: String,
}

#[cfg(test)]
mod tests {
    use super::{GovernmentSanction, PartyPenalty};

    /// Officers meet these refusals on the import screen: they must name the choices in Chinese and
    /// carry no stored key such as `serious_warning`.
    #[test]
    fn an_unknown_penalty_is_refused_naming_the_choices_in_chinese_only() {
        let Err(party) = PartyPenalty::parse("诫勉谈话") else { panic!("an unknown party penalty was accepted") };
        let Err(government) = GovernmentSanction::parse("停职") else { panic!("an unknown sanction was accepted") };
        for (e, first) in [
            (party.to_string(), PartyPenalty::ALL[0].label()),
            (government.to_string(), GovernmentSanction::ALL[0].label()),
        ] {
            assert!(e.contains(first), "{e}");
            assert!(!e.bytes().any(|b| b.is_ascii_alphabetic()), "{e}");
        }
    }
}
