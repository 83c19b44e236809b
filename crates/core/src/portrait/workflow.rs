//! Integrity files and integrity opinions (廉政档案、廉政意见回复) as pure rules, with no SQL and no
//! store: every workflow rule of a cadre's matches and of an opinion request in one place.
//!
//! - **Cadres.** `register_cadre` checks an identity (name, unit, post, an ID number kept masked);
//!   `check_match` / `decide_match` decide whether a record may be confirmed as a cadre's or split
//!   off as another person's, each decision an event.
//! - **Findings.** `findings` turns the facts of a person's records (complaints, penalties) into
//!   what bears on the request's purpose; `propose` writes the conclusion in the office's phrasing
//!   (未发现…问题 / 有…情况，不宜…); `reveals` says whether a text would tell the organisation
//!   department a reporter or a complaint's content.
//! - **Opinion requests.** `Opinion` is a request's state (loaded by `state::load`, or folded from
//!   its events); `OpinionStep` names what may be done; `check` decides whether an actor may take
//!   a step now, with the refusal in Chinese; `allowed` lists the steps, derived from `check`;
//!   `decide` turns a command into events; `register_opinion` checks a new request and resolves
//!   each person to a cadre; `duties` says which deadline each event opens or closes.
//!
//! Architecture invariant: nothing here reads or writes the database; `ops` loads, calls `decide`
//! and appends through `Store::execute`, and the projector applies `duties`.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::cadre::{mask_id_number, normalise};
use super::events::{IntegrityEvent, OpinionEvent};
use super::model::*;
use crate::authz::{Action, Actor, IntegrityAct, authorize};
use crate::complaints::ComplaintStatus;
use crate::deadlines::{DeadlineKind, Rule};
use crate::error::{CoreError, Result};
use crate::input::{optional, required};
use crate::penalty::model::{BenefitKind, InfluencePeriod};
use crate::penalty::rules;

/// The most people one request may name.
pub const MAX_PERSONS: usize = 200;
/// The longest conclusion an officer may write for one person.
pub const MAX_CONCLUSION_CHARS: usize = 1_000;
/// A run of this many characters of a complaint's content found in a reply means the reply
/// quotes the complaint. Twelve characters is longer than any stock phrase of a conclusion.
pub const CONTENT_RUN_CHARS: usize = 12;

/// The `Action` an integrity act is authorized as, in `office`.
pub fn action(office: &str, act: IntegrityAct) -> Action {
    Action::Integrity { office: office.to_owned(), act }
}

/// A date as a reply prints it: 2026年9月28日.
pub fn chinese_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn parse_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| CoreError::Encoding(format!("bad date {s}: {e}")))
}

fn chinese(s: &str) -> String {
    parse_date(s).map(chinese_date).unwrap_or_else(|_| s.to_owned())
}

// ---------------------------------------------------------------------------------------------
// Cadres and their records

/// A cadre of the same name and unit already held, as a new identity is compared with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CadreCandidate {
    pub id: String,
    pub post: String,
    pub id_masked: Option<String>,
}

/// What registering a cadre reads: the cadres already held under a name and unit.
pub trait CadreLookups {
    /// Cadres whose name and unit are these (compared without spaces).
    fn cadres_named(&self, name: &str, unit: &str) -> Result<Vec<CadreCandidate>>;
}

/// A cadre's identity as entered, checked: name, unit and post trimmed, the ID number masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub unit: String,
    pub post: String,
    pub id_masked: Option<String>,
}

/// Checks a cadre's identity as typed; `at` names the line of a list ("第 3 人") in refusals.
pub fn identity(form: &CadreForm, at: &str) -> Result<Identity> {
    Ok(Identity {
        name: normalise(&required(&format!("{at}姓名"), &form.name, 50)?),
        unit: required(&format!("{at}单位"), &form.unit, 100)?,
        post: optional(&format!("{at}职务"), Some(&form.post), 100)?.unwrap_or_default(),
        id_masked: form
            .id_number
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|n| mask_id_number(n).map_err(|e| CoreError::invalid(format!("{at}{e}"))))
            .transpose()?,
    })
}

/// Which held cadre an identity is, if any: the one of the same name and unit, told apart from
/// others by the masked ID number, then by post. `Ok(None)` means a new cadre; two or more that
/// cannot be told apart is a refusal asking for the ID number.
pub fn resolve(id: &Identity, candidates: &[CadreCandidate]) -> Result<Option<String>> {
    let mut held: Vec<&CadreCandidate> = candidates.iter().collect();
    if let Some(mask) = &id.id_masked {
        // An ID number decides: the same number is the same person, another is someone else.
        if let Some(c) = held.iter().find(|c| c.id_masked.as_deref() == Some(mask.as_str())) {
            return Ok(Some(c.id.clone()));
        }
        held.retain(|c| c.id_masked.is_none());
        if held.len() <= 1 {
            return Ok(held.first().map(|c| c.id.clone()));
        }
    }
    match held.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.id.clone())),
        several => {
            let by_post: Vec<&&CadreCandidate> = several.iter().filter(|c| c.post == id.post).collect();
            match by_post.as_slice() {
                [one] => Ok(Some(one.id.clone())),
                _ => Err(CoreError::invalid(format!(
                    "本机关有 {} 名“{}”的“{}”，无法确定是哪一位：请填写其身份证号（或准确的职务）以区分。",
                    several.len(),
                    id.unit,
                    id.name
                ))),
            }
        }
    }
}

