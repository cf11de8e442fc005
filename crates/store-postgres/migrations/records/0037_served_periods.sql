-- What the funders' reports count of a person in a federal fiscal quarter or year: the types of
-- service they received in it and the first day they were served in it, one row a person and span,
-- kept by Tx::insert_service as each service is recorded (issue 16). A quarter's report reads one
-- narrow row a person from here instead of every service of the quarter: at a million clients that
-- was most of a report's time. Every value here is the services' own (their days and codes are
-- report dimensions already, docs/security.md), summed; nothing new is shown.

-- Each type of service's bit in a mask, fixed here once so that a mask keeps its meaning whatever
-- order the code lists the types in (a new type gets the next bit in the migration that adds it).
CREATE TABLE service_bits (
    code TEXT PRIMARY KEY,
    bit BIGINT NOT NULL UNIQUE
);
INSERT INTO service_bits (code, bit) VALUES
    ('A1', 1), ('A2', 2), ('A3', 4), ('A4', 8), ('B1', 16), ('B2', 32), ('B3', 64), ('B4', 128),
    ('B5', 256), ('B6', 512), ('B7', 1024), ('B8', 2048), ('B9', 4096), ('B10', 8192),
    ('C1', 16384), ('C2', 32768), ('C3', 65536), ('C4', 131072), ('C5', 262144), ('C6', 524288),
    ('C7', 1048576), ('D1', 2097152), ('D2', 4194304), ('D3', 8388608), ('E1', 16777216),
    ('E2', 33554432), ('E3', 67108864), ('E4', 134217728), ('E5', 268435456), ('E6', 536870912),
    ('E7', 1073741824), ('E8', 2147483648), ('E9', 4294967296), ('E10', 8589934592),
    ('E11', 17179869184), ('X1', 34359738368), ('X2', 68719476736), ('X3', 137438953472),
    ('X4', 274877906944), ('X5', 549755813888), ('X6', 1099511627776), ('X7', 2199023255552),
    ('X8', 4398046511104);

CREATE TABLE served_periods (
    span TEXT NOT NULL CHECK (span IN ('quarter', 'year')),
    -- the span's first day, YYYY-MM-DD
    starts_on TEXT NOT NULL,
    client_id TEXT NOT NULL REFERENCES clients (id),
    -- the types of service received in the span: the sum of their distinct bits
    mask BIGINT NOT NULL,
    first_on TEXT NOT NULL,
    PRIMARY KEY (span, starts_on, client_id)
);

-- The services recorded so far. A fiscal year starts on 1 October; its quarters are the
-- calendar's.
INSERT INTO served_periods (span, starts_on, client_id, mask, first_on)
SELECT span, starts_on, client_id, COALESCE(SUM(DISTINCT bit), 0), MIN(delivered_on)
FROM (
    SELECT 'quarter' AS span,
        substr(s.delivered_on, 1, 5) || CASE
            WHEN substr(s.delivered_on, 6, 2) < '04' THEN '01-01'
            WHEN substr(s.delivered_on, 6, 2) < '07' THEN '04-01'
            WHEN substr(s.delivered_on, 6, 2) < '10' THEN '07-01'
            ELSE '10-01' END AS starts_on,
        s.client_id, b.bit, s.delivered_on
    FROM services s LEFT JOIN service_bits b ON b.code = s.code
    UNION ALL
    SELECT 'year',
        CAST(CAST(substr(s.delivered_on, 1, 4) AS INTEGER)
            - CASE WHEN substr(s.delivered_on, 6, 2) < '10' THEN 1 ELSE 0 END AS TEXT) || '-10-01',
        s.client_id, b.bit, s.delivered_on
    FROM services s LEFT JOIN service_bits b ON b.code = s.code
) AS served
GROUP BY span, starts_on, client_id
ORDER BY span, starts_on, client_id;

-- The reports' plans need the new table's size at once, not at autovacuum's next turn.
ANALYZE served_periods;
