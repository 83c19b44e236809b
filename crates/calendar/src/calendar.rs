//! The calendar itself: which days are working days, and deadline arithmetic on top of that.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::date::{MAX_DATE, MAX_MONTHS, MAX_WORKING_DAYS, check_range, is_weekend, next_day};
use crate::{CalendarError, CalendarUpdate, builtin};

/// A computed value, with a flag saying whether it may change once more holiday data arrives.
///
/// `provisional` is true exactly when the computation had to classify at least one day in a
/// year whose official schedule the calendar does not know; such days are treated as working
/// days Monday to Friday. Answers that never consult the holiday schedule (adding 0 working
/// days, or [`MonthRule::Fixed`]) cannot change and so are never provisional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Answer<T> {
    /// The computed value.
    pub value: T,
    /// Whether the value rests on a guess about a year with no official schedule.
    pub provisional: bool,
}

/// What sort of day a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// An ordinary Monday to Friday.
    Workday,
    /// An ordinary Saturday or Sunday.
    Weekend,
    /// An official day off (it may fall on a weekend).
    Holiday,
    /// A Saturday or Sunday that is officially worked (调休上班).
    MakeupWorkday,
}

impl DayKind {
    /// Whether offices work on a day of this kind.
    pub fn is_working_day(self) -> bool {
        matches!(self, DayKind::Workday | DayKind::MakeupWorkday)
    }
}

/// Everything the UI needs to show about one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayInfo {
    /// The date described.
    pub date: NaiveDate,
    /// Whether it is a working day.
    pub working_day: bool,
    /// Why it is or is not a working day.
    pub kind: DayKind,
    /// The reason in Chinese: the holiday name (e.g. “春节”), “调休上班”, “周末” or “工作日”.
    pub note: String,
    /// True if the year's official schedule is unknown, so only weekends were considered.
    pub provisional: bool,
}

/// How "N working days from D" counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountRule {
    /// D itself is never counted; the first counted day is the next working day after D.
    /// This is the rule the domain spec prescribes.
    #[default]
    ExcludeStartDay,
    /// D is counted as the first day if it is itself a working day.
    IncludeStartDay,
}

/// What happens when a month-based deadline lands on a day off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MonthRule {
    /// Move the deadline to the next working day (ordinary month-based time limits).
    MoveToWorkingDay,
    /// Keep the date as computed even on a day off (custody periods, 留置).
    Fixed,
}

/// One known year's official schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
struct YearRules {
    days_off: BTreeMap<NaiveDate, String>,
    makeup_workdays: BTreeSet<NaiveDate>,
    source: String,
}

/// The working-day calendar: the official schedules of the years it knows, and weekends-only
/// guesses for all other years in 1949-10-01 ..= 2099-12-31.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    years: BTreeMap<i32, YearRules>,
}

impl Calendar {
    /// A calendar that knows no year's schedule, so every answer involving a day is provisional.
    pub fn empty() -> Calendar {
        Calendar { years: BTreeMap::new() }
    }

    /// The calendar shipped with the program, knowing 2025 and 2026.
    pub fn builtin() -> Calendar {
        let mut calendar = Calendar::empty();
        // The built-in data goes through the same validation as imported updates. The test
        // suite proves it valid; should it ever not be, the affected year is simply left unknown
        // (answers become provisional) rather than crashing the desktop program at start-up.
        if let Ok(updates) = builtin::updates() {
            for update in &updates {
                let applied = calendar.apply_update(update);
                debug_assert!(applied.is_ok(), "built-in schedule invalid: {applied:?}");
            }
        }
        calendar
    }

    /// Validates `update` and, if it is valid, replaces everything known about its year.
    /// A later update for the same year therefore wins.
    ///
    /// # Errors
    /// Any error from [`CalendarUpdate::validate`]; the calendar is then left unchanged.
    pub fn apply_update(&mut self, update: &CalendarUpdate) -> Result<(), CalendarError> {
        update.validate()?;
        let rules = YearRules {
            days_off: update.days_off.iter().map(|h| (h.date, h.name.trim().to_owned())).collect(),
            makeup_workdays: update.makeup_workdays.iter().copied().collect(),
            source: update.source.clone(),
        };
        self.years.insert(update.year, rules);
        Ok(())
    }

    /// The years whose official schedule is known, in ascending order.
    pub fn known_years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    /// Where the schedule of `year` came from, if that year is known.
    pub fn source_of(&self, year: i32) -> Option<&str> {
        self.years.get(&year).map(|rules| rules.source.as_str())
    }

    /// Describes one date: whether it is a working day and why.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] if `d` lies outside the supported range.
    pub fn day_info(&self, d: NaiveDate) -> Result<DayInfo, CalendarError> {
        check_range(d)?;
        let (kind, provisional) = self.classify(d);
        let note = match kind {
            DayKind::Holiday => {
                self.years.get(&d.year()).and_then(|rules| rules.days_off.get(&d)).map_or("节假日", String::as_str)
            }
            DayKind::MakeupWorkday => "调休上班",
            DayKind::Weekend => "周末",
            DayKind::Workday => "工作日",
        };
        Ok(DayInfo { date: d, working_day: kind.is_working_day(), kind, note: note.to_owned(), provisional })
    }

