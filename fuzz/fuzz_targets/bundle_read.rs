//! Fuzzes the streaming bundle reader: header, items, trailer and signature check.

#![no_main]

use libfuzzer_sys::fuzz_target;
use qingfeng_sync::{Alg, BundleItem, BundleReader, SecretKey};

fuzz_target!(|data: &[u8]| {
    // The corpus's seeds are signed with this key, so a well-formed bundle can verify.
    let Ok(key) = SecretKey::from_bytes(Alg::Ed25519, &[1; 32]) else { return };
    let key = key.public_key();
    let Ok(mut reader) = BundleReader::new(data) else { return };
    let mut items = 0usize;
    while let Ok(Some(item)) = reader.next_item() {
        items += 1;
        // Open what the items carry, as an importer would.
        match item {
            BundleItem::ChangeSet(s) => {
                let _ = s.peek();
            }
            BundleItem::Receipt(s) => {
                let _ = s.peek();
            }
            BundleItem::FeedPage(s) => {
                let _ = s.peek();
            }
            BundleItem::Certificate(c) => {
                let _ = c.open();
            }
        }
    }
    // A bundle that verifies must have been read to its end by the loop above.
    let _ = reader.finish(&key).map(|header| (header, items));
});
