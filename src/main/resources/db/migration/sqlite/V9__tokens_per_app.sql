-- Several Apps: a row is also keyed by the App that mints its token, app: its id, '' for the App the original
-- settings name (GITHUB_APP_ID), which every existing row belongs to. SQLite cannot change a UNIQUE constraint, so the
-- table is rebuilt, keeping every row and every id.
CREATE TABLE tokens_per_app (
    id                   INTEGER PRIMARY KEY,
    app                  TEXT NOT NULL DEFAULT '',
    kind                 TEXT NOT NULL,
    owner                TEXT NOT NULL,
    repositories         TEXT NOT NULL,
    permissions          TEXT NOT NULL,
    token                TEXT,
    token_key            TEXT,
    expires_at           TEXT,
    installation_id      BIGINT,
    granted_permissions  TEXT,
    repository_selection TEXT,
    lease_owner          TEXT,
    lease_until          TEXT,
    UNIQUE (app, kind, owner, repositories, permissions)
);

INSERT INTO tokens_per_app (id, app, kind, owner, repositories, permissions, token, token_key, expires_at,
                            installation_id, granted_permissions, repository_selection, lease_owner, lease_until)
SELECT id, '', kind, owner, repositories, permissions, token, token_key, expires_at, installation_id,
       granted_permissions, repository_selection, lease_owner, lease_until
FROM tokens;

DROP TABLE tokens;

ALTER TABLE tokens_per_app RENAME TO tokens;
