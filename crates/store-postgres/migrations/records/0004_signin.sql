-- Staff sign-in: a password (an Argon2id PHC string) and a TOTP second factor (sealed) per
-- account, and server-side sessions, of which only a hash of the cookie value is stored.
CREATE TABLE credentials (
    user_id TEXT PRIMARY KEY REFERENCES users (id),
    password_hash TEXT,
    totp_secret BYTEA,
    totp_confirmed_at BIGINT,
    totp_last_step BIGINT,
    failed_attempts BIGINT NOT NULL,
    last_failure_at BIGINT,
    updated_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    id_hash BYTEA PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    authenticated_at BIGINT NOT NULL,
    ended_at BIGINT
);
CREATE INDEX sessions_user ON sessions (user_id);
