-- The installation a repository's token was minted for, so that a renewal is one call to GitHub, not two.
ALTER TABLE tokens ADD COLUMN installation_id BIGINT;
