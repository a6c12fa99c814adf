-- What every replica must forget from its memory: tokens dropped (revoked, or dropped on a GitHub event) and GitHub's
-- "not installed" answers that no longer hold. Each tokman reads the events of the last minute every second and
-- applies those it has not applied yet; rows older than ten minutes are deleted.
-- what: 'tokens' (the scopes of owner, or of owner/repository, held in memory) or 'not-installed'.
CREATE TABLE token_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    app        TEXT NOT NULL,
    owner      TEXT NOT NULL,
    repository TEXT,
    what       TEXT NOT NULL
);
CREATE INDEX token_events_at ON token_events (at);
