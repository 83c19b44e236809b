//! Fuzzes `ChangeSet::decode` and `SignedChangeSet::decode`/`peek`/`open` with arbitrary bytes.
//!
//! Beyond "never panics": whatever decodes must re-encode to exactly the input, since both
//! decoders accept only the canonical encoding.

#![no_main]

use libfuzzer_sys::fuzz_target;
use qingfeng_sync::{Alg, ChangeSet, SecretKey, SignedChangeSet};

fuzz_target!(|data: &[u8]| {
    if let Ok(set) = ChangeSet::decode(data) {
        assert_eq!(set.encode(), data, "an accepted change set must re-encode to its input");
        assert_eq!(set.encoded_len(), data.len());
        assert!(set.last_seq() >= set.first_seq());
    }
    if let Ok(signed) = SignedChangeSet::decode(data) {
        assert_eq!(signed.encode(), data, "an accepted signed change set must re-encode to its input");
        let _ = signed.peek();
        // The corpus's seeds are signed with this key, so the paths after a good signature run too.
        if let Ok(key) = SecretKey::from_bytes(Alg::Ed25519, &[1; 32])
            && let Ok(set) = signed.open(&key.public_key())
        {
            assert_eq!(set.id(), signed.id());
        }
    }
});