/// Entering a cadre by hand: who, where, when.
#[derive(Debug, Clone, Copy)]
pub struct NewCadre<'a> {
    pub id: &'a str,
    pub office: &'a str,
    pub today: NaiveDate,
}

/// Checks a cadre entered by hand and builds `cadre.registered`; the same person entered twice
/// (same name and unit, and the same ID number or none on either) is refused.
pub fn register_cadre(
    new: NewCadre<'_>,
    actor: &Actor,
    form: &CadreForm,
    lookups: &dyn CadreLookups,
) -> Result<IntegrityEvent> {
    authorize(actor, &action(new.office, IntegrityAct::Keep))?;
    let id = identity(form, "")?;
    let held = lookups.cadres_named(&id.name, &id.unit)?;
    let same = held.iter().find(|c| match (&id.id_masked, &c.id_masked) {
        (Some(a), Some(b)) => a == b,
        (None, None) => c.post == id.post || id.post.is_empty(),
        _ => false,
    });
    if same.is_some() {
        return Err(CoreError::invalid(format!(
            "“{}”的“{}”已在干部名录中，请勿重复录入；如是同名的另一人，请填写其身份证号。",
            id.unit, id.name
        )));
    }
    Ok(IntegrityEvent::CadreRegistered(CadreRegistered {
        cadre_id: new.id.to_owned(),
        office_code: new.office.to_owned(),
        date: new.today.to_string(),
        name: id.name,
        unit: id.unit,
        post: id.post,
        id_masked: id.id_masked,
    }))
}

/// Where a record stands for one cadre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatchState {
    /// Names the cadre (same name, a matching unit) and nobody decided yet.
    Suggested,
    /// Confirmed as this cadre's.
    Confirmed,
    /// Split off: another person of the same name.
    Split,
    /// Confirmed as another cadre's (named, for the refusal).
    ConfirmedElsewhere { name: String, unit: String },
}

/// A record seen from one cadre's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordMatch {
    pub cadre_id: String,
    pub record: String,
    pub state: MatchState,
}

/// What may be done with a record on a cadre's file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum MatchStep {
    /// 确认为本人: the record is this cadre's.
    Confirm,
    /// 分开（非本人）: the record is another person's of the same name.
    Split,
}

impl MatchStep {
    pub const ALL: [MatchStep; 2] = [MatchStep::Confirm, MatchStep::Split];
}

/// Whether `actor` may take `step` on the record now; the refusal says why in Chinese.
pub fn check_match(m: &RecordMatch, here: &str, actor: &Actor, step: MatchStep) -> Result<()> {
    authorize(actor, &action(here, IntegrityAct::Keep))?;
    match (step, &m.state) {
        (MatchStep::Confirm, MatchState::Confirmed) => Err(CoreError::invalid("该记录已确认为本人的记录。")),
        (MatchStep::Split, MatchState::Split) => Err(CoreError::invalid("该记录已分开（非本人），无需再次分开。")),
        (MatchStep::Confirm, MatchState::ConfirmedElsewhere { name, unit }) => Err(CoreError::invalid(format!(
            "该记录已确认为{unit}{name}的记录；如确认有误，请先在其廉政档案中将该记录分开。"
        ))),
        (MatchStep::Split, MatchState::ConfirmedElsewhere { name, unit }) => {
            Err(CoreError::invalid(format!("该记录已确认为{unit}{name}的记录，不在本人档案中，无需分开。")))
        }
        _ => Ok(()),
    }
}

/// The steps `actor` may take on the record: exactly those `check_match` allows.
pub fn allowed_match(m: &RecordMatch, here: &str, actor: &Actor) -> Vec<MatchStep> {
    MatchStep::ALL.into_iter().filter(|&s| check_match(m, here, actor, s).is_ok()).collect()
}

/// The event confirming or splitting the record, after the same check.
pub fn decide_match(
    m: &RecordMatch,
    here: &str,
    actor: &Actor,
    step: MatchStep,
    note: &str,
    today: NaiveDate,
) -> Result<IntegrityEvent> {
    check_match(m, here, actor, step)?;
    let note = optional("说明", Some(note), 500)?.unwrap_or_default();
    if step == MatchStep::Split && note.is_empty() {
        return Err(CoreError::invalid("请说明为何不是本人（例如：出生年月不同、曾任职务不符）。"));
    }
    let payload =
        MatchDecided { cadre_id: m.cadre_id.clone(), record: m.record.clone(), date: today.to_string(), note };
    Ok(match step {
        MatchStep::Confirm => IntegrityEvent::MatchConfirmed(payload),
        MatchStep::Split => IntegrityEvent::MatchSplit(payload),
    })
}

