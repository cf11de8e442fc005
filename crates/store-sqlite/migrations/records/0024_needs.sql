-- The needs assessment (issue 15, item 1): on one day, the level of need in each of eleven
-- domains, each with a note, and a note on the whole. A reassessment is a new assessment; none is
-- ever changed, so the history stays. The notes are sealed under the client's key; the levels are
-- coded facts, kept in the clear for reports.
--
-- One row per domain answer, not a column per domain: a report counts urgent housing needs with
-- one condition (domain = 'housing' AND level = 'urgent') on one pair of columns; a domain added
-- later is a new code, not a new pair of columns on every engine; and each note is sealed with
-- its own row's identity (the assessment and the domain), so it cannot be moved to another.
CREATE TABLE need_assessments (
    id TEXT PRIMARY KEY NOT NULL,
    client_id TEXT NOT NULL REFERENCES clients (id),
    author TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    assessed_on TEXT NOT NULL,
    note BLOB
) STRICT;
CREATE INDEX need_assessments_client ON need_assessments (client_id, assessed_on);

CREATE TABLE need_answers (
    assessment_id TEXT NOT NULL REFERENCES need_assessments (id),
    client_id TEXT NOT NULL REFERENCES clients (id),
    domain TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('none', 'some', 'urgent', 'prefers-not-to-say', 'not-yet-asked')),
    note BLOB,
    PRIMARY KEY (assessment_id, domain)
) STRICT;
CREATE INDEX need_answers_client ON need_answers (client_id, assessment_id);
