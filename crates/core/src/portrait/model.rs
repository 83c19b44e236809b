//! The vocabulary of integrity files and integrity opinions (廉政档案、廉政意见回复): cadres and units
//! as identities, what a request is for, what the records say about a person (findings), the
//! forms officers fill in, and the event payloads that carry them.

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};

/// What the organisation department asks the opinion for: it decides which records bar it and
/// how the conclusion ends (不宜…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// 提拔任用 (promotion, appointment to a higher post).
    Promotion,
    /// 评先评优 (awards and honours).
    Award,
    /// 推荐提名 (nomination: deputies, CPPCC members, reserve cadres).
    Nomination,
    /// 其他事项, named in the request's note.
    Other,
}

impl Purpose {
    pub const ALL: [Purpose; 4] = [Purpose::Promotion, Purpose::Award, Purpose::Nomination, Purpose::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Promotion => "promotion",
            Purpose::Award => "award",
            Purpose::Nomination => "nomination",
            Purpose::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Purpose::Promotion => "提拔任用",
            Purpose::Award => "评先评优",
            Purpose::Nomination => "推荐提名",
            Purpose::Other => "其他事项",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s).ok_or_else(|| {
            CoreError::invalid(format!(
                "没有名为“{s}”的征求意见事由。可选：promotion（提拔任用）、award（评先评优）、nomination（推荐提名）、other（其他事项）。"
            ))
        })
    }
}

/// What kind of organ a unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum UnitCategory {
    /// 党政机关.
    PartyGovernment,
    /// 事业单位.
    Institution,
    /// 国有企业.
    StateEnterprise,
    /// 学校.
    School,
    /// 乡镇（街道）.
    Township,
    /// 其他.
    Other,
}

impl UnitCategory {
    pub const ALL: [UnitCategory; 6] = [
        UnitCategory::PartyGovernment,
        UnitCategory::Institution,
        UnitCategory::StateEnterprise,
        UnitCategory::School,
        UnitCategory::Township,
        UnitCategory::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitCategory::PartyGovernment => "party_government",
            UnitCategory::Institution => "institution",
            UnitCategory::StateEnterprise => "state_enterprise",
            UnitCategory::School => "school",
            UnitCategory::Township => "township",
            UnitCategory::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            UnitCategory::PartyGovernment => "党政机关",
            UnitCategory::Institution => "事业单位",
            UnitCategory::StateEnterprise => "国有企业",
            UnitCategory::School => "学校",
            UnitCategory::Township => "乡镇（街道）",
            UnitCategory::Other => "其他",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s).ok_or_else(|| {
            let all: Vec<String> = Self::ALL.iter().map(|c| format!("{}（{}）", c.as_str(), c.label())).collect();
            CoreError::invalid(format!("没有名为“{s}”的单位类别。可选：{}。", all.join("、")))
        })
    }
}

/// Where an opinion request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum OpinionStatus {
    /// Registered; the conclusions are being written (or were sent back).
    Draft,
    /// Submitted to the leader.
    Submitted,
    /// Approved; the reply may be issued.
    Approved,
    /// The reply was issued with its number.
    Replied,
}

impl OpinionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OpinionStatus::Draft => "draft",
            OpinionStatus::Submitted => "submitted",
            OpinionStatus::Approved => "approved",
            OpinionStatus::Replied => "replied",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OpinionStatus::Draft => "拟稿中",
            OpinionStatus::Submitted => "待领导审批",
            OpinionStatus::Approved => "已批准待回复",
            OpinionStatus::Replied => "已回复",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        [OpinionStatus::Draft, OpinionStatus::Submitted, OpinionStatus::Approved, OpinionStatus::Replied]
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| CoreError::Encoding(format!("bad opinion status {s}")))
    }
}

/// What a record says about a person, for an opinion: the kinds a conclusion distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A complaint about them registered or with a department, not yet disposed of.
    OpenComplaint,
    /// A clue under disposal: talk or letter inquiry, initial verification, held for later.
    ClueUnderDisposal,
    /// A case filed: under investigation.
    UnderInvestigation,
    /// A complaint handed to another office (reported upward, transferred down, assigned) whose
    /// result this office does not hold.
    HandedOver,
    /// A penalty whose influence period has not ended.
    PenaltyInPeriod,
    /// A complaint concluded (for the record; it bars nothing).
    ConcludedComplaint,
    /// A penalty whose influence period has ended (for the record).
    PastPenalty,
}

impl FindingKind {
    pub fn label(self) -> &'static str {
        match self {
            FindingKind::OpenComplaint => "信访举报正在办理",
            FindingKind::ClueUnderDisposal => "问题线索正在处置",
            FindingKind::UnderInvestigation => "正在审查调查",
            FindingKind::HandedOver => "已移交其他机关办理",
            FindingKind::PenaltyInPeriod => "处分影响期内",
            FindingKind::ConcludedComplaint => "信访举报已办结",
            FindingKind::PastPenalty => "处分影响期已满",
        }
    }
}

/// One record bearing on a person, as the request's page and the workflow read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Finding {
    pub kind: FindingKind,
    pub kind_label: String,
    /// The record: `complaint:<id>#<ord>`, `penalty:<id>`.
    pub record: String,
    /// Confirmed as this cadre's; `false` for a suggestion (same name and unit) an officer has yet
    /// to confirm or split off.
    pub confirmed: bool,
    /// For the officer: the complaint's number and state, or the decision's number and penalty.
    pub label: String,
    /// The receipt or decision date.
    pub date: String,
    /// The end of the influence period, for a penalty.
    pub until: Option<String>,
    /// Whether it bars what the request is for.
    pub bears: bool,
    /// Why, in the words a conclusion may use (never the complaint's content or its reporter).
    pub reason: String,
}

