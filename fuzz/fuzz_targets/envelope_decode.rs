//! Fuzzes `Signed<T>::decode`, `peek` and `open` for every payload type, and certificate files.

#![no_main]

use libfuzzer_sys::fuzz_target;
use qingfeng_sync::envelope::{AUTH_CONTEXT, CERTIFICATE_CONTEXT, ENROLLMENT_CONTEXT, FEED_CONTEXT, RECEIPT_CONTEXT};
use qingfeng_sync::{
    Alg, AuthRequest, DeviceCertificate, EnrollmentRequest, FeedPage, IssuedCertificate, PublicKey, Receipt, SecretKey,
    Signed,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

fn check<T: Serialize + DeserializeOwned>(data: &[u8], context: &str, key: &PublicKey) {
    if let Ok(signed) = Signed::<T>::decode(data) {
        assert_eq!(signed.encode(), data, "an accepted envelope must re-encode to its input");
        let _ = signed.peek();
        let _ = signed.open(context, key);
    }
}

fuzz_target!(|data: &[u8]| {
    // The corpus's seeds are signed with this key, so the paths after a good signature run too.
    let Ok(key) = SecretKey::from_bytes(Alg::Ed25519, &[1; 32]) else { return };
    let key = key.public_key();
    check::<Receipt>(data, RECEIPT_CONTEXT, &key);
    check::<EnrollmentRequest>(data, ENROLLMENT_CONTEXT, &key);
    check::<DeviceCertificate>(data, CERTIFICATE_CONTEXT, &key);
    check::<FeedPage>(data, FEED_CONTEXT, &key);
    check::<AuthRequest>(data, AUTH_CONTEXT, &key);
    if let Ok(issued) = IssuedCertificate::decode(data) {
        let _ = issued.open();
    }
});
