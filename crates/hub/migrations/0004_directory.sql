-- The province's directory (issue #16): each office's short name (机关代字, the start of its
-- document numbers) and whether it is a commission or a resident group (派驻纪检监察组) sent by
-- the office named in parent_code. Offices added before this file have no short name until an
-- import gives them one.
ALTER TABLE offices ADD COLUMN short_name TEXT;
ALTER TABLE offices ADD COLUMN unit TEXT NOT NULL DEFAULT 'office' CHECK (unit IN ('office', 'resident_group'));