/// Entering a unit: who, where, when.
#[derive(Debug, Clone, Copy)]
pub struct NewUnit<'a> {
    pub id: &'a str,
    pub office: &'a str,
    pub today: NaiveDate,
}

/// Checks a unit as entered and builds `unit.registered`. `held` are the names (and other names)
/// of the units already registered: a name may belong to one unit only.
pub fn register_unit(new: NewUnit<'_>, actor: &Actor, form: &UnitForm, held: &[String]) -> Result<IntegrityEvent> {
    authorize(actor, &action(new.office, IntegrityAct::Keep))?;
    let name = required("单位名称", &form.name, 100)?;
    let mut aliases: Vec<String> = Vec::new();
    for a in &form.aliases {
        let a = optional("单位的其他名称", Some(a), 100)?;
        if let Some(a) = a.filter(|a| normalise(a) != normalise(&name) && !aliases.contains(a)) {
            aliases.push(a);
        }
    }
    if aliases.len() > 20 {
        return Err(CoreError::invalid("单位的其他名称不能超过 20 个。"));
    }
    let taken: BTreeSet<String> = held.iter().map(|h| normalise(h)).collect();
    for n in std::iter::once(&name).chain(&aliases) {
        if taken.contains(&normalise(n)) {
            return Err(CoreError::invalid(format!("“{n}”已是名录中一个单位的名称，请勿重复录入。")));
        }
    }
    Ok(IntegrityEvent::UnitRegistered(UnitRegistered {
        unit_id: new.id.to_owned(),
        office_code: new.office.to_owned(),
        date: new.today.to_string(),
        name,
        category: form.category,
        aliases,
    }))
}

// ---------------------------------------------------------------------------------------------
// Findings and the proposed conclusion

/// A complaint naming a person, as the findings read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintFact {
    pub record: String,
    pub number: String,
    pub status: ComplaintStatus,
    pub received_date: String,
    /// `true` when the officer confirmed the record as the cadre's; `false` for a suggestion.
    pub confirmed: bool,
    /// The accusation was found false or mistaken and the cadre's name cleared (澄清正名).
    pub cleared: bool,
}

/// A penalty decision naming a person, as the findings read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PenaltyFact {
    pub record: String,
    pub decision_number: String,
    pub label: String,
    pub decision_date: String,
    pub periods: Vec<InfluencePeriod>,
    pub confirmed: bool,
}

/// The benefit a purpose asks about, for the influence-period bars (`rules::barred`).
fn benefit_of(purpose: Purpose) -> BenefitKind {
    match purpose {
        Purpose::Award => BenefitKind::Award,
        // Nominations and anything else are read as strictly as a promotion.
        Purpose::Promotion | Purpose::Nomination | Purpose::Other => BenefitKind::Promotion,
    }
}

/// What the records say about a person for a request of `purpose`, on `today`: each complaint and
/// penalty classified, with whether it bars the purpose and the words a conclusion may use.
pub fn findings(
    complaints: &[ComplaintFact],
    penalties: &[PenaltyFact],
    purpose: Purpose,
    today: NaiveDate,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in complaints {
        use ComplaintStatus as S;
        let (kind, reason) = match c.status {
            S::Registered | S::WithDepartment => {
                (FindingKind::OpenComplaint, "有反映其问题的信访举报正在办理".to_owned())
            }
            S::Inquiry | S::Verification | S::Held => {
                (FindingKind::ClueUnderDisposal, "有反映其问题的问题线索正在核查处置".to_owned())
            }
            S::CaseFiled => (FindingKind::UnderInvestigation, "正在接受审查调查".to_owned()),
            S::ReportedUpward | S::TransferredDownward | S::Assigned | S::HandedLaterally => {
                (FindingKind::HandedOver, "有反映其问题的信访举报已移交有关机关办理，尚未办结".to_owned())
            }
            S::Concluded => (
                FindingKind::ConcludedComplaint,
                if c.cleared {
                    "反映其问题的信访举报经核查不实，已予澄清".to_owned()
                } else {
                    "反映其问题的信访举报已办结".to_owned()
                },
            ),
            // A repeat or a complaint not accepted adds nothing to what the earlier one says.
            S::Repeat | S::NotAccepted => continue,
        };
        let bears = !matches!(kind, FindingKind::ConcludedComplaint);
        out.push(Finding {
            kind,
            kind_label: kind.label().to_owned(),
            record: c.record.clone(),
            confirmed: c.confirmed,
            label: format!("检举控告 {}（{}）", c.number, c.status.label()),
            date: c.received_date.clone(),
            until: None,
            bears,
            reason,
        });
    }
    let today_s = today.to_string();
    for p in penalties {
        let current: Vec<&InfluencePeriod> = p.periods.iter().filter(|x| rules::within(x, &today_s)).collect();
        let barring = current.iter().find_map(|x| rules::barred(benefit_of(purpose), None, x).map(|_| *x));
        let until = if current.iter().any(|x| x.permanent) {
            None
        } else {
            current.iter().filter_map(|x| x.end.clone()).max().or_else(|| rules::latest_end(&p.periods))
        };
        let (kind, reason, bears) = if current.is_empty() {
            (
                FindingKind::PastPenalty,
                format!("曾于{}受到{}处分，影响期已满", chinese(&p.decision_date), p.label),
                false,
            )
        } else {
            let reason = match &until {
                None => format!("于{}受到{}处分", chinese(&p.decision_date), p.label),
                Some(end) => {
                    format!(
                        "于{}受到{}处分，尚在处分影响期内（至{}）",
                        chinese(&p.decision_date),
                        p.label,
                        chinese(end)
                    )
                }
            };
            (FindingKind::PenaltyInPeriod, reason, barring.is_some())
        };
        out.push(Finding {
            kind,
            kind_label: kind.label().to_owned(),
            record: p.record.clone(),
            confirmed: p.confirmed,
            label: format!("处分决定 {}（{}）", p.decision_number, p.label),
            date: p.decision_date.clone(),
            until,
            bears,
            reason,
        });
    }
    out.sort_by(|a, b| (a.kind, &a.date, &a.record).cmp(&(b.kind, &b.date, &b.record)));
    out
}

