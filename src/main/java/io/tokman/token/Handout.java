package io.tokman.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

import io.tokman.github.InstallationToken;
import io.tokman.github.Permissions;

/**
 * A token handed to a caller, with how it came to be and a fingerprint that names it in
 * logs without revealing it.
 *
 * @param token the token itself
 * @param expiresAt when GitHub stops accepting it
 * @param outcome whether it was served as held, minted, renewed or replaced an invalid
 * one
 * @param fingerprint the first 16 hex characters of the token's SHA-256
 * @param permissions what GitHub granted it; null for a token adopted from the original
 * tokman's table, whose grant nobody recorded
 * @param repositorySelection GitHub's {@code all} or {@code selected}; null if not known
 */
record Handout(String token, Instant expiresAt, Outcome outcome, String fingerprint, Permissions permissions,
		String repositorySelection) {

	static Handout of(StoredToken stored, Outcome outcome) {
		return new Handout(stored.token(), stored.expiresAt(), outcome, fingerprint(stored.token()),
				stored.grantedPermissions(), stored.repositorySelection());
	}

	static Handout of(InstallationToken minted, Outcome outcome) {
		return new Handout(minted.token(), minted.expiresAt(), outcome, fingerprint(minted.token()),
				minted.permissions(), minted.repositorySelection());
	}

	Handout as(Outcome outcome) {
		return new Handout(this.token, this.expiresAt, outcome, this.fingerprint, this.permissions,
				this.repositorySelection);
	}

	static String fingerprint(String token) {
		return sha256(token).substring(0, 16);
	}

	/** The token's SHA-256 in hex, of which the audit trail prints the first 16. */
	static String sha256(String token) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
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
