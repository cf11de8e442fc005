-- The contact log (issue 15, item 0): each time staff reached, or tried to reach, a client. Who
-- was there and the note are sealed under the client's key; when, how, for how long and whether
-- the person was reached are coded. An attempt (reached = 0) is a row like any other.
CREATE TABLE contacts (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id),
    author TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    occurred_at BIGINT NOT NULL,
    method TEXT NOT NULL,
    reached BIGINT NOT NULL CHECK (reached IN (0, 1)),
    minutes BIGINT CHECK (minutes BETWEEN 0 AND 1440),
    present BYTEA,
    note BYTEA
);
CREATE INDEX contacts_client ON contacts (client_id, occurred_at);
