-- Teams: who works together, and who leads them. A supervisor who leads a team reads the records
-- of the clients assigned to its members, adds notes to them and assigns their work.
CREATE TABLE teams (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
) STRICT;
CREATE TABLE team_members (
    team_id TEXT NOT NULL REFERENCES teams (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    leads INTEGER NOT NULL CHECK (leads IN (0, 1)),
    PRIMARY KEY (team_id, user_id)
) STRICT;
CREATE INDEX team_members_user ON team_members (user_id, team_id);
