-- The dashboard's wait from first contact to first service reads each person first served in the
-- period with the time their record was made: an index holding both, and the client (for a team's
-- or a program's view, and their contacts), answers from the index alone, never reading the rows
-- that hold their sealed details (issue 16).
DROP INDEX clients_first_served;
CREATE INDEX clients_first_served ON clients (first_served_on) INCLUDE (created_at, id);
