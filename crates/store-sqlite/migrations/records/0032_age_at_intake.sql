-- A client's age on the day they were recorded, in ranges fine enough for every funder's
-- (domain::profile::AgeAtIntake), worked out from the sealed date of birth when there is one: a
-- report dimension in the clear (issue 16). Records made before have none until their date of
-- birth is next saved.
ALTER TABLE clients ADD COLUMN age_at_intake TEXT;
