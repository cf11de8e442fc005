-- Services delivered (issue 15, item 3): each a type from the VOCA victim-assistance taxonomy
-- (A1-E11) or one of ours (X1-X8), on a day, by a member of staff, in person, by phone or by
-- video, with minutes or units. The note is sealed under the client's key; the rest are coded
-- facts a funder's report counts.
CREATE TABLE services (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id),
    author TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    delivered_on TEXT NOT NULL,
    code TEXT NOT NULL,
    mode TEXT NOT NULL,
    minutes BIGINT CHECK (minutes BETWEEN 0 AND 1440),
    units BIGINT CHECK (units BETWEEN 1 AND 1000),
    note BYTEA
);
CREATE INDEX services_client ON services (client_id, delivered_on);
CREATE INDEX services_delivered ON services (delivered_on, code);
