//! Keeping this replica's clock honest (issue #13): an event from another office whose hybrid
//! logical clock is further ahead of this machine's time than the configured bound, or is no
//! valid time at all (0, or beyond what a signed 64-bit integer holds), is held aside rather than
//! applied, and never pushes this machine's own clock; it is applied, in order, once this machine's
//! time reaches it. One device with a wrong clock can then no longer shift every overseeing
//! office's timeline. Business dates are unaffected: they come from the payloads.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Transaction, params};

use crate::error::Result;
use crate::events::{Event, HLC_COUNTER_BITS};
use crate::projector::Projector;

/// The bound, in milliseconds, from the office's setting.
pub(crate) fn bound_ms(conn: &Connection) -> Result<i64> {
    Ok(i64::from(crate::settings::get(conn, "sync.max_clock_ahead_minutes")?) * 60_000)
}

/// The largest clock value this replica accepts now: its time plus the bound.
pub(crate) fn limit(conn: &Connection, now: DateTime<Utc>) -> Result<u64> {
    let ms = now.timestamp_millis().saturating_add(bound_ms(conn)?).max(0) as u64;
    Ok(ms.saturating_add(1) << HLC_COUNTER_BITS)
}

pub use qingfeng_log::clock::is_valid_hlc;

/// Why `event` must wait, or `None` if it may be applied now.
pub(crate) fn hold_reason(
    tx: &Transaction<'_>,
    event: &Event,
    limit: u64,
    now: DateTime<Utc>,
) -> Result<Option<String>> {
    if !is_valid_hlc(event.hlc) {
        return Ok(Some("的时间戳无效（为零或超出范围）".into()));
    }
    if event.hlc > limit {
        let ahead_ms = event.hlc_millis().saturating_sub(now.timestamp_millis());
        return Ok(Some(format!("的时间比本机快{}", approx(ahead_ms))));
    }
    // Later events of a device with an event held wait behind it, so its events apply in order.
    let earlier: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM held_events WHERE origin_device = ?1 AND seq < ?2)")?
        .query_row(params![event.origin_device, event.seq as i64], |r| r.get(0))?;
    Ok(earlier.then(|| "排在同一设备暂缓的记录之后".into()))
}

/// Keeps `event` aside with its reason (a second copy changes nothing).
pub(crate) fn hold(tx: &Transaction<'_>, event: &Event, reason: &str, now: DateTime<Utc>) -> Result<()> {
    tx.prepare_cached(
        "INSERT OR IGNORE INTO held_events (id, origin_office, origin_device, seq, hlc, actor, kind, aggregate, payload,
                                            prev, hash, reason, held_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        event.id,
        event.origin_office,
        event.origin_device,
        event.seq as i64,
        // An invalid clock beyond i64 is stored as the largest value; it is never released.
        event.hlc.min(i64::MAX as u64) as i64,
        event.actor,
        event.kind,
        event.aggregate,
        event.payload,
        event.prev.as_slice(),
        event.hash.as_slice(),
        reason,
        now.to_rfc3339(),
    ])?;
    Ok(())
}

