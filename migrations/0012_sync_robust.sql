-- 0012: sync that never halts (issue #13): content named by events travels on its own, the local
-- log is anchored outside its own table, and events from a clock too far ahead wait aside.

-- An attachment's event may arrive before its bytes (they travel separately, in chunks), so the
-- attachment row no longer requires the blob: the screen shows 附件传输中 until it is present.
-- (A foreign key to `blobs` made the whole feed page fail, forever, on the first such event.)
CREATE TABLE complaint_attachments_v2 (
    complaint_id TEXT NOT NULL REFERENCES complaints (id),
    sha256       TEXT NOT NULL,
    name         TEXT NOT NULL,
    media_type   TEXT NOT NULL,
    size         INTEGER NOT NULL,
    added_at     TEXT NOT NULL,
    added_by     TEXT NOT NULL,
    PRIMARY KEY (complaint_id, sha256)
) STRICT;
INSERT INTO complaint_attachments_v2 SELECT complaint_id, sha256, name, media_type, size, added_at, added_by
    FROM complaint_attachments;
DROP TABLE complaint_attachments;
ALTER TABLE complaint_attachments_v2 RENAME TO complaint_attachments;

-- Projection: every blob an event names (attachment, evidence, issued PDF), with the size the
-- event states, so a replica knows what it lacks and how large it is before fetching a byte.
CREATE TABLE blob_refs (
    sha256    TEXT NOT NULL,
    size      INTEGER NOT NULL CHECK (size >= 0),
    event_id  TEXT NOT NULL,
    aggregate TEXT NOT NULL,
    PRIMARY KEY (sha256, event_id)
) STRICT;
CREATE INDEX blob_refs_aggregate ON blob_refs (aggregate);

-- Chunks of a blob being received (from the hub or a bundle), at protocol-aligned offsets. Each
-- chunk commits on its own, so an interrupted download resumes after the last one received; the
-- whole is hashed when complete and moved into `blobs`, or discarded if it does not match.
CREATE TABLE blob_parts (
    sha256 TEXT NOT NULL,
    offset INTEGER NOT NULL CHECK (offset >= 0),
    bytes  BLOB NOT NULL,
    PRIMARY KEY (sha256, offset)
) STRICT;

-- Blobs the hub is known to hold whole (it said so, or this replica received them from it), so
-- they are not offered again.
CREATE TABLE blob_at_hub (
    sha256 TEXT PRIMARY KEY
) STRICT;

-- Events received from another office whose hybrid logical clock is further ahead of this
-- machine's clock than the configured bound (or is no valid time at all). They are kept here, not
-- applied, and never move this machine's own clock; once this machine's time reaches them they
-- are applied in order. The sync screen names the office whose device sent them.
CREATE TABLE held_events (
    id            TEXT    NOT NULL,
    origin_office TEXT    NOT NULL,
    origin_device TEXT    NOT NULL,
    seq           INTEGER NOT NULL,
    hlc           INTEGER NOT NULL,
    actor         TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    aggregate     TEXT    NOT NULL,
    payload       BLOB    NOT NULL,
    prev          BLOB    NOT NULL,
    hash          BLOB    NOT NULL,
    reason        TEXT    NOT NULL,
    held_at       TEXT    NOT NULL,
    PRIMARY KEY (origin_device, seq)
) STRICT;

-- The local log anchored outside its own table. Each event's link chains its position and hash to
-- the link before it, in local application order (`pos`), so a deleted, added or moved row is
-- named by `verify`, and the checkpoint (sealed with a key derived from the database key) holds
-- the last link, the number of events and the head of this device's own chain, so a deleted tail
-- is named too. The hub's signed receipts anchor this device's chain a second time, outside the
-- machine. Written in the same transaction as the events they cover.
CREATE TABLE event_links (
    pos  INTEGER PRIMARY KEY,
    link BLOB    NOT NULL CHECK (length(link) = 32)
) STRICT;

CREATE TABLE log_checkpoint (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    events    INTEGER NOT NULL,
    last_pos  INTEGER NOT NULL,
    link      BLOB    NOT NULL CHECK (length(link) = 32),
    own_seq   INTEGER NOT NULL,
    own_hash  BLOB    NOT NULL CHECK (length(own_hash) = 32),
    mac       BLOB    NOT NULL CHECK (length(mac) = 32)
) STRICT;
