//! Penalty and checklist commands: each loads the checklist's state inside the transaction, asks
//! `workflow::decide` for the events (or the refusal), and appends them through `Store::execute`,
//! so a refused step leaves nothing. The rules themselves live in `workflow`.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::events::{ChecklistEvent, PenaltyEvent};
use super::model::*;
use super::rules;
use super::state;
use super::template::{self, Template};
use super::workflow::{self, Command, Lookups, NewPenalty, NewRectification, Step, Submission};
use crate::authz::{Action, Actor, PenaltyAct};
use crate::clock::business_zone;
use crate::complaints::attachments::MAX_ATTACHMENT_BYTES;
use crate::error::{CoreError, Result};
use crate::events::NewEvent;
use crate::input::required;
use crate::store::{Ctx, Decision, Store};

const MAX_TEXT_CHARS: usize = workflow::MAX_TEXT_CHARS;
pub(crate) const MAX_FILES: usize = 20;

/// Evidence file types, by what the bytes are (not what the name says).
const ACCEPTED_EVIDENCE: &[&str] = &[
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/tiff",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/msword",
    "text/plain",
];

fn today(ctx: &Ctx) -> NaiveDate {
    ctx.now.with_timezone(&business_zone()).date_naive()
}

/// What a registration reads from the database, for `workflow::register_penalty`.
pub(crate) struct DbLookups<'a>(pub(crate) &'a Connection);

impl Lookups for DbLookups<'_> {
    fn complaint_id(&self, id_or_number: &str) -> Result<Option<String>> {
        Ok(self
            .0
            .query_row("SELECT id FROM complaints WHERE id = ?1 OR number = ?1", [id_or_number], |r| r.get(0))
            .optional()?)
    }

    fn already_registered(&self, decision_number: &str, person_name: &str) -> Result<bool> {
        Ok(self
            .0
            .query_row(
                "SELECT 1 FROM penalties WHERE decision_number = ?1 AND person_name = ?2",
                params![decision_number, person_name],
                |_| Ok(true),
            )
            .optional()?
            .unwrap_or(false))
    }

    fn penalty_templates(&self) -> Result<Vec<Template>> {
        template::latest_of_scope(self.0, ChecklistScope::Penalty)
    }

    fn influence_end_day_before(&self) -> Result<bool> {
        Ok(crate::settings::get(self.0, "penalty.influence_end_day_before")? == 1)
    }
}

/// Enters a penalty decision and generates its execution checklist; returns the decision's id.
pub fn register(store: &mut Store, actor: &Actor, form: &RegisterPenalty) -> Result<String> {
    Ok(register_many(store, actor, std::slice::from_ref(form))?.remove(0))
}

/// Enters several decisions in one transaction (a backlog carried over from paper or from an
/// earlier system): all are entered or, if any is refused, none; returns their ids in order.
pub fn register_many(store: &mut Store, actor: &Actor, forms: &[RegisterPenalty]) -> Result<Vec<String>> {
    let office = store.office()?;
    let calendar = store.calendar().clone();
    let ids: Vec<String> = forms.iter().map(|_| uuid::Uuid::now_v7().to_string()).collect();
    let action = workflow::action(&office, ChecklistScope::Penalty, Step::Register(ChecklistScope::Penalty));
    store.execute(actor, action, |tx, ctx| {
        let new = |id| NewPenalty { id, office: &office, today: today(ctx), calendar: &calendar };
        let mut events = Vec::with_capacity(forms.len());
        // The duplicate check reads the projection, which does not yet hold this batch.
        let mut seen = std::collections::HashSet::new();
        for (i, (form, id)) in forms.iter().zip(&ids).enumerate() {
            let numbered = |e: CoreError| match e {
                CoreError::Invalid(m) if forms.len() > 1 => CoreError::invalid(format!("第 {} 件：{m}", i + 1)),
                other => other,
            };
            let event = workflow::register_penalty(new(id), actor, form, &DbLookups(tx)).map_err(numbered)?;
            if !seen.insert((form.decision_number.trim().to_owned(), form.person.name.trim().to_owned())) {
                return Err(numbered(CoreError::invalid(format!(
                    "处分决定 {} 对 {} 在本批中重复，请勿重复录入。",
                    form.decision_number.trim(),
                    form.person.name.trim()
                ))));
            }
            events.push(event.encode(&format!("penalty:{id}"))?);
        }
        Ok(Decision::events(events))
    })?;
    Ok(ids)
}

