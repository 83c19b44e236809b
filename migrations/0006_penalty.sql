-- 0006: penalty execution (处分决定执行) and rectification checklists (整改清单), DOMAIN.md §3–§4.

-- Checklist templates: which items a checklist has, in order, and the rules choosing them. They
-- are data, versioned: a new version is a new row, and a checklist names the version it was
-- generated from. Built-in versions are seeded here; an administrator publishes further versions
-- (`checklist.template_published`), which the projector inserts with INSERT OR IGNORE. Rows are
-- never changed, so this table is reference content like `blobs`: `rebuild` keeps it.
CREATE TABLE checklist_templates (
    id           TEXT NOT NULL,
    version      INTEGER NOT NULL CHECK (version >= 1),
    scope        TEXT NOT NULL CHECK (scope IN ('penalty', 'rectification')),
    name         TEXT NOT NULL,
    -- Templates are tried in descending priority; the first whose `select` rule matches is used.
    priority     INTEGER NOT NULL,
    body         TEXT NOT NULL,
    -- `builtin`, or the id of the event that published it.
    source       TEXT NOT NULL,
    published_at TEXT NOT NULL,
    PRIMARY KEY (id, version)
) STRICT;

INSERT INTO checklist_templates (id, version, scope, name, priority, body, source, published_at) VALUES (
'penalty.standard', 1, 'penalty', '处分决定执行事项清单', 0,
'{"id":"penalty.standard","version":1,"scope":"penalty","name":"处分决定执行事项清单","priority":0,
"select":{"when":"all"},"sequential":true,
"items":[
{"code":"serve","title":"送达处分决定并抄送有关单位","applies":{"when":"all"},"deadline":{"kind":"penalty_serve","from":"decision","months":1}},
{"code":"announce","title":"向所在党组织（单位）和本人宣布处分决定","applies":{"when":"all"},"deadline":{"kind":"penalty_announce","from":"decision","months":1}},
{"code":"archive","title":"处分决定等材料归入本人档案","applies":{"when":"all"},"deadline":{"kind":"checklist_item","from":"decision","months":6}},
{"code":"adjust_post_pay","title":"调整职务、职级、工资待遇","applies":{"when":"any","of":[{"when":"party_at_least","penalty":"removal_from_post"},{"when":"government_at_least","sanction":"demotion"}]},"deadline":{"kind":"penalty_post_pay","from":"decision","months":1,"extendable_to":6}},
{"code":"appraisal","title":"评定影响期内年度考核等次","applies":{"when":"influence_period"},"deadline":{"kind":"checklist_item","from":"decision","months":6}},
{"code":"recover_money","title":"收缴违纪违法所得、责令退赔","applies":{"when":"amounts_named"},"payment":true,"deadline":{"kind":"checklist_item","from":"decision","months":6}},
{"code":"three_letters","title":"落实“三书”（检讨书、承诺书、整改书）","applies":{"when":"all"},"letters":["检讨书","承诺书","整改书"],"deadline":{"kind":"checklist_item","from":"decision","months":6}},
{"code":"organisational_handling","title":"落实组织处理","applies":{"when":"organisational_handling"},"deadline":{"kind":"checklist_item","from":"decision","months":6}},
{"code":"notify_bodies","title":"函告人大常委会、政协或统战部门","applies":{"when":"special_status"},"deadline":{"kind":"checklist_item","from":"decision","months":6}},
{"code":"follow_up_visit","title":"开展教育回访","applies":{"when":"all"},"deadline":{"kind":"checklist_item","from":"decision","months":6}},
{"code":"restore","title":"影响期满恢复权利、解除处分","applies":{"when":"influence_period"},"deadline":{"kind":"penalty_restoration","from":"influence_end","months":0}}
]}',
'builtin', '2026-01-01T00:00:00+00:00');

INSERT INTO checklist_templates (id, version, scope, name, priority, body, source, published_at) VALUES (
'rectification.two_responsibilities', 1, 'rectification', '“两个责任”落实情况任务清单', 0,
'{"id":"rectification.two_responsibilities","version":1,"scope":"rectification","name":"“两个责任”落实情况任务清单","priority":0,
"select":{"when":"all"},"sequential":false,
"items":[
{"code":"main_duty_planning","title":"党委（党组）研究部署全面从严治党和党风廉政建设工作","applies":{"when":"all"},"max_score":"20","deadline":{"kind":"rectification_item","from":"due","months":0}},
{"code":"one_post_two_duties","title":"领导班子成员履行“一岗双责”，抓好分管领域廉政风险防控","applies":{"when":"all"},"max_score":"20","deadline":{"kind":"rectification_item","from":"due","months":0}},
{"code":"daily_supervision","title":"落实监督责任，开展日常监督和专项检查","applies":{"when":"all"},"max_score":"20","deadline":{"kind":"rectification_item","from":"due","months":0}},
{"code":"clue_handling","title":"问题线索处置和执纪审查调查","applies":{"when":"all"},"max_score":"20","deadline":{"kind":"rectification_item","from":"due","months":0}},
{"code":"findings_rectified","title":"巡察、审计等发现问题整改落实","applies":{"when":"all"},"max_score":"20","deadline":{"kind":"rectification_item","from":"due","months":0}}
]}',
'builtin', '2026-01-01T00:00:00+00:00');

