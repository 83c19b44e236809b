//! The database key in real OS keyrings. These need a keyring session, so they are `#[ignore]`d
//! here and run by `cargo xtask test` inside one: a D-Bus session with an unlocked GNOME Keyring
//! for Secret Service, and `keyctl session` for the kernel keyring.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use qingfeng_core::{CoreError, KeySource, Store, accounts};
use qingfeng_demo as demo;

fn round_trip(keys: KeySource) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let mut store = Store::create(&db, &keys).unwrap();
    demo::seed(&mut store).unwrap();
    drop(store);
    // Nothing but the database was written next to it: the key lives in the keyring.
    let mut names: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert!(names.iter().all(|n| n.starts_with("k.db")), "{names:?}");

    let store = Store::open(&db, &keys).unwrap();
    assert_eq!(accounts::home_office(&store).unwrap().unwrap().code, "530102");
    drop(store);

    // A database whose key is not in this keyring is refused with advice, not opened blank.
    let other = dir.path().join("elsewhere.db");
    std::fs::copy(&db, &other).unwrap();
    let err = Store::open(&other, &keys).unwrap_err();
    assert!(matches!(err, CoreError::KeyMissing { .. }), "{err:?}");
    assert!(err.to_string().contains("--key-file"), "{err}");
}

#[test]
#[ignore = "needs an unlocked Secret Service (run by cargo xtask test)"]
fn secret_service_keeps_the_database_key() {
    round_trip(KeySource::SecretService);
}

#[test]
#[ignore = "needs a kernel session keyring (run by cargo xtask test under keyctl session)"]
fn kernel_keyring_keeps_the_database_key() {
    round_trip(KeySource::KernelKeyring);
}

#[test]
fn secret_service_absent_is_an_error_not_a_plaintext_fallback() {
    // With no D-Bus session at all, opening must fail and say what to use instead.
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let err = Store::create(&dir.path().join("x.db"), &KeySource::SecretService).unwrap_err();
    assert!(matches!(err, CoreError::KeyStore { .. }), "{err:?}");
    assert!(err.to_string().contains("--key-file"));
    assert!(!dir.path().join("x.db").exists(), "no database may be created without a stored key");
}
