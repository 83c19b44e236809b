-- The execution board's row for each checklist, kept on the checklist itself so the board can
-- count and order 100,000 decisions from one table and its indexes instead of joining every row
-- to the decision (a wide row), its current item and that item's deadline. The light depends on
-- today and is still computed when read; only its inputs are copied here. Triggers keep the
-- copies true whichever code path (a step, a calendar update moving due dates, a re-projection)
-- changed the source rows.

-- The current item: its code, title, state and responsible unit; its due date (NULL while it
-- waits for the item before it or has no deadline) and the date of its last action (an item idle
-- for 10 days turns yellow).
ALTER TABLE checklists ADD COLUMN current_code TEXT;
ALTER TABLE checklists ADD COLUMN current_title TEXT;
ALTER TABLE checklists ADD COLUMN current_status TEXT;
ALTER TABLE checklists ADD COLUMN current_unit TEXT;
ALTER TABLE checklists ADD COLUMN current_due TEXT;
ALTER TABLE checklists ADD COLUMN current_last_action TEXT;
-- The decision's person and number as the board shows and filters them (NULL for a
-- rectification list).
ALTER TABLE checklists ADD COLUMN decision_number TEXT;
ALTER TABLE checklists ADD COLUMN person_name TEXT;
ALTER TABLE checklists ADD COLUMN person_unit TEXT;
ALTER TABLE checklists ADD COLUMN penalty_label TEXT;
-- Every responsible unit named on the list's items, one a line, for the board's unit filter.
ALTER TABLE checklists ADD COLUMN units TEXT NOT NULL DEFAULT '';

CREATE INDEX checklists_board ON checklists (scope, office_code, start_date, id);
CREATE INDEX checklists_lights ON checklists (scope, office_code, status, current_due, current_last_action);
CREATE INDEX checklist_items_deadline ON checklist_items (deadline_id);
-- A decision is opened by its number as often as by its id.
CREATE INDEX penalties_number ON penalties (decision_number);

-- The current item's copy, from the item and its deadline.
CREATE TRIGGER checklists_current_moved AFTER UPDATE OF current_ord ON checklists
BEGIN
    UPDATE checklists SET
        current_code = i.code, current_title = i.title, current_status = i.status,
        current_unit = i.responsible_unit, current_last_action = i.last_action_date,
        current_due = CASE WHEN i.status = 'pending' THEN NULL ELSE d.due_date END
    FROM (SELECT NULL) LEFT JOIN checklist_items i ON i.checklist_id = NEW.id AND i.ord = NEW.current_ord
         LEFT JOIN deadlines d ON d.id = i.deadline_id
    WHERE checklists.id = NEW.id;
END;

CREATE TRIGGER checklist_items_inserted AFTER INSERT ON checklist_items
BEGIN
    UPDATE checklists SET units = units || NEW.responsible_unit || char(10)
    WHERE id = NEW.checklist_id AND instr(char(10) || units, char(10) || NEW.responsible_unit || char(10)) = 0;
    UPDATE checklists SET
        current_code = NEW.code, current_title = NEW.title, current_status = NEW.status,
        current_unit = NEW.responsible_unit, current_last_action = NEW.last_action_date,
        current_due = (SELECT CASE WHEN NEW.status = 'pending' THEN NULL ELSE d.due_date END
                       FROM (SELECT 1) LEFT JOIN deadlines d ON d.id = NEW.deadline_id)
    WHERE id = NEW.checklist_id AND current_ord = NEW.ord;
END;

CREATE TRIGGER checklist_items_changed
AFTER UPDATE OF status, deadline_id, last_action_date, title, responsible_unit ON checklist_items
BEGIN
    UPDATE checklists SET
        current_title = NEW.title, current_status = NEW.status, current_unit = NEW.responsible_unit,
        current_last_action = NEW.last_action_date,
        current_due = (SELECT CASE WHEN NEW.status = 'pending' THEN NULL ELSE d.due_date END
                       FROM (SELECT 1) LEFT JOIN deadlines d ON d.id = NEW.deadline_id)
    WHERE id = NEW.checklist_id AND current_ord = NEW.ord;
END;

