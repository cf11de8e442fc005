-- The chain's head carries a tag under the audit key (P9), so it cannot be moved back to an
-- earlier event without the key. The server now moves the head itself, tag and all, once per
-- batch of events, so the trigger of migration 3 goes.
DROP TRIGGER audit_events_advance_head;
ALTER TABLE audit_head ADD COLUMN tag BLOB;
