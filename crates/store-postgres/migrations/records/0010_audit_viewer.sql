-- The audit viewer looks events up by who acted and by what was done, newest first.
CREATE INDEX audit_events_by_actor ON audit_events (actor, seq);
CREATE INDEX audit_events_by_action ON audit_events (action, seq);