CREATE TRIGGER deadlines_inserted_for_items AFTER INSERT ON deadlines
BEGIN
    UPDATE checklists SET current_due = NEW.due_date
    WHERE id IN (SELECT i.checklist_id FROM checklist_items i
                 WHERE i.deadline_id = NEW.id AND i.status <> 'pending'
                   AND i.ord = (SELECT c.current_ord FROM checklists c WHERE c.id = i.checklist_id));
END;

CREATE TRIGGER deadlines_moved_for_items AFTER UPDATE OF due_date ON deadlines
BEGIN
    UPDATE checklists SET current_due = NEW.due_date
    WHERE id IN (SELECT i.checklist_id FROM checklist_items i
                 WHERE i.deadline_id = NEW.id AND i.status <> 'pending'
                   AND i.ord = (SELECT c.current_ord FROM checklists c WHERE c.id = i.checklist_id));
END;

CREATE TRIGGER deadlines_deleted_for_items AFTER DELETE ON deadlines
BEGIN
    UPDATE checklists SET current_due = NULL
    WHERE id IN (SELECT i.checklist_id FROM checklist_items i
                 WHERE i.deadline_id = OLD.id
                   AND i.ord = (SELECT c.current_ord FROM checklists c WHERE c.id = i.checklist_id));
END;

-- The decision's copy, whichever of the two rows is written first.
CREATE TRIGGER penalties_inserted_for_board AFTER INSERT ON penalties
BEGIN
    UPDATE checklists SET decision_number = NEW.decision_number, person_name = NEW.person_name,
        person_unit = NEW.person_unit, penalty_label = NEW.penalty_label
    WHERE id = NEW.id;
END;

CREATE TRIGGER penalties_changed_for_board
AFTER UPDATE OF decision_number, person_name, person_unit, penalty_label ON penalties
BEGIN
    UPDATE checklists SET decision_number = NEW.decision_number, person_name = NEW.person_name,
        person_unit = NEW.person_unit, penalty_label = NEW.penalty_label
    WHERE id = NEW.id;
END;

-- A checklist belongs on the board of the office that owns its aggregate: a decision handed to
-- another office leaves this office's board, review queue and statistics with it.
CREATE TRIGGER checklists_inserted_for_board AFTER INSERT ON checklists
BEGIN
    UPDATE checklists SET decision_number = p.decision_number, person_name = p.person_name,
        person_unit = p.person_unit, penalty_label = p.penalty_label
    FROM penalties p WHERE p.id = NEW.id AND checklists.id = NEW.id;
    UPDATE checklists SET office_code = o.owner_office
    FROM ownership o WHERE o.aggregate = NEW.aggregate AND o.owner_office <> NEW.office_code
      AND checklists.id = NEW.id;
END;

CREATE TRIGGER ownership_inserted_for_checklists AFTER INSERT ON ownership
BEGIN
    UPDATE checklists SET office_code = NEW.owner_office WHERE aggregate = NEW.aggregate AND office_code <> NEW.owner_office;
END;

CREATE TRIGGER ownership_changed_for_checklists AFTER UPDATE OF owner_office ON ownership
BEGIN
    UPDATE checklists SET office_code = NEW.owner_office WHERE aggregate = NEW.aggregate AND office_code <> NEW.owner_office;
END;

-- Databases made before this migration get their copies once.
UPDATE checklists SET
    current_code = i.code, current_title = i.title, current_status = i.status,
    current_unit = i.responsible_unit, current_last_action = i.last_action_date,
    current_due = CASE WHEN i.status = 'pending' THEN NULL ELSE d.due_date END
FROM checklist_items i LEFT JOIN deadlines d ON d.id = i.deadline_id
WHERE i.checklist_id = checklists.id AND i.ord = checklists.current_ord;
UPDATE checklists SET decision_number = p.decision_number, person_name = p.person_name,
    person_unit = p.person_unit, penalty_label = p.penalty_label
FROM penalties p WHERE p.id = checklists.id;
UPDATE checklists SET units = coalesce((SELECT group_concat(u, char(10)) || char(10)
                                        FROM (SELECT DISTINCT responsible_unit AS u FROM checklist_items
                                              WHERE checklist_id = checklists.id)), '');
UPDATE checklists SET office_code = o.owner_office
FROM ownership o WHERE o.aggregate = checklists.aggregate AND o.owner_office <> checklists.office_code;
