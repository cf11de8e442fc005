-- Each combination of report dimensions a client has, kept once under a number, and each client's
-- number beside them (issue 16). A report reads a person as two numbers (their profile with the
-- facts of their period packed in, and the types of service they received) instead of eight
-- values: at a million clients each value a row costs the driver about half a second a report.
-- A profile holds only values that are in the clear on the client's row already
-- (docs/security.md, "Report dimensions"). Tx::insert_client and Tx::set_client_details keep it.
CREATE TABLE report_profiles (
    id INTEGER PRIMARY KEY,
    gender TEXT,
    age_band TEXT,
    age_at_intake TEXT,
    trafficking_type TEXT,
    citizenship TEXT,
    referral_source TEXT,
    -- the six as one text, each not recorded as empty (no code is), so alike ones are one row
    key TEXT NOT NULL UNIQUE
) STRICT;

INSERT INTO report_profiles (id, gender, age_band, age_at_intake, trafficking_type, citizenship,
    referral_source, key)
SELECT ROW_NUMBER() OVER (ORDER BY key), gender, age_band, age_at_intake, trafficking_type,
    citizenship, referral_source, key
FROM (
    SELECT DISTINCT gender, age_band, age_at_intake, trafficking_type, citizenship,
        referral_source,
        COALESCE(gender, '') || '|' || COALESCE(age_band, '') || '|' ||
        COALESCE(age_at_intake, '') || '|' || COALESCE(trafficking_type, '') || '|' ||
        COALESCE(citizenship, '') || '|' || COALESCE(referral_source, '') AS key
    FROM clients
);

ALTER TABLE clients ADD COLUMN profile_id INTEGER;
UPDATE clients SET profile_id = (
    SELECT p.id FROM report_profiles p
    WHERE p.key = COALESCE(clients.gender, '') || '|' || COALESCE(clients.age_band, '') || '|' ||
        COALESCE(clients.age_at_intake, '') || '|' || COALESCE(clients.trafficking_type, '') ||
        '|' || COALESCE(clients.citizenship, '') || '|' || COALESCE(clients.referral_source, '')
);

-- The reports join the people of a period to their profile and first service from this index
-- alone, never reading the client's row with its sealed details.
DROP INDEX clients_report;
CREATE INDEX clients_report ON clients (id, profile_id, first_served_on);

-- Cases and closures carry their client's number too: a period's entries and closures are then
-- counted from their own indexes, without looking up each client (a second a year at a million).
ALTER TABLE cases ADD COLUMN profile_id INTEGER;
UPDATE cases SET profile_id = (SELECT c.profile_id FROM clients c WHERE c.id = cases.client_id);
ALTER TABLE case_closures ADD COLUMN profile_id INTEGER;
UPDATE case_closures
SET profile_id = (SELECT c.profile_id FROM clients c WHERE c.id = case_closures.client_id);
DROP INDEX cases_by_period;
CREATE INDEX cases_by_period ON cases (opened_on, transferred_from, client_id, profile_id);
DROP INDEX case_closures_by_period;
CREATE INDEX case_closures_by_period ON case_closures (closed_on, reason, client_id, profile_id);
DROP INDEX case_closures_reopened;
CREATE INDEX case_closures_reopened ON case_closures (reopened_on, client_id, profile_id);
