-- The reports and the dashboard count what happened in a period: the cases opened, closed and
-- re-opened, the screenings and the referrals made. Each of these indexes holds the day or time,
-- the coded fact counted and the client (for a team's or a program's view), so that a count over a
-- million clients reads a period's slice of an index, never every row (issue 16).
CREATE INDEX cases_by_period ON cases (opened_on, transferred_from, client_id);
CREATE INDEX case_closures_by_period ON case_closures (closed_on, reason, client_id);
CREATE INDEX case_closures_reopened ON case_closures (reopened_on, client_id);
CREATE INDEX screenings_by_period ON screenings (created_at, result, client_id);
CREATE INDEX referrals_by_period ON referrals (created_at, status, client_id);
