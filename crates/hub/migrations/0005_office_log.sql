-- 0005: an office's own events by position, so a new device of the office can be restored from
-- the hub's copy of its whole log (every chain of its devices, refused events included) without
-- scanning every office's events for each page.
CREATE INDEX events_origin_office ON events (origin_office, pos);
