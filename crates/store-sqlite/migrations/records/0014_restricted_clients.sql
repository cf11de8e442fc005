-- A restricted client (for example, one who is also on staff) is seen only by the people assigned
-- to them: not through a team, not in an emergency, not in anyone else's lists.
ALTER TABLE clients ADD COLUMN restricted INTEGER NOT NULL DEFAULT 0 CHECK (restricted IN (0, 1));
