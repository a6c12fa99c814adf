-- The original tokman's table. Tokens are opaque strings of any length, so TEXT; expires_at is UTC text
-- (2026-11-25 17:00:00.123456), as the original stored it.
CREATE TABLE tokens (
    id         INTEGER PRIMARY KEY,
    repo       TEXT NOT NULL UNIQUE,
    token      TEXT,
    expires_at TEXT
);
