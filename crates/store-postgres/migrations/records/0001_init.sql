-- Safe Harbor records, PostgreSQL. Personal fields are sealed blobs (see crates/crypto).
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    disabled_at BIGINT
);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    token_hash BYTEA NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE clients (
    id TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    preferred_name BYTEA,
    legal_name BYTEA,
    date_of_birth BYTEA,
    contact BYTEA,
    languages BYTEA,
    gender TEXT,
    age_band TEXT,
    name_index TEXT,
    dob_index TEXT,
    erased_at BIGINT
);
CREATE INDEX clients_name_index ON clients (name_index);
CREATE INDEX clients_dob_index ON clients (dob_index);

CREATE TABLE assignments (
    client_id TEXT NOT NULL REFERENCES clients (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    assigned_at BIGINT NOT NULL,
    PRIMARY KEY (client_id, user_id)
);
CREATE INDEX assignments_user ON assignments (user_id, client_id);

CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id),
    program TEXT NOT NULL,
    opened_on TEXT NOT NULL,
    closed_on TEXT,
    assigned_to TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX cases_client ON cases (client_id);

CREATE TABLE notes (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id),
    author TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    body BYTEA
);
CREATE INDEX notes_client ON notes (client_id, created_at);

-- The audit chain. Append-only: no role but the owner holds UPDATE, DELETE or TRUNCATE, and the
-- triggers refuse them even for the owner.
CREATE TABLE audit_events (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    purpose TEXT NOT NULL,
    mac BYTEA NOT NULL
);
CREATE INDEX audit_events_target ON audit_events (target);
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM PUBLIC;

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$;
CREATE TRIGGER audit_events_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- The head of the chain: one row, updated (and so row-locked) by every append from every server.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    mac BYTEA NOT NULL
);
INSERT INTO audit_head (id, seq, mac) VALUES (1, 0, decode(repeat('00', 32), 'hex'));