/// How a conclusion ends for a purpose: 不宜提拔或者进一步使用.
pub fn purpose_phrase(purpose: Purpose, note: &str) -> String {
    match purpose {
        Purpose::Promotion => "提拔或者进一步使用".to_owned(),
        Purpose::Award => "评先评优".to_owned(),
        Purpose::Nomination => "作为推荐提名人选".to_owned(),
        Purpose::Other => note.trim().trim_start_matches("拟").to_owned(),
    }
}

/// The conclusion the office would write, from the findings confirmed as the person's: 未发现…问题
/// when nothing bars the purpose (with past penalties and concluded complaints said as facts), or
/// 有…情况，不宜… naming what does. Never a reporter, never a complaint's content.
pub fn propose(name: &str, purpose: Purpose, note: &str, found: &[Finding], today: NaiveDate) -> String {
    let confirmed: Vec<&Finding> = found.iter().filter(|f| f.confirmed).collect();
    let mut reasons: Vec<String> = Vec::new();
    let mut add = |r: String| {
        if !reasons.contains(&r) {
            reasons.push(r);
        }
    };
    let bearing: Vec<&&Finding> = confirmed.iter().filter(|f| f.bears).collect();
    if !bearing.is_empty() {
        for f in &bearing {
            let count = bearing.iter().filter(|g| g.kind == f.kind).count();
            match f.kind {
                FindingKind::OpenComplaint if count > 1 => add(format!("有{}件反映其问题的信访举报正在办理", count)),
                FindingKind::ClueUnderDisposal if count > 1 => {
                    add(format!("有{}件反映其问题的问题线索正在核查处置", count))
                }
                _ => add(f.reason.clone()),
            }
        }
        return format!("经查，{name}同志{}的情况，不宜{}。", reasons.join("；"), purpose_phrase(purpose, note));
    }
    let mut text = format!("经查，截至{}，未发现{name}同志有违纪违法问题。", chinese_date(today));
    let past: Vec<&&Finding> = confirmed.iter().filter(|f| f.kind == FindingKind::PastPenalty).collect();
    for f in past {
        text.push_str(&format!("该同志{}。", f.reason));
    }
    let concluded = confirmed.iter().filter(|f| f.kind == FindingKind::ConcludedComplaint).count();
    if concluded > 0 {
        text.push_str(&format!("曾有反映其问题的信访举报{concluded}件，均已办结。"));
    }
    text
}

/// What a reply must not carry, of the complaints bearing on a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Secret {
    /// A reporter's name, unit, contact or address.
    Reporter(String),
    /// A complaint's summary or content.
    Content(String),
}

