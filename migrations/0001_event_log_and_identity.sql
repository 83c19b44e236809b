-- 0001: the append-only event log, local device metadata, and the identity projections.
-- Migrations are append-only: never edit a shipped file; add a new numbered one instead.

-- Facts about this replica that are not events: which device it is and which office it serves.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- The event log. Every change is a row here, written in the same transaction as the projections.
-- `pos` is this replica's application order (what `rebuild` replays); it is local and not hashed.
-- An explicit INTEGER PRIMARY KEY keeps it stable across VACUUM, unlike an implicit rowid.
CREATE TABLE events (
    pos           INTEGER PRIMARY KEY,
    id            TEXT    NOT NULL UNIQUE,
    origin_office TEXT    NOT NULL,
    origin_device TEXT    NOT NULL,
    seq           INTEGER NOT NULL CHECK (seq >= 1),
    hlc           INTEGER NOT NULL,
    actor         TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    aggregate     TEXT    NOT NULL,
    payload       BLOB    NOT NULL,
    prev          BLOB    NOT NULL CHECK (length(prev) = 32),
    hash          BLOB    NOT NULL CHECK (length(hash) = 32),
    UNIQUE (origin_device, seq)
) STRICT;
CREATE INDEX events_aggregate ON events (aggregate);

-- The log is append-only: refuse edits and deletions at the database level too.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

-- Projections: rebuilt from the log by `rebuild`; never written except by the projector.
CREATE TABLE offices (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('province', 'prefecture', 'county')),
    parent_code TEXT,
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    office_code    TEXT NOT NULL REFERENCES offices (code),
    password_hash  TEXT NOT NULL,
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   TEXT,
    created_at     TEXT NOT NULL,
    last_login_at  TEXT
) STRICT;

CREATE TABLE user_roles (
    user_id     TEXT NOT NULL REFERENCES users (id),
    office_code TEXT NOT NULL REFERENCES offices (code),
    role        TEXT NOT NULL,
    granted_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, office_code, role)
) STRICT;

CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    channel    TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at   TEXT
) STRICT;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Calendar years imported on top of the built-in calendar (later: from the hub).
CREATE TABLE calendar_updates (
    year        INTEGER PRIMARY KEY,
    update_json TEXT NOT NULL,
    imported_at TEXT NOT NULL
) STRICT;
