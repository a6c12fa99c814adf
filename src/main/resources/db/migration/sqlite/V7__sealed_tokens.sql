-- Tokens are stored sealed (AES-256-GCM) under a key the database does not hold; token_key is the id of that key.
-- The rows stored before are sealed by the Java migration that follows (V8, SealStoredTokens).
ALTER TABLE tokens ADD COLUMN token_key TEXT;
