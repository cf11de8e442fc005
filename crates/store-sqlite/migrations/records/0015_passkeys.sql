-- Passkeys (WebAuthn) for administrators: the credential's id and public key, the authenticator's
-- signature counter; and, on a session, the one-time challenge of a passkey step and when the
-- session last proved a passkey.
CREATE TABLE passkeys (
    credential_id BLOB PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    public_key BLOB NOT NULL,
    sign_count INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER
) STRICT;
CREATE INDEX passkeys_user ON passkeys (user_id);
ALTER TABLE sessions ADD COLUMN passkey_at INTEGER;
ALTER TABLE sessions ADD COLUMN challenge BLOB;
ALTER TABLE sessions ADD COLUMN challenge_at INTEGER;
