//! Signed envelopes: every payload type, contexts, keys, tampering, and the wire form of events.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashSet;

use common::{chain, continue_chain};
use proptest::prelude::*;
use qingfeng_sync::envelope::{
    AUTH_CONTEXT, AUTH_WINDOW_MS, CERTIFICATE_CONTEXT, ENROLLMENT_CONTEXT, FEED_CONTEXT, RECEIPT_CONTEXT,
};
use qingfeng_sync::{
    Alg, AuthRequest, DeviceCertificate, EnrollmentRequest, FeedPage, IssuedCertificate, Outcome, PublicKey, Receipt,
    RejectCode, SecretKey, Signed, SyncError,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

const ALGS: [Alg; 2] = [Alg::Ed25519, Alg::Sm2Sm3];

fn receipt(outcome: Outcome) -> Receipt {
    Receipt {
        changeset_id: [0xab; 32],
        origin_device: "dev-a".into(),
        first_seq: 1,
        last_seq: 300,
        outcome,
        hub_time_ms: 1_750_000_000_000,
    }
}

fn feed_page() -> FeedPage {
    let mut events = chain("530102", "dev-a", 3, 10);
    events.extend(continue_chain("530000", "hub-1", 17, [4; 32], 2, 0));
    FeedPage { office_code: "530102".into(), events, cursor: 99, more: true }
}

/// Signs, encodes, decodes and opens `value`, and checks that the frame re-encodes exactly.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(
    context: &str,
    value: &T,
    key: &SecretKey,
) {
    let signed = Signed::sign(context, value, key).unwrap();
    assert_eq!(signed.signer_key_id(), key.public_key().key_id());
    assert_eq!(signed.context(), context);
    let bytes = signed.encode();
    let back = Signed::<T>::decode(&bytes).unwrap();
    assert_eq!(back, signed);
    assert_eq!(back.encode(), bytes);
    assert_eq!(&back.peek().unwrap(), value);
    assert_eq!(&back.open(context, &key.public_key()).unwrap(), value);
}

#[test]
fn every_payload_type_round_trips_with_both_algorithms() {
    for alg in ALGS {
        let key = SecretKey::generate(alg);
        let device_key = SecretKey::generate(alg).public_key();
        round_trip(RECEIPT_CONTEXT, &receipt(Outcome::Accepted), &key);
        for code in RejectCode::ALL {
            let outcome = Outcome::Rejected { code, reason: code.description().into() };
            round_trip(RECEIPT_CONTEXT, &receipt(outcome), &key);
        }
        let request = EnrollmentRequest {
            office_code: "530102".into(),
            device_id: "dev-a".into(),
            public_key: device_key.clone(),
            token: Some("ABCD-1234".into()),
            created_at_ms: 1_750_000_000_000,
            office_seal_keys: None,
        };
        round_trip(ENROLLMENT_CONTEXT, &request, &key);
        round_trip(ENROLLMENT_CONTEXT, &EnrollmentRequest { token: None, ..request }, &key);
        let certificate = DeviceCertificate {
            office_code: "530102".into(),
            device_id: "dev-a".into(),
            public_key: device_key,
            hub_key_id: key.public_key().key_id(),
            serial: 7,
            issued_at_ms: 1_750_000_000_000,
            hub_tls_sha256: None,
            hub_seal_key: None,
        };
        round_trip(CERTIFICATE_CONTEXT, &certificate, &key);
        round_trip(FEED_CONTEXT, &feed_page(), &key);
        round_trip(
            FEED_CONTEXT,
            &FeedPage { office_code: "530102".into(), events: Vec::new(), cursor: 0, more: false },
            &key,
        );
        round_trip(AUTH_CONTEXT, &AuthRequest::new("dev-a", "/v1/status", b"", 1_750_000_000_000), &key);
    }
}

