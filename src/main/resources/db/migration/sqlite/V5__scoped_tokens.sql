-- Tokens are scoped: a row's key is what the token was minted for, (kind, owner, repositories, permissions), instead
-- of a repository's name. kind is 'repository' (the repository alone), 'installation' (every repository of the
-- installation that covers it, as the original tokman minted) or 'owner' (an owner's installation); repositories is
-- the repository, or an owner token's comma-separated set ('' for all); permissions the normalised set asked for
-- ('' for the installation's own). granted_permissions and repository_selection are what GitHub answered.
-- SQLite cannot drop the old UNIQUE (repo), so the table is rebuilt, keeping every row and every id.
CREATE TABLE tokens_scoped (
    id                   INTEGER PRIMARY KEY,
    kind                 TEXT NOT NULL,
    owner                TEXT NOT NULL,
    repositories         TEXT NOT NULL,
    permissions          TEXT NOT NULL,
    token                TEXT,
    expires_at           TEXT,
    installation_id      BIGINT,
    granted_permissions  TEXT,
    repository_selection TEXT,
    lease_owner          TEXT,
    lease_until          TEXT,
    UNIQUE (kind, owner, repositories, permissions)
);

-- Existing tokens, the original tokman's included, were minted for the whole installation: each stays in place as
-- the repository's token until its renewal, under the default scope, and is copied under the 'installation' kind,
-- so that a deployment that sets TOKMAN_TOKEN_SCOPE=installation serves it too. Nothing is minted again.
INSERT INTO tokens_scoped (id, kind, owner, repositories, permissions, token, expires_at, installation_id)
SELECT id, 'repository', substr(repo, 1, instr(repo, '/') - 1), substr(repo, instr(repo, '/') + 1), '', token,
       expires_at, installation_id
FROM tokens
WHERE instr(repo, '/') > 1;

INSERT INTO tokens_scoped (kind, owner, repositories, permissions, token, expires_at, installation_id)
SELECT 'installation', owner, repositories, '', token, expires_at, installation_id
FROM tokens_scoped
WHERE kind = 'repository';

DROP TABLE tokens;

ALTER TABLE tokens_scoped RENAME TO tokens;
