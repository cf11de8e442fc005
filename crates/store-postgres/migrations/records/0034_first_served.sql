-- A client's first service, kept beside them (issue 16): the funders' reports count a person as
-- new in the period of their first service ever, and looking that up among a person's services
-- for each of a million people took most of a report's time. It is the earliest of their
-- services' days, which are in the clear already, so it shows nothing new
-- (docs/security.md, "Report dimensions"). Recording a service keeps it (Tx::insert_service).
ALTER TABLE clients ADD COLUMN first_served_on TEXT;
UPDATE clients SET first_served_on = firsts.day
FROM (SELECT client_id, MIN(delivered_on) AS day FROM services GROUP BY client_id) firsts
WHERE firsts.client_id = clients.id;
-- The reports join the people of a period to their report dimensions: an index holding them all
-- answers from the index alone, never reading the client's row with its sealed details.
CREATE INDEX clients_report ON clients (id) INCLUDE (gender, age_band, age_at_intake,
    trafficking_type, citizenship, referral_source, first_served_on);
-- The dashboard's wait for a first service finds the people first served in a period by it.
CREATE INDEX clients_first_served ON clients (first_served_on);
