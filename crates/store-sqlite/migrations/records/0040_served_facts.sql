-- What the reports count of a person's fiscal quarter or year is kept whole on its row of
-- served_periods (issue 16): their profile of report dimensions, the day of their first service
-- ever, and the first day they were served in the fiscal year the row is in (for a year's row,
-- its own first day). A report then reads a period's rows alone, without looking each person up
-- among the clients and the year's rows: at a million clients those lookups were most of a
-- quarter's report. Tx::insert_service keeps the two days, Tx::set_client_details the profile;
-- each is a copy of what the clients' and the year's rows hold (docs/security.md).
ALTER TABLE served_periods ADD COLUMN profile_id INTEGER;
ALTER TABLE served_periods ADD COLUMN first_ever_on TEXT;
ALTER TABLE served_periods ADD COLUMN year_first_on TEXT;
UPDATE served_periods AS p
SET profile_id = c.profile_id, first_ever_on = c.first_served_on, year_first_on = y.first_on
FROM clients c, served_periods y
WHERE c.id = p.client_id AND y.span = 'year' AND y.client_id = p.client_id
    -- the fiscal year a quarter or year starting on p.starts_on is in starts on 1 October
    AND y.starts_on = CASE WHEN substr(p.starts_on, 6, 2) >= '10' THEN substr(p.starts_on, 1, 4)
        ELSE CAST(CAST(substr(p.starts_on, 1, 4) AS INTEGER) - 1 AS TEXT) END || '-10-01';
-- A person's rows, for keeping them in step.
CREATE INDEX served_periods_client ON served_periods (client_id, starts_on);