/// Applies held events whose time has come, per device in seq order, stopping at a device's first
/// event still ahead; returns how many were applied and the largest clock among them.
pub(crate) fn release_due(tx: &Transaction<'_>, projector: &mut Projector, limit: u64) -> Result<(u64, u64)> {
    let held: Vec<(Event, u64)> = {
        let mut stmt = tx.prepare(
            "SELECT id, origin_office, origin_device, seq, hlc, actor, kind, aggregate, payload, prev, hash, hlc
             FROM held_events ORDER BY origin_device, seq",
        )?;
        let rows = stmt.query_map([], |r| Ok((crate::events::row_to_event(r)?, r.get::<_, i64>(11)? as u64)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut blocked_device: Option<String> = None;
    let (mut applied, mut max_hlc) = (0u64, 0u64);
    for (event, hlc) in held {
        if blocked_device.as_deref() == Some(event.origin_device.as_str()) {
            continue;
        }
        if !is_valid_hlc(hlc) || hlc > limit || hlc == i64::MAX as u64 {
            blocked_device = Some(event.origin_device.clone());
            continue;
        }
        tx.prepare_cached("DELETE FROM held_events WHERE origin_device = ?1 AND seq = ?2")?
            .execute(params![event.origin_device, event.seq as i64])?;
        let already: bool = tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM events WHERE origin_device = ?1 AND seq = ?2)")?
            .query_row(params![event.origin_device, event.seq as i64], |r| r.get(0))?;
        if already {
            continue;
        }
        crate::events::insert(tx, &event)?;
        projector.apply(tx, &event)?;
        applied += 1;
        max_hlc = max_hlc.max(hlc);
    }
    Ok((applied, max_hlc))
}

/// Puts right a clock that an earlier version let a received event push beyond the bound: the
/// next local event would otherwise carry a time far in the future (or, past 2^63, a negative one).
pub(crate) fn repair_seen(conn: &Connection, now: DateTime<Utc>) -> Result<()> {
    let limit = limit(conn, now)?;
    let seen: Option<String> =
        conn.query_row("SELECT CAST(value AS TEXT) FROM sync_state WHERE key = 'hlc_seen'", [], |r| r.get(0)).ok();
    if seen.and_then(|s| s.parse::<u64>().ok()).is_some_and(|s| s > limit) {
        conn.execute(
            "UPDATE sync_state SET value = CAST(?1 AS BLOB) WHERE key = 'hlc_seen'",
            [((now.timestamp_millis().max(0) as u64) << HLC_COUNTER_BITS).to_string()],
        )?;
    }
    Ok(())
}

pub use qingfeng_log::clock::spoken_duration as approx;

/// The alarm the sync screen shows for events held aside, naming the offices whose devices sent
/// them (never a device id), or `None` when nothing is held.
pub(crate) fn alarm(conn: &Connection) -> Result<Option<String>> {
    let mut stmt = conn.prepare(
        "SELECT coalesce(o.name, h.origin_office), count(DISTINCT h.origin_device), count(*),
                (SELECT f.reason FROM held_events f WHERE f.origin_office = h.origin_office ORDER BY f.hlc LIMIT 1)
         FROM held_events h LEFT JOIN offices o ON o.code = h.origin_office
         GROUP BY h.origin_office ORDER BY h.origin_office",
    )?;
    let lines: Vec<String> = stmt
        .query_map([], |r| {
            let (office, devices, events, reason): (String, i64, i64, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            let who = if devices > 1 {
                format!("{office}的 {devices} 台设备")
            } else {
                format!("{office}的一台设备")
            };
            Ok(format!(
                "{who}发来的 {events} 条记录{reason}，暂缓接收，到时会自动接收。请该单位把电脑的日期和时间调准。"
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok((!lines.is_empty()).then(|| lines.join("\n")))
}

/// How many events are held aside.
pub(crate) fn held_count(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row("SELECT count(*) FROM held_events", [], |r| r.get::<_, i64>(0))? as u64)
}

impl crate::store::Store {
    /// Records the hub's time as of an exchange just made, to tell the officer when this
    /// machine's clock differs from the hub's by more than the bound.
    pub fn note_hub_time(&mut self, hub_ms: i64) -> Result<()> {
        if hub_ms <= 0 {
            return Ok(());
        }
        let skew = self.clock().now().timestamp_millis().saturating_sub(hub_ms);
        self.conn().execute(
            "INSERT INTO sync_state (key, value) VALUES ('hub_skew_ms', CAST(?1 AS BLOB))
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [skew.to_string()],
        )?;
        Ok(())
    }

    /// Clocks out of step, in words: this machine against the hub, and events held aside.
    pub fn clock_alarm(&self) -> Result<Option<String>> {
        let conn = self.conn();
        let mut lines = Vec::new();
        let skew: Option<i64> = conn
            .query_row("SELECT CAST(value AS TEXT) FROM sync_state WHERE key = 'hub_skew_ms'", [], |r| {
                r.get::<_, String>(0)
            })
            .ok()
            .and_then(|s| s.parse().ok());
        if let Some(skew) = skew
            && skew.abs() > bound_ms(conn)?
        {
            lines.push(if skew > 0 {
                format!(
                    "本机时钟比省级平台快{}：本机的新记录会被省级平台暂缓接收。请把本机的日期和时间调准。",
                    approx(skew)
                )
            } else {
                format!("本机时钟比省级平台慢{}。请把本机的日期和时间调准，以免记录的时间前后错乱。", approx(-skew))
            });
        }
        if let Some(held) = alarm(conn)? {
            lines.push(held);
        }
        Ok((!lines.is_empty()).then(|| lines.join("\n")))
    }
}
