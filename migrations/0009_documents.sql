-- 0009: notices (告知书、通知、回执) as data: their templates, and the register of issued documents
-- (发文登记), DOMAIN.md §6.

-- Notice templates, one row per version. The built-in versions (office_code '') are seeded from
-- the program on first use, because their text ships inside the notice crate, not in SQL; an
-- administrator saves further versions for the office (`notice.template_saved`, office_code of
-- the saving office), which the projector inserts with INSERT OR IGNORE. Rows are never changed
-- except for `active`, which the projector sets to the newest version per office and kind; the
-- table is therefore reference content like `blobs` and `checklist_templates`: `rebuild` keeps it
-- and replays the saves idempotently. `sha256` is over `source`, so a version published later by
-- the hub can be recognised by its hash whatever office holds it.
CREATE TABLE notice_templates (
    office_code TEXT NOT NULL,
    kind        TEXT NOT NULL,
    version     INTEGER NOT NULL CHECK (version >= 1),
    title       TEXT NOT NULL,
    source      TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    -- `builtin`, or the id of the event that saved it.
    origin      TEXT NOT NULL,
    saved_by    TEXT NOT NULL,
    saved_at    TEXT NOT NULL,
    active      INTEGER NOT NULL CHECK (active IN (0, 1)),
    PRIMARY KEY (office_code, kind, version)
) STRICT;

-- The register of issued documents (a projection of `document.issued`). The number is unique per
-- office, kind and year, with no gaps: it is allocated in the same write transaction that records
-- the event, so a failed render or a refused issue consumes nothing. The PDF bytes live in
-- `blobs` (content-addressed, kept by `rebuild`) under `pdf_sha256`, so a re-print gives the very
-- bytes that were issued.
CREATE TABLE issued_documents (
    id               TEXT PRIMARY KEY,
    office_code      TEXT NOT NULL,
    kind             TEXT NOT NULL,
    title            TEXT NOT NULL,
    year             INTEGER NOT NULL,
    serial           INTEGER NOT NULL CHECK (serial >= 1),
    number           TEXT NOT NULL,
    -- The record the notice was issued for (`complaint:<id>`, `penalty:<id>`, `checklist:<id>`),
    -- or `document:<id>` for a notice filled in by hand.
    aggregate        TEXT NOT NULL,
    record_label     TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    template_sha256  TEXT NOT NULL,
    pdf_sha256       TEXT NOT NULL,
    pdf_size         INTEGER NOT NULL,
    issue_date       TEXT NOT NULL,
    issued_by        TEXT NOT NULL,
    issued_at        TEXT NOT NULL,
    event_id         TEXT NOT NULL,
    UNIQUE (office_code, kind, year, serial)
) STRICT;
CREATE INDEX issued_documents_aggregate ON issued_documents (aggregate, kind);
CREATE INDEX issued_documents_date ON issued_documents (issue_date);
