//! What the hub's benchmarks share: the JSON line each figure is printed as, percentiles, and
//! the floors beside the hub's figures: the same events inserted into a plain SQLite file, and
//! copied into a plain PostgreSQL table with `COPY`, with no signatures, network or routing.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::Instant;

use qingfeng_log::event::Event;
use serde_json::json;

pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Prints one figure as a JSON line whose first key is `bench`, as `xtask/src/bench.rs` expects.
pub fn emit(name: &str, fields: serde_json::Value) {
    let body = fields.to_string();
    println!("{{\"bench\":\"{name}\",{}", &body[1..]);
}

/// The value at fraction `p` of `sorted` (nearest rank).
pub fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The events, each as large as an uploaded event, inserted into a plain SQLite file in WAL mode
/// with `synchronous = FULL` in 2,000-row transactions.
pub fn sqlite_insert(dir: &Path, events: &[Event]) {
    let mut conn = rusqlite::Connection::open(dir.join("floor.db")).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
         CREATE TABLE events (id TEXT PRIMARY KEY, device TEXT NOT NULL, seq INTEGER NOT NULL, hlc INTEGER NOT NULL,
             kind TEXT NOT NULL, aggregate TEXT NOT NULL, payload BLOB NOT NULL, prev BLOB NOT NULL, hash BLOB NOT NULL,
             UNIQUE (device, seq));",
    )
    .unwrap();
    let t = Instant::now();
    for chunk in events.chunks(2000) {
        let tx = conn.transaction().unwrap();
        {
            let mut insert =
                tx.prepare_cached("INSERT INTO events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)").unwrap();
            for e in chunk {
                insert
                    .execute(rusqlite::params![
                        e.id,
                        e.origin_device,
                        e.seq as i64,
                        e.hlc as i64,
                        e.kind,
                        e.aggregate,
                        e.payload,
                        &e.prev[..],
                        &e.hash[..]
                    ])
                    .unwrap();
            }
        }
        tx.commit().unwrap();
    }
    let seconds = t.elapsed().as_secs_f64();
    let n = events.len();
    emit(
        "baseline_sqlite",
        json!({"events": n, "seconds": round3(seconds), "per_second": (n as f64 / seconds).round()}),
    );
}

/// The same events copied into a plain PostgreSQL table (the same columns and keys as the
/// SQLite floor) with binary `COPY`, 2,000 rows per transaction, at `url`.
pub fn postgres_copy(url: &str, events: &[Event]) {
    use tokio_postgres::binary_copy::BinaryCopyInWriter;
    use tokio_postgres::types::Type;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let seconds = rt.block_on(async {
        let (mut client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(conn);
        client
            .batch_execute(
                "CREATE TABLE floor_events (id text PRIMARY KEY, device text NOT NULL, seq bigint NOT NULL,
                     hlc bigint NOT NULL, kind text NOT NULL, aggregate text NOT NULL, payload bytea NOT NULL,
                     prev bytea NOT NULL, hash bytea NOT NULL, UNIQUE (device, seq))",
            )
            .await
            .unwrap();
        let types = [
            Type::TEXT,
            Type::TEXT,
            Type::INT8,
            Type::INT8,
            Type::TEXT,
            Type::TEXT,
            Type::BYTEA,
            Type::BYTEA,
            Type::BYTEA,
        ];
        let t = Instant::now();
        for chunk in events.chunks(2000) {
            let tx = client.transaction().await.unwrap();
            let sink = tx
                .copy_in("COPY floor_events (id, device, seq, hlc, kind, aggregate, payload, prev, hash) FROM STDIN (FORMAT binary)")
                .await
                .unwrap();
            let writer = BinaryCopyInWriter::new(sink, &types);
            let mut writer = std::pin::pin!(writer);
            for e in chunk {
                let (seq, hlc) = (e.seq as i64, e.hlc as i64);
                writer
                    .as_mut()
                    .write(&[
                        &e.id,
                        &e.origin_device,
                        &seq,
                        &hlc,
                        &e.kind,
                        &e.aggregate,
                        &e.payload,
                        &&e.prev[..],
                        &&e.hash[..],
                    ])
                    .await
                    .unwrap();
            }
            writer.as_mut().finish().await.unwrap();
            tx.commit().await.unwrap();
        }
        t.elapsed().as_secs_f64()
    });
    let n = events.len();
    emit(
        "floor_postgres_copy",
        json!({"events": n, "seconds": round3(seconds), "per_second": (n as f64 / seconds).round()}),
    );
}