/// Whether `text` would tell the organisation department a reporter (any of their details of two
/// characters or more) or a complaint's content (a run of `CONTENT_RUN_CHARS` characters of it);
/// the refusal says which, without saying the secret itself.
pub fn reveals(text: &str, secrets: &[Secret]) -> Option<&'static str> {
    let squeezed = normalise(text);
    for s in secrets {
        match s {
            Secret::Reporter(r) => {
                let r = normalise(r);
                if r.chars().count() >= 2 && squeezed.contains(&r) {
                    return Some("检举控告人的姓名、单位、联系方式或住址");
                }
            }
            Secret::Content(c) => {
                let chars: Vec<char> = normalise(c).chars().collect();
                if chars.len() >= CONTENT_RUN_CHARS
                    && chars.windows(CONTENT_RUN_CHARS).any(|w| squeezed.contains(&w.iter().collect::<String>()))
                {
                    return Some("检举控告的具体内容");
                }
            }
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Opinion requests: state

/// One person on a request, as the rules read them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub ord: u32,
    pub cadre_id: String,
    pub name: String,
    pub unit: String,
    pub post: String,
    /// The conclusion as last written by an officer (`None`: the proposal stands).
    pub conclusion: Option<String>,
    /// The findings the submitted conclusion rested on, while submitted or approved.
    pub submitted: Option<Vec<FindingRef>>,
    /// What the records say now (loaded by `state::load`; empty when folded from events).
    pub findings: Vec<Finding>,
    /// What the reply must not carry (loaded with the findings).
    pub secrets: Vec<Secret>,
}

impl Person {
    /// The findings as a submission records them.
    pub fn finding_refs(&self) -> Vec<FindingRef> {
        let mut refs: Vec<FindingRef> = self
            .findings
            .iter()
            .filter(|f| f.confirmed)
            .map(|f| FindingRef { record: f.record.clone(), kind: f.kind })
            .collect();
        refs.sort();
        refs
    }

    /// Suggested records nobody has confirmed or split yet.
    pub fn unresolved(&self) -> usize {
        self.findings.iter().filter(|f| !f.confirmed).count()
    }
}

/// An opinion request as the rules read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opinion {
    pub id: String,
    pub status: OpinionStatus,
    pub purpose: Purpose,
    pub purpose_note: String,
    pub received_date: NaiveDate,
    pub persons: Vec<Person>,
    /// Who submitted it last (never its approver).
    pub submitted_by: Option<String>,
}

impl Opinion {
    /// Person `ord`, or the refusal naming the missing number.
    pub fn person(&self, ord: u32) -> Result<&Person> {
        self.persons
            .iter()
            .find(|p| p.ord == ord)
            .ok_or_else(|| CoreError::invalid(format!("该函没有第 {ord} 人，请核对序号。")))
    }

    fn person_mut(&mut self, ord: u32) -> Result<&mut Person> {
        let id = self.id.clone();
        self.persons
            .iter_mut()
            .find(|p| p.ord == ord)
            .ok_or_else(|| CoreError::Encoding(format!("opinion {id} has no person {ord}")))
    }

    /// The conclusion a person's reply says: the officer's, or the proposal from the findings.
    pub fn conclusion_of(&self, person: &Person, today: NaiveDate) -> String {
        person
            .conclusion
            .clone()
            .unwrap_or_else(|| propose(&person.name, self.purpose, &self.purpose_note, &person.findings, today))
    }

    /// The state right after `opinion.requested`.
    pub fn registered(p: &OpinionRequested) -> Result<Opinion> {
        Ok(Opinion {
            id: p.request_id.clone(),
            status: OpinionStatus::Draft,
            purpose: p.purpose,
            purpose_note: p.purpose_note.clone(),
            received_date: parse_date(&p.received_date)?,
            persons: p
                .persons
                .iter()
                .map(|x| Person {
                    ord: x.ord,
                    cadre_id: x.cadre_id.clone(),
                    name: x.name.clone(),
                    unit: x.unit.clone(),
                    post: x.post.clone(),
                    conclusion: None,
                    submitted: None,
                    findings: Vec::new(),
                    secrets: Vec::new(),
                })
                .collect(),
            submitted_by: None,
        })
    }

    /// Applies one of the request's events by `actor` (the event's recorded actor).
    pub fn apply(&mut self, actor: &str, event: &OpinionEvent) -> Result<()> {
        match event {
            OpinionEvent::Requested(_) => {
                return Err(CoreError::Encoding(format!("opinion {} is already registered", self.id)));
            }
            OpinionEvent::ConclusionEdited(p) => self.person_mut(p.ord)?.conclusion = Some(p.text.clone()),
            OpinionEvent::Submitted(p) => {
                for s in &p.persons {
                    let person = self.person_mut(s.ord)?;
                    person.conclusion = Some(s.text.clone());
                    person.submitted = Some(s.findings.clone());
                }
                self.status = OpinionStatus::Submitted;
                self.submitted_by = Some(actor.to_owned());
            }
            OpinionEvent::Approved(_) => self.status = OpinionStatus::Approved,
            OpinionEvent::Returned(_) => {
                self.status = OpinionStatus::Draft;
                for p in &mut self.persons {
                    p.submitted = None;
                }
            }
            OpinionEvent::Replied(_) => self.status = OpinionStatus::Replied,
        }
        Ok(())
    }
}

/// The deadline id of a request's reply.
pub fn reply_deadline_id(request_id: &str) -> String {
    format!("opinion_reply:{request_id}")
}

