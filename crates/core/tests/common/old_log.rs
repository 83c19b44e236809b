//! Old logs kept as fixtures (`tests/data/*_log_v1.tsv`, with the `.dump` of the tables the code of
//! that time rebuilt from them): reading a log, and checking that today's rebuild of it makes the
//! same tables.

use qingfeng_core::events::Event;

fn hash32(hex_text: &str) -> [u8; 32] {
    hex::decode(hex_text).unwrap().try_into().unwrap()
}

/// The events of a fixture log, one tab-separated line each (payload and hashes in hex).
pub fn events(log: &str) -> Vec<Event> {
    log.lines()
        .map(|line| {
            let c: Vec<&str> = line.split('\t').collect();
            assert_eq!(c.len(), 11, "a log line has 11 columns: {line}");
            Event {
                id: c[0].into(),
                origin_office: c[1].into(),
                origin_device: c[2].into(),
                seq: c[3].parse().unwrap(),
                hlc: c[4].parse().unwrap(),
                actor: c[5].into(),
                kind: c[6].into(),
                aggregate: c[7].into(),
                payload: hex::decode(c[8]).unwrap(),
                prev: hash32(c[9]),
                hash: hash32(c[10]),
            }
        })
        .collect()
}

/// Writes the fixture log into an empty store as it stands, rebuilds every projection from it, and
/// panics naming the first row that differs from the old code's tables.
///
/// Tables added to the projection after the fixture was taken (such as `blob_refs`) hold nothing
/// the old code made, so only the tables the fixture has are compared, each in full. Columns added
/// to a fixture table since are appended by their migrations and end a row's last line (a cell may
/// hold several lines): `added` names them, per table, as they read for a log that never set them.
pub fn assert_rebuilds_to(log: &str, dump: &str, added: &[(&str, &str)]) {
    let f = super::empty();
    let conn = f.store.raw_connection_for_tests();
    for e in events(log) {
        conn.execute(
            "INSERT INTO events (id, origin_office, origin_device, seq, hlc, actor, kind, aggregate, payload, prev, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            rusqlite::params![
                e.id,
                e.origin_office,
                e.origin_device,
                e.seq as i64,
                e.hlc as i64,
                e.actor,
                e.kind,
                e.aggregate,
                e.payload,
                e.prev.to_vec(),
                e.hash.to_vec()
            ],
        )
        .unwrap();
    }
    let mut store = f.store;
    store.rebuild().unwrap();
    let rebuilt_dump = store.projection_dump().unwrap();
    let now = sections(&rebuilt_dump);
    for (table, rows) in sections(dump) {
        let rebuilt = now.iter().find(|(t, _)| *t == table).map(|(_, r)| r.as_slice()).unwrap_or_default();
        let cells = added.iter().find(|(t, _)| *t == table).map_or("", |(_, c)| *c);
        let same = |a: &str, b: &str| a == b || (!cells.is_empty() && a == format!("{b}{cells}"));
        if rebuilt.len() != rows.len() || rebuilt.iter().zip(&rows).any(|(a, b)| !same(a, b)) {
            let first = rebuilt.iter().zip(&rows).find(|(a, b)| !same(a, b));
            panic!("the rebuilt table {table} differs from the old code's; first differing row:\n now: {first:?}");
        }
    }
}

/// Splits a projection dump into its tables (`## name` headers) and their rows.
fn sections(dump: &str) -> Vec<(&str, Vec<&str>)> {
    let mut out: Vec<(&str, Vec<&str>)> = Vec::new();
    for line in dump.lines() {
        match line.strip_prefix("## ") {
            Some(name) => out.push((name, Vec::new())),
            None => match out.last_mut() {
                Some((_, rows)) => rows.push(line),
                None => out.push(("", vec![line])),
            },
        }
    }
    out
}
