//! Helpers shared by the integration tests: events hashed exactly as the core hashes them.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use qingfeng_log::event::{Event, GENESIS};

/// `n` events of one device's chain from seq 1, each with a payload of `payload_len` bytes.
pub fn chain(office: &str, device: &str, n: usize, payload_len: usize) -> Vec<Event> {
    continue_chain(office, device, 1, GENESIS, n, payload_len)
}

/// `n` events of one device's chain from `first_seq`, the first linking to `prev`.
pub fn continue_chain(
    office: &str,
    device: &str,
    first_seq: u64,
    prev: [u8; 32],
    n: usize,
    payload_len: usize,
) -> Vec<Event> {
    let mut events: Vec<Event> = (0..n as u64)
        .map(|i| {
            let seq = first_seq + i;
            Event {
                id: format!("0190f0e0-0000-7000-8000-{seq:012}"),
                origin_office: office.to_owned(),
                origin_device: device.to_owned(),
                seq,
                hlc: (1_750_000_000_000u64 + seq) << 16,
                actor: "u-1".to_owned(),
                kind: "complaint.registered".to_owned(),
                aggregate: format!("complaint:{}", seq % 7),
                payload: (0..payload_len).map(|j| (j as u64 + seq) as u8).collect(),
                prev: GENESIS,
                hash: [0; 32],
            }
        })
        .collect();
    if let Some(first) = events.first_mut() {
        first.prev = prev;
    }
    rehash(&mut events);
    events
}

/// Recomputes every hash and `prev` link (keeping the first event's `prev`), as `ChainHead::append`
/// would have, after a test changed some field.
pub fn rehash(events: &mut [Event]) {
    let mut buf = Vec::new();
    let mut prev = events.first().map(|e| e.prev).unwrap_or(GENESIS);
    for e in events {
        e.prev = prev;
        e.hash = e.body().hash_with(&mut buf);
        prev = e.hash;
    }
}
