//! The replica's side of sync, free of HTTP and signatures: this device's outbox, the hub's
//! receipts, and applying events that arrive from elsewhere through the same projector.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::error::{CoreError, Result};
use crate::events::{Event, GENESIS};
use crate::ownership::HUB_OFFICE;
use crate::projector::{Projector, kind};
use crate::store::Store;

/// What the sync screen and `qingfeng sync status` show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncStatus {
    pub device_id: String,
    pub office_code: Option<String>,
    /// Set once the device holds a certificate from the hub.
    pub enrolled: bool,
    pub hub_url: Option<String>,
    /// This device's events the hub has not yet receipted.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub pending: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub acked_seq: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub head_seq: u64,
    /// The last feed position applied.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub feed_cursor: u64,
    pub last_success: Option<String>,
    pub last_attempt: Option<String>,
    /// The last failure in Chinese, cleared by the next success.
    pub last_error: Option<String>,
    /// Change sets the hub refused (each with its reason); the queue moved past them.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub rejected: u64,
    /// Events kept but not applied because their office no longer owned the case.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub open_conflicts: u64,
    /// The record that stops this device's uploads, when one is too large to send.
    pub blocked: Option<crate::queue::BlockedEvent>,
    /// Attachments, evidence and PDFs the log names that have not arrived yet (附件传输中).
    pub blobs: crate::blobs::BlobTotals,
    /// Clocks out of step, in plain words: events from another office held aside because its
    /// device's clock is ahead, or this machine's clock differing from the hub's.
    pub clock_alarm: Option<String>,
    /// Events held aside until this machine's time reaches theirs.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub held_events: u64,
}

/// How the device reaches and trusts the hub, stored at enrollment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncConfig {
    pub hub_url: Option<String>,
    /// The hub's public key as the sync crate encodes it (pinned at enrollment).
    pub hub_key: Vec<u8>,
    /// This device's certificate as the hub signed it.
    pub certificate: Vec<u8>,
}

/// One receipt from the hub, already verified by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptRecord {
    pub changeset_id: String,
    pub first_seq: u64,
    pub last_seq: u64,
    /// Hash of the event at `last_seq` (for an accepted set: the new acknowledged head).
    pub last_hash: [u8; 32],
    pub accepted: bool,
    pub code: Option<String>,
    pub reason: Option<String>,
    /// The signed receipt as received, kept as proof.
    pub raw: Vec<u8>,
}

/// Payload of `bundle.exported`.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct BundleExported {
    /// This device's events not yet receipted by the hub when the bundle was written.
    pub pending_events: u64,
}

/// Checks that `actor` may write a bundle (the administrator) and records the export, before
/// anything is written: the record travels in the bundle itself, so the hub sees who carried it.
pub fn record_bundle_export(store: &mut Store, actor: &crate::authz::Actor) -> Result<()> {
    let office = store.office()?;
    let pending = store.sync_status()?.pending;
    store.execute(actor, crate::authz::Action::ExchangeBundle { office: office.clone() }, |_tx, _ctx| {
        Ok(crate::store::Decision::events(vec![crate::events::NewEvent::new(
            kind::BUNDLE_EXPORTED,
            format!("office:{office}"),
            &BundleExported { pending_events: pending + 1 },
        )?]))
    })?;
    Ok(())
}

/// Checks that `actor` may write or import a bundle (the administrator); a refusal is recorded
/// like any other.
pub fn authorize_bundle_exchange(store: &mut Store, actor: &crate::authz::Actor) -> Result<()> {
    let office = store.office()?;
    store.execute(actor, crate::authz::Action::ExchangeBundle { office }, |_tx, _ctx| {
        Ok(crate::store::Decision::default())
    })?;
    Ok(())
}

/// What one page of remote events did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct IngestReport {
    pub received: u64,
    pub applied: u64,
    pub already_held: u64,
    pub conflicts: u64,
    /// Events held aside because their clock is too far ahead of this machine's (issue #13).
    pub held: u64,
}

/// A conflict as the complaint page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConflictView {
    pub event_id: String,
    pub aggregate: String,
    pub origin_office: String,
    pub kind: String,
    pub raised_at: String,
    pub status: String,
    pub resolution: Option<String>,
    pub note: Option<String>,
}

fn state_get(conn: &rusqlite::Connection, key: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn.prepare_cached("SELECT value FROM sync_state WHERE key = ?1")?.query_row([key], |r| r.get(0)).optional()?)
}

