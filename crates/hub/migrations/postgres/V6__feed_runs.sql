-- V6: each office's feed kept as runs (issue #17, the 200 × 200 burst). Append-only file.
--
-- A feed append is one row per office (cut into runs of at most 500 positions): the positions
-- it gave the office's feed, in order, at feed_seq first_seq ..= last_seq. A change set of 200
-- events reaching its county, the prefecture and the province appends three rows, not 600 rows
-- each with two index entries and a foreign-key check on `events`. Every change set locks the
-- province's office row from its append to its commit, so that append is the part of a change
-- set that no two can do at once: it is now a three-row insert. Feed positions stay exactly
-- what they were, one per event, gap-free per office.
CREATE TABLE feed_runs (
    office_code text     NOT NULL,
    last_seq    bigint   NOT NULL,
    first_seq   bigint   NOT NULL,
    positions   bigint[] NOT NULL,
    PRIMARY KEY (office_code, last_seq),
    CHECK (first_seq >= 1
           AND cardinality(positions) = last_seq - first_seq + 1
           AND cardinality(positions) <= 500)
);

INSERT INTO feed_runs (office_code, last_seq, first_seq, positions)
    SELECT office_code, feed_seq, feed_seq, ARRAY[pos] FROM feed;

-- Which offices' feeds carry an event naming each blob: who may fetch it. Written with the
-- feed appends that route such an event, found through blob_refs' positions.
CREATE TABLE blob_offices (
    sha256      bytea NOT NULL CHECK (length(sha256) = 32),
    office_code text  NOT NULL,
    PRIMARY KEY (sha256, office_code)
);

INSERT INTO blob_offices (sha256, office_code)
    SELECT DISTINCT r.sha256, f.office_code FROM blob_refs r JOIN feed f ON f.pos = r.pos;

CREATE INDEX blob_refs_pos ON blob_refs (pos);

DROP TABLE feed;