/// The built-in template of a reform-by-case list (migration 0016).
pub const REFORM_TEMPLATE: &str = "rectification.reform_by_case";

/// Enters a rectification list (整改清单); returns its id.
pub fn register_rectification(store: &mut Store, actor: &Actor, form: &RegisterRectification) -> Result<String> {
    let office = store.office()?;
    let id = uuid::Uuid::now_v7().to_string();
    let scope = ChecklistScope::Rectification;
    store.execute(actor, workflow::action(&office, scope, Step::Register(scope)), |tx, ctx| {
        let case = match form.penalty_id.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => Some(state::reform_case(tx, p)?),
            None => None,
        };
        // A reform-by-case list with nothing else named follows the built-in reform template.
        let named = form.template.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let named = match named {
            None if case.is_some() && form.items.is_empty() => Some(REFORM_TEMPLATE),
            other => other,
        };
        let template = match named {
            None => None,
            Some(tid) => {
                let version = template::latest_version(tx, tid)?
                    .ok_or_else(|| CoreError::NotFound { what: "清单模板", id: tid.to_owned() })?;
                Some(template::load(tx, tid, version)?)
            }
        };
        let new = NewRectification { id: &id, office: &office, today: today(ctx) };
        let event = workflow::register_rectification(new, actor, form, template.as_ref(), case.as_ref())?;
        Ok(Decision::events(vec![event.encode(&format!("checklist:{id}"))?]))
    })?;
    Ok(id)
}

/// Takes one step on an item: loads the checklist (for the post the step needs), then, in the
/// transaction, loads it again, lets the workflow decide, and appends the events. Returns the
/// state the step was decided on with the events it produced.
fn step(
    store: &mut Store,
    actor: &Actor,
    checklist_id: &str,
    command: &Command,
    before_append: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<()>,
) -> Result<(workflow::Checklist, Vec<ChecklistEvent>)> {
    let office = store.office()?;
    // The post a step needs depends on the kind of list; the workflow checks the rest again on
    // the state read inside the transaction. An unknown item or a case handed to another office
    // is refused before the post, as the officer would read it.
    let loaded = state::existing(store.conn(), checklist_id)?;
    let ord = match command.step() {
        Step::Item(ord, _) => ord,
        Step::Register(_) => return Err(CoreError::Encoding("registration is not an item step".into())),
    };
    loaded.item(ord)?;
    if let Some(owner) = loaded.owner.as_ref().filter(|o| o.code != office) {
        return Err(crate::ownership::not_owned(&owner.code, &owner.name));
    }
    let mut outcome = None;
    store.execute(actor, workflow::action(&office, loaded.scope, command.step()), |tx, ctx| {
        let c = state::existing(tx, checklist_id)?;
        let events = workflow::decide(&c, &office, actor, command, today(ctx))?;
        before_append(tx)?;
        let new = events.iter().map(|e| e.encode(&c.aggregate)).collect::<Result<Vec<NewEvent>>>()?;
        outcome = Some((c, events));
        Ok(Decision::events(new))
    })?;
    outcome.ok_or_else(|| CoreError::Encoding("a step produced no decision".into()))
}

