-- The service plan (issue 15, item 2): the goals a client chose, in their own words, the steps
-- towards each, and the reviews of the plan with them. The words and notes are sealed under the
-- client's key; who takes a step, by when, where goals and steps stand and when the next review
-- is due are coded facts kept in the clear, so that what is due can be listed without opening a
-- key. Nothing is deleted: a goal set aside or a step dropped stays, with the day it changed.
--
-- One row per client holds when the plan's next review is due, so that the reviews due in a
-- caseload are one indexed condition.
CREATE TABLE service_plans (
    client_id TEXT PRIMARY KEY REFERENCES clients (id),
    started_on TEXT NOT NULL,
    review_due_on TEXT NOT NULL
);
CREATE INDEX service_plans_due ON service_plans (review_due_on);

CREATE TABLE plan_goals (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id),
    author TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    set_on TEXT NOT NULL,
    need TEXT,
    words BYTEA,
    status TEXT NOT NULL CHECK (status IN ('active', 'achieved', 'set-aside')),
    status_on TEXT NOT NULL
);
CREATE INDEX plan_goals_client ON plan_goals (client_id, set_on);

CREATE TABLE plan_steps (
    id TEXT PRIMARY KEY,
    goal_id TEXT NOT NULL REFERENCES plan_goals (id),
    client_id TEXT NOT NULL REFERENCES clients (id),
    author TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    words BYTEA,
    owner TEXT NOT NULL CHECK (owner IN ('client', 'worker', 'partner')),
    partner_id TEXT REFERENCES partners (id),
    target_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'done', 'dropped')),
    status_at BIGINT NOT NULL
);
CREATE INDEX plan_steps_client ON plan_steps (client_id, goal_id);
CREATE INDEX plan_steps_due ON plan_steps (status, target_on);

CREATE TABLE plan_reviews (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id),
    author TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    reviewed_on TEXT NOT NULL,
    next_review_on TEXT NOT NULL,
    note BYTEA
);
CREATE INDEX plan_reviews_client ON plan_reviews (client_id, reviewed_on);
