-- V2: content named by events (attachments, evidence, issued PDFs) travels beside them (issue #13),
-- as in the SQLite store's 0002_blobs.sql. Append-only file.

-- Which accepted event names which blob, with the size the event states: who may send or fetch
-- a blob (an office whose feed carries such an event) and how large it may be, known before the
-- first byte arrives.
CREATE TABLE blob_refs (
    sha256 bytea  NOT NULL CHECK (length(sha256) = 32),
    size   bigint NOT NULL CHECK (size >= 0),
    pos    bigint NOT NULL REFERENCES events (pos),
    PRIMARY KEY (sha256, pos)
);

-- Blobs being received or held: bytes received so far (whole chunks) and whether the whole was
-- hashed and found to match its name.
CREATE TABLE blobs (
    sha256          bytea   PRIMARY KEY CHECK (length(sha256) = 32),
    size            bigint  NOT NULL,
    received        bigint  NOT NULL DEFAULT 0,
    complete        boolean NOT NULL DEFAULT false,
    completed_at_ms bigint
);

-- The bytes, in protocol-aligned chunks, each committed as it arrives so an upload resumes.
CREATE TABLE blob_chunks (
    sha256 bytea  NOT NULL CHECK (length(sha256) = 32),
    "offset" bigint NOT NULL CHECK ("offset" >= 0),
    bytes  bytea  NOT NULL,
    PRIMARY KEY (sha256, "offset")
);

-- "Does this office's feed carry an event at this position?" for blob access.
CREATE INDEX feed_pos ON feed (pos, office_code);

-- "When was this device last alarmed of this kind?", asked on every held change set.
CREATE INDEX alarms_kind_device ON alarms (kind, device_id, at_ms);
