-- The key store: each client's data key, wrapped by the key-encryption key.
CREATE TABLE client_keys (
    client_id TEXT PRIMARY KEY NOT NULL,
    dek_version INTEGER NOT NULL,
    kek_version INTEGER NOT NULL,
    wrapped BLOB NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX client_keys_kek ON client_keys (kek_version);
