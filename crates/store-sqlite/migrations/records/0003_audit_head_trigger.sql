-- Appending an audit event moves the chain's head in the same statement, saving a round trip on
-- every audited request.
CREATE TRIGGER audit_events_advance_head AFTER INSERT ON audit_events
BEGIN
    UPDATE audit_head SET seq = NEW.seq, mac = NEW.mac WHERE id = 1;
END;
