//! The store's side of the working-day calendar: today's view and importing calendar updates.

use chrono::Datelike;
use qingfeng_calendar::CalendarUpdate;

use crate::api::TodayView;
use crate::authz::{Action, Actor};
use crate::error::Result;
use crate::events::NewEvent;
use crate::projector::{CalendarUpdated, kind};
use crate::store::{Decision, Store};

/// Today (Beijing time) and what the calendar says of it.
pub fn today(store: &Store) -> Result<TodayView> {
    let date = store.clock().today();
    let info = store.calendar().day_info(date)?;
    Ok(TodayView {
        date: date.to_string(),
        weekday: date.weekday().number_from_monday() as u8,
        working_day: info.working_day,
        provisional: info.provisional,
        note: info.note,
    })
}

/// Imports a calendar update for one year (administrators only). The update is validated
/// against a copy of the calendar first, so a bad file changes nothing.
pub fn import_update(store: &mut Store, actor: &Actor, update: &CalendarUpdate) -> Result<()> {
    let mut trial = store.calendar().clone();
    trial.apply_update(update)?;
    let office = store.office()?;
    store.execute(actor, Action::ImportCalendar { office }, |_tx, _ctx| {
        Ok(Decision::events(vec![NewEvent::new(
            kind::CALENDAR_UPDATED,
            format!("calendar:{}", update.year),
            &CalendarUpdated { update: update.clone() },
        )?]))
    })?;
    Ok(())
}
