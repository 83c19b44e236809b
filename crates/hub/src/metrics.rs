//! Counters since the process started, exposed at `/metrics` in Prometheus' text format: change
//! sets by outcome, events accepted and refused, alarms, feed pages, requests per route and status
//! with a latency histogram, the store's totals and the database pool. Each hub process counts its
//! own; Prometheus adds them up across processes.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

use qingfeng_sync::RejectCode;

use crate::group::GroupStats;
use crate::storage::Counts;

/// The routes requests are counted by (anything else counts as `other`).
pub const ROUTES: [&str; 8] =
    ["/health", "/metrics", "/v1/hub-key", "/v1/enroll", "/v1/status", "/v1/changesets", "/v1/feed", "other"];
/// Upper bounds of the latency histogram's buckets, in seconds.
pub const BUCKETS: [f64; 12] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];
/// Status classes requests are counted by.
const CLASSES: [&str; 4] = ["2xx", "4xx", "5xx", "other"];

/// Requests to one route: by status class, and a histogram of their latencies.
#[derive(Debug, Default)]
struct RouteStats {
    by_class: [AtomicU64; CLASSES.len()],
    /// Cumulative counts per bucket (the last is +Inf), and the sum in microseconds.
    buckets: [AtomicU64; BUCKETS.len() + 1],
    sum_micros: AtomicU64,
}

/// The hub's counters. Cheap to bump from any thread.
#[derive(Debug, Default)]
pub struct Metrics {
    accepted: AtomicU64,
    rejected: [AtomicU64; RejectCode::ALL.len()],
    events: AtomicU64,
    refused_events: AtomicU64,
    alarms: AtomicU64,
    feed_pages: AtomicU64,
    routes: [RouteStats; ROUTES.len()],
    /// Microseconds change sets spent being decoded and their signatures checked (outside any
    /// lock, in parallel), and in their grouped write (waiting, applying, committing).
    verify_micros: AtomicU64,
    store_micros: AtomicU64,
}

/// The database pool as `/metrics` shows it: connections open, idle, and callers waiting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolStatus {
    pub size: usize,
    pub available: usize,
    pub waiting: usize,
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

    pub(crate) fn refused_events(&self, n: usize) {
        self.refused_events.fetch_add(n as u64, Ordering::Relaxed);
    }

    /// One answered request: its route, HTTP status and how long it took.
    pub fn request(&self, route: &str, status: u16, elapsed: std::time::Duration) {
        let r = ROUTES.iter().position(|x| *x == route).unwrap_or(ROUTES.len() - 1);
        let stats = &self.routes[r];
        let class = match status {
            200..=299 => 0,
            400..=499 => 1,
            500..=599 => 2,
            _ => 3,
        };
        stats.by_class[class].fetch_add(1, Ordering::Relaxed);
        let seconds = elapsed.as_secs_f64();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                stats.buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        stats.buckets[BUCKETS.len()].fetch_add(1, Ordering::Relaxed);
        stats.sum_micros.fetch_add(elapsed.as_micros().min(u64::MAX as u128) as u64, Ordering::Relaxed);
    }

    /// Time one change set spent being verified before its write.
    pub(crate) fn verified(&self, elapsed: std::time::Duration) {
        self.verify_micros.fetch_add(elapsed.as_micros().min(u64::MAX as u128) as u64, Ordering::Relaxed);
    }

    /// Time one change set spent in its write, from asking for it to its commit.
    pub(crate) fn stored(&self, elapsed: std::time::Duration) {
        self.store_micros.fetch_add(elapsed.as_micros().min(u64::MAX as u128) as u64, Ordering::Relaxed);
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

    /// The Prometheus text exposition, with the store's totals and the database pool as gauges.
    pub fn render(&self, counts: &Counts, pool: Option<PoolStatus>, group: Option<GroupStats>) -> String {
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
            (
                "qingfeng_hub_events_refused_total",
                "Events of unauthorized change sets, kept in their chain but routed nowhere.",
                &self.refused_events,
            ),
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
        let _ = writeln!(out, "# HELP qingfeng_hub_http_requests_total Requests answered, by route and status class.");
        let _ = writeln!(out, "# TYPE qingfeng_hub_http_requests_total counter");
        for (route, stats) in ROUTES.iter().zip(&self.routes) {
            for (class, n) in CLASSES.iter().zip(&stats.by_class) {
                let _ = writeln!(
                    out,
                    "qingfeng_hub_http_requests_total{{route=\"{route}\",status=\"{class}\"}} {}",
                    n.load(Ordering::Relaxed)
                );
            }
        }
        let name = "qingfeng_hub_http_request_duration_seconds";
        let _ = writeln!(out, "# HELP {name} Time from the request's arrival to its answer, by route.");
        let _ = writeln!(out, "# TYPE {name} histogram");
        for (route, stats) in ROUTES.iter().zip(&self.routes) {
            for (i, bound) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "{name}_bucket{{route=\"{route}\",le=\"{bound}\"}} {}",
                    stats.buckets[i].load(Ordering::Relaxed)
                );
            }
            let count = stats.buckets[BUCKETS.len()].load(Ordering::Relaxed);
            let _ = writeln!(out, "{name}_bucket{{route=\"{route}\",le=\"+Inf\"}} {count}");
            let sum = stats.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
            let _ = writeln!(out, "{name}_sum{{route=\"{route}\"}} {sum}");
            let _ = writeln!(out, "{name}_count{{route=\"{route}\"}} {count}");
        }
        let name = "qingfeng_hub_changeset_seconds_total";
        let _ = writeln!(
            out,
            "# HELP {name} Time change sets spent, by phase: verify (decoding and the signature, in parallel) and store (waiting for, applying in and committing their grouped write)."
        );
        let _ = writeln!(out, "# TYPE {name} counter");
        for (phase, micros) in [("verify", &self.verify_micros), ("store", &self.store_micros)] {
            let _ = writeln!(out, "{name}{{phase=\"{phase}\"}} {}", micros.load(Ordering::Relaxed) as f64 / 1e6);
        }
        if let Some(group) = group {
            let counters = [
                (
                    "qingfeng_hub_group_commits_total",
                    "Group commits: transactions that made several writes durable at once.",
                    group.commits as f64,
                ),
                ("qingfeng_hub_group_writes_total", "Writes made durable by group commits.", group.writes as f64),
                (
                    "qingfeng_hub_group_write_seconds_total",
                    "Time writes ran inside their group's transaction, one after another.",
                    group.write_seconds,
                ),
                (
                    "qingfeng_hub_group_commit_seconds_total",
                    "Time spent committing groups (held-back feed appends, then COMMIT and its flush).",
                    group.commit_seconds,
                ),
            ];
            for (name, help, value) in counters {
                let _ = writeln!(out, "# HELP {name} {help}");
                let _ = writeln!(out, "# TYPE {name} counter");
                let _ = writeln!(out, "{name} {value}");
            }
        }
        if let Some(pool) = pool {
            let pool_gauges = [
                ("qingfeng_hub_db_pool_connections", "Database connections open.", pool.size),
                ("qingfeng_hub_db_pool_idle", "Database connections open and idle.", pool.available),
                ("qingfeng_hub_db_pool_waiting", "Requests waiting for a database connection.", pool.waiting),
            ];
            for (name, help, value) in pool_gauges {
                let _ = writeln!(out, "# HELP {name} {help}");
                let _ = writeln!(out, "# TYPE {name} gauge");
                let _ = writeln!(out, "{name} {value}");
            }
        }
        out
    }
}
