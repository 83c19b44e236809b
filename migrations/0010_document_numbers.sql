-- 0010: an office's devices may each issue the same number while offline; the register must keep
-- both documents rather than let one replace the other.
--
-- 0009 made (office_code, kind, year, serial) UNIQUE, and the projector writes with INSERT OR
-- REPLACE (re-projection replays events over rows it holds). When a second device's
-- `document.issued` carried a serial this device had also used, REPLACE deleted this device's row
-- from the register. Numbers stay free of gaps and duplicates within one database (allocated in
-- the issuing transaction); across devices a duplicate is now kept and shown as one, so the
-- office can withdraw one copy. SQLite cannot drop a table constraint, so the table is rebuilt.
CREATE TABLE issued_documents_new (
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
    event_id         TEXT NOT NULL
) STRICT;
INSERT INTO issued_documents_new SELECT
    id, office_code, kind, title, year, serial, number, aggregate, record_label, template_version,
    template_sha256, pdf_sha256, pdf_size, issue_date, issued_by, issued_at, event_id
FROM issued_documents;
DROP TABLE issued_documents;
ALTER TABLE issued_documents_new RENAME TO issued_documents;
-- The next serial (max per office, kind and year) and the duplicate check both read this index.
CREATE INDEX issued_documents_number ON issued_documents (office_code, kind, year, serial);
CREATE INDEX issued_documents_aggregate ON issued_documents (aggregate, kind);
CREATE INDEX issued_documents_date ON issued_documents (issue_date);
