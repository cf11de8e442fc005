-- Sign-in failures are counted per username as typed (whether or not such an account exists, so
-- both answer alike) and per trusted browser (device cookies), no longer per account (P12). The
-- subject is a keyed hash, so the table never holds what someone typed into the username box.
CREATE TABLE signin_throttle (
    subject TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    last_failure_at INTEGER NOT NULL
) STRICT;
CREATE INDEX signin_throttle_age ON signin_throttle (last_failure_at);

ALTER TABLE credentials DROP COLUMN failed_attempts;
ALTER TABLE credentials DROP COLUMN last_failure_at;
