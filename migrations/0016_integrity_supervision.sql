-- 0016: supervision work beyond complaints (issue #19): integrity files and integrity opinions
-- (廉政档案、廉政意见回复), supervision letters and circulars (监督建议、提醒函、监督通报), and reform by
-- case (以案促改) on the checklist engine. Every table below but the template row is a projection.

-- Cadres with an identity: name, unit and post, and an ID number kept only masked (the first six
-- and the last four digits), enough to tell two people of one name apart on a screen without
-- holding the number itself.
CREATE TABLE cadres (
    id            TEXT PRIMARY KEY,
    office_code   TEXT NOT NULL,
    name          TEXT NOT NULL,
    unit          TEXT NOT NULL,
    post          TEXT NOT NULL,
    id_masked     TEXT,
    registered_by TEXT NOT NULL,
    created_at    TEXT NOT NULL
) STRICT;
CREATE INDEX cadres_name ON cadres (name, unit);
CREATE INDEX cadres_unit ON cadres (unit, name);

-- A record an officer confirmed as a cadre's, or split off as another person's. `record` is
-- `complaint:<id>#<ord>` (a person reported on), `penalty:<id>` or `benefit:<id>`. Records not
-- listed here that name the cadre are suggestions, computed when read.
CREATE TABLE cadre_matches (
    cadre_id     TEXT NOT NULL REFERENCES cadres (id),
    record       TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('confirmed', 'split')),
    note         TEXT NOT NULL,
    decided_by   TEXT NOT NULL,
    decided_date TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    PRIMARY KEY (cadre_id, record)
) STRICT;
CREATE INDEX cadre_matches_record ON cadre_matches (record, status);

