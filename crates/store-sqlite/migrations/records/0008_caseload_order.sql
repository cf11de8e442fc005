-- A caseload is listed most recently assigned first, a page at a time: this index lets a page be
-- read from the worker's newest assignments without sorting all of them.
CREATE INDEX assignments_by_user_time ON assignments (user_id, assigned_at, client_id);
