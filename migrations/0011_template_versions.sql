-- 0011: two devices of one office may each save the same version number of a notice template
-- while offline; both versions must be kept on every replica.
--
-- 0009 keyed `notice_templates` by (office_code, kind, version) and the projector inserts with
-- INSERT OR IGNORE, so the second device's text, arriving by sync, was dropped on the first
-- device (its event stayed in the log, its text reached no screen), and the two devices went on
-- using different templates. The key now includes the text's hash: the same text saved twice is
-- still one row, different texts are two. Which one is active is decided the same way on every
-- replica (newest version, then latest save, then hash). SQLite cannot change a primary key, so
-- the table is rebuilt.
CREATE TABLE notice_templates_new (
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
    PRIMARY KEY (office_code, kind, version, sha256)
) STRICT;
INSERT INTO notice_templates_new SELECT
    office_code, kind, version, title, source, sha256, origin, saved_by, saved_at, active
FROM notice_templates;
DROP TABLE notice_templates;
ALTER TABLE notice_templates_new RENAME TO notice_templates;