fn state_text(conn: &rusqlite::Connection, key: &str) -> Result<Option<String>> {
    Ok(state_get(conn, key)?.map(|v| String::from_utf8_lossy(&v).into_owned()))
}

fn state_u64(conn: &rusqlite::Connection, key: &str) -> Result<u64> {
    Ok(state_text(conn, key)?.and_then(|t| t.parse().ok()).unwrap_or(0))
}

fn state_set(conn: &rusqlite::Connection, key: &str, value: &[u8]) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_state (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

fn count_conflicts(conn: &rusqlite::Connection) -> Result<u64> {
    Ok(conn.query_row("SELECT count(*) FROM conflicts", [], |r| r.get::<_, i64>(0))? as u64)
}

/// The last seq of `device`'s own chain.
fn head_seq(conn: &rusqlite::Connection, device: &str) -> Result<u64> {
    Ok(conn.query_row("SELECT coalesce(max(seq), 0) FROM events WHERE origin_device = ?1", [device], |r| {
        r.get::<_, i64>(0)
    })? as u64)
}

impl Store {
    /// The sync state for screens and the command line.
    pub fn sync_status(&self) -> Result<SyncStatus> {
        let conn = self.conn();
        let acked_seq = state_u64(conn, "acked_seq")?;
        let head_seq = head_seq(conn, self.device_id())?;
        let rejected: i64 =
            conn.query_row("SELECT count(*) FROM sync_receipts WHERE accepted = 0", [], |r| r.get(0))?;
        let open_conflicts: i64 =
            conn.query_row("SELECT count(*) FROM conflicts WHERE status = 'open'", [], |r| r.get(0))?;
        Ok(SyncStatus {
            device_id: self.device_id().to_owned(),
            office_code: self.office_code().map(str::to_owned),
            enrolled: state_get(conn, "certificate")?.is_some(),
            hub_url: state_text(conn, "hub_url")?.filter(|u| !u.is_empty()),
            pending: head_seq.saturating_sub(acked_seq),
            acked_seq,
            head_seq,
            feed_cursor: state_u64(conn, "feed_cursor")?,
            last_success: state_text(conn, "last_success")?,
            last_attempt: state_text(conn, "last_attempt")?,
            last_error: state_text(conn, "last_error")?.filter(|e| !e.is_empty()),
            rejected: rejected as u64,
            open_conflicts: open_conflicts as u64,
            blocked: self.blocked()?,
            blobs: self.blob_totals()?,
            clock_alarm: self.clock_alarm()?,
            held_events: crate::clockguard::held_count(conn)?,
        })
    }

    /// The hub's pinned key and this device's certificate, if enrolled.
    pub fn sync_config(&self) -> Result<Option<SyncConfig>> {
        let conn = self.conn();
        let (Some(hub_key), Some(certificate)) = (state_get(conn, "hub_key")?, state_get(conn, "certificate")?) else {
            return Ok(None);
        };
        Ok(Some(SyncConfig { hub_url: state_text(conn, "hub_url")?.filter(|u| !u.is_empty()), hub_key, certificate }))
    }

    /// Stores what enrollment produced. A device enrolls once: a second enrollment with another
    /// hub key is refused, because the pinned key is what protects it from a false hub.
    pub fn set_sync_config(&mut self, config: &SyncConfig) -> Result<()> {
        let tx = self.conn_mut().transaction()?;
        if let Some(pinned) = state_get(&tx, "hub_key")?
            && pinned != config.hub_key
        {
            return Err(CoreError::invalid(
                "本机已登记到另一个省级平台（平台公钥不同），不能改登记到这个平台。如确需更换，请联系省级平台管理员。",
            ));
        }
        state_set(&tx, "hub_key", &config.hub_key)?;
        state_set(&tx, "certificate", &config.certificate)?;
        state_set(&tx, "hub_url", config.hub_url.as_deref().unwrap_or_default().as_bytes())?;
        tx.commit()?;
        Ok(())
    }

    /// Changes only the hub's address (the key stays pinned).
    pub fn set_hub_url(&mut self, url: &str) -> Result<()> {
        state_set(self.conn(), "hub_url", url.trim().as_bytes())
    }

    /// This device's events after `after_seq`, oldest first, at most `max`.
    pub fn outbox(&self, after_seq: u64, max: usize) -> Result<Vec<Event>> {
        crate::events::for_device_after(self.conn(), self.device_id(), after_seq, max)
    }

    /// The last seq and hash the hub has receipted for this device.
    pub fn acked_head(&self) -> Result<(u64, [u8; 32])> {
        let conn = self.conn();
        let seq = state_u64(conn, "acked_seq")?;
        let hash = state_get(conn, "acked_hash")?.and_then(|h| <[u8; 32]>::try_from(h.as_slice()).ok());
        Ok((seq, hash.unwrap_or(GENESIS)))
    }

    /// Records a receipt. An accepted one advances the acknowledged head, never backwards (a
    /// receipt replayed after a later one changes nothing); a rejected one is kept with its reason.
    pub fn record_receipt(&mut self, r: &ReceiptRecord) -> Result<()> {
        let now = self.clock().now().to_rfc3339();
        let tx = self.conn_mut().transaction()?;
        tx.prepare_cached(
            "INSERT OR REPLACE INTO sync_receipts (changeset_id, first_seq, last_seq, accepted, code, reason, receipt, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![r.changeset_id, r.first_seq as i64, r.last_seq as i64, r.accepted, r.code, r.reason, r.raw, now])?;
        let acked = state_u64(&tx, "acked_seq")?;
        if r.last_seq > acked && (r.accepted || r.code.as_deref() == Some("unauthorized")) {
            // An unauthorized set is final: the hub keeps its events in the chain, marked refused,
            // and routes them nowhere, so the queue moves past it (a rejection never blocks the
            // queue); its reason stays in `sync_receipts` and on the sync screen. Other
            // rejections (a gap, a revoked or unknown device, a bad signature, a broken chain)
            // leave the events pending, to be sent again once the cause is put right.
            state_set(&tx, "acked_seq", r.last_seq.to_string().as_bytes())?;
            state_set(&tx, "acked_hash", &r.last_hash)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Moves the acknowledged head to what the hub reports holding (status exchange), never
    /// backwards and never past this device's own head.
    pub fn note_hub_head(&mut self, seq: u64, hash: [u8; 32]) -> Result<()> {
        let (acked, _) = self.acked_head()?;
        let own = head_seq(self.conn(), self.device_id())?;
        if seq > acked && seq <= own {
            let tx = self.conn_mut().transaction()?;
            state_set(&tx, "acked_seq", seq.to_string().as_bytes())?;
            state_set(&tx, "acked_hash", &hash)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// The signed receipt the hub gave for this device's latest accepted change set, as received:
    /// the anchor of this device's chain outside the machine.
    pub fn latest_accepted_receipt(&self) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn()
            .query_row("SELECT receipt FROM sync_receipts WHERE accepted = 1 ORDER BY last_seq DESC LIMIT 1", [], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Records how the last attempt went, for the sync screen.
    pub fn note_sync_result(&mut self, ok: bool, message: &str) -> Result<()> {
        let now = crate::clock::display_time(self.clock().now());
        let tx = self.conn_mut().transaction()?;
        state_set(&tx, "last_attempt", now.as_bytes())?;
        if ok {
            state_set(&tx, "last_success", now.as_bytes())?;
            state_set(&tx, "last_error", b"")?;
        } else {
            state_set(&tx, "last_error", message.as_bytes())?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Applies a page of events from the hub in one transaction: each is checked (its hash, its
    /// link to the previous event of its device where this replica holds it, that it is not
    /// another office's private record, that only the hub orders ownership), stored, and applied
    /// through the same projector as local events. Events already held are skipped, so a page
    /// delivered twice changes nothing. Any bad event refuses the whole page.
    pub fn ingest_remote(&mut self, events: &[Event], cursor: u64) -> Result<IngestReport> {
        let own_office = self.office_code().map(str::to_owned);
        let own_device = self.device_id().to_owned();
        let mut projector = Projector { calendar: self.calendar().clone() };
        let mut report = IngestReport { received: events.len() as u64, ..Default::default() };
        let checkpoint_key = zeroize::Zeroizing::new(*self.checkpoint_key());
        let now = self.clock().now();
        let tx = self.conn_mut().transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Counted once for the page: a re-projection may clear and list conflicts again, so the
        // difference is what the page added.
        let conflicts_before = count_conflicts(&tx)?;
        let limit = crate::clockguard::limit(&tx, now)?;
        // Events held earlier whose time has come go first, in their devices' order.
        let (released, mut max_hlc) = crate::clockguard::release_due(&tx, &mut projector, limit)?;
        report.applied += released;
        let mut buf = Vec::with_capacity(512);
        for event in events {
            let refuse = |why: &str| {
                CoreError::Tampered(format!(
                    "收到的事件 {}（{} 第 {} 号）{why}，本批未导入，本地数据未改变。",
                    event.id, event.origin_device, event.seq
                ))
            };
            if event.origin_device == own_device {
                return Err(refuse("声称来自本机，但本机没有记录过它"));
            }
            if event.body().hash_with(&mut buf) != event.hash {
                return Err(refuse("内容与哈希不符"));
            }
            let held: Option<Vec<u8>> = tx
                .prepare_cached("SELECT hash FROM events WHERE origin_device = ?1 AND seq = ?2")?
                .query_row(params![event.origin_device, event.seq as i64], |r| r.get(0))
                .optional()?;
            if let Some(held) = held {
                if held.as_slice() != event.hash {
                    return Err(refuse("与本机已有的同序号事件不同（同一序号出现两个版本）"));
                }
                report.already_held += 1;
                continue;
            }
            if let Some(reason) = crate::clockguard::hold_reason(&tx, event, limit, now)? {
                crate::clockguard::hold(&tx, event, &reason, now)?;
                report.held += 1;
                continue;
            }
            if event.seq > 1 {
                let prev: Option<Vec<u8>> = tx
                    .prepare_cached("SELECT hash FROM events WHERE origin_device = ?1 AND seq = ?2")?
                    .query_row(params![event.origin_device, (event.seq - 1) as i64], |r| r.get(0))
                    .optional()?;
                if prev.is_some_and(|p| p.as_slice() != event.prev) {
                    return Err(refuse("与同一设备的上一事件衔接不上"));
                }
            } else if event.prev != GENESIS {
                return Err(refuse("是该设备的第一个事件，却有前序哈希"));
            }
            if kind::is_office_private(&event.kind)
                && event.origin_office != HUB_OFFICE
                && own_office.as_deref() != Some(event.origin_office.as_str())
            {
                return Err(refuse("是其他单位的内部记录，不应同步到本单位"));
            }
            if event.kind == kind::OWNERSHIP_CHANGED && event.origin_office != HUB_OFFICE {
                return Err(refuse("声称变更案件归属，但不是省级平台签发的"));
            }
            if event.origin_office == HUB_OFFICE
                && !matches!(
                    event.kind.as_str(),
                    kind::OWNERSHIP_CHANGED | kind::OFFICE_CREATED | kind::CALENDAR_UPDATED | kind::OFFICE_SEALING_KEYS
                )
            {
                return Err(refuse("是省级平台不应签发的事件类型"));
            }
            crate::events::insert(&tx, event)?;
            projector.apply(&tx, event)?;
            report.applied += 1;
            max_hlc = max_hlc.max(event.hlc);
        }
        report.conflicts = count_conflicts(&tx)?.saturating_sub(conflicts_before);
        // Keep this device's hybrid logical clock ahead of every event it has seen, so its next
        // event orders after what caused it; but never past this machine's time plus the bound
        // (held events above it are not counted), so one wrong clock cannot drag this one along.
        let max_hlc = max_hlc.min(limit);
        if max_hlc > state_u64(&tx, "hlc_seen")? {
            state_set(&tx, "hlc_seen", max_hlc.to_string().as_bytes())?;
        }
        let held = state_u64(&tx, "feed_cursor")?;
        if cursor > held {
            state_set(&tx, "feed_cursor", cursor.to_string().as_bytes())?;
        }
        crate::anchor::extend(&tx, &checkpoint_key, &own_device)?;
        tx.commit()?;
        self.set_calendar(projector.calendar);
        Ok(report)
    }

    /// Conflicts on one aggregate (or all, with `None`), open first.
    pub fn conflicts(&self, aggregate: Option<&str>) -> Result<Vec<ConflictView>> {
        let mut stmt = self.conn().prepare(
            "SELECT event_id, aggregate, origin_office, kind, raised_at, status, resolution, note FROM conflicts
             WHERE ?1 IS NULL OR aggregate = ?1 ORDER BY status = 'resolved', raised_at",
        )?;
        let rows = stmt.query_map([aggregate], |r| {
            Ok(ConflictView {
                event_id: r.get(0)?,
                aggregate: r.get(1)?,
                origin_office: r.get(2)?,
                kind: r.get(3)?,
                raised_at: r.get(4)?,
                status: r.get(5)?,
                resolution: r.get(6)?,
                note: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
