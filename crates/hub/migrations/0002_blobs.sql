-- 0002: content named by events (attachments, evidence, issued PDFs) travels beside them (issue #13).
-- Append-only file.

-- Which accepted event names which blob, with the size the event states: who may send or fetch
-- a blob (an office whose feed carries such an event) and how large it may be, known before the
-- first byte arrives.
CREATE TABLE blob_refs (
    sha256 BLOB    NOT NULL CHECK (length(sha256) = 32),
    size   INTEGER NOT NULL CHECK (size >= 0),
    pos    INTEGER NOT NULL REFERENCES events (pos),
    PRIMARY KEY (sha256, pos)
) STRICT;

-- Blobs being received or held: bytes received so far (whole chunks) and whether the whole was
-- hashed and found to match its name.
CREATE TABLE blobs (
    sha256          BLOB    PRIMARY KEY CHECK (length(sha256) = 32),
    size            INTEGER NOT NULL,
    received        INTEGER NOT NULL DEFAULT 0,
    complete        INTEGER NOT NULL DEFAULT 0 CHECK (complete IN (0, 1)),
    completed_at_ms INTEGER
) STRICT;

-- The bytes, in protocol-aligned chunks, each committed as it arrives so an upload resumes.
CREATE TABLE blob_chunks (
    sha256 BLOB    NOT NULL CHECK (length(sha256) = 32),
    offset INTEGER NOT NULL CHECK (offset >= 0),
    bytes  BLOB    NOT NULL,
    PRIMARY KEY (sha256, offset)
) STRICT;

-- "Does this office's feed carry an event at this position?" for blob access.
CREATE INDEX feed_pos ON feed (pos, office_code);
