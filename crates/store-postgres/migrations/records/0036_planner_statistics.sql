-- PostgreSQL's planner keeps a sample of each column's values (pg_statistic, refreshed by
-- autovacuum's ANALYZE). For a blind index that sample is a list of index keys, which would outlive
-- the erasure of the clients they stand for until the next ANALYZE happened to leave them out.
-- The planner needs no sample of them (each key is as rare as the one before), so none is taken,
-- and changing each column's type to the one it has drops any sample taken already (no rewrite,
-- the indexes kept). docs/security.md says so.
ALTER TABLE clients
    ALTER COLUMN name_index SET STATISTICS 0, ALTER COLUMN name_index TYPE TEXT,
    ALTER COLUMN dob_index SET STATISTICS 0, ALTER COLUMN dob_index TYPE TEXT,
    ALTER COLUMN alias_index SET STATISTICS 0, ALTER COLUMN alias_index TYPE TEXT;
ALTER TABLE signin_throttle
    ALTER COLUMN subject SET STATISTICS 0, ALTER COLUMN subject TYPE TEXT;
