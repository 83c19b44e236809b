//! The hub's SQLite storage and other processes: a write that fails (a refused enrollment, say)
//! must not leave the database locked for the administrator's `qingfeng-hub` commands.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use qingfeng_hub::error::HubError;
use qingfeng_hub::{HubStorage, SqliteStorage};

#[test]
fn a_failed_write_leaves_the_database_free_for_other_processes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hub.db");
    let storage = SqliteStorage::create(&path).unwrap();
    let refused: Result<(), HubError> = storage.write(|tx| {
        tx.set_meta("probe", "1")?;
        Err(HubError::Forbidden("refused".into()))
    });
    assert!(refused.is_err());
    // Another connection (as another process would open it) must be able to write at once.
    let other = rusqlite::Connection::open(&path).unwrap();
    other.busy_timeout(std::time::Duration::from_millis(200)).unwrap();
    other.execute_batch("BEGIN IMMEDIATE; COMMIT;").expect("the hub left its write lock behind");
    // And the failed write left nothing.
    assert_eq!(storage.read(|tx| tx.meta("probe")).unwrap(), None);
}
