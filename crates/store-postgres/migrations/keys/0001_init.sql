-- The key store: each client's data key, wrapped by the key-encryption key. Never part of a
-- records backup (see crates/store/src/keystore.rs).
CREATE TABLE client_keys (
    client_id TEXT PRIMARY KEY,
    dek_version BIGINT NOT NULL,
    kek_version BIGINT NOT NULL,
    wrapped BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX client_keys_kek ON client_keys (kek_version);
