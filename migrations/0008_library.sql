-- 0008: the reference library (资料袋), DOMAIN.md §3: laws and rules as documents → chapters →
-- articles, Chinese full-text search over the articles, and citations of articles from records.

-- One version of one document. A document keeps its id across versions; a re-import with a new
-- version adds a row, and the projector recomputes every version's status (the version with the
-- latest effective date is in force, the others amended; all repealed when that one is declared
-- repealed), so the outcome does not depend on the order versions arrived in.
CREATE TABLE library_documents (
    doc_id         TEXT NOT NULL,
    version        TEXT NOT NULL,
    title          TEXT NOT NULL,
    issuer         TEXT NOT NULL,
    -- 文号, when the document has one.
    doc_number     TEXT,
    -- 施行日期, YYYY-MM-DD.
    effective_date TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('in_force', 'amended', 'repealed')),
    -- Declared repealed in the imported text (状态：已废止).
    repealed       INTEGER NOT NULL CHECK (repealed IN (0, 1)),
    -- Only some articles were imported (节选): numbering may have gaps.
    excerpt        INTEGER NOT NULL CHECK (excerpt IN (0, 1)),
    source         TEXT NOT NULL CHECK (source IN ('starter', 'import', 'hub')),
    -- SHA-256 of the parsed document's canonical JSON: the same text imported twice is one version.
    content_hash   TEXT NOT NULL,
    preamble       TEXT NOT NULL,
    article_count  INTEGER NOT NULL,
    event_id       TEXT NOT NULL,
    imported_by    TEXT NOT NULL,
    imported_at    TEXT NOT NULL,
    PRIMARY KEY (doc_id, version)
) STRICT;
CREATE INDEX library_documents_status ON library_documents (status, doc_id);

-- Headings in reading order: 编 (part), 章 (chapter), 节 (section).
CREATE TABLE library_chapters (
    doc_id   TEXT NOT NULL,
    version  TEXT NOT NULL,
    ord      INTEGER NOT NULL,
    level    TEXT NOT NULL CHECK (level IN ('part', 'chapter', 'section')),
    number   INTEGER NOT NULL,
    label    TEXT NOT NULL,
    title    TEXT NOT NULL,
    PRIMARY KEY (doc_id, version, ord),
    FOREIGN KEY (doc_id, version) REFERENCES library_documents (doc_id, version)
) STRICT;

-- Articles. `id` is the search index's rowid: assigned in the order the projector inserts, so a
-- rebuild assigns the same ids. `chapter_ord` is the innermost heading above the article.
CREATE TABLE library_articles (
    id          INTEGER PRIMARY KEY,
    doc_id      TEXT NOT NULL,
    version     TEXT NOT NULL,
    number      INTEGER NOT NULL,
    label       TEXT NOT NULL,
    chapter_ord INTEGER,
    text        TEXT NOT NULL,
    UNIQUE (doc_id, version, number),
    FOREIGN KEY (doc_id, version) REFERENCES library_documents (doc_id, version)
) STRICT;

-- Full-text search over article text with the trigram tokenizer (SQLite ≥ 3.34): any substring
-- of three or more characters is found, in Chinese as in other scripts. Shorter queries are
-- answered by a scan of the same rows (`library::query`). External content: the text lives once,
-- in `library_articles`; articles are only ever inserted, so the index is kept by inserts alone.
CREATE VIRTUAL TABLE library_search USING fts5 (
    text,
    content = 'library_articles',
    content_rowid = 'id',
    tokenize = 'trigram'
);

-- Articles cited from a record (a complaint, a penalty decision or one of its execution items, a
-- rectification list). A grow-only set: a removal marks the row, it never deletes it. Title and
-- label are copied from the event so a replica without the document still shows what was cited.
CREATE TABLE citations (
    citation_id    TEXT PRIMARY KEY,
    aggregate      TEXT NOT NULL,
    item_ord       INTEGER,
    doc_id         TEXT NOT NULL,
    version        TEXT NOT NULL,
    article_number INTEGER NOT NULL,
    document_title TEXT NOT NULL,
    article_label  TEXT NOT NULL,
    note           TEXT,
    added_by       TEXT NOT NULL,
    added_at       TEXT NOT NULL,
    removed_by     TEXT,
    removed_at     TEXT
) STRICT;
CREATE INDEX citations_aggregate ON citations (aggregate, added_at);
