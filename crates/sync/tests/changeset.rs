//! Change sets: the contract's encoding, chain checks, limits, signatures and splitting.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{chain, continue_chain, rehash};
use proptest::prelude::*;
use qingfeng_log::event::{Event, GENESIS};
use qingfeng_sync::changeset::{CONTEXT, MAX_BYTES, MAX_EVENTS, MAX_SINGLE_EVENT_BYTES};
use qingfeng_sync::{Alg, ChangeSet, SecretKey, SignedChangeSet, SyncError, split_into_changesets, split_sendable};
use sha2::{Digest, Sha256};

fn small_set() -> ChangeSet {
    ChangeSet::from_events(chain("530102", "dev-a", 3, 4)).unwrap()
}

#[test]
fn round_trip_keeps_every_field_of_every_event() {
    let events = continue_chain("530102", "dev-a", 41, [9; 32], 25, 30);
    let set = ChangeSet::from_events(events.clone()).unwrap();
    assert_eq!(set.origin_office(), "530102");
    assert_eq!(set.origin_device(), "dev-a");
    assert_eq!((set.first_seq(), set.last_seq()), (41, 65));
    assert_eq!(set.prev_hash(), &[9; 32]);
    assert_eq!(set.last_hash(), &events[24].hash);
    let bytes = set.encode();
    assert_eq!(bytes.len(), set.encoded_len());
    let back = ChangeSet::decode(&bytes).unwrap();
    assert_eq!(back, set);
    assert_eq!(back.events(), events.as_slice());
    assert_eq!(back.encode(), bytes);
    assert_eq!(set.id(), <[u8; 32]>::from(Sha256::digest(&bytes)));
}

/// The layout is the contract's, byte for byte: checked against ciborium's encoding of the same
/// array built by hand.
#[test]
fn encoding_is_the_contracts_array() {
    use ciborium::Value;
    let set = small_set();
    let bytes = |b: &[u8]| Value::Bytes(b.to_vec());
    let text = |s: &str| Value::Text(s.to_owned());
    let events = set
        .events()
        .iter()
        .map(|e| {
            Value::Array(vec![
                text(&e.id),
                Value::Integer(e.hlc.into()),
                text(&e.actor),
                text(&e.kind),
                text(&e.aggregate),
                bytes(&e.payload),
            ])
        })
        .collect();
    let reference = Value::Array(vec![
        Value::Integer(1.into()),
        text("530102"),
        text("dev-a"),
        Value::Integer(1.into()),
        bytes(&GENESIS),
        bytes(set.last_hash()),
        Value::Array(events),
    ]);
    let mut expected = Vec::new();
    ciborium::into_writer(&reference, &mut expected).unwrap();
    assert_eq!(set.encode(), expected);
}

#[test]
fn from_events_refuses_what_is_not_one_unbroken_chain() {
    assert!(matches!(ChangeSet::from_events(Vec::new()), Err(SyncError::Malformed(_))));

    let mut mixed = chain("530102", "dev-a", 3, 4);
    mixed[2].origin_device = "dev-b".into();
    rehash(&mut mixed);
    assert!(matches!(ChangeSet::from_events(mixed), Err(SyncError::BrokenChain { seq: 3, .. })));

    let mut office = chain("530102", "dev-a", 3, 4);
    office[1].origin_office = "530103".into();
    rehash(&mut office);
    assert!(matches!(ChangeSet::from_events(office), Err(SyncError::BrokenChain { seq: 2, .. })));

    let mut gap = chain("530102", "dev-a", 4, 4);
    gap.remove(2);
    assert!(matches!(ChangeSet::from_events(gap), Err(SyncError::BrokenChain { seq: 4, .. })));

    let mut relinked = chain("530102", "dev-a", 4, 4);
    relinked[2].prev = [1; 32];
    let hash_of_changed = relinked[2].body().hash_with(&mut Vec::new());
    relinked[2].hash = hash_of_changed;
    assert!(matches!(ChangeSet::from_events(relinked), Err(SyncError::BrokenChain { seq: 3, .. })));

    let mut edited = chain("530102", "dev-a", 4, 4);
    edited[1].payload[0] ^= 1;
    assert!(matches!(ChangeSet::from_events(edited), Err(SyncError::BrokenChain { seq: 2, .. })));

    let mut genesis = chain("530102", "dev-a", 2, 4);
    genesis[0].prev = [1; 32];
    rehash(&mut genesis);
    assert!(matches!(ChangeSet::from_events(genesis), Err(SyncError::BrokenChain { seq: 1, .. })));

    let zero = continue_chain("530102", "dev-a", 0, [1; 32], 2, 4);
    assert!(matches!(ChangeSet::from_events(zero), Err(SyncError::BrokenChain { seq: 0, .. })));

    let reordered = {
        let mut e = chain("530102", "dev-a", 3, 4);
        e.swap(1, 2);
        e
    };
    assert!(ChangeSet::from_events(reordered).is_err());
}

