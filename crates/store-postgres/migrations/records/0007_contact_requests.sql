-- Safe-contact requests from the public pages: a nickname, a safe way and time to reach the
-- person and perhaps a code word, sealed in `details` under the request's own data key (kept in
-- the key store). Closing or expiring a request wipes its details and destroys that key.
CREATE TABLE contact_requests (
    id TEXT PRIMARY KEY,
    received_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    language TEXT NOT NULL,
    details BYTEA,
    claimed_by TEXT REFERENCES users (id),
    claimed_at BIGINT,
    closed_at BIGINT,
    outcome TEXT
);

CREATE INDEX contact_requests_by_arrival ON contact_requests (received_at);
