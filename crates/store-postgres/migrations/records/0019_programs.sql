-- Programs are a list an administrator keeps, and a case names one by its code (issue 18, finding
-- 5): a free-text program beside a client, in the clear, could name the person and would outlive
-- their erasure. Cases opened before this version each named a program in their own words; each
-- such wording becomes a program of its own here, for an administrator to review with
-- `safeharbor programs list`.
CREATE TABLE programs (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
INSERT INTO programs (code, name, created_at) SELECT DISTINCT program, program, 0 FROM cases;
