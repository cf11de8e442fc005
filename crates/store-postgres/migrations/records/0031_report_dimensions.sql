-- Report dimensions on a client (issue 16): the kind of trafficking, citizenship and referral
-- source, coded and in the clear so that a report counts them without opening a client's key
-- (domain::profile; docs/security.md says what a stolen database would show). Blank until
-- recorded.
ALTER TABLE clients ADD COLUMN trafficking_type TEXT;
ALTER TABLE clients ADD COLUMN citizenship TEXT;
ALTER TABLE clients ADD COLUMN referral_source TEXT;
