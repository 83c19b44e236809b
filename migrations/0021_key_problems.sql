-- 0021: the key-problem catalogue (重点问题目录, issue #19 item 4). Every version an office holds
-- (the hub publishes them as `catalogue.published`); the newest is in force, and the built-in first
-- version stands when none has arrived. A projection of `catalogue.published`.
CREATE TABLE problem_catalogues (
    version      INTEGER PRIMARY KEY CHECK (version >= 1),
    title        TEXT NOT NULL,
    effective    TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    doc_json     TEXT NOT NULL,
    received_at  TEXT NOT NULL
) STRICT;
