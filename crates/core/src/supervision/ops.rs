//! Supervision commands: each loads what the rules need inside the write transaction (`state`),
//! asks `workflow` for the events or the refusal, and appends them through `Store::execute`, so a
//! refused step leaves nothing. Issuing a letter or a circular goes through `documents::issue`,
//! which records `letter.issued` / `circular.issued` in the same transaction as the numbered
//! notice.

use chrono::NaiveDate;

use super::events::{LetterEvent, SupervisionEvent};
use super::model::*;
use super::state;
use super::workflow::{self, CircularForm, LetterCommand, NewCircular, NewLetter};
use crate::authz::{Actor, SupervisionAct};
use crate::clock::business_zone;
use crate::error::{CoreError, Result};
use crate::penalty::model::EvidenceFile;
use crate::store::{Ctx, Decision, Store};

fn today(ctx: &Ctx) -> NaiveDate {
    ctx.now.with_timezone(&business_zone()).date_naive()
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Drafts a supervision suggestion or reminder letter; returns its id.
pub fn register_letter(store: &mut Store, actor: &Actor, form: &LetterForm) -> Result<String> {
    let office = store.office()?;
    let id = new_id();
    store.execute(actor, workflow::action(&office, SupervisionAct::Handle), |_tx, ctx| {
        let new = NewLetter { id: &id, office: &office, today: today(ctx) };
        let event = workflow::register_letter(new, actor, form)?;
        Ok(Decision::events(vec![event.encode()?]))
    })?;
    Ok(id)
}

/// What an officer enters for the unit's feedback.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FeedbackForm {
    /// The day the unit gave its feedback.
    pub date: String,
    pub content: String,
    /// The problems (1-based) the unit reports rectified.
    pub rectified: Vec<u32>,
    /// Evidence files (整改报告、照片、制度文件), stored in the encrypted database.
    pub files: Vec<EvidenceFile>,
}

/// Takes a step on a letter (record feedback, accept, send back, remind). The letter itself is
/// issued as a notice (`documents::issue` with `Record::Letter`).
pub fn letter_step(store: &mut Store, actor: &Actor, id: &str, command: &LetterCommand) -> Result<()> {
    let office = store.office()?;
    store.execute(actor, workflow::action(&office, SupervisionAct::Handle), |tx, ctx| {
        let day = today(ctx);
        let letter = state::existing_letter(tx, id)?;
        let events = workflow::decide(&letter, &office, actor, command, day)?;
        Ok(Decision::events(events.iter().map(LetterEvent::encode).collect::<Result<_>>()?))
    })?;
    Ok(())
}

/// Records the unit's feedback with its evidence: the files are checked and stored in the same
/// transaction as the event, so a refused feedback leaves no file behind.
pub fn record_feedback(store: &mut Store, actor: &Actor, id: &str, form: &FeedbackForm) -> Result<()> {
    use crate::penalty::ops::{MAX_FILES, evidence};
    if form.files.len() > MAX_FILES {
        return Err(CoreError::invalid(format!("一次最多附 {MAX_FILES} 个证明材料。")));
    }
    let files: Vec<_> = form.files.iter().map(evidence).collect::<Result<_>>()?;
    let command = LetterCommand::RecordFeedback {
        date: form.date.clone(),
        content: form.content.clone(),
        rectified: form.rectified.clone(),
        evidence: files.iter().map(|(e, _)| e.clone()).collect(),
    };
    let office = store.office()?;
    store.execute(actor, workflow::action(&office, SupervisionAct::Handle), |tx, ctx| {
        let day = today(ctx);
        let letter = state::existing_letter(tx, id)?;
        let events = workflow::decide(&letter, &office, actor, &command, day)?;
        for (_, bytes) in &files {
            crate::blobs::put(tx, bytes)?;
        }
        Ok(Decision::events(events.iter().map(LetterEvent::encode).collect::<Result<_>>()?))
    })?;
    Ok(())
}

/// Drafts a circular from the letters issued in its period; returns its id.
pub fn draft_circular(store: &mut Store, actor: &Actor, form: &CircularForm) -> Result<String> {
    let office = store.office()?;
    let id = new_id();
    store.execute(actor, workflow::action(&office, SupervisionAct::Handle), |tx, ctx| {
        let day = today(ctx);
        // The period is checked before it is read, so a reversed period is refused in words.
        let (from, to) = workflow::circular_period(form, day)?;
        let facts = state::letter_facts(tx, &office, from, to)?;
        let new = NewCircular { id: &id, office: &office, today: day };
        let event = workflow::draft_circular(new, actor, form, &facts)?;
        Ok(Decision::events(vec![SupervisionEvent::Circular(event).encode()?]))
    })?;
    Ok(id)
}
