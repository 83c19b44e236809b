-- 0015: recovery keys and encrypted backups (issue #14, "a lost key is not lost work").

-- Projection: the office's recovery keys, public halves only (`recovery.key_set`). The current
-- key is the one not replaced; a replaced key's id stays so that its code can be refused by name.
CREATE TABLE recovery_keys (
    key_id      TEXT PRIMARY KEY,
    public_key  TEXT NOT NULL,
    set_at      TEXT NOT NULL,
    set_by      TEXT NOT NULL,
    replaced_at TEXT
) STRICT;

-- Projection: every verified backup made by a device of this office (`backup.created`).
CREATE TABLE backups (
    backup_id  TEXT PRIMARY KEY,
    device_id  TEXT NOT NULL,
    file_name  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    bytes      INTEGER NOT NULL,
    events     INTEGER NOT NULL,
    key_id     TEXT NOT NULL,
    made_by    TEXT NOT NULL
) STRICT;
CREATE INDEX backups_device_time ON backups (device_id, created_at);

-- This machine's backup bookkeeping (not events: local state like `sync_state`). Keys: dir (the
-- backup folder), last_error, last_attempt.
CREATE TABLE backup_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
