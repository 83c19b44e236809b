//! Integrity commands: each loads what the rules need inside the write transaction (`state`), asks
//! `workflow` for the events or the refusal, and appends them through `Store::execute`, so a
//! refused step leaves nothing. Issuing the reply goes through `documents::issue`, which records
//! `opinion.replied` in the same transaction as the numbered notice.

use chrono::NaiveDate;

use super::model::*;
use super::state::{self, DbLookups};
use super::workflow::{self, MatchStep, NewCadre, NewOpinion, NewUnit, OpinionCommand};
use crate::authz::{Actor, IntegrityAct};
use crate::clock::business_zone;
use crate::error::Result;
use crate::store::{Ctx, Decision, Store};

fn today(ctx: &Ctx) -> NaiveDate {
    ctx.now.with_timezone(&business_zone()).date_naive()
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Enters a cadre by hand; returns their id.
pub fn register_cadre(store: &mut Store, actor: &Actor, form: &CadreForm) -> Result<String> {
    let office = store.office()?;
    let id = new_id();
    store.execute(actor, workflow::action(&office, IntegrityAct::Keep), |tx, ctx| {
        let new = NewCadre { id: &id, office: &office, today: today(ctx) };
        let event = workflow::register_cadre(new, actor, form, &DbLookups(tx))?;
        Ok(Decision::events(vec![event.encode()?]))
    })?;
    Ok(id)
}

/// Enters a unit for its file and profile; returns its id.
pub fn register_unit(store: &mut Store, actor: &Actor, form: &UnitForm) -> Result<String> {
    let office = store.office()?;
    let id = new_id();
    store.execute(actor, workflow::action(&office, IntegrityAct::Keep), |tx, ctx| {
        let held: Vec<String> = tx
            .prepare_cached("SELECT name FROM integrity_unit_names")?
            .query_map([], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        let new = NewUnit { id: &id, office: &office, today: today(ctx) };
        let event = workflow::register_unit(new, actor, form, &held)?;
        Ok(Decision::events(vec![event.encode()?]))
    })?;
    Ok(id)
}

/// Confirms a suggested record as the cadre's, or splits it off as another person's.
pub fn decide_match(
    store: &mut Store,
    actor: &Actor,
    cadre_id: &str,
    record: &str,
    step: MatchStep,
    note: &str,
) -> Result<()> {
    let office = store.office()?;
    store.execute(actor, workflow::action(&office, IntegrityAct::Keep), |tx, ctx| {
        let m = state::record_match(tx, cadre_id, record.trim())?;
        let event = workflow::decide_match(&m, &office, actor, step, note, today(ctx))?;
        Ok(Decision::events(vec![event.encode()?]))
    })?;
    Ok(())
}

/// Registers the organisation department's request for integrity opinions; each person not yet in
/// the cadre list is entered with it. Returns the request's id.
pub fn register_opinion(store: &mut Store, actor: &Actor, form: &OpinionRequestForm) -> Result<String> {
    let office = store.office()?;
    let id = new_id();
    let days = crate::settings::get(store.conn(), "integrity.opinion_reply_working_days")?;
    store.execute(actor, workflow::action(&office, IntegrityAct::Handle), |tx, ctx| {
        let new = NewOpinion { id: &id, office: &office, today: today(ctx), default_reply_days: days };
        let events = workflow::register_opinion(new, actor, form, &DbLookups(tx), &mut new_id)?;
        Ok(Decision::events(events.iter().map(|e| e.encode()).collect::<Result<_>>()?))
    })?;
    Ok(id)
}

/// Takes a step on a request (edit a conclusion, submit, approve, send back). The reply itself is
/// issued as a notice (`documents::issue` with `Record::Opinion`).
pub fn opinion_step(store: &mut Store, actor: &Actor, id: &str, command: &OpinionCommand) -> Result<()> {
    let office = store.office()?;
    store.execute(actor, workflow::step_action(&office, command.step()), |tx, ctx| {
        let day = today(ctx);
        let state = state::existing_opinion(tx, id, day)?;
        let events = workflow::decide(&state, &office, actor, command, day)?;
        Ok(Decision::events(
            events.into_iter().map(|e| super::events::IntegrityEvent::Opinion(e).encode()).collect::<Result<_>>()?,
        ))
    })?;
    Ok(())
}
