-- Staff sign-in: a password (an Argon2id PHC string) and a TOTP second factor (sealed) per
-- account, and server-side sessions, of which only a hash of the cookie value is stored.
CREATE TABLE credentials (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users (id),
    password_hash TEXT,
    totp_secret BLOB,
    totp_confirmed_at INTEGER,
    totp_last_step INTEGER,
    failed_attempts INTEGER NOT NULL,
    last_failure_at INTEGER,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
    id_hash BLOB PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    authenticated_at INTEGER NOT NULL,
    ended_at INTEGER
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);
