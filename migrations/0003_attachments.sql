-- 0003: attachments (scanned letters, recordings, photos), stored inside the encrypted database.

-- Content-addressed: a file's SHA-256 is its key, so the same scan attached twice is stored once,
-- and any change to the bytes would no longer match the hash recorded in the event log.
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size   INTEGER NOT NULL,
    bytes  BLOB NOT NULL
) STRICT;

-- Which complaint holds which file, under what name (a projection of complaint.attachment_added).
CREATE TABLE complaint_attachments (
    complaint_id TEXT NOT NULL REFERENCES complaints (id),
    sha256       TEXT NOT NULL REFERENCES blobs (sha256),
    name         TEXT NOT NULL,
    media_type   TEXT NOT NULL,
    size         INTEGER NOT NULL,
    added_at     TEXT NOT NULL,
    added_by     TEXT NOT NULL,
    PRIMARY KEY (complaint_id, sha256)
) STRICT;
