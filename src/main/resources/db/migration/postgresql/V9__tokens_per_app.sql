-- Several Apps: a row is also keyed by the App that mints its token, app: its id, '' for the App the original
-- settings name (GITHUB_APP_ID), which every existing row belongs to.
ALTER TABLE tokens ADD COLUMN app TEXT NOT NULL DEFAULT '';
ALTER TABLE tokens DROP CONSTRAINT tokens_scope_key;
ALTER TABLE tokens ADD CONSTRAINT tokens_scope_key UNIQUE (app, kind, owner, repositories, permissions);
