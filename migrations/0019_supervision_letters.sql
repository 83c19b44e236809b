-- 0019: supervision letters (issue #19 item 2) as the workflow needs them: a reminder letter's
-- topic (廉政提醒 or 履职提醒, “一书两提醒”) and a fixed feedback date named instead of working
-- days. Both are projections of `letter.registered`.
ALTER TABLE supervision_letters ADD COLUMN topic TEXT CHECK (topic IN ('integrity', 'duty'));
ALTER TABLE supervision_letters ADD COLUMN feedback_due TEXT;
-- The number a letter was issued under is what officers search by and a circular cites.
CREATE INDEX supervision_letters_status ON supervision_letters (office_code, status, issue_date);
