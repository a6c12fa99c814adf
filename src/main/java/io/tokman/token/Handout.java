package io.tokman.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A token handed to a caller, with how it came to be and a fingerprint that names it in
 * logs without revealing it.
 *
 * @param token the token itself
 * @param expiresAt when GitHub stops accepting it
 * @param outcome whether it was served as held, minted, renewed or replaced an invalid
 * one
 * @param fingerprint the first 16 hex characters of the token's SHA-256
 */
record Handout(String token, Instant expiresAt, Outcome outcome, String fingerprint) {

	static Handout of(String token, Instant expiresAt, Outcome outcome) {
		return new Handout(token, expiresAt, outcome, fingerprint(token));
	}

	Handout as(Outcome outcome) {
		return new Handout(this.token, this.expiresAt, outcome, this.fingerprint);
	}

	static String fingerprint(String token) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 8);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java runtime has SHA-256", ex);
		}
	}

	@Override
	public String toString() {
		return "Handout[token=<redacted>, expiresAt=" + this.expiresAt + ", outcome=" + this.outcome + ", fingerprint="
				+ this.fingerprint + "]";
	}

	/** How the token handed out came to be. */
	enum Outcome {

		/** The token held, from memory or the database. */
		SERVED,

		/** The token held, after renewing it failed; still valid. */
		STALE,

		/** The repository's first token. */
		MINTED,

		/** A new token replacing one about to expire. */
		RENEWED,

		/** A new token replacing one a worker reported invalid. */
		INVALIDATED

	}

}
