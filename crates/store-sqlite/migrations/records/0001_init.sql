-- Safe Harbor records, SQLite. Personal fields are sealed blobs (see crates/crypto).
CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    disabled_at INTEGER
) STRICT;

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    token_hash BLOB NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
) STRICT;
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE clients (
    id TEXT PRIMARY KEY NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    preferred_name BLOB,
    legal_name BLOB,
    date_of_birth BLOB,
    contact BLOB,
    languages BLOB,
    gender TEXT,
    age_band TEXT,
    name_index TEXT,
    dob_index TEXT,
    erased_at INTEGER
) STRICT;
CREATE INDEX clients_name_index ON clients (name_index);
CREATE INDEX clients_dob_index ON clients (dob_index);

CREATE TABLE assignments (
    client_id TEXT NOT NULL REFERENCES clients (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    assigned_at INTEGER NOT NULL,
    PRIMARY KEY (client_id, user_id)
) STRICT;
CREATE INDEX assignments_user ON assignments (user_id, client_id);

CREATE TABLE cases (
    id TEXT PRIMARY KEY NOT NULL,
    client_id TEXT NOT NULL REFERENCES clients (id),
    program TEXT NOT NULL,
    opened_on TEXT NOT NULL,
    closed_on TEXT,
    assigned_to TEXT REFERENCES users (id),
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX cases_client ON cases (client_id);

CREATE TABLE notes (
    id TEXT PRIMARY KEY NOT NULL,
    client_id TEXT NOT NULL REFERENCES clients (id),
    author TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    body BLOB
) STRICT;
CREATE INDEX notes_client ON notes (client_id, created_at);

-- The audit chain. Append-only: the triggers refuse any UPDATE or DELETE.
CREATE TABLE audit_events (
    seq INTEGER PRIMARY KEY NOT NULL,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    purpose TEXT NOT NULL,
    mac BLOB NOT NULL
) STRICT;
CREATE INDEX audit_events_target ON audit_events (target);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

-- The head of the chain: one row, updated (and so locked) by every append.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    seq INTEGER NOT NULL,
    mac BLOB NOT NULL
) STRICT;
INSERT INTO audit_head (id, seq, mac) VALUES (1, 0, zeroblob(32));
