-- A member of staff's own time zone for the times the staff pages show (an IANA name); none means
-- the program's.
ALTER TABLE users ADD COLUMN time_zone TEXT;
