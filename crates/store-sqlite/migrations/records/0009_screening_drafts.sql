-- A screening in progress, saved as it is answered so that nothing is lost if the session ends:
-- one draft per client, member of staff and instrument, sealed under the client's key, deleted
-- when the screening is recorded or the client erased.
CREATE TABLE screening_drafts (
    client_id TEXT NOT NULL REFERENCES clients (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    instrument TEXT NOT NULL,
    answers BLOB NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (client_id, user_id, instrument)
) STRICT;
