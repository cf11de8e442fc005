-- Partners, releases of information and referrals (issue 15, items 4 and 5; P22).
-- The directory of partners: organisations, not clients, so nothing here is sealed.
CREATE TABLE partners (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE,
    services TEXT NOT NULL,
    languages TEXT NOT NULL,
    area TEXT,
    safe_contact TEXT,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
-- A release: who may receive what, for what, how the client gave it. The recipient, the purpose
-- and the witness are sealed under the client's key; what it lets us share, from and until when
-- and whether it was withdrawn are kept in the clear, so that every decision to share is made
-- without opening the client's key.
CREATE TABLE releases (
    id TEXT PRIMARY KEY NOT NULL,
    client_id TEXT NOT NULL REFERENCES clients (id),
    partner_id TEXT REFERENCES partners (id),
    author TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    recipient BLOB,
    purpose BLOB,
    shares TEXT NOT NULL,
    method TEXT NOT NULL,
    witness BLOB,
    cosigner TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    withdrawn_at INTEGER,
    withdrawn_by TEXT,
    withdrawn_how TEXT
) STRICT;
CREATE INDEX releases_client ON releases (client_id, created_at);
-- A referral: to which partner, for which type of service, sharing which parts of the record,
-- under which release; where it stands and since when. Its note is sealed.
CREATE TABLE referrals (
    id TEXT PRIMARY KEY NOT NULL,
    client_id TEXT NOT NULL REFERENCES clients (id),
    partner_id TEXT NOT NULL REFERENCES partners (id),
    release_id TEXT REFERENCES releases (id),
    author TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    service TEXT NOT NULL,
    shares TEXT NOT NULL,
    status TEXT NOT NULL,
    status_at INTEGER NOT NULL,
    note BLOB
) STRICT;
CREATE INDEX referrals_client ON referrals (client_id, created_at);
CREATE INDEX referrals_open ON referrals (status, status_at);
-- Each step of a referral, dated, by whom, with a sealed note: its history.
CREATE TABLE referral_steps (
    id TEXT PRIMARY KEY NOT NULL,
    referral_id TEXT NOT NULL REFERENCES referrals (id),
    client_id TEXT NOT NULL REFERENCES clients (id),
    status TEXT NOT NULL,
    at INTEGER NOT NULL,
    author TEXT NOT NULL,
    note BLOB
) STRICT;
CREATE INDEX referral_steps_referral ON referral_steps (referral_id, at);
CREATE INDEX referral_steps_client ON referral_steps (client_id);
