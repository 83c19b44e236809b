-- V4: the province's directory (issue #16), as the SQLite store's 0004_directory.sql: each
-- office's short name (机关代字) and whether it is a commission or a resident group (派驻纪检监察组)
-- sent by the office in parent_code. Append-only file.
ALTER TABLE offices ADD COLUMN short_name text;
ALTER TABLE offices ADD COLUMN unit text NOT NULL DEFAULT 'office' CHECK (unit IN ('office', 'resident_group'));