/// A finding as a submission records it: enough to tell later whether the findings changed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FindingRef {
    pub record: String,
    pub kind: FindingKind,
}

/// A cadre as entered by hand or on a request's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct CadreForm {
    pub name: String,
    pub unit: String,
    #[serde(default)]
    pub post: String,
    /// The 18-character citizen ID number; only its masked form is kept.
    #[serde(default)]
    pub id_number: Option<String>,
}

/// A unit as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct UnitForm {
    pub name: String,
    pub category: UnitCategory,
    /// Other names records use for the unit (简称、曾用名).
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// The organisation department's request as registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct OpinionRequestForm {
    /// Who asks: 中共某县委组织部.
    pub requester: String,
    /// Their letter's number: 县组函〔2026〕15号.
    pub request_ref: String,
    pub purpose: Purpose,
    /// What exactly (拟提拔为副科级领导干部); required for `other`.
    #[serde(default)]
    pub purpose_note: String,
    /// When their letter arrived (YYYY-MM-DD).
    pub received_date: String,
    /// Working days to reply in; the office's default when absent.
    #[serde(default)]
    pub reply_working_days: Option<u32>,
    pub persons: Vec<CadreForm>,
}

/// Payload of `cadre.registered`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CadreRegistered {
    pub cadre_id: String,
    pub office_code: String,
    pub date: String,
    pub name: String,
    pub unit: String,
    pub post: String,
    /// The ID number with its middle hidden (`530102********1234`), when one was given.
    pub id_masked: Option<String>,
}

/// Payload of `cadre.match_confirmed` and `cadre.match_split`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchDecided {
    pub cadre_id: String,
    /// `complaint:<id>#<ord>`, `penalty:<id>` or `benefit:<id>`.
    pub record: String,
    pub date: String,
    pub note: String,
}

/// Payload of `unit.registered`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRegistered {
    pub unit_id: String,
    pub office_code: String,
    pub date: String,
    pub name: String,
    pub category: UnitCategory,
    pub aliases: Vec<String>,
}

/// Payload of `integrity.file_viewed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileViewed {
    /// `cadre:<id>` or `unit:<id>`.
    pub subject: String,
    pub purpose: String,
}

/// One person on a registered request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestedPerson {
    pub ord: u32,
    pub cadre_id: String,
    pub name: String,
    pub unit: String,
    pub post: String,
}

/// Payload of `opinion.requested`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpinionRequested {
    pub request_id: String,
    pub office_code: String,
    /// The business date of registration.
    pub date: String,
    pub requester: String,
    pub request_ref: String,
    pub purpose: Purpose,
    pub purpose_note: String,
    pub received_date: String,
    /// The reply's deadline rule (`working_days:10`), carried so a later change of the default
    /// never moves it.
    pub reply_rule: String,
    pub persons: Vec<RequestedPerson>,
}

/// Payload of `opinion.conclusion_edited`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConclusionEdited {
    pub request_id: String,
    pub ord: u32,
    pub date: String,
    pub text: String,
}

/// One person's conclusion as submitted, with the findings it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedConclusion {
    pub ord: u32,
    pub text: String,
    pub findings: Vec<FindingRef>,
}

/// Payload of `opinion.submitted`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpinionSubmitted {
    pub request_id: String,
    pub date: String,
    pub persons: Vec<SubmittedConclusion>,
}

/// Payload of `opinion.approved` and `opinion.returned`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpinionDecided {
    pub request_id: String,
    pub date: String,
    pub note: String,
}

/// Payload of `opinion.replied`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpinionReplied {
    pub request_id: String,
    pub date: String,
    pub number: String,
    pub document_id: String,
}

/// The record key of a person reported on in a complaint.
pub fn complaint_record(complaint_id: &str, ord: u32) -> String {
    format!("complaint:{complaint_id}#{ord}")
}

/// The record key of a penalty decision.
pub fn penalty_record(penalty_id: &str) -> String {
    format!("penalty:{penalty_id}")
}

/// The record key of a recorded benefit.
pub fn benefit_record(benefit_id: &str) -> String {
    format!("benefit:{benefit_id}")
}

/// A record key taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordKey {
    ComplaintSubject { complaint_id: String, ord: u32 },
    Penalty(String),
    Benefit(String),
}

impl RecordKey {
    /// Parses a record key, or says in Chinese what a key looks like.
    pub fn parse(key: &str) -> Result<RecordKey> {
        let bad = || {
            CoreError::invalid(format!(
                "记录“{key}”的写法不对：应为 complaint:<编号>#<序号>、penalty:<编号> 或 benefit:<编号>（可从档案的疑似记录中复制）。"
            ))
        };
        if let Some(rest) = key.strip_prefix("complaint:") {
            let (id, ord) = rest.split_once('#').ok_or_else(bad)?;
            let ord: u32 = ord.parse().map_err(|_| bad())?;
            if id.is_empty() {
                return Err(bad());
            }
            return Ok(RecordKey::ComplaintSubject { complaint_id: id.to_owned(), ord });
        }
        if let Some(id) = key.strip_prefix("penalty:").filter(|s| !s.is_empty()) {
            return Ok(RecordKey::Penalty(id.to_owned()));
        }
        if let Some(id) = key.strip_prefix("benefit:").filter(|s| !s.is_empty()) {
            return Ok(RecordKey::Benefit(id.to_owned()));
        }
        Err(bad())
    }
}
