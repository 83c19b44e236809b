-- 0020: importing an older platform's records (issue #19 item 5). Every table here is a
-- projection of `import.*` events, rebuilt from the log like the others.

-- Column mappings saved by name, one list per kind of file (`import.mapping_saved`).
CREATE TABLE import_mappings (
    office_code  TEXT NOT NULL,
    kind         TEXT NOT NULL,
    name         TEXT NOT NULL,
    columns_json TEXT NOT NULL,
    saved_by     TEXT NOT NULL,
    saved_at     TEXT NOT NULL,
    PRIMARY KEY (office_code, kind, name)
) STRICT;

-- Each record brought over, under its number in the older platform (`import.record_migrated`):
-- the key that makes a re-run of the same file add nothing.
CREATE TABLE migrated_records (
    office_code     TEXT NOT NULL,
    kind            TEXT NOT NULL,
    original_number TEXT NOT NULL,
    aggregate       TEXT NOT NULL,
    batch_id        TEXT NOT NULL,
    row_number      INTEGER NOT NULL,
    row_sha256      TEXT NOT NULL,
    PRIMARY KEY (office_code, kind, original_number)
) STRICT;
CREATE INDEX migrated_records_aggregate ON migrated_records (aggregate);

-- One row per import that entered records (`import.completed`).
CREATE TABLE import_batches (
    batch_id     TEXT PRIMARY KEY,
    office_code  TEXT NOT NULL,
    kind         TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    file_sha256  TEXT NOT NULL,
    mapping_name TEXT NOT NULL,
    rows         INTEGER NOT NULL,
    imported     INTEGER NOT NULL,
    skipped      INTEGER NOT NULL,
    imported_by  TEXT NOT NULL,
    date         TEXT NOT NULL,
    created_at   TEXT NOT NULL
) STRICT;
