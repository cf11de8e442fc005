-- Safety flags (how and when a client may safely be reached, a code word, ways never to use),
-- sealed like every personal field; and a blind index on the name a client uses, so that staff
-- can find a client by alias as well as by legal name without decrypting anyone.
ALTER TABLE clients ADD COLUMN safety BYTEA;
ALTER TABLE clients ADD COLUMN alias_index TEXT;
CREATE INDEX clients_alias_index ON clients (alias_index);
