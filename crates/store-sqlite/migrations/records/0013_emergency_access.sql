-- Emergency access ("break the glass"): who opened which record that was not theirs, why (sealed
-- under the client's key), until when, and a supervisor's review of it.
CREATE TABLE emergency_access (
    id TEXT PRIMARY KEY NOT NULL,
    client_id TEXT NOT NULL REFERENCES clients (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    reason BLOB,
    granted_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    reviewed_by TEXT REFERENCES users (id),
    reviewed_at INTEGER,
    review_outcome TEXT
) STRICT;
CREATE INDEX emergency_access_holder ON emergency_access (user_id, client_id, expires_at);
CREATE INDEX emergency_access_pending ON emergency_access (reviewed_at, granted_at);