// ---------------------------------------------------------------------------------------------
// Opinion requests: steps and the check

/// What may be done to a request; the page shows one control for each step `allowed` gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum OpinionStep {
    /// 修改结论 (a person's conclusion).
    Edit,
    /// 提交领导审批.
    Submit,
    /// 批准.
    Approve,
    /// 退回修改.
    Return,
    /// 签发回复 (the numbered notice).
    Reply,
}

impl OpinionStep {
    pub const ALL: [OpinionStep; 5] =
        [OpinionStep::Edit, OpinionStep::Submit, OpinionStep::Approve, OpinionStep::Return, OpinionStep::Reply];
}

fn act_of(step: OpinionStep) -> IntegrityAct {
    match step {
        OpinionStep::Approve | OpinionStep::Return => IntegrityAct::Approve,
        OpinionStep::Edit | OpinionStep::Submit | OpinionStep::Reply => IntegrityAct::Handle,
    }
}

/// The `Action` a step is authorized as, in `office`.
pub fn step_action(office: &str, step: OpinionStep) -> Action {
    action(office, act_of(step))
}

fn wrong_state(o: &Opinion, what: &str) -> CoreError {
    let hint = match o.status {
        OpinionStatus::Draft => "须先提交领导审批。",
        OpinionStatus::Submitted => "正在等待领导审批。",
        OpinionStatus::Approved => "领导已批准，请签发回复。",
        OpinionStatus::Replied => "回复已签发，本件已办结。",
    };
    CoreError::invalid(format!("本件当前为“{}”，不能{what}。{hint}", o.status.label()))
}

/// Whether the findings of any person changed since the conclusions were submitted: who, and
/// what is new or gone, in words.
pub fn changed_since_submission(o: &Opinion) -> Option<String> {
    let changed: Vec<&str> = o
        .persons
        .iter()
        .filter(|p| p.submitted.as_ref().is_some_and(|s| *s != p.finding_refs()) || p.unresolved() > 0)
        .map(|p| p.name.as_str())
        .collect();
    (!changed.is_empty()).then(|| {
        format!(
            "提交审批后，{}的相关记录有了变化（新的检举控告、处分或待确认的疑似记录），请退回经办人重新核查后再审批。",
            changed.join("、")
        )
    })
}

/// Whether `actor`, working in office `here`, may take `step` on the request now (`None` before
/// it exists); the refusal says why in Chinese.
pub fn check(state: Option<&Opinion>, here: &str, actor: &Actor, step: OpinionStep) -> Result<()> {
    let Some(o) = state else {
        return Err(CoreError::NotFound { what: "廉政意见征求函", id: String::new() });
    };
    authorize(actor, &step_action(here, step))?;
    match step {
        OpinionStep::Edit => {
            if o.status != OpinionStatus::Draft {
                return Err(wrong_state(o, "修改结论"));
            }
        }
        OpinionStep::Submit => {
            if o.status != OpinionStatus::Draft {
                return Err(wrong_state(o, "提交审批"));
            }
            let open: Vec<String> = o
                .persons
                .iter()
                .filter(|p| p.unresolved() > 0)
                .map(|p| format!("{}（{} 条）", p.name, p.unresolved()))
                .collect();
            if !open.is_empty() {
                return Err(CoreError::invalid(format!(
                    "{}有疑似记录尚未确认或分开，请先在其廉政档案中逐条确认或分开，再提交审批。",
                    open.join("、")
                )));
            }
        }
        OpinionStep::Approve | OpinionStep::Return => {
            if o.status != OpinionStatus::Submitted {
                return Err(wrong_state(o, if step == OpinionStep::Approve { "审批" } else { "退回" }));
            }
            if o.submitted_by.as_deref() == Some(actor.id()) {
                return Err(CoreError::invalid("本件是您本人提交的，须由其他领导审批。"));
            }
            if step == OpinionStep::Approve
                && let Some(why) = changed_since_submission(o)
            {
                return Err(CoreError::invalid(why));
            }
        }
        OpinionStep::Reply => {
            if o.status != OpinionStatus::Approved {
                return Err(wrong_state(o, "签发回复"));
            }
        }
    }
    Ok(())
}

/// Every step `actor` may take on the request now: exactly those `check` allows.
pub fn allowed(state: &Opinion, here: &str, actor: &Actor) -> Vec<OpinionStep> {
    OpinionStep::ALL.into_iter().filter(|&s| check(Some(state), here, actor, s).is_ok()).collect()
}

