-- The contact requests still waiting for someone to claim them, counted for the staff menu with
-- every signed-in page's session: a small index of the open, unclaimed ones by when they expire,
-- so that the count stays quick however many requests were closed over the years.
CREATE INDEX contact_requests_waiting ON contact_requests (expires_at)
    WHERE closed_at IS NULL AND claimed_by IS NULL;
