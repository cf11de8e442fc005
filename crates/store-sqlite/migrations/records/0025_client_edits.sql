-- Editing a client's details, with history (issue 15, item 0). A client's other names (aliases)
-- are sealed like every name, as one list; `alias_index` now holds the blind index of every name
-- the person is known by besides the one in `name_index` (the name used, and each alias),
-- separated by spaces, so that duplicate search finds them under any of those names. (A single
-- index, as it was, is a list of one; the B-tree index on it no longer serves such a search.)
ALTER TABLE clients ADD COLUMN aliases BLOB;
DROP INDEX clients_alias_index;
-- One row per edit: who, when, which fields changed (their names only), and the values they had
-- before, sealed under the client's key as one blob and wiped on erasure.
CREATE TABLE client_changes (
    id TEXT PRIMARY KEY NOT NULL,
    client_id TEXT NOT NULL REFERENCES clients (id),
    author TEXT NOT NULL,
    changed_at INTEGER NOT NULL,
    fields TEXT NOT NULL,
    previous BLOB
) STRICT;
CREATE INDEX client_changes_client ON client_changes (client_id, changed_at);
-- A case moved to another program is closed, and a new one opened the same day in the other
-- program, which names the case it continues.
ALTER TABLE cases ADD COLUMN transferred_from TEXT;