/// Checks an evidence file and returns what the event records of it (also for the feedback on a
/// supervision letter, `supervision::ops`).
pub(crate) fn evidence(file: &EvidenceFile) -> Result<(Evidence, &[u8])> {
    let name: String = file.name.rsplit(['/', '\\']).next().unwrap_or("").trim().chars().take(120).collect();
    if name.is_empty() {
        return Err(CoreError::invalid("请为证明材料提供文件名。"));
    }
    let bytes = file.bytes.as_slice();
    if bytes.is_empty() {
        return Err(CoreError::invalid(format!("证明材料“{name}”是空文件，请重新扫描或选择文件。")));
    }
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(CoreError::invalid(format!(
            "证明材料“{name}”超过 {} MB 的上限，请压缩或分成几个文件。",
            MAX_ATTACHMENT_BYTES / 1024 / 1024
        )));
    }
    let mime = match infer::get(bytes).map(|t| t.mime_type()) {
        Some(m) => m,
        None if std::str::from_utf8(bytes).is_ok_and(|t| !t.chars().any(|c| c.is_control() && !c.is_whitespace())) => {
            "text/plain"
        }
        None => "",
    };
    if !ACCEPTED_EVIDENCE.contains(&mime) {
        return Err(CoreError::invalid(format!(
            "证明材料“{name}”不是可接受的类型（可接受 PDF、JPEG/PNG/TIFF 图片、Word 文档或文本）。"
        )));
    }
    let sha256 = crate::encoding::sha256_hex(bytes);
    Ok((Evidence { sha256, name, media_type: mime.to_owned(), size: bytes.len() as u64 }, bytes))
}

/// Submits an open (or rejected) item with its evidence for review, for the responsible unit.
pub fn submit(store: &mut Store, actor: &Actor, checklist_id: &str, ord: u32, req: &SubmitRequest) -> Result<()> {
    if req.files.len() > MAX_FILES {
        return Err(CoreError::invalid(format!("一次最多提交 {MAX_FILES} 个证明材料。")));
    }
    let files: Vec<(Evidence, &[u8])> = req.files.iter().map(evidence).collect::<Result<_>>()?;
    let command = Command::Submit {
        ord,
        submission: Submission {
            date: req.date.clone(),
            note: req.note.clone(),
            measures: req.measures.clone(),
            result: req.result.clone(),
            evidence: files.iter().map(|(e, _)| e.clone()).collect(),
        },
    };
    step(store, actor, checklist_id, &command, |tx| {
        for (_, bytes) in &files {
            crate::blobs::put(tx, bytes)?;
        }
        Ok(())
    })?;
    Ok(())
}

/// Approves a submitted item (trial); a sequential checklist's next item opens.
pub fn approve(
    store: &mut Store,
    actor: &Actor,
    checklist_id: &str,
    ord: u32,
    note: &str,
    score: Option<&str>,
) -> Result<()> {
    let command = Command::Approve { ord, note: note.to_owned(), score: score.map(str::to_owned) };
    step(store, actor, checklist_id, &command, |_| Ok(()))?;
    Ok(())
}

/// Rejects a submitted item with a rectification note (trial); it returns to the unit's officer.
pub fn reject(store: &mut Store, actor: &Actor, checklist_id: &str, ord: u32, note: &str) -> Result<()> {
    step(store, actor, checklist_id, &Command::Reject { ord, note: note.to_owned() }, |_| Ok(()))?;
    Ok(())
}

/// Records a guidance opinion (指导意见) of 案件审理室 on an item of a rectification list.
pub fn guide(store: &mut Store, actor: &Actor, checklist_id: &str, ord: u32, text: &str) -> Result<()> {
    step(store, actor, checklist_id, &Command::Guide { ord, text: text.to_owned() }, |_| Ok(()))?;
    Ok(())
}

/// What a payment left to pay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PaymentOutcome {
    pub amount_due: String,
    pub amount_paid: String,
    pub amount_remaining: String,
}

/// Records a payment toward a confiscation or repayment item; an overpayment is refused.
pub fn record_payment(
    store: &mut Store,
    actor: &Actor,
    checklist_id: &str,
    ord: u32,
    amount: &str,
    date: &str,
    note: &str,
) -> Result<PaymentOutcome> {
    let command =
        Command::RecordPayment { ord, amount: amount.to_owned(), date: date.to_owned(), note: note.to_owned() };
    let (before, events) = step(store, actor, checklist_id, &command, |_| Ok(()))?;
    let (due, paid, left) = before
        .item(ord)?
        .remaining()
        .ok_or_else(|| CoreError::Encoding("a payment was recorded on an item without an amount".into()))?;
    let amount = match events.as_slice() {
        [ChecklistEvent::PaymentRecorded(p)] => rules::stored_amount(&p.amount)?,
        _ => return Err(CoreError::Encoding("a payment produced no payment event".into())),
    };
    Ok(PaymentOutcome {
        amount_due: rules::fen(due),
        amount_paid: rules::fen(paid + amount),
        amount_remaining: rules::fen(left - amount),
    })
}

