//! The local log anchored outside the `events` table (issue #13, defect 4).
//!
//! The hash chains inside `events` prove that each device's events link up, but not that the last
//! ones are still there, nor that rows kept their local order (`pos`): someone holding the
//! database key can drop the triggers and delete the tail or move a row, and the chains still
//! walk. So every event also gets a *link* in `event_links`, chaining its position and hash to
//! the link before it in local order; and one *checkpoint* row keeps the last link, the number of
//! events and the head of this device's own chain, sealed with an HMAC under a key derived from
//! the database key. Both are written in the same transaction as the events they cover. `verify`
//! walks the links and names the first row deleted, added or moved, and compares the checkpoint
//! with the log to name a deleted tail.
//!
//! What this catches, and what it does not: anyone who edits rows without recomputing the links
//! and the seal is caught; someone with the key who knows to recompute everything is not, locally.
//! The second anchor is outside the machine: the hub's signed receipts (kept in `sync_receipts`
//! and checked by the sync layer) cover everything up to the last sync, whoever holds the key.

use hmac::{Hmac, Mac};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use crate::error::Result;
use crate::events::GENESIS;

/// The checkpoint as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Checkpoint {
    events: u64,
    last_pos: i64,
    link: [u8; 32],
    own_seq: u64,
    own_hash: [u8; 32],
    mac: [u8; 32],
}

fn next_link(prev: &[u8; 32], pos: i64, hash: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"qingfeng/log-link/v1\0");
    h.update(prev);
    h.update(pos.to_be_bytes());
    h.update(hash);
    h.finalize().into()
}

fn seal(key: &[u8; 32], own_device: &str, c: &Checkpoint) -> [u8; 32] {
    // A key of any length is accepted by HMAC; this cannot fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => return [0; 32],
    };
    mac.update(own_device.as_bytes());
    mac.update(&[0]);
    mac.update(&c.events.to_be_bytes());
    mac.update(&c.last_pos.to_be_bytes());
    mac.update(&c.link);
    mac.update(&c.own_seq.to_be_bytes());
    mac.update(&c.own_hash);
    mac.finalize().into_bytes().into()
}

fn load(conn: &Connection) -> Result<Option<Checkpoint>> {
    let row = conn
        .prepare_cached("SELECT events, last_pos, link, own_seq, own_hash, mac FROM log_checkpoint WHERE id = 1")?
        .query_row([], |r| {
            let fixed =
                |i: usize| -> rusqlite::Result<[u8; 32]> { Ok(r.get_ref(i)?.as_blob()?.try_into().unwrap_or([0; 32])) };
            Ok(Checkpoint {
                events: r.get::<_, i64>(0)? as u64,
                last_pos: r.get(1)?,
                link: fixed(2)?,
                own_seq: r.get::<_, i64>(3)? as u64,
                own_hash: fixed(4)?,
                mac: fixed(5)?,
            })
        })
        .optional()?;
    Ok(row)
}

