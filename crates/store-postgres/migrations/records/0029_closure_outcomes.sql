-- Closure and outcomes (issue 15, item 7).
--
-- Each closure of a case is a row: the day, the coded reason (a report counts them), a note, and
-- whether the person agreed to follow-up contacts, with the way to reach them. A re-opening
-- fills in the re-opening columns of the closure it ends, so the history of closures and
-- re-openings stays; `cases.closed_on` still says whether a case is closed now. A case closed
-- before this migration has no row here: its reason reads back as not recorded. The note and the
-- safe way to reach the person (what to say, when not to call) are sealed under the client's
-- key; the reason, the consent, the method and the days are coded facts, in the clear.
CREATE TABLE case_closures (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id),
    case_id TEXT NOT NULL REFERENCES cases (id),
    closed_on TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('goals-met', 'moved', 'declined-services', 'lost-contact', 'transferred', 'died', 'other')),
    note BYTEA,
    follow_up TEXT NOT NULL CHECK (follow_up IN ('yes', 'no', 'not-asked')),
    reach_method TEXT CHECK (reach_method IN ('phone', 'text', 'email', 'in-person', 'partner')),
    reach_how BYTEA,
    closed_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    reopened_on TEXT,
    reopened_by TEXT,
    reopened_at BIGINT,
    withdrawn_by TEXT,
    withdrawn_at BIGINT
);
CREATE INDEX case_closures_client ON case_closures (client_id, case_id);
CREATE INDEX case_closures_follow_up ON case_closures (follow_up, reopened_on, withdrawn_at);

-- A follow-up made after a closure (at 3, 6 or 12 months): the contact it was, in the contact
-- log (an attempt that did not reach the person counts, and is kept like any contact); one of
-- each per closure.
CREATE TABLE follow_ups (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id),
    closure_id TEXT NOT NULL REFERENCES case_closures (id),
    at TEXT NOT NULL CHECK (at IN ('3-months', '6-months', '12-months')),
    reached BIGINT NOT NULL CHECK (reached IN (0, 1)),
    contact_id TEXT NOT NULL REFERENCES contacts (id),
    author TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (closure_id, at)
);
CREATE INDEX follow_ups_client ON follow_ups (client_id);

-- Outcome assessments: a score in each of seven domains, taken at intake, every six months and at
-- exit; one row per domain score (as the needs assessment's answers, 0024, and for its reasons).
-- None is ever changed: the history stays. The note is sealed; the point, the day and the scores
-- are coded facts a report counts.
CREATE TABLE outcome_assessments (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id),
    author TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    point TEXT NOT NULL CHECK (point IN ('intake', 'six-month', 'exit')),
    assessed_on TEXT NOT NULL,
    note BYTEA
);
CREATE INDEX outcome_assessments_client ON outcome_assessments (client_id, assessed_on);

CREATE TABLE outcome_scores (
    assessment_id TEXT NOT NULL REFERENCES outcome_assessments (id),
    client_id TEXT NOT NULL REFERENCES clients (id),
    domain TEXT NOT NULL,
    score TEXT NOT NULL CHECK (score IN ('1', '2', '3', '4', '5', 'prefers-not-to-say', 'not-asked')),
    PRIMARY KEY (assessment_id, domain)
);
CREATE INDEX outcome_scores_client ON outcome_scores (client_id, assessment_id);
