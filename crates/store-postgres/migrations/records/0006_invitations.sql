-- Sign-up links: how a new member of staff (or the first administrator, on a new instance) sets a
-- password and an authenticator. Only a hash of the link's secret is stored; a link works once,
-- for a limited time.
CREATE TABLE invitations (
    id_hash BYTEA PRIMARY KEY,
    user_id TEXT REFERENCES users (id),
    role TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
