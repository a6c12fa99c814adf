-- Tokens stored before tokens were scoped (the original tokman's, or an earlier tokman's) were minted for the whole
-- installation. V5 kept each as its repository's token and copied it under the 'installation' kind. But a repository's
-- token must cover the repository alone, and an installation-wide token may reach only a client granted all of its
-- owner's repositories. So each is kept as the installation token only: its repository row keeps the installation id
-- and loses the token, and the next request for the repository mints a token scoped to it, in one call. The old token
-- stays valid at GitHub until it expires, so workers holding it are not cut off.
UPDATE tokens
SET token = NULL, expires_at = NULL
WHERE kind = 'repository' AND granted_permissions IS NULL AND token IS NOT NULL;
