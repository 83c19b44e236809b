-- The province's directory as the hub publishes it (issue #16): each office's short name
-- (机关代字) and whether it is a commission or a resident group (派驻纪检监察组) sent by the office
-- in parent_code. An office offline thus knows every valid destination, its name and level.
ALTER TABLE offices ADD COLUMN short_name TEXT;
ALTER TABLE offices ADD COLUMN unit TEXT NOT NULL DEFAULT 'office' CHECK (unit IN ('office', 'resident_group'));
CREATE INDEX offices_by_parent ON offices (parent_code);

-- Officers of every office by name (officer.named), so a timeline, a conflict or a repeat link
-- shows who took a step at another office, never an account id. Accounts themselves stay home.
CREATE TABLE officers (
    user_id      TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    office_code  TEXT NOT NULL
) STRICT;