#[test]
fn reject_codes_have_wire_names_and_distinct_chinese_descriptions() {
    let mut names = HashSet::new();
    let mut descriptions = HashSet::new();
    for code in RejectCode::ALL {
        let cbor = qingfeng_log::encoding::to_canonical_cbor(&code).unwrap();
        let name: String = ciborium::from_reader(cbor.as_slice()).unwrap();
        assert_eq!(name, code.as_str());
        let back: RejectCode = ciborium::from_reader(cbor.as_slice()).unwrap();
        assert_eq!(back, code);
        assert!(code.description().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
        assert_eq!(code.to_string(), code.description());
        names.insert(code.as_str());
        descriptions.insert(code.description());
    }
    assert_eq!(names.len(), RejectCode::ALL.len());
    assert_eq!(descriptions.len(), RejectCode::ALL.len());
    let expected = [
        "malformed",
        "unknown_device",
        "revoked",
        "bad_signature",
        "broken_chain",
        "gap",
        "equivocation",
        "unauthorized",
        "clock_ahead",
    ];
    assert_eq!(names, expected.into_iter().collect());
}

#[test]
fn outcomes_have_a_stable_wire_form() {
    let accepted = qingfeng_log::encoding::to_canonical_cbor(&Outcome::Accepted).unwrap();
    let as_value: ciborium::Value = ciborium::from_reader(accepted.as_slice()).unwrap();
    assert_eq!(as_value, ciborium::Value::Text("accepted".into()));
    let rejected = Outcome::Rejected { code: RejectCode::Gap, reason: "缺少 41".into() };
    let bytes = qingfeng_log::encoding::to_canonical_cbor(&rejected).unwrap();
    let as_json: serde_json::Value = ciborium::from_reader(bytes.as_slice()).unwrap();
    assert_eq!(as_json, serde_json::json!({"rejected": {"code": "gap", "reason": "缺少 41"}}));
}

#[test]
fn a_wrong_context_or_key_is_refused() {
    for alg in ALGS {
        let key = SecretKey::generate(alg);
        let signed = Signed::sign(RECEIPT_CONTEXT, &receipt(Outcome::Accepted), &key).unwrap();
        let err = signed.open(FEED_CONTEXT, &key.public_key()).unwrap_err();
        assert!(matches!(err, SyncError::WrongContext { .. }), "{err}");
        let stranger = SecretKey::generate(alg).public_key();
        assert!(matches!(signed.open(RECEIPT_CONTEXT, &stranger), Err(SyncError::WrongKey { .. })));

        // A receipt signed as if it were a feed page, then relabelled, does not open: the context
        // is part of the signed bytes, not only of the frame.
        let as_feed = Signed::sign(FEED_CONTEXT, &receipt(Outcome::Accepted), &key).unwrap();
        let mut bytes = as_feed.encode();
        let pos = bytes.windows(FEED_CONTEXT.len()).position(|w| w == FEED_CONTEXT.as_bytes()).unwrap();
        // "qingfeng/feed/v1" and "qingfeng/receipt/v1" differ in length, so rebuild the frame.
        let tail = bytes.split_off(pos + FEED_CONTEXT.len());
        bytes.truncate(pos - 1);
        bytes.push(0x60 | RECEIPT_CONTEXT.len() as u8);
        bytes.extend_from_slice(RECEIPT_CONTEXT.as_bytes());
        bytes.extend_from_slice(&tail);
        let relabelled = Signed::<Receipt>::decode(&bytes).unwrap();
        assert_eq!(relabelled.context(), RECEIPT_CONTEXT);
        assert!(matches!(relabelled.open(RECEIPT_CONTEXT, &key.public_key()), Err(SyncError::BadSignature)));
    }
}

#[test]
fn flipping_any_bit_of_an_envelope_is_refused() {
    for alg in ALGS {
        let key = SecretKey::generate(alg);
        let bytes = Signed::sign(RECEIPT_CONTEXT, &receipt(Outcome::Accepted), &key).unwrap().encode();
        for i in 0..bytes.len() {
            for bit in [0x01, 0x80] {
                let mut bad = bytes.clone();
                bad[i] ^= bit;
                let opened = Signed::<Receipt>::decode(&bad).and_then(|s| s.open(RECEIPT_CONTEXT, &key.public_key()));
                assert!(opened.is_err(), "{alg}: byte {i} ^ {bit:#x} was accepted");
            }
        }
        for len in 0..bytes.len() {
            assert!(Signed::<Receipt>::decode(&bytes[..len]).is_err());
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Signed::<Receipt>::decode(&longer).is_err());
    }
}

#[test]
fn a_feed_page_with_an_altered_event_is_refused_even_when_signed() {
    // The hub signs what it is given; a replica still recomputes every event's hash, so an event
    // altered before signing (a bug or a bad disk at the hub) never enters a replica.
    let key = SecretKey::generate(Alg::Ed25519);
    let mut page = feed_page();
    page.events[1].payload[0] ^= 1;
    let signed = Signed::sign(FEED_CONTEXT, &page, &key).unwrap();
    let err = signed.open(FEED_CONTEXT, &key.public_key()).unwrap_err();
    assert!(matches!(&err, SyncError::Malformed(m) if m.contains("dev-a#2")), "{err}");
    let mut page = feed_page();
    page.events[4].prev = [0; 32];
    let signed = Signed::sign(FEED_CONTEXT, &page, &key).unwrap();
    assert!(signed.open(FEED_CONTEXT, &key.public_key()).is_err());
}

#[test]
fn issued_certificates_carry_the_hub_key() {
    let hub = SecretKey::generate(Alg::Sm2Sm3);
    let device = SecretKey::generate(Alg::Ed25519);
    let certificate = DeviceCertificate {
        office_code: "530102".into(),
        device_id: "dev-a".into(),
        public_key: device.public_key(),
        hub_key_id: hub.public_key().key_id(),
        serial: 1,
        issued_at_ms: 1,
        hub_tls_sha256: None,
        hub_seal_key: None,
    };
    let issued = IssuedCertificate {
        certificate: Signed::sign(CERTIFICATE_CONTEXT, &certificate, &hub).unwrap(),
        hub_key: hub.public_key(),
    };
    let bytes = issued.encode().unwrap();
    let back = IssuedCertificate::decode(&bytes).unwrap();
    assert_eq!(back, issued);
    assert_eq!(back.open().unwrap(), certificate);
    // The enroll response's shape: a two-element array.
    assert_eq!(bytes[0], 0x82);

    let mut swapped = back.clone();
    swapped.hub_key = device.public_key();
    assert!(matches!(swapped.open(), Err(SyncError::WrongKey { .. })));
    for i in 0..bytes.len() {
        let mut bad = bytes.clone();
        bad[i] ^= 0x01;
        let opened = IssuedCertificate::decode(&bad).and_then(|c| c.open().map(|cert| (cert, c.hub_key)));
        // Changing the hub key bytes may still give a valid certificate only if it is the very
        // key that signed it, which a one-bit change cannot produce.
        assert!(opened.is_err(), "byte {i} was accepted");
    }
}

#[test]
fn auth_requests_cover_path_body_and_time() {
    let now = 1_750_000_000_000;
    let request = AuthRequest::new("dev-a", "/v1/feed", b"body", now);
    request.check("/v1/feed", b"body", now).unwrap();
    request.check("/v1/feed", b"body", now + AUTH_WINDOW_MS).unwrap();
    request.check("/v1/feed", b"body", now - AUTH_WINDOW_MS).unwrap();
    assert!(matches!(request.check("/v1/status", b"body", now), Err(SyncError::Auth(_))));
    assert!(matches!(request.check("/v1/feed", b"bodz", now), Err(SyncError::Auth(_))));
    let err = request.check("/v1/feed", b"body", now + AUTH_WINDOW_MS + 1).unwrap_err();
    assert!(err.to_string().contains("5 分钟"), "{err}");
    let mut without_nonce = request.clone();
    without_nonce.nonce.clear();
    assert!(matches!(without_nonce.check("/v1/feed", b"body", now), Err(SyncError::Auth(_))));
    assert_ne!(
        AuthRequest::new("dev-a", "/v1/feed", b"body", now).nonce,
        request.nonce,
        "every header has its own nonce"
    );
    assert!(request.check("/v1/feed", b"body", i64::MIN).is_err());
}

#[test]
fn public_keys_inside_payloads_are_byte_strings() {
    let key = SecretKey::generate(Alg::Ed25519).public_key();
    let request = EnrollmentRequest {
        office_code: "530102".into(),
        device_id: "dev-a".into(),
        public_key: key.clone(),
        token: None,
        created_at_ms: 0,
        office_seal_keys: None,
    };
    let bytes = qingfeng_log::encoding::to_canonical_cbor(&request).unwrap();
    let value: ciborium::Value = ciborium::from_reader(bytes.as_slice()).unwrap();
    let map = value.as_map().unwrap();
    let public_key = map.iter().find(|(k, _)| k.as_text() == Some("public_key")).unwrap().1.as_map().unwrap();
    let key_bytes = public_key.iter().find(|(k, _)| k.as_text() == Some("bytes")).unwrap().1.clone();
    assert_eq!(key_bytes, ciborium::Value::Bytes(key.bytes.clone()));
    let _: PublicKey = key;
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn decode_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(s) = Signed::<FeedPage>::decode(&bytes) {
            prop_assert_eq!(s.encode(), bytes.clone());
            let _ = s.peek();
        }
        let _ = Signed::<Receipt>::decode(&bytes).map(|s| s.peek());
        let _ = IssuedCertificate::decode(&bytes);
    }

    #[test]
    fn arbitrary_bodies_never_panic_when_peeked(body in proptest::collection::vec(any::<u8>(), 0..256)) {
        // A frame around arbitrary body bytes: the body decoder sees them without a signature.
        let key = SecretKey::from_bytes(Alg::Ed25519, &[7; 32]).unwrap();
        let mut bytes = Signed::sign(FEED_CONTEXT, &0u8, &key).unwrap().encode();
        // The body of `0u8` is the single byte 0x00 after its head 0x41; splice the arbitrary one in.
        let pos = bytes.windows(2).position(|w| w == [0x41, 0x00]).unwrap();
        let mut framed = bytes[..pos].to_vec();
        let mut head = Vec::new();
        ciborium::into_writer(&ciborium::Value::Bytes(body.clone()), &mut head).unwrap();
        framed.extend_from_slice(&head);
        framed.extend_from_slice(&bytes.split_off(pos + 2));
        let s = Signed::<FeedPage>::decode(&framed).unwrap();
        let _ = s.peek();
        let _ = Signed::<Receipt>::decode(&framed).unwrap().peek();
        let _ = Signed::<EnrollmentRequest>::decode(&framed).unwrap().peek();
        let _ = Signed::<DeviceCertificate>::decode(&framed).unwrap().peek();
        let _ = Signed::<AuthRequest>::decode(&framed).unwrap().peek();
    }

    #[test]
    fn receipts_round_trip(
        id in any::<[u8; 32]>(),
        device in "\\PC{0,30}",
        first in any::<u64>(),
        last in any::<u64>(),
        code in proptest::option::of(0usize..8),
        reason in "\\PC{0,60}",
        time in any::<i64>(),
    ) {
        let outcome = match code {
            None => Outcome::Accepted,
            Some(i) => Outcome::Rejected { code: RejectCode::ALL[i], reason },
        };
        let r = Receipt { changeset_id: id, origin_device: device, first_seq: first, last_seq: last, outcome, hub_time_ms: time };
        let key = SecretKey::from_bytes(Alg::Ed25519, &[9; 32]).unwrap();
        let bytes = Signed::sign(RECEIPT_CONTEXT, &r, &key).unwrap().encode();
        let back = Signed::<Receipt>::decode(&bytes).unwrap();
        prop_assert_eq!(back.encode(), bytes);
        prop_assert_eq!(back.open(RECEIPT_CONTEXT, &key.public_key()).unwrap(), r);
    }
}