/// Extends an item's deadline with an approval (post and pay changes: 1 month, up to 6).
pub fn extend(
    store: &mut Store,
    actor: &Actor,
    checklist_id: &str,
    ord: u32,
    months: u32,
    approval_ref: &str,
) -> Result<()> {
    let command = Command::Extend { ord, months, approval_ref: approval_ref.to_owned() };
    step(store, actor, checklist_id, &command, |_| Ok(()))?;
    Ok(())
}

/// Publishes a new version of a checklist template (administrators); returns its id and version.
/// The document must name the next version of its id (1 for a new template).
pub fn publish_template(store: &mut Store, actor: &Actor, json: &str) -> Result<(String, u32)> {
    let office = store.office()?;
    let t = Template::parse(json)?;
    store.execute(actor, Action::Penalty { office, act: PenaltyAct::PublishTemplate }, |tx, _ctx| {
        let latest = template::latest_version(tx, &t.id)?;
        let next = latest.unwrap_or(0) + 1;
        if t.version != next {
            return Err(CoreError::invalid(format!(
                "模板“{}”的下一版应为第 {next} 版（文件中写的是第 {} 版）。",
                t.id, t.version
            )));
        }
        if let Some(v) = latest {
            let old = template::load(tx, &t.id, v)?;
            if old.scope != t.scope {
                return Err(CoreError::invalid("新版模板不能改变清单类别（处分执行或整改）。"));
            }
        }
        let body = serde_json::to_string(&t).map_err(|e| CoreError::Encoding(e.to_string()))?;
        let published = PenaltyEvent::TemplatePublished(TemplatePublished {
            template_id: t.id.clone(),
            version: t.version,
            scope: t.scope,
            name: t.name.clone(),
            priority: t.priority,
            body,
        });
        Ok(Decision::events(vec![published.encode(&format!("template:{}", t.id))?]))
    })?;
    Ok((t.id, t.version))
}

/// Records an appraisal grade, promotion, award or pay-step change against a person; returns its
/// id and the reasons it falls inside a barring influence period (empty when it does not).
pub fn record_benefit(store: &mut Store, actor: &Actor, form: &BenefitForm) -> Result<(String, Vec<String>)> {
    let office = store.office()?;
    let id = uuid::Uuid::now_v7().to_string();
    store.execute(actor, Action::Penalty { office: office.clone(), act: PenaltyAct::RecordBenefit }, |_tx, _ctx| {
        let mut f = form.clone();
        f.person_name = required("姓名", &f.person_name, 50)?;
        f.person_unit = required("单位", &f.person_unit, 100)?;
        let d = qingfeng_calendar::parse_date(&f.date)
            .map_err(|e| CoreError::invalid(format!("日期“{}”无效：{e}", f.date)))?;
        f.date = d.to_string();
        f.detail = f.detail.trim().chars().take(MAX_TEXT_CHARS).collect();
        match (f.kind, f.grade) {
            (BenefitKind::Appraisal, None) => return Err(CoreError::invalid("登记年度考核须填写考核等次。")),
            (BenefitKind::Appraisal, Some(_)) => {}
            (_, Some(_)) => return Err(CoreError::invalid("只有年度考核才填写考核等次。")),
            (_, None) => {}
        }
        let recorded = PenaltyEvent::BenefitRecorded(BenefitRecorded {
            benefit_id: id.clone(),
            office_code: office.clone(),
            form: f,
        });
        Ok(Decision::events(vec![recorded.encode(&format!("person:{id}"))?]))
    })?;
    let flags = super::query::flags_for_benefit(store, &id)?;
    Ok((id, flags))
}