-- Units with an integrity file and a profile. Records name units as typed, so a unit keeps the
-- other names it goes by (`aliases_json`), and its records are those naming any of them.
CREATE TABLE integrity_units (
    id            TEXT PRIMARY KEY,
    office_code   TEXT NOT NULL,
    name          TEXT NOT NULL,
    category      TEXT NOT NULL,
    aliases_json  TEXT NOT NULL,
    registered_by TEXT NOT NULL,
    created_at    TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX integrity_units_name ON integrity_units (office_code, name);
-- Every name a unit goes by, its own included, for matching records to units in one join.
CREATE TABLE integrity_unit_names (
    unit_id TEXT NOT NULL REFERENCES integrity_units (id),
    name    TEXT NOT NULL,
    PRIMARY KEY (unit_id, name)
) STRICT;
CREATE INDEX integrity_unit_names_name ON integrity_unit_names (name);

-- Who read which file, when, and why (the log holds the same as `integrity.file_viewed`; the
-- file's page lists its readings).
CREATE TABLE integrity_readings (
    event_id TEXT PRIMARY KEY,
    subject  TEXT NOT NULL,
    purpose  TEXT NOT NULL,
    read_by  TEXT NOT NULL,
    read_at  TEXT NOT NULL
) STRICT;
CREATE INDEX integrity_readings_subject ON integrity_readings (subject, read_at);

-- The organisation department's requests for integrity opinions (廉政意见回复).
CREATE TABLE opinion_requests (
    id             TEXT PRIMARY KEY,
    office_code    TEXT NOT NULL,
    requester      TEXT NOT NULL,
    request_ref    TEXT NOT NULL,
    purpose        TEXT NOT NULL,
    purpose_note   TEXT NOT NULL,
    received_date  TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'replied')),
    persons        INTEGER NOT NULL,
    submitted_by   TEXT,
    submitted_date TEXT,
    approved_by    TEXT,
    approved_date  TEXT,
    return_note    TEXT,
    reply_number   TEXT,
    reply_date     TEXT,
    registered_by  TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX opinion_requests_status ON opinion_requests (office_code, status, received_date);

-- One person on a request, with the conclusion as last written and as submitted (with the
-- findings it rested on, as JSON).
CREATE TABLE opinion_persons (
    request_id           TEXT NOT NULL REFERENCES opinion_requests (id),
    ord                  INTEGER NOT NULL,
    cadre_id             TEXT NOT NULL,
    name                 TEXT NOT NULL,
    unit                 TEXT NOT NULL,
    post                 TEXT NOT NULL,
    conclusion           TEXT,
    submitted_conclusion TEXT,
    submitted_findings   TEXT,
    PRIMARY KEY (request_id, ord)
) STRICT;
CREATE INDEX opinion_persons_cadre ON opinion_persons (cadre_id);

-- Supervision suggestion and reminder letters (监督建议书、提醒函) to units.
CREATE TABLE supervision_letters (
    id                    TEXT PRIMARY KEY,
    office_code           TEXT NOT NULL,
    kind                  TEXT NOT NULL CHECK (kind IN ('suggestion', 'reminder')),
    unit                  TEXT NOT NULL,
    title                 TEXT NOT NULL,
    problems_json         TEXT NOT NULL,
    suggestions           TEXT NOT NULL,
    feedback_working_days INTEGER NOT NULL,
    status                TEXT NOT NULL CHECK (status IN ('drafted', 'issued', 'feedback', 'closed')),
    number                TEXT,
    issue_date            TEXT,
    -- The date the current feedback deadline counts from (the issue, or the last sending back).
    due_date              TEXT,
    feedback_round        INTEGER NOT NULL DEFAULT 0,
    reminders             INTEGER NOT NULL DEFAULT 0,
    problems_total        INTEGER NOT NULL,
    problems_rectified    INTEGER NOT NULL DEFAULT 0,
    closed_date           TEXT,
    registered_by         TEXT NOT NULL,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
) STRICT;
CREATE INDEX supervision_letters_unit ON supervision_letters (unit, status);
CREATE INDEX supervision_letters_issued ON supervision_letters (office_code, issue_date);

-- Each feedback a unit gave, and how it was received.
CREATE TABLE letter_feedback (
    event_id       TEXT PRIMARY KEY,
    letter_id      TEXT NOT NULL REFERENCES supervision_letters (id),
    round          INTEGER NOT NULL,
    date           TEXT NOT NULL,
    content        TEXT NOT NULL,
    rectified_json TEXT NOT NULL,
    evidence_json  TEXT NOT NULL,
    due_date       TEXT,
    on_time        INTEGER NOT NULL CHECK (on_time IN (0, 1)),
    outcome        TEXT NOT NULL CHECK (outcome IN ('pending', 'accepted', 'sent_back')),
    review_note    TEXT,
    reviewed_by    TEXT,
    review_date    TEXT,
    recorded_by    TEXT NOT NULL
) STRICT;
CREATE INDEX letter_feedback_letter ON letter_feedback (letter_id, round);

-- Reminders (催办) sent to a unit whose feedback is late.
CREATE TABLE letter_reminders (
    event_id  TEXT PRIMARY KEY,
    letter_id TEXT NOT NULL REFERENCES supervision_letters (id),
    date      TEXT NOT NULL,
    note      TEXT NOT NULL,
    sent_by   TEXT NOT NULL
) STRICT;
CREATE INDEX letter_reminders_letter ON letter_reminders (letter_id, date);

-- Circulars (监督通报) naming units with problems, drafted from a period's records.
CREATE TABLE circulars (
    id          TEXT PRIMARY KEY,
    office_code TEXT NOT NULL,
    title       TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to   TEXT NOT NULL,
    units_json  TEXT NOT NULL,
    units       INTEGER NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('drafted', 'issued')),
    number      TEXT,
    issue_date  TEXT,
    drafted_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX circulars_period ON circulars (office_code, period_to);

-- Reform by case (以案促改): a rectification list names the penalty decision it follows.
ALTER TABLE checklists ADD COLUMN penalty_id TEXT;
CREATE INDEX checklists_penalty ON checklists (penalty_id) WHERE penalty_id IS NOT NULL;

-- Guidance opinions (指导意见) 案件审理室 gives on checklist items, counted in the statistics.
CREATE TABLE checklist_guidance (
    event_id     TEXT PRIMARY KEY,
    checklist_id TEXT NOT NULL REFERENCES checklists (id),
    ord          INTEGER NOT NULL,
    date         TEXT NOT NULL,
    text         TEXT NOT NULL,
    given_by     TEXT NOT NULL
) STRICT;
CREATE INDEX checklist_guidance_item ON checklist_guidance (checklist_id, ord, date);
CREATE INDEX checklist_guidance_date ON checklist_guidance (date);

-- The built-in reform-by-case template: the unit's tasks after a penalty decision, in order (each
-- opened when 案件审理室 or 监督检查室 approves the one before), each due some months from the
-- list's start, the last on the date the list names.
INSERT INTO checklist_templates (id, version, scope, name, priority, body, source, published_at) VALUES (
'rectification.reform_by_case', 1, 'rectification', '以案促改任务清单', 0,
'{"id":"rectification.reform_by_case","version":1,"scope":"rectification","name":"以案促改任务清单","priority":0,
"select":{"when":"all"},"sequential":true,
"items":[
{"code":"case_briefing","title":"召开案情通报会，开展警示教育","applies":{"when":"all"},"deadline":{"kind":"rectification_item","from":"start","months":1}},
{"code":"cause_analysis","title":"剖析案发原因，查找廉政风险点和制度漏洞","applies":{"when":"all"},"deadline":{"kind":"rectification_item","from":"start","months":1}},
{"code":"democratic_life","title":"召开专题民主生活会（组织生活会），对照检查","applies":{"when":"all"},"deadline":{"kind":"rectification_item","from":"start","months":2}},
{"code":"rules_improved","title":"建章立制，堵塞管理漏洞","applies":{"when":"all"},"deadline":{"kind":"rectification_item","from":"start","months":3}},
{"code":"report","title":"报送以案促改工作情况报告","applies":{"when":"all"},"deadline":{"kind":"rectification_item","from":"due","months":0}}
]}',
'builtin', '2026-01-01T00:00:00+00:00');
