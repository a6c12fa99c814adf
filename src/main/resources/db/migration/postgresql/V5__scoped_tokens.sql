-- Tokens are scoped: a row's key is what the token was minted for, (kind, owner, repositories, permissions), instead
-- of a repository's name. kind is 'repository' (the repository alone), 'installation' (every repository of the
-- installation that covers it, as the original tokman minted) or 'owner' (an owner's installation); repositories is
-- the repository, or an owner token's comma-separated set ('' for all); permissions the normalised set asked for
-- ('' for the installation's own). granted_permissions and repository_selection are what GitHub answered.
ALTER TABLE tokens ADD COLUMN kind TEXT;
ALTER TABLE tokens ADD COLUMN owner TEXT;
ALTER TABLE tokens ADD COLUMN repositories TEXT;
ALTER TABLE tokens ADD COLUMN permissions TEXT;
ALTER TABLE tokens ADD COLUMN granted_permissions TEXT;
ALTER TABLE tokens ADD COLUMN repository_selection TEXT;

-- Existing tokens were minted for the whole installation: each stays in place as the repository's token until its
-- renewal, under the default scope, and is copied under the 'installation' kind, so that a deployment that sets
-- TOKMAN_TOKEN_SCOPE=installation serves it too. Nothing is minted again.
UPDATE tokens
SET kind = 'repository', owner = split_part(repo, '/', 1), repositories = substr(repo, strpos(repo, '/') + 1),
    permissions = '';

ALTER TABLE tokens DROP COLUMN repo;

INSERT INTO tokens (kind, owner, repositories, permissions, token, expires_at, installation_id)
SELECT 'installation', owner, repositories, '', token, expires_at, installation_id
FROM tokens
WHERE kind = 'repository';

ALTER TABLE tokens ALTER COLUMN kind SET NOT NULL;
ALTER TABLE tokens ALTER COLUMN owner SET NOT NULL;
ALTER TABLE tokens ALTER COLUMN repositories SET NOT NULL;
ALTER TABLE tokens ALTER COLUMN permissions SET NOT NULL;
ALTER TABLE tokens ADD CONSTRAINT tokens_scope_key UNIQUE (kind, owner, repositories, permissions);
