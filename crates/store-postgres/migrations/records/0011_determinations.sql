-- Determinations: the worksheet of facts with their sources, who and when (sealed under the
-- client's key, as one document), recorded by whom and when. The outcomes are not stored: they
-- are the rule packs applied to the facts, worked out again whenever they are shown.
CREATE TABLE determinations (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id),
    worksheet BYTEA,
    recorded_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX determinations_client ON determinations (client_id, created_at);
