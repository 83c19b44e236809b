//! Counters since the process started, exposed at `/metrics` in Prometheus' text format.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

use qingfeng_sync::RejectCode;

use crate::storage::Counts;

/// The hub's counters. Cheap to bump from any thread.
#[derive(Debug, Default)]
pub struct Metrics {
    accepted: AtomicU64,
    rejected: [AtomicU64; RejectCode::ALL.len()],
    events: AtomicU64,
    alarms: AtomicU64,
    feed_pages: AtomicU64,
}

impl Metrics {
    pub(crate) fn changeset(&self, outcome: Option<RejectCode>) {
        match outcome {
            None => self.accepted.fetch_add(1, Ordering::Relaxed),
            Some(code) => {
                let i = RejectCode::ALL.iter().position(|c| *c == code).unwrap_or(0);
                self.rejected[i].fetch_add(1, Ordering::Relaxed)
            }
        };
    }

    pub(crate) fn events(&self, n: usize) {
        self.events.fetch_add(n as u64, Ordering::Relaxed);
    }

    pub(crate) fn alarm(&self) {
        self.alarms.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn feed_page(&self) {
        self.feed_pages.fetch_add(1, Ordering::Relaxed);
    }

    /// Change sets answered with `outcome` (`accepted` or a rejection code) since start.
    pub fn changesets(&self, outcome: &str) -> u64 {
        if outcome == "accepted" {
            return self.accepted.load(Ordering::Relaxed);
        }
        RejectCode::ALL
            .iter()
            .position(|c| c.as_str() == outcome)
            .map_or(0, |i| self.rejected[i].load(Ordering::Relaxed))
    }

    /// The Prometheus text exposition, with the store's totals as gauges.
    pub fn render(&self, counts: &Counts) -> String {
        let mut out = String::with_capacity(2048);
        let _ = writeln!(out, "# HELP qingfeng_hub_changesets_total Change sets answered, by outcome.");
        let _ = writeln!(out, "# TYPE qingfeng_hub_changesets_total counter");
        let _ = writeln!(
            out,
            "qingfeng_hub_changesets_total{{outcome=\"accepted\"}} {}",
            self.accepted.load(Ordering::Relaxed)
        );
        for (code, n) in RejectCode::ALL.iter().zip(&self.rejected) {
            let _ = writeln!(
                out,
                "qingfeng_hub_changesets_total{{outcome=\"{}\"}} {}",
                code.as_str(),
                n.load(Ordering::Relaxed)
            );
        }
        let counters = [
            ("qingfeng_hub_events_total", "Events newly accepted.", &self.events),
            ("qingfeng_hub_alarms_total", "Alarms raised.", &self.alarms),
            ("qingfeng_hub_feed_pages_total", "Feed pages served.", &self.feed_pages),
        ];
        for (name, help, value) in counters {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} counter");
            let _ = writeln!(out, "{name} {}", value.load(Ordering::Relaxed));
        }
        let gauges = [
            ("qingfeng_hub_stored_events", "Events held by the hub.", counts.events),
            ("qingfeng_hub_offices", "Offices in the directory.", counts.offices),
            ("qingfeng_hub_devices", "Enrolled devices.", counts.devices),
            ("qingfeng_hub_waiting_changesets", "Change sets waiting for a prerequisite.", counts.waiting),
        ];
        for (name, help, value) in gauges {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} gauge");
            let _ = writeln!(out, "{name} {value}");
        }
        out
    }
}
