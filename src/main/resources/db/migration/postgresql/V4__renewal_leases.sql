-- A renewal's lease on its row: which tokman process is renewing the repository's token, and until when. Processes
-- sharing one SQLite file claim it with a short write, call GitHub outside any database lock, and clear it with the
-- new token; the others wait for it to be cleared or to run out (a process that died holding it).
ALTER TABLE tokens ADD COLUMN lease_owner TEXT;
ALTER TABLE tokens ADD COLUMN lease_until TEXT;
