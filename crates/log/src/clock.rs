//! Wall-clock time for the office and the hub, replaceable in tests, and the business time zone.
//!
//! Deadlines and "today" are counted in China Standard Time (UTC+8) whatever the machine's zone
//! is set to, because every office this program serves works on Beijing time.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};

/// China Standard Time, the zone of every business date.
pub fn business_zone() -> FixedOffset {
    #[allow(clippy::expect_used)]
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is within chrono's offset range")
}

/// A source of the current time.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    manual: Option<Arc<Mutex<DateTime<Utc>>>>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Clock { manual: None }
    }

    /// A clock that stands still at `at` until advanced; for tests and demonstrations.
    pub fn manual(at: DateTime<Utc>) -> Self {
        Clock { manual: Some(Arc::new(Mutex::new(at))) }
    }

    /// Moves a manual clock forward. Has no effect on the system clock.
    pub fn advance(&self, by: Duration) {
        if let Some(m) = &self.manual {
            let mut t = m.lock().unwrap_or_else(|p| p.into_inner());
            *t += by;
        }
    }

    /// The current time.
    pub fn now(&self) -> DateTime<Utc> {
        match &self.manual {
            Some(m) => *m.lock().unwrap_or_else(|p| p.into_inner()),
            None => Utc::now(),
        }
    }

    /// Today's date in China Standard Time.
    pub fn today(&self) -> NaiveDate {
        self.now().with_timezone(&business_zone()).date_naive()
    }
}

/// Formats a time for people: Beijing time, to the minute.
pub fn display_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&business_zone()).format("%Y-%m-%d %H:%M").to_string()
}

/// A stored RFC 3339 time as people read it (Beijing time, to the minute); unreadable text is
/// shown as it is rather than hidden.
pub fn display_stored(text: &str) -> String {
    DateTime::parse_from_rfc3339(text).map(|t| display_time(t.with_timezone(&Utc))).unwrap_or_else(|_| text.to_owned())
}

/// Whether a hybrid logical clock value is a time at all: above zero and within a signed 64-bit
/// integer, which is how every replica and the hub store it (beyond, it reads back negative).
pub fn is_valid_hlc(hlc: u64) -> bool {
    hlc > 0 && hlc <= i64::MAX as u64
}

/// A duration as people say it, for messages about clocks: minutes, hours or days.
pub fn spoken_duration(ms: i64) -> String {
    let minutes = ms / 60_000;
    if minutes < 120 {
        format!("约 {} 分钟", minutes.max(1))
    } else if minutes < 48 * 60 {
        format!("约 {} 小时", minutes / 60)
    } else {
        format!("约 {} 天", minutes / (24 * 60))
    }
}
