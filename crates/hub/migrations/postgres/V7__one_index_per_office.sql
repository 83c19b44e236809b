-- V7: one index of events by origin office, not two (issue #17). Append-only file.
--
-- events_office_kind (origin_office, kind, pos) served one question only: which of the hub's own
-- events (directory, calendars) of a kind exist, asked when an office is added. V5's
-- events_origin_office (origin_office, pos) answers it too, reading the hub's own events in
-- order and keeping those of the kind; every event inserted no longer pays for a sixth index.
DROP INDEX events_office_kind;
