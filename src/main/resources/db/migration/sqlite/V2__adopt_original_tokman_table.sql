-- A database the original tokman made is adopted as version 1 (spring.flyway.baseline-on-migrate). Its
-- table differs from ours in column types (VARCHAR, DATETIME) and in the case of repository names, which
-- tokman now matches case-insensitively. Rebuild it in our form, keeping every token, and of names that
-- differ only in case the row that expires last. On a database tokman created, this copies an identical table.
CREATE TABLE tokens_adopted (
    id         INTEGER PRIMARY KEY,
    repo       TEXT NOT NULL UNIQUE,
    token      TEXT,
    expires_at TEXT
);

INSERT INTO tokens_adopted (id, repo, token, expires_at)
SELECT id, lower(repo), token, expires_at
FROM tokens t
WHERE NOT EXISTS (
    SELECT 1 FROM tokens other
    WHERE lower(other.repo) = lower(t.repo)
      AND other.id <> t.id
      AND (coalesce(other.expires_at, '') > coalesce(t.expires_at, '')
           OR (coalesce(other.expires_at, '') = coalesce(t.expires_at, '') AND other.id > t.id))
);

DROP TABLE tokens;

ALTER TABLE tokens_adopted RENAME TO tokens;
