-- The hub's store: the office directory, enrolled devices, every origin's whole event chain,
-- ownership of aggregates, each office's feed, receipts, waiting change sets and alarms.
-- Append-only file: later changes go into new numbered files.

-- Small settings of this hub (its key id, its device id).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- The directory. feed_head is the last feed_seq handed out in this office's feed.
CREATE TABLE offices (
    code          TEXT    PRIMARY KEY,
    name          TEXT    NOT NULL,
    level         TEXT    NOT NULL CHECK (level IN ('province', 'prefecture', 'county')),
    parent_code   TEXT    REFERENCES offices (code),
    created_at_ms INTEGER NOT NULL,
    feed_head     INTEGER NOT NULL DEFAULT 0
) STRICT;

-- One-time enrollment tokens. Only the SHA-256 of a token is kept, so a copy of this file does
-- not let anyone enroll a device.
CREATE TABLE tokens (
    token_sha256  BLOB    PRIMARY KEY CHECK (length(token_sha256) = 32),
    office_code   TEXT    NOT NULL REFERENCES offices (code),
    issued_at_ms  INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    used_at_ms    INTEGER,
    used_by       TEXT
) STRICT;

CREATE TABLE devices (
    device_id      TEXT    PRIMARY KEY,
    office_code    TEXT    NOT NULL REFERENCES offices (code),
    alg            TEXT    NOT NULL,
    public_key     BLOB    NOT NULL,
    key_id         TEXT    NOT NULL,
    cert_serial    INTEGER NOT NULL UNIQUE,
    enrolled_at_ms INTEGER NOT NULL,
    revoked_at_ms  INTEGER,
    revoke_reason  TEXT
) STRICT;

-- The last event the hub holds of each chain (client devices and the hub's own).
CREATE TABLE heads (
    device_id   TEXT    PRIMARY KEY,
    office_code TEXT    NOT NULL,
    seq         INTEGER NOT NULL,
    hash        BLOB    NOT NULL CHECK (length(hash) = 32),
    hlc         INTEGER NOT NULL
) STRICT;

-- Every origin's whole chain, in the same columns as an office's log, plus the hub's position
-- and a status: 0 accepted and routed, 1 held in the chain but refused (an unauthorized change
-- set: kept so that the chain stays whole and the device's next change set still links).
CREATE TABLE events (
    pos            INTEGER PRIMARY KEY,
    id             TEXT    NOT NULL,
    origin_office  TEXT    NOT NULL,
    origin_device  TEXT    NOT NULL,
    seq            INTEGER NOT NULL CHECK (seq >= 1),
    hlc            INTEGER NOT NULL,
    actor          TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    aggregate      TEXT    NOT NULL,
    payload        BLOB    NOT NULL,
    prev           BLOB    NOT NULL CHECK (length(prev) = 32),
    hash           BLOB    NOT NULL CHECK (length(hash) = 32),
    status         INTEGER NOT NULL DEFAULT 0 CHECK (status IN (0, 1)),
    received_at_ms INTEGER NOT NULL,
    UNIQUE (origin_device, seq)
) STRICT;
-- Replicas key events by id, so two accepted events must never share one.
CREATE UNIQUE INDEX events_id ON events (id) WHERE status = 0;
CREATE INDEX events_aggregate ON events (aggregate, pos) WHERE status = 0;

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

-- Ownership: the current owner and epoch, every office that ever owned the aggregate, and every
-- office whose feed carries it (owners and their ancestors). Lists are JSON arrays of codes.
CREATE TABLE aggregates (
    id        TEXT    PRIMARY KEY,
    owner     TEXT    NOT NULL,
    epoch     INTEGER NOT NULL,
    owners    TEXT    NOT NULL,
    access    TEXT    NOT NULL
) STRICT;

-- Each office's feed: feed_seq counts from 1 per office.
CREATE TABLE feed (
    office_code TEXT    NOT NULL,
    feed_seq    INTEGER NOT NULL,
    pos         INTEGER NOT NULL REFERENCES events (pos),
    PRIMARY KEY (office_code, feed_seq)
) STRICT, WITHOUT ROWID;

-- Final receipts by change set id: the same change set again gets the same signed bytes.
CREATE TABLE receipts (
    changeset_id BLOB    PRIMARY KEY CHECK (length(changeset_id) = 32),
    device_id    TEXT    NOT NULL,
    first_seq    INTEGER NOT NULL,
    last_seq     INTEGER NOT NULL,
    outcome      TEXT    NOT NULL,
    signed       BLOB    NOT NULL,
    at_ms        INTEGER NOT NULL
) STRICT;
CREATE INDEX receipts_device ON receipts (device_id, first_seq);

-- Change sets whose prerequisite has not arrived yet (first_seq > head + 1), as received.
CREATE TABLE waiting (
    changeset_id   BLOB    PRIMARY KEY CHECK (length(changeset_id) = 32),
    device_id      TEXT    NOT NULL,
    first_seq      INTEGER NOT NULL,
    last_seq       INTEGER NOT NULL,
    signed         BLOB    NOT NULL,
    received_at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX waiting_device ON waiting (device_id, first_seq);

CREATE TABLE alarms (
    id          INTEGER PRIMARY KEY,
    at_ms       INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    office_code TEXT,
    device_id   TEXT,
    detail      TEXT    NOT NULL
) STRICT;