fn own_head(conn: &Connection, own_device: &str) -> Result<(u64, [u8; 32])> {
    let row: Option<(i64, Vec<u8>)> = conn
        .prepare_cached("SELECT seq, hash FROM events WHERE origin_device = ?1 ORDER BY seq DESC LIMIT 1")?
        .query_row([own_device], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(match row {
        Some((seq, hash)) => (seq as u64, hash.as_slice().try_into().unwrap_or(GENESIS)),
        None => (0, GENESIS),
    })
}

/// Links the events added since the checkpoint and moves the checkpoint to the new end. Runs
/// inside every transaction that adds events, before it commits.
pub(crate) fn extend(conn: &Connection, key: &[u8; 32], own_device: &str) -> Result<()> {
    let mut c = match load(conn)? {
        Some(c) => c,
        None => Checkpoint { events: 0, last_pos: 0, link: GENESIS, own_seq: 0, own_hash: GENESIS, mac: [0; 32] },
    };
    {
        let mut stmt = conn.prepare_cached("SELECT pos, hash FROM events WHERE pos > ?1 ORDER BY pos")?;
        let mut rows = stmt.query([c.last_pos])?;
        let mut insert = conn.prepare_cached("INSERT INTO event_links (pos, link) VALUES (?1, ?2)")?;
        while let Some(row) = rows.next()? {
            let pos: i64 = row.get(0)?;
            let hash = row.get_ref(1)?.as_blob().map_err(rusqlite::Error::from)?;
            c.link = next_link(&c.link, pos, hash);
            c.last_pos = pos;
            c.events += 1;
            insert.execute(params![pos, c.link.as_slice()])?;
        }
    }
    (c.own_seq, c.own_hash) = own_head(conn, own_device)?;
    c.mac = seal(key, own_device, &c);
    conn.prepare_cached(
        "INSERT INTO log_checkpoint (id, events, last_pos, link, own_seq, own_hash, mac) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (id) DO UPDATE SET events = excluded.events, last_pos = excluded.last_pos, link = excluded.link,
            own_seq = excluded.own_seq, own_hash = excluded.own_hash, mac = excluded.mac",
    )?
    .execute(params![
        c.events as i64,
        c.last_pos,
        c.link.as_slice(),
        c.own_seq as i64,
        c.own_hash.as_slice(),
        c.mac.as_slice()
    ])?;
    Ok(())
}

/// Builds the links and the checkpoint once, for a database whose events predate them. Never
/// again afterwards: a checkpoint that later goes missing is reported by `verify`, not rebuilt
/// over whatever the log then holds.
pub(crate) fn start(conn: &mut Connection, key: &[u8; 32], own_device: &str) -> Result<()> {
    let started: Option<String> =
        conn.query_row("SELECT value FROM meta WHERE key = 'checkpoint_started'", [], |r| r.get(0)).optional()?;
    if started.is_some() {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    extend(&tx, key, own_device)?;
    tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('checkpoint_started', '1')", [])?;
    tx.commit()?;
    Ok(())
}

/// Walks the links in local order and checks the checkpoint against the log and against this
/// device's own chain. Returns the problems in words (the first few), empty when all is well.
pub(crate) fn verify(conn: &Connection, key: &[u8; 32], own_device: &str) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let Some(c) = load(conn)? else {
        let started: Option<String> =
            conn.query_row("SELECT value FROM meta WHERE key = 'checkpoint_started'", [], |r| r.get(0)).optional()?;
        if started.is_some() {
            problems.push("日志检查点缺失：记录它的那一行被删除了，无法确认日志末尾是否完整。".into());
        }
        return Ok(problems);
    };
    if seal(key, own_device, &c) != c.mac {
        problems.push("日志检查点的封印与内容不符：检查点被改动过，日志末尾可能被删改。".into());
    }
    let mut events = conn.prepare("SELECT pos, hash, id FROM events ORDER BY pos")?;
    let mut events = events.query([])?;
    let mut links = conn.prepare("SELECT pos, link FROM event_links ORDER BY pos")?;
    let mut links = links.query([])?;
    let mut link = GENESIS;
    let (mut walked, mut last_pos) = (0u64, 0i64);
    let mut next_event = events
        .next()?
        .map(|r| -> rusqlite::Result<(i64, Vec<u8>, String)> { Ok((r.get(0)?, r.get(1)?, r.get(2)?)) })
        .transpose()?;
    let mut next_link_row =
        links.next()?.map(|r| -> rusqlite::Result<(i64, Vec<u8>)> { Ok((r.get(0)?, r.get(1)?)) }).transpose()?;
    while problems.len() < 20 {
        match (&next_event, &next_link_row) {
            (None, None) => break,
            (Some((pos, _, id)), None) => {
                problems.push(format!("第 {pos} 条记录（事件 {id}）不在本地顺序链中：它是事后加入或被移动到这里的。"));
            }
            (None, Some((pos, _))) => {
                problems.push(format!("第 {pos} 条记录不见了：它被删除或被移到了别的位置。"));
            }
            (Some((epos, hash, id)), Some((lpos, stored))) => {
                if epos < lpos {
                    problems
                        .push(format!("第 {epos} 条记录（事件 {id}）不在本地顺序链中：它是事后加入或被移动到这里的。"));
                } else if lpos < epos {
                    problems.push(format!("第 {lpos} 条记录不见了：它被删除或被移到了别的位置。"));
                } else {
                    link = next_link(&link, *epos, hash);
                    walked += 1;
                    last_pos = *epos;
                    if stored.as_slice() != link {
                        problems.push(format!(
                            "第 {epos} 条记录（事件 {id}）与本地顺序链不符：它的内容或前面的记录被改动过。"
                        ));
                        // Carry on from the stored link, so one change is named once.
                        link = stored.as_slice().try_into().unwrap_or(link);
                    }
                }
            }
        }
        let (epos, lpos) = (next_event.as_ref().map(|e| e.0), next_link_row.as_ref().map(|l| l.0));
        let advance_event = match (epos, lpos) {
            (Some(e), Some(l)) => e <= l,
            (Some(_), None) => true,
            _ => false,
        };
        let advance_link = match (epos, lpos) {
            (Some(e), Some(l)) => l <= e,
            (None, Some(_)) => true,
            _ => false,
        };
        if advance_event {
            next_event = events
                .next()?
                .map(|r| -> rusqlite::Result<(i64, Vec<u8>, String)> { Ok((r.get(0)?, r.get(1)?, r.get(2)?)) })
                .transpose()?;
        }
        if advance_link {
            next_link_row = links
                .next()?
                .map(|r| -> rusqlite::Result<(i64, Vec<u8>)> { Ok((r.get(0)?, r.get(1)?)) })
                .transpose()?;
        }
    }
    if problems.is_empty() && (walked != c.events || last_pos != c.last_pos || link != c.link) {
        problems.push(format!(
            "日志末尾与检查点不符：检查点记有 {} 条记录（到第 {} 条），现有 {walked} 条（到第 {last_pos} 条）。末尾的记录被删除了。",
            c.events, c.last_pos
        ));
    }
    let (seq, hash) = own_head(conn, own_device)?;
    if seq < c.own_seq {
        problems.push(format!(
            "本机记录链末尾的 {} 条记录被删除：检查点记到第 {} 号，现在只到第 {seq} 号。",
            c.own_seq - seq,
            c.own_seq
        ));
    } else if seq == c.own_seq && hash != c.own_hash {
        problems.push(format!("本机记录链第 {seq} 号记录与检查点不符：它被替换过。"));
    }
    Ok(problems)
}

/// Checks this device's chain against the head the hub last receipted (kept beside the signed
/// receipts): the hub holds everything up to it, so nothing up to it may be missing or differ here.
pub(crate) fn verify_against_hub(conn: &Connection, own_device: &str) -> Result<Vec<String>> {
    let acked: Option<String> = conn
        .query_row("SELECT CAST(value AS TEXT) FROM sync_state WHERE key = 'acked_seq'", [], |r| r.get(0))
        .optional()?;
    let Some(acked) = acked.and_then(|a| a.parse::<u64>().ok()).filter(|a| *a > 0) else {
        return Ok(Vec::new());
    };
    let acked_hash: Option<Vec<u8>> =
        conn.query_row("SELECT value FROM sync_state WHERE key = 'acked_hash'", [], |r| r.get(0)).optional()?;
    let (head, _) = own_head(conn, own_device)?;
    if head < acked {
        return Ok(vec![format!(
            "省级平台已签收本机第 1–{acked} 号记录，本机现在只到第 {head} 号：末尾的 {} 条记录被删除。可从省级平台恢复。",
            acked - head
        )]);
    }
    let held: Option<Vec<u8>> = conn
        .query_row(
            "SELECT hash FROM events WHERE origin_device = ?1 AND seq = ?2",
            params![own_device, acked as i64],
            |r| r.get(0),
        )
        .optional()?;
    if let (Some(held), Some(signed)) = (held, acked_hash)
        && held != signed
    {
        return Ok(vec![format!("本机第 {acked} 号记录与省级平台签收的不同：它在签收之后被改动过。")]);
    }
    Ok(Vec::new())
}
