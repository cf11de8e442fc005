-- A supervisor's comment on an emergency access they reviewed, sealed under the client's key
-- (wiped when the client is erased).
ALTER TABLE emergency_access ADD COLUMN review_comment BYTEA;
