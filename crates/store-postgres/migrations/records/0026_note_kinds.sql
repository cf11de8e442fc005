-- Note types (issue 15, item 0): each note is of a kind (general, safety, legal, health, housing,
-- supervision), coded, so that a worker finds the safety notes among years of them. Every note
-- written before is a general case note.
ALTER TABLE notes ADD COLUMN kind TEXT NOT NULL DEFAULT 'general';