    /// Whether `d` is a working day.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] if `d` lies outside the supported range.
    pub fn is_working_day(&self, d: NaiveDate) -> Result<Answer<bool>, CalendarError> {
        check_range(d)?;
        let (kind, provisional) = self.classify(d);
        Ok(Answer { value: kind.is_working_day(), provisional })
    }

    /// The date `n` working days after `d`, not counting `d` itself ([`CountRule::ExcludeStartDay`]).
    ///
    /// # Errors
    /// As for [`Calendar::add_working_days_with`].
    pub fn add_working_days(&self, d: NaiveDate, n: u32) -> Result<Answer<NaiveDate>, CalendarError> {
        self.add_working_days_with(d, n, CountRule::default())
    }

    /// The date on which the `n`-th working day counted from `d` falls, counting by `rule`.
    /// `n = 0` returns `d` unchanged.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] if `d` is outside the supported range,
    /// [`CalendarError::TooManyWorkingDays`] if `n` exceeds [`MAX_WORKING_DAYS`](crate::MAX_WORKING_DAYS),
    /// [`CalendarError::ResultOutOfRange`] if the count would run past 2099-12-31.
    pub fn add_working_days_with(
        &self,
        d: NaiveDate,
        n: u32,
        rule: CountRule,
    ) -> Result<Answer<NaiveDate>, CalendarError> {
        check_range(d)?;
        if n > MAX_WORKING_DAYS {
            return Err(CalendarError::TooManyWorkingDays { n });
        }
        let mut provisional = false;
        let mut remaining = n;
        if n > 0 && rule == CountRule::IncludeStartDay && self.examine(d, &mut provisional) {
            remaining -= 1;
        }
        // Each step moves one day forward and `next_day` refuses to pass 2099-12-31, so this
        // loop ends after at most the number of days left in the supported range.
        let mut day = d;
        while remaining > 0 {
            day = next_day(day)?;
            if self.examine(day, &mut provisional) {
                remaining -= 1;
            }
        }
        Ok(Answer { value: day, provisional })
    }

    /// The date `n` months after `d`: the same day-number, or the last day of the month when
    /// that month is shorter (2026-01-31 + 1 month = 2026-02-28). With
    /// [`MonthRule::MoveToWorkingDay`] a result on a day off moves to the next working day.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] if `d` is outside the supported range,
    /// [`CalendarError::TooManyMonths`] if `n` exceeds [`MAX_MONTHS`](crate::MAX_MONTHS),
    /// [`CalendarError::ResultOutOfRange`] if the result would lie past 2099-12-31.
    pub fn add_months(&self, d: NaiveDate, n: u32, rule: MonthRule) -> Result<Answer<NaiveDate>, CalendarError> {
        check_range(d)?;
        if n > MAX_MONTHS {
            return Err(CalendarError::TooManyMonths { n });
        }
        let fixed = d
            .checked_add_months(Months::new(n))
            .filter(|date| *date <= MAX_DATE)
            .ok_or(CalendarError::ResultOutOfRange)?;
        match rule {
            MonthRule::Fixed => Ok(Answer { value: fixed, provisional: false }),
            MonthRule::MoveToWorkingDay => self.next_working_day_on_or_after(fixed),
        }
    }

    /// `d` itself if it is a working day, otherwise the first working day after it.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] if `d` is outside the supported range,
    /// [`CalendarError::ResultOutOfRange`] if no working day follows before 2099-12-31 ends.
    pub fn next_working_day_on_or_after(&self, d: NaiveDate) -> Result<Answer<NaiveDate>, CalendarError> {
        check_range(d)?;
        let mut provisional = false;
        let mut day = d;
        while !self.examine(day, &mut provisional) {
            day = next_day(day)?;
        }
        Ok(Answer { value: day, provisional })
    }

    /// Classifies a date, also saying whether its year's schedule is unknown (a guess).
    fn classify(&self, d: NaiveDate) -> (DayKind, bool) {
        let weekend_kind = if is_weekend(d) { DayKind::Weekend } else { DayKind::Workday };
        match self.years.get(&d.year()) {
            None => (weekend_kind, true),
            Some(rules) if rules.makeup_workdays.contains(&d) => (DayKind::MakeupWorkday, false),
            Some(rules) if rules.days_off.contains_key(&d) => (DayKind::Holiday, false),
            Some(_) => (weekend_kind, false),
        }
    }

    /// Whether `d` is a working day, recording in `provisional` if that was a guess.
    fn examine(&self, d: NaiveDate, provisional: &mut bool) -> bool {
        let (kind, guessed) = self.classify(d);
        *provisional |= guessed;
        kind.is_working_day()
    }
}
