-- What a determination's facts made of each legal definition on the day it was recorded (issue
-- 16: the dashboard's determinations by outcome): the rule's id and the coded outcome (met,
-- not_met, unknown), report dimensions in the clear; the facts stay sealed in the worksheet, and
-- the worksheet page still applies the rule packs again whenever it is shown. Determinations
-- recorded before have none. Wiped with the client, as the registry says.
CREATE TABLE determination_outcomes (
    determination_id TEXT NOT NULL REFERENCES determinations (id),
    client_id TEXT NOT NULL REFERENCES clients (id),
    rule_id TEXT NOT NULL,
    outcome TEXT,
    PRIMARY KEY (determination_id, rule_id)
);
-- A period's determinations, for the dashboard.
CREATE INDEX determinations_by_day ON determinations (created_at, client_id, id);