-- Penalty decisions (处分决定). The whole form is kept as JSON; the columns are what lists filter
-- and sort on. Influence periods are computed when the decision is entered and carried in its
-- event, so every replica holds the same dates whatever its own settings.
CREATE TABLE penalties (
    id                 TEXT PRIMARY KEY,
    office_code        TEXT NOT NULL,
    decision_number    TEXT NOT NULL,
    deciding_body      TEXT NOT NULL,
    person_name        TEXT NOT NULL,
    person_unit        TEXT NOT NULL,
    party_penalty      TEXT,
    government_sanction TEXT,
    penalty_label      TEXT NOT NULL,
    decision_date      TEXT NOT NULL,
    approval_date      TEXT,
    complaint_id       TEXT,
    -- Yuan to the fen, as text (never a float).
    amount_due         TEXT,
    -- The union of the influence periods: earliest start, latest end (NULL with `permanent`).
    influence_start    TEXT,
    influence_end      TEXT,
    permanent          INTEGER NOT NULL CHECK (permanent IN (0, 1)),
    periods_json       TEXT NOT NULL,
    form_json          TEXT NOT NULL,
    registered_by      TEXT NOT NULL,
    created_at         TEXT NOT NULL
) STRICT;
CREATE INDEX penalties_person ON penalties (person_name, person_unit);
CREATE INDEX penalties_decision ON penalties (decision_date);

-- A checklist: a penalty's execution items or a rectification list. `aggregate` is
-- `penalty:<id>` or `checklist:<id>`; `current_ord` is the first item not yet approved.
CREATE TABLE checklists (
    id               TEXT PRIMARY KEY,
    aggregate        TEXT NOT NULL UNIQUE,
    scope            TEXT NOT NULL CHECK (scope IN ('penalty', 'rectification')),
    title            TEXT NOT NULL,
    source           TEXT NOT NULL,
    template_id      TEXT,
    template_version INTEGER,
    sequential       INTEGER NOT NULL CHECK (sequential IN (0, 1)),
    office_code      TEXT NOT NULL,
    start_date       TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('open', 'done')),
    current_ord      INTEGER,
    -- Counts kept by the projector so the board needs no per-row aggregate.
    items_done       INTEGER NOT NULL DEFAULT 0,
    items_total      INTEGER NOT NULL DEFAULT 0,
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX checklists_scope ON checklists (scope, start_date);

-- One item of a checklist. Status: pending (waits for the item before it), open, submitted
-- (awaiting review), rejected (sent back with a note), approved.
CREATE TABLE checklist_items (
    checklist_id     TEXT NOT NULL REFERENCES checklists (id),
    ord              INTEGER NOT NULL,
    code             TEXT NOT NULL,
    title            TEXT NOT NULL,
    responsible_unit TEXT NOT NULL,
    measures         TEXT NOT NULL,
    result           TEXT,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'open', 'submitted', 'rejected', 'approved')),
    deadline_kind    TEXT NOT NULL,
    deadline_rule    TEXT NOT NULL,
    deadline_start   TEXT NOT NULL,
    deadline_id      TEXT,
    extendable_to    INTEGER,
    payment          INTEGER NOT NULL CHECK (payment IN (0, 1)),
    amount_due       TEXT,
    amount_paid      TEXT NOT NULL DEFAULT '0.00',
    max_score        TEXT,
    score            TEXT,
    letters_json     TEXT NOT NULL DEFAULT '[]',
    -- The business date of the last action on the item (opened, submitted, reviewed, paid): an
    -- item idle for 10 days turns yellow (DOMAIN.md §3), computed when read.
    last_action_date TEXT,
    submitted_by     TEXT,
    review_note      TEXT,
    reviewed_by      TEXT,
    approved_date    TEXT,
    rejections       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (checklist_id, ord)
) STRICT;
CREATE INDEX checklist_items_status ON checklist_items (status, checklist_id);
CREATE INDEX checklist_items_unit ON checklist_items (responsible_unit, status);

-- Every submission with its evidence and how the review went.
CREATE TABLE checklist_submissions (
    event_id       TEXT PRIMARY KEY,
    checklist_id   TEXT NOT NULL REFERENCES checklists (id),
    ord            INTEGER NOT NULL,
    date           TEXT NOT NULL,
    note           TEXT NOT NULL,
    measures       TEXT,
    result         TEXT,
    evidence_json  TEXT NOT NULL,
    submitted_by   TEXT NOT NULL,
    submitted_at   TEXT NOT NULL,
    outcome        TEXT NOT NULL CHECK (outcome IN ('pending', 'approved', 'rejected')),
    reviewed_by    TEXT,
    review_date    TEXT,
    review_note    TEXT
) STRICT;
CREATE INDEX checklist_submissions_item ON checklist_submissions (checklist_id, ord, submitted_at);
CREATE INDEX checklist_submissions_review ON checklist_submissions (outcome, review_date);

-- Payments toward a confiscation or repayment, yuan to the fen as text.
CREATE TABLE checklist_payments (
    event_id     TEXT PRIMARY KEY,
    checklist_id TEXT NOT NULL REFERENCES checklists (id),
    ord          INTEGER NOT NULL,
    date         TEXT NOT NULL,
    amount       TEXT NOT NULL,
    note         TEXT NOT NULL,
    recorded_by  TEXT NOT NULL
) STRICT;
CREATE INDEX checklist_payments_item ON checklist_payments (checklist_id, ord, date);

-- Appraisal grades, promotions, awards and pay-step changes recorded against a person, checked
-- against influence periods when read (the influence-period guard).
CREATE TABLE person_benefits (
    id          TEXT PRIMARY KEY,
    person_name TEXT NOT NULL,
    person_unit TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('appraisal', 'promotion', 'award', 'pay_step')),
    date        TEXT NOT NULL,
    grade       TEXT,
    detail      TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    office_code TEXT NOT NULL
) STRICT;
CREATE INDEX person_benefits_person ON person_benefits (person_name, person_unit, date);