/// Who acts next when the viewer may not, in words for the page.
pub fn waiting(state: &Opinion, here: &str, actor: &Actor) -> Option<String> {
    let next = match state.status {
        OpinionStatus::Draft => OpinionStep::Submit,
        OpinionStatus::Submitted => OpinionStep::Approve,
        OpinionStatus::Approved => OpinionStep::Reply,
        OpinionStatus::Replied => return None,
    };
    match check(Some(state), here, actor, next) {
        Ok(()) => None,
        Err(CoreError::Forbidden { .. }) => Some(
            match next {
                OpinionStep::Submit => "拟稿中，由监督检查室或案件监督管理室核查后提交审批。",
                OpinionStep::Approve => "已提交，等待分管领导审批。",
                _ => "领导已批准，等待经办部门签发回复。",
            }
            .to_owned(),
        ),
        Err(refusal) => Some(refusal.to_string()),
    }
}

// ---------------------------------------------------------------------------------------------
// Opinion requests: commands and decisions

/// A step with what the officer entered for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpinionCommand {
    Edit {
        ord: u32,
        text: String,
    },
    Submit,
    Approve {
        note: String,
    },
    Return {
        note: String,
    },
    /// Recorded by the notice path when the reply is issued with its number.
    Reply {
        number: String,
        document_id: String,
    },
}

impl OpinionCommand {
    pub fn step(&self) -> OpinionStep {
        match self {
            OpinionCommand::Edit { .. } => OpinionStep::Edit,
            OpinionCommand::Submit => OpinionStep::Submit,
            OpinionCommand::Approve { .. } => OpinionStep::Approve,
            OpinionCommand::Return { .. } => OpinionStep::Return,
            OpinionCommand::Reply { .. } => OpinionStep::Reply,
        }
    }
}

/// Refuses a conclusion that would tell the organisation department a reporter or a complaint's
/// content.
pub fn check_conclusion(person: &Person, text: &str) -> Result<()> {
    if let Some(what) = reveals(text, &person.secrets) {
        return Err(CoreError::invalid(format!(
            "{}的结论中出现了{what}：回复组织部门只能说明有无问题、是否在办和处分情况，不得透露检举控告人或检举控告的内容，请删改后再保存。",
            person.name
        )));
    }
    Ok(())
}

/// The events `command` produces on `state`, taken by `actor` in office `here` on business date
/// `today`; or the refusal, in Chinese.
pub fn decide(
    state: &Opinion,
    here: &str,
    actor: &Actor,
    command: &OpinionCommand,
    today: NaiveDate,
) -> Result<Vec<OpinionEvent>> {
    check(Some(state), here, actor, command.step())?;
    let id = state.id.clone();
    let date = today.to_string();
    let event = match command {
        OpinionCommand::Edit { ord, text } => {
            let person = state.person(*ord)?;
            let text = required(&format!("{}的结论", person.name), text, MAX_CONCLUSION_CHARS)?;
            check_conclusion(person, &text)?;
            OpinionEvent::ConclusionEdited(ConclusionEdited { request_id: id, ord: *ord, date, text })
        }
        OpinionCommand::Submit => {
            let mut persons = Vec::with_capacity(state.persons.len());
            for p in &state.persons {
                let text = state.conclusion_of(p, today);
                check_conclusion(p, &text)?;
                persons.push(SubmittedConclusion { ord: p.ord, text, findings: p.finding_refs() });
            }
            OpinionEvent::Submitted(OpinionSubmitted { request_id: id, date, persons })
        }
        OpinionCommand::Approve { note } => OpinionEvent::Approved(OpinionDecided {
            request_id: id,
            date,
            note: optional("审批意见", Some(note), 500)?.unwrap_or_default(),
        }),
        OpinionCommand::Return { note } => {
            OpinionEvent::Returned(OpinionDecided { request_id: id, date, note: required("退回理由", note, 500)? })
        }
        OpinionCommand::Reply { number, document_id } => {
            for p in &state.persons {
                check_conclusion(p, &state.conclusion_of(p, today))?;
            }
            OpinionEvent::Replied(OpinionReplied {
                request_id: id,
                date,
                number: number.clone(),
                document_id: document_id.clone(),
            })
        }
    };
    Ok(vec![event])
}

/// Registering a request: who, where, when, and the office's default reply period.
#[derive(Debug)]
pub struct NewOpinion<'a> {
    pub id: &'a str,
    pub office: &'a str,
    pub today: NaiveDate,
    pub default_reply_days: u32,
}

