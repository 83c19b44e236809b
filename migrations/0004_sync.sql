-- 0004: sync with the provincial hub — ownership of aggregates, conflicts, and the sync state.

-- Which office owns a complaint now (it starts as the registering office; the hub's
-- `ownership.changed` moves it). Work lists read this; other offices' complaints are visible
-- to the offices above them but are not their work.
ALTER TABLE complaints ADD COLUMN owner_office TEXT;
UPDATE complaints SET owner_office = office_code;
CREATE INDEX complaints_owner_status ON complaints (owner_office, status, received_at);

-- Whose duty a deadline is: the owning office of its aggregate. Dashboards count their own.
ALTER TABLE deadlines ADD COLUMN office_code TEXT;
CREATE INDEX deadlines_office_open ON deadlines (office_code, status, due_date);

-- Projection: owner and epoch of each workflow aggregate.
CREATE TABLE ownership (
    aggregate    TEXT PRIMARY KEY,
    owner_office TEXT NOT NULL,
    epoch        INTEGER NOT NULL CHECK (epoch >= 1)
) STRICT;

-- Projection: every ordered change, with the cut (JSON [[device, seq], ...]) that separates
-- the old owner's valid events from its stale ones.
CREATE TABLE ownership_changes (
    aggregate   TEXT NOT NULL,
    epoch       INTEGER NOT NULL,
    from_office TEXT NOT NULL,
    to_office   TEXT NOT NULL,
    reason      TEXT NOT NULL,
    cut         TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    changed_at  TEXT NOT NULL,
    PRIMARY KEY (aggregate, epoch)
) STRICT;

-- Projection: events kept in the log but not applied to workflow state because their office no
-- longer owned the aggregate when it acted. A person at the owning office settles each one.
CREATE TABLE conflicts (
    event_id      TEXT PRIMARY KEY,
    aggregate     TEXT NOT NULL,
    origin_office TEXT NOT NULL,
    kind          TEXT NOT NULL,
    actor         TEXT NOT NULL,
    raised_at     TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
    resolution    TEXT,
    note          TEXT,
    resolved_by   TEXT,
    resolved_at   TEXT
) STRICT;
CREATE INDEX conflicts_open ON conflicts (status, aggregate);

-- Sync state of this replica (not events: protocol bookkeeping). Keys: hub_url, hub_key,
-- certificate, acked_seq, acked_hash, feed_cursor, last_success, last_error, last_attempt.
CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;

-- Every receipt the hub signed for this device's change sets, accepted or rejected.
CREATE TABLE sync_receipts (
    changeset_id TEXT PRIMARY KEY,
    first_seq    INTEGER NOT NULL,
    last_seq     INTEGER NOT NULL,
    accepted     INTEGER NOT NULL CHECK (accepted IN (0, 1)),
    code         TEXT,
    reason       TEXT,
    receipt      BLOB NOT NULL,
    received_at  TEXT NOT NULL
) STRICT;
