-- Screenings: an instrument's answers (sealed), score and result, who and when.
CREATE TABLE screenings (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id),
    instrument TEXT NOT NULL,
    instrument_version TEXT NOT NULL,
    answers BYTEA,
    score BIGINT,
    result TEXT,
    screened_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX screenings_client ON screenings (client_id, created_at);
