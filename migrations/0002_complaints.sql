-- 0002: complaints (检举控告), their approvals, the deadlines projection, and full-text search.

CREATE TABLE complaints (
    id                 TEXT PRIMARY KEY,
    -- A stable integer for the search index's rowid; assigned in order of registration.
    search_rowid       INTEGER NOT NULL UNIQUE,
    number             TEXT NOT NULL UNIQUE,
    office_code        TEXT NOT NULL,
    channel            TEXT NOT NULL CHECK (channel IN ('letter', 'visit', 'phone', 'web')),
    received_at        TEXT NOT NULL,
    received_date      TEXT NOT NULL,
    anonymous          INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
    real_name          INTEGER NOT NULL CHECK (real_name IN (0, 1)),
    real_name_verified TEXT,
    -- Reporter identity: only petitions and the approving leader may read these (DOMAIN.md §2).
    reporter_name      TEXT,
    reporter_unit      TEXT,
    reporter_contact   TEXT,
    reporter_address   TEXT,
    summary            TEXT NOT NULL,
    content            TEXT NOT NULL,
    categories         TEXT NOT NULL,
    status             TEXT NOT NULL,
    department         TEXT,
    repeat_of          TEXT REFERENCES complaints (id),
    outcome            TEXT,
    outcome_note       TEXT,
    refer_to           TEXT,
    disposal           TEXT,
    result             TEXT,
    accusation         TEXT,
    clearance          INTEGER NOT NULL DEFAULT 0,
    -- After filing (立案): the stage reached, and detention (留置) if any.
    case_stage         TEXT,
    detention_start    TEXT,
    detention_extended INTEGER NOT NULL DEFAULT 0,
    detention_ended    TEXT,
    registered_by      TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
) STRICT;
-- Indexes match the screens' orderings: inboxes by status or department, lists newest first.
CREATE INDEX complaints_status ON complaints (status, received_at);
CREATE INDEX complaints_department ON complaints (department, status, received_at);
CREATE INDEX complaints_received ON complaints (received_at);
CREATE INDEX complaints_received_date ON complaints (received_date);
-- Repeat detection looks reporters up by contact without ever showing who they are.
CREATE INDEX complaints_reporter_contact ON complaints (reporter_contact) WHERE reporter_contact IS NOT NULL;

-- The last number given per office and year, so a new number needs no scan of past ones.
CREATE TABLE complaint_counters (
    prefix TEXT PRIMARY KEY,
    last   INTEGER NOT NULL
) STRICT;

-- The people and units reported on (被反映人).
CREATE TABLE complaint_subjects (
    complaint_id TEXT NOT NULL REFERENCES complaints (id),
    ord          INTEGER NOT NULL,
    name         TEXT NOT NULL,
    post         TEXT NOT NULL,
    unit         TEXT NOT NULL,
    level        TEXT NOT NULL,
    PRIMARY KEY (complaint_id, ord)
) STRICT;
CREATE INDEX complaint_subjects_name ON complaint_subjects (name);
CREATE INDEX complaint_subjects_unit ON complaint_subjects (unit);

-- Steps that need a leader's approval: requested by one user, decided by another.
CREATE TABLE approvals (
    id           TEXT PRIMARY KEY,
    complaint_id TEXT NOT NULL REFERENCES complaints (id),
    action       TEXT NOT NULL,
    params_json  TEXT NOT NULL,
    reason       TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'granted', 'refused')),
    decided_by   TEXT,
    decided_at   TEXT,
    comment      TEXT
) STRICT;
CREATE INDEX approvals_pending ON approvals (status, complaint_id);

-- Every duty with a due date, whatever it belongs to (complaints now; penalties later).
-- The light (green/yellow/red) depends on today, so it is computed when read, never stored.
CREATE TABLE deadlines (
    id          TEXT PRIMARY KEY,
    aggregate   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    rule        TEXT NOT NULL,
    basis_event TEXT NOT NULL,
    start_date  TEXT NOT NULL,
    due_date    TEXT NOT NULL,
    provisional INTEGER NOT NULL CHECK (provisional IN (0, 1)),
    status      TEXT NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
    closed_date TEXT,
    closed_by   TEXT
) STRICT;
CREATE INDEX deadlines_open ON deadlines (status, due_date);
CREATE INDEX deadlines_kind ON deadlines (kind, status, due_date);
-- One seek finds an aggregate's next open deadline (the lists' "next due" column).
CREATE INDEX deadlines_aggregate ON deadlines (aggregate, status, due_date);

-- Full-text search over summary, content and the people and units reported on (never the
-- reporter). CJK characters are indexed one per token, so a phrase query finds substrings of
-- any length, including the one- and two-character names a trigram index cannot.
CREATE VIRTUAL TABLE complaint_search USING fts5 (
    body,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
