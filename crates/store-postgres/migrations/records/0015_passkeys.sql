-- Passkeys (WebAuthn) for administrators: the credential's id and public key, the authenticator's
-- signature counter; and, on a session, the one-time challenge of a passkey step and when the
-- session last proved a passkey.
CREATE TABLE passkeys (
    credential_id BYTEA PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    public_key BYTEA NOT NULL,
    sign_count BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT
);
CREATE INDEX passkeys_user ON passkeys (user_id);
ALTER TABLE sessions ADD COLUMN passkey_at BIGINT;
ALTER TABLE sessions ADD COLUMN challenge BYTEA;
ALTER TABLE sessions ADD COLUMN challenge_at BIGINT;
