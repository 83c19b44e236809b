-- 0022: the people reported on, indexed by name with their unit and their complaint (issue #19's
-- integrity files). A file reads every subject row of a cadre's name to match the unit; in an
-- office of a million complaints a common name has thousands of rows scattered over the table,
-- each a page read and decrypted. This index holds all the file needs, so the rows of one name
-- are read from adjacent index pages. It serves every lookup by name the old index served.
CREATE INDEX complaint_subjects_name_unit ON complaint_subjects (name, unit, complaint_id, ord);
DROP INDEX complaint_subjects_name;
