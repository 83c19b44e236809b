-- 0005: assigning (交办) and supervising (督办) complaints across offices.

-- Which office's leader decides an approval. Until now every approval was decided at the office
-- owning the complaint; supervision is requested and decided at an office above it.
ALTER TABLE approvals ADD COLUMN office_code TEXT;
UPDATE approvals SET office_code = (SELECT owner_office FROM complaints c WHERE c.id = approvals.complaint_id);
CREATE INDEX approvals_office_pending ON approvals (office_code, status);

-- The office above that demanded a result report (交办 or 督办) and follows it: the deadline is
-- the handling office's duty (office_code) and shows on both offices' dashboards.
ALTER TABLE deadlines ADD COLUMN watch_office TEXT;
CREATE INDEX deadlines_watch_open ON deadlines (watch_office, status, due_date) WHERE watch_office IS NOT NULL;