#[test]
fn from_events_enforces_the_limits() {
    let too_many = chain("530102", "dev-a", MAX_EVENTS + 1, 0);
    assert!(matches!(ChangeSet::from_events(too_many), Err(SyncError::TooLarge { .. })));
    assert_eq!(ChangeSet::from_events(chain("530102", "dev-a", MAX_EVENTS, 0)).unwrap().events().len(), MAX_EVENTS);

    let too_big = chain("530102", "dev-a", 9, 1024 * 1024);
    let err = ChangeSet::from_events(too_big).unwrap_err();
    assert!(matches!(err, SyncError::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("分批"), "{err}");
}

#[test]
fn decode_enforces_the_limits() {
    let max = ChangeSet::from_events(chain("530102", "dev-a", MAX_EVENTS, 0)).unwrap().encode();
    ChangeSet::decode(&max).unwrap();
    // A count of 5001 in the events' array head (0x99 0x13 0x88 is 5000) is refused before any
    // event is read or any memory reserved for it.
    let pos = max.windows(3).position(|w| w == [0x99, 0x13, 0x88]).unwrap();
    let mut more = max.clone();
    more[pos + 2] = 0x89;
    let err = ChangeSet::decode(&more).unwrap_err();
    assert!(matches!(err, SyncError::Malformed(ref m) if m.contains("5001")), "{err}");

    let huge = vec![0u8; MAX_SINGLE_EVENT_BYTES + 1];
    assert!(matches!(ChangeSet::decode(&huge), Err(SyncError::TooLarge { .. })));
    // Only a set of one event may pass 8 MiB (issue #13: an older oversized event still travels).
    let one = ChangeSet::from_events(chain("530102", "dev-a", 1, MAX_BYTES + 1024)).unwrap().encode();
    assert_eq!(ChangeSet::decode(&one).unwrap().events().len(), 1);
}

#[test]
fn flipping_any_bit_of_an_encoded_set_is_refused() {
    let bytes = small_set().encode();
    for i in 0..bytes.len() {
        for bit in [0x01, 0x80, 0xff] {
            let mut bad = bytes.clone();
            bad[i] ^= bit;
            assert!(ChangeSet::decode(&bad).is_err(), "byte {i} ^ {bit:#x} was accepted");
        }
    }
}

#[test]
fn truncated_or_extended_sets_are_refused() {
    let bytes = small_set().encode();
    for len in 0..bytes.len() {
        assert!(ChangeSet::decode(&bytes[..len]).is_err(), "prefix of {len} bytes accepted");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(ChangeSet::decode(&longer).is_err());
}

#[test]
fn decode_names_the_broken_link() {
    let set = ChangeSet::from_events(continue_chain("530102", "dev-a", 10, [3; 32], 3, 4)).unwrap();
    let mut bytes = set.encode();
    // The last byte is the last event's payload: changing it changes the recomputed last hash.
    *bytes.last_mut().unwrap() ^= 1;
    match ChangeSet::decode(&bytes) {
        Err(SyncError::BrokenChain { seq, reason }) => {
            assert_eq!(seq, 12);
            assert!(reason.contains("哈希"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    // Seq 1 must link to zeros: take a set starting at seq 2 and turn its first seq into 1.
    let mut bytes = ChangeSet::from_events(continue_chain("530102", "dev-a", 2, [5; 32], 1, 0)).unwrap().encode();
    let seq_pos = bytes.iter().position(|&b| b == 0x02).unwrap();
    bytes[seq_pos] = 0x01;
    assert!(matches!(ChangeSet::decode(&bytes), Err(SyncError::BrokenChain { seq: 1, .. })));
}

#[test]
fn signed_sets_open_with_the_signers_key_only() {
    for alg in [Alg::Ed25519, Alg::Sm2Sm3] {
        let key = SecretKey::generate(alg);
        let set = small_set();
        let signed = SignedChangeSet::sign(&set, &key);
        assert_eq!(signed.id(), set.id());
        assert_eq!(signed.key_id, key.public_key().key_id());
        let bytes = signed.encode();
        let back = SignedChangeSet::decode(&bytes).unwrap();
        assert_eq!(back, signed);
        assert_eq!(back.encode(), bytes);
        assert_eq!(back.peek().unwrap(), set);
        assert_eq!(back.open(&key.public_key()).unwrap(), set);

        let stranger = SecretKey::generate(alg).public_key();
        assert!(matches!(back.open(&stranger), Err(SyncError::WrongKey { .. })));
        let other_alg = SecretKey::generate(if alg == Alg::Ed25519 { Alg::Sm2Sm3 } else { Alg::Ed25519 });
        assert!(matches!(back.open(&other_alg.public_key()), Err(SyncError::WrongKey { .. })));

        // Claiming the right key id does not help a forger.
        let mut forged = SignedChangeSet::sign(&set, &SecretKey::generate(alg));
        forged.key_id = key.public_key().key_id();
        assert!(matches!(forged.open(&key.public_key()), Err(SyncError::BadSignature)));

        // A change set signature is bound to its context: the same bytes signed for another kind
        // of message do not open.
        let mut replayed = signed.clone();
        replayed.signature = key.sign("qingfeng/receipt/v1", &signed.body).bytes;
        assert!(matches!(replayed.open(&key.public_key()), Err(SyncError::BadSignature)));
        assert_eq!(CONTEXT, "qingfeng/changeset/v1");
    }
}

#[test]
fn flipping_any_bit_of_a_signed_set_is_refused() {
    for alg in [Alg::Ed25519, Alg::Sm2Sm3] {
        let key = SecretKey::generate(alg);
        let bytes = SignedChangeSet::sign(&small_set(), &key).encode();
        for i in 0..bytes.len() {
            for bit in [0x01, 0x80] {
                let mut bad = bytes.clone();
                bad[i] ^= bit;
                let opened = SignedChangeSet::decode(&bad).and_then(|s| s.open(&key.public_key()));
                assert!(opened.is_err(), "{alg}: byte {i} ^ {bit:#x} was accepted");
            }
        }
        for len in 0..bytes.len() {
            assert!(SignedChangeSet::decode(&bytes[..len]).is_err());
        }
    }
}

#[test]
fn a_signed_set_with_an_unknown_algorithm_says_so() {
    let key = SecretKey::generate(Alg::Ed25519);
    let bytes = SignedChangeSet::sign(&small_set(), &key).encode();
    let pos = bytes.windows(7).position(|w| w == b"ed25519").unwrap();
    let mut other = bytes.clone();
    other[pos..pos + 7].copy_from_slice(b"rsa4096");
    assert!(matches!(SignedChangeSet::decode(&other), Err(SyncError::UnknownAlgorithm(a)) if a == "rsa4096"));
}

#[test]
fn split_respects_both_limits_and_keeps_the_chain() {
    let events = chain("530102", "dev-a", 1000, 100);
    let sets = split_into_changesets(events.clone(), 300, usize::MAX).unwrap();
    assert_eq!(sets.iter().map(|s| s.events().len()).collect::<Vec<_>>(), [300, 300, 300, 100]);

    let max_bytes = 20_000;
    let sets = split_into_changesets(events.clone(), MAX_EVENTS, max_bytes).unwrap();
    assert!(sets.len() > 5);
    let mut prev = GENESIS;
    let mut next_seq = 1;
    for set in &sets {
        assert!(set.encoded_len() <= max_bytes, "{}", set.encoded_len());
        assert_eq!(set.prev_hash(), &prev);
        assert_eq!(set.first_seq(), next_seq);
        // Every piece is a change set the hub can decode.
        assert_eq!(&ChangeSet::decode(&set.encode()).unwrap(), set);
        prev = *set.last_hash();
        next_seq = set.last_seq() + 1;
    }
    let rejoined: Vec<Event> = sets.into_iter().flat_map(ChangeSet::into_events).collect();
    assert_eq!(rejoined, events);

    assert!(split_into_changesets(Vec::new(), 10, 10).unwrap().is_empty());
    // Zero means "as few as possible", not "loop forever".
    assert_eq!(split_into_changesets(chain("530102", "dev-a", 3, 1), 0, 0).unwrap().len(), 3);
    // Above the protocol's limits, the protocol's limits apply.
    let many = split_into_changesets(chain("530102", "dev-a", MAX_EVENTS + 10, 0), usize::MAX, usize::MAX).unwrap();
    assert_eq!(many.iter().map(|s| s.events().len()).collect::<Vec<_>>(), [MAX_EVENTS, 10]);
}

#[test]
fn split_refuses_a_broken_run_and_an_event_too_large_for_any_set() {
    let mut events = chain("530102", "dev-a", 10, 1);
    events.remove(5);
    assert!(matches!(split_into_changesets(events, 3, usize::MAX), Err(SyncError::BrokenChain { seq: 7, .. })));
    // Issue #13: an event over 8 MiB (recorded by an older version) travels alone; only one no
    // set can carry is refused, and `split_sendable` sends what precedes it and names it.
    let big = chain("530102", "dev-a", 3, MAX_BYTES);
    let sets = split_into_changesets(big, 10, usize::MAX).unwrap();
    assert_eq!(sets.iter().map(|s| s.events().len()).collect::<Vec<_>>(), [1, 1, 1]);
    let mut run = chain("530102", "dev-a", 4, 10);
    let mut oversized = chain("530102", "dev-a", 5, 10);
    oversized[4].payload = vec![7; MAX_SINGLE_EVENT_BYTES];
    relink(&mut oversized);
    assert!(matches!(split_into_changesets(oversized.clone(), 10, usize::MAX), Err(SyncError::TooLarge { .. })));
    let (sets, blocker) = split_sendable(oversized, 10, usize::MAX).unwrap();
    assert_eq!(sets.iter().map(|s| s.events().len()).sum::<usize>(), 4);
    assert_eq!(blocker.map(|e| e.seq), Some(5));
    let (sets, blocker) = split_sendable(std::mem::take(&mut run), 10, usize::MAX).unwrap();
    assert_eq!((sets.len(), blocker), (1, None));
}

/// Recomputes the hashes and links of a run after its payloads were changed.
fn relink(events: &mut [Event]) {
    let mut prev = events.first().map(|e| e.prev).unwrap_or([0; 32]);
    for e in events.iter_mut() {
        e.prev = prev;
        e.hash = e.body().hash_with(&mut Vec::new());
        prev = e.hash;
    }
}

fn arb_events() -> impl Strategy<Value = Vec<Event>> {
    let event = (
        "[a-z0-9-]{0,40}",
        any::<u64>(),
        "\\PC{0,12}",
        "[a-z.]{1,30}",
        "\\PC{0,20}",
        proptest::collection::vec(any::<u8>(), 0..64),
    );
    (
        "[0-9]{6}",
        "[a-z0-9-]{1,20}",
        1u64..=u64::from(u32::MAX) * 4,
        any::<[u8; 32]>(),
        proptest::collection::vec(event, 1..20),
    )
        .prop_map(|(office, device, first_seq, prev, fields)| {
            let mut events: Vec<Event> = fields
                .into_iter()
                .enumerate()
                .map(|(i, (id, hlc, actor, kind, aggregate, payload))| Event {
                    id,
                    origin_office: office.clone(),
                    origin_device: device.clone(),
                    seq: first_seq + i as u64,
                    hlc,
                    actor,
                    kind,
                    aggregate,
                    payload,
                    prev: GENESIS,
                    hash: [0; 32],
                })
                .collect();
            events[0].prev = if first_seq == 1 { GENESIS } else { prev };
            rehash(&mut events);
            events
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn decode_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = ChangeSet::decode(&bytes);
        let _ = SignedChangeSet::decode(&bytes).map(|s| s.peek());
    }

    #[test]
    fn encode_then_decode_is_the_identity(events in arb_events()) {
        let set = ChangeSet::from_events(events.clone()).unwrap();
        let bytes = set.encode();
        let back = ChangeSet::decode(&bytes).unwrap();
        prop_assert_eq!(back.events(), events.as_slice());
        prop_assert_eq!(back.encode(), bytes);
        prop_assert_eq!(back, set);
    }

    #[test]
    fn mutated_valid_sets_never_panic_and_accepted_ones_re_encode_exactly(
        events in arb_events(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
    ) {
        let mut bytes = ChangeSet::from_events(events).unwrap().encode();
        for (at, value) in edits {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        if let Ok(set) = ChangeSet::decode(&bytes) {
            prop_assert_eq!(set.encode(), bytes);
        }
    }
}
