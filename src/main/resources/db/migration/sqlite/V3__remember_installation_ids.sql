-- The installation a repository's token was minted for, so that a renewal is one call to GitHub, not two.
-- BIGINT, not INTEGER: GitHub's ids outgrow 32 bits, and it is the type Hibernate validates against.
ALTER TABLE tokens ADD COLUMN installation_id BIGINT;
