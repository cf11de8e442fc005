-- Safe-contact requests from the public pages: a nickname, a safe way and time to reach the
-- person and perhaps a code word, sealed in `details` under the request's own data key (kept in
-- the key store). Closing or expiring a request wipes its details and destroys that key.
CREATE TABLE contact_requests (
    id TEXT PRIMARY KEY NOT NULL,
    received_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    language TEXT NOT NULL,
    details BLOB,
    claimed_by TEXT REFERENCES users (id),
    claimed_at INTEGER,
    closed_at INTEGER,
    outcome TEXT
) STRICT;

CREATE INDEX contact_requests_by_arrival ON contact_requests (received_at);
