-- Every group-commit batch asks who holds emergency access to the clients it is about; without an
-- index by client that question read every emergency access ever granted.
CREATE INDEX emergency_access_client ON emergency_access (client_id, expires_at);
