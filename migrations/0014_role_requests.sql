-- 0014: two people for the keys to identity (issue #14). Granting a post that reads reporters'
-- identities (petitions, leader) is a request by one administrator that a second administrator
-- or a leader approves; both are events (`user.role_requested`, `user.role_request_decided`).

-- Projection: every such request and how it was decided.
CREATE TABLE role_requests (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL,
    office_code  TEXT NOT NULL,
    role         TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'refused')),
    decided_by   TEXT,
    decided_at   TEXT,
    comment      TEXT
) STRICT;
CREATE INDEX role_requests_pending ON role_requests (status, office_code);
