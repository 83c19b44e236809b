-- 0025: province-wide content the hub publishes (issue #16 item 7): regulations, notice templates
-- and checklist templates, as `content.published` on the hub's chain.
--
-- One row per province version received. A version the office's store cannot use (a regulation
-- whose numbering does not parse, a checklist template that does not validate) is kept with the
-- reason in `refused`, so the officer sees that it arrived and why it is not offered, and the sync
-- that carried it is never stopped by it. `adopted_*` record the office's `content.adopted`: the
-- province's template was put in force as the office's own next version (`adopted_as`).
CREATE TABLE province_content (
    kind         TEXT NOT NULL CHECK (kind IN ('regulation', 'notice_template', 'checklist_template')),
    id           TEXT NOT NULL,
    version      INTEGER NOT NULL CHECK (version >= 1),
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    refused      TEXT,
    adopted_at   TEXT,
    adopted_by   TEXT,
    adopted_as   INTEGER,
    PRIMARY KEY (kind, id, version)
) STRICT;

-- What each officer has looked at: the highest `province_content` rowid shown to them. It is the
-- officer's own reading state, not a record of the office, so it is no event and `rebuild` keeps it
-- (a rebuild re-inserts the rows in log order, so a rowid keeps meaning "received before").
CREATE TABLE province_content_seen (
    user_id      TEXT PRIMARY KEY,
    seen_through INTEGER NOT NULL
) STRICT;
