-- 0013: the reporter's identity sealed to the offices entitled to read it (issue #14).

-- This office's secret sealing keys, one per suite. Not a projection and not in the log: they
-- never leave the encrypted database (a backup of the file carries them), and `rebuild` keeps them.
CREATE TABLE sealing_secrets (
    key_id      TEXT PRIMARY KEY,
    office_code TEXT NOT NULL,
    suite       TEXT NOT NULL CHECK (suite IN ('x25519-aes256gcm', 'sm2-sm4')),
    public_key  BLOB NOT NULL,
    secret_key  BLOB NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;

-- Projection: every office's published sealing keys (`office.sealing_keys`: this office's own,
-- and every other office's as the hub re-published them on its chain).
CREATE TABLE sealing_keys (
    office_code  TEXT NOT NULL,
    key_id       TEXT NOT NULL,
    suite        TEXT NOT NULL,
    public_key   BLOB NOT NULL,
    published_at TEXT NOT NULL,
    PRIMARY KEY (office_code, key_id)
) STRICT;

-- Projection: the offices a complaint's sealed identity has been sealed to, from its
-- registration and every later re-sealing (a hand-over, or keys of an office above arriving).
CREATE TABLE sealed_recipients (
    aggregate   TEXT NOT NULL,
    office_code TEXT NOT NULL,
    PRIMARY KEY (aggregate, office_code)
) STRICT;

-- 1 when the complaint's identity is sealed to offices whose keys this replica does not hold:
-- the reporter columns are then empty here, and the identity cannot be shown or handed over.
ALTER TABLE complaints ADD COLUMN identity_sealed INTEGER NOT NULL DEFAULT 0;

-- The same for an attachment's file name (which often names the writer).
ALTER TABLE complaint_attachments ADD COLUMN name_sealed INTEGER NOT NULL DEFAULT 0;

-- Projection: hand-overs (report upward, transfer downward, assign) held because the receiving
-- office had published no sealing key: released as `ownership.offered` once its key arrives.
CREATE TABLE held_handovers (
    aggregate TEXT PRIMARY KEY,
    to_office TEXT NOT NULL,
    reason    TEXT NOT NULL,
    basis     TEXT NOT NULL,
    held_at   TEXT NOT NULL
) STRICT;