/// Checks a request as registered and builds its events: a `cadre.registered` for each person not
/// yet in the cadre list (ids from `new_cadre_id`), then `opinion.requested` naming each person's
/// cadre. A person named twice (same name and unit, or the same ID number) is refused.
pub fn register_opinion(
    new: NewOpinion<'_>,
    actor: &Actor,
    form: &OpinionRequestForm,
    lookups: &dyn CadreLookups,
    new_cadre_id: &mut dyn FnMut() -> String,
) -> Result<Vec<IntegrityEvent>> {
    authorize(actor, &action(new.office, IntegrityAct::Handle))?;
    let requester = required("来函单位", &form.requester, 100)?;
    let request_ref = required("来函文号", &form.request_ref, 100)?;
    let purpose_note = optional("具体事项", Some(&form.purpose_note), 200)?.unwrap_or_default();
    if form.purpose == Purpose::Other && purpose_note.is_empty() {
        return Err(CoreError::invalid("事由为“其他事项”时，请写明具体事项（例如：拟办理因私出国（境）审批）。"));
    }
    let received = qingfeng_calendar::parse_date(&form.received_date)
        .map_err(|e| CoreError::invalid(format!("收函日期“{}”无效：{e}", form.received_date)))?;
    if received > new.today {
        return Err(CoreError::invalid(format!("收函日期 {received} 晚于今天（{}），请填写实际日期。", new.today)));
    }
    let days = form.reply_working_days.unwrap_or(new.default_reply_days);
    if !(1..=60).contains(&days) {
        return Err(CoreError::invalid("回复期限应为 1 到 60 个工作日。"));
    }
    if form.persons.is_empty() {
        return Err(CoreError::invalid("名单中没有人员：请至少填写一名需回复廉政意见的干部。"));
    }
    if form.persons.len() > MAX_PERSONS {
        return Err(CoreError::invalid(format!("一份函最多回复 {MAX_PERSONS} 人，请分函登记。")));
    }
    let mut events = Vec::new();
    let mut persons = Vec::with_capacity(form.persons.len());
    let mut earlier: Vec<Identity> = Vec::with_capacity(form.persons.len());
    for (i, f) in form.persons.iter().enumerate() {
        let at = format!("第 {} 人", i + 1);
        let id = identity(f, &at)?;
        // Two lines are one person when their ID numbers agree, or, unless ID numbers tell them
        // apart, when name and unit agree.
        let repeat = earlier.iter().position(|e| match (&id.id_masked, &e.id_masked) {
            (Some(a), Some(b)) => a == b,
            _ => e.name == id.name && normalise(&e.unit) == normalise(&id.unit),
        });
        if let Some(first) = repeat {
            return Err(CoreError::invalid(format!(
                "名单中{at}“{}（{}）”与第 {} 人重复：同一人只能列一次，请删除重复的一行后再登记。",
                id.name,
                id.unit,
                first + 1
            )));
        }
        earlier.push(id.clone());
        let cadre_id = match resolve(&id, &lookups.cadres_named(&id.name, &id.unit)?)
            .map_err(|e| CoreError::invalid(format!("{at}：{e}")))?
        {
            Some(existing) => existing,
            None => {
                let cid = new_cadre_id();
                events.push(IntegrityEvent::CadreRegistered(CadreRegistered {
                    cadre_id: cid.clone(),
                    office_code: new.office.to_owned(),
                    date: new.today.to_string(),
                    name: id.name.clone(),
                    unit: id.unit.clone(),
                    post: id.post.clone(),
                    id_masked: id.id_masked.clone(),
                }));
                cid
            }
        };
        if persons.iter().any(|p: &RequestedPerson| p.cadre_id == cadre_id) {
            return Err(CoreError::invalid(format!(
                "名单中{at}“{}（{}）”与前面的一人是同一名干部，请删除重复的一行后再登记。",
                id.name, id.unit
            )));
        }
        persons.push(RequestedPerson { ord: i as u32 + 1, cadre_id, name: id.name, unit: id.unit, post: id.post });
    }
    events.push(IntegrityEvent::Opinion(OpinionEvent::Requested(OpinionRequested {
        request_id: new.id.to_owned(),
        office_code: new.office.to_owned(),
        date: new.today.to_string(),
        requester,
        request_ref,
        purpose: form.purpose,
        purpose_note,
        received_date: received.to_string(),
        reply_rule: Rule::WorkingDays(days).code(),
        persons,
    })));
    Ok(events)
}

// ---------------------------------------------------------------------------------------------
// Duties

/// A deadline an event opens or closes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Duty {
    Open { id: String, kind: DeadlineKind, rule: Rule, start: NaiveDate },
    Close { id: String, status: &'static str, date: String },
}

/// The deadlines a request's event opens or closes: the reply falls due from the letter's
/// receipt, and is met when the reply is issued.
pub fn duties(event: &OpinionEvent) -> Result<Vec<Duty>> {
    Ok(match event {
        OpinionEvent::Requested(p) => vec![Duty::Open {
            id: reply_deadline_id(&p.request_id),
            kind: DeadlineKind::OpinionReply,
            rule: Rule::parse(&p.reply_rule)?,
            start: parse_date(&p.received_date)?,
        }],
        OpinionEvent::Replied(p) => {
            vec![Duty::Close { id: reply_deadline_id(&p.request_id), status: "done", date: p.date.clone() }]
        }
        OpinionEvent::ConclusionEdited(_)
        | OpinionEvent::Submitted(_)
        | OpinionEvent::Approved(_)
        | OpinionEvent::Returned(_) => Vec::new(),
    })
}
