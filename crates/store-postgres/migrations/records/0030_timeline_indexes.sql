-- A client's history (their page) reads each kind of record newest first: by its day where it
-- has one, then by the moment it was or was recorded, then by id. These indexes hand the rows
-- over in exactly that order, so a page stops reading at its end however long the history is.
DROP INDEX notes_client;
CREATE INDEX notes_client ON notes (client_id, created_at, id);
DROP INDEX contacts_client;
CREATE INDEX contacts_client ON contacts (client_id, occurred_at, id);
DROP INDEX services_client;
CREATE INDEX services_client ON services (client_id, delivered_on, created_at, id);
DROP INDEX referral_steps_client;
CREATE INDEX referral_steps_client ON referral_steps (client_id, at, id);
DROP INDEX plan_reviews_client;
CREATE INDEX plan_reviews_client ON plan_reviews (client_id, reviewed_on, created_at, id);
DROP INDEX need_assessments_client;
CREATE INDEX need_assessments_client ON need_assessments (client_id, assessed_on, created_at, id);
DROP INDEX outcome_assessments_client;
CREATE INDEX outcome_assessments_client ON outcome_assessments (client_id, assessed_on, created_at, id);
CREATE INDEX case_closures_history ON case_closures (client_id, closed_on, created_at, id);
DROP INDEX screenings_client;
CREATE INDEX screenings_client ON screenings (client_id, created_at, id);
DROP INDEX determinations_client;
CREATE INDEX determinations_client ON determinations (client_id, created_at, id);
