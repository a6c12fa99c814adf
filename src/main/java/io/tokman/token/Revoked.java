package io.tokman.token;

import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The answer to a revocation: the tokens revoked and dropped, and those GitHub could not
 * be asked to revoke, which are kept.
 *
 * @param revoked the tokens revoked
 * @param failed the tokens not revoked, each with why
 */
record Revoked(List<Token> revoked, List<Token> failed) {

	/**
	 * A token, named as the audit trail names it, never itself.
	 *
	 * @param app the App that minted it
	 * @param kind repository, installation or owner
	 * @param owner its owner
	 * @param repositories the repositories of its scope
	 * @param permissions the permissions asked for; empty for the installation's
	 * @param tokenSha256 the first 16 hex digits of its SHA-256
	 * @param expiresAt when it would have expired
	 * @param github what GitHub said: revoked, already invalid, or why it was not asked
	 */
	record Token(String app, String kind, String owner, List<String> repositories, String permissions,
			@JsonProperty("token_sha256") String tokenSha256, @JsonProperty("expires_at") String expiresAt,
			String github) {

		static Token of(StoredToken row, String app, String sha256, String github) {
			return new Token(app, row.kind(), row.owner(),
					row.repositories().isEmpty() ? List.of() : Arrays.asList(row.repositories().split(",")),
					row.permissions(), sha256.substring(0, 16),
					(row.expiresAt() != null) ? row.expiresAt().truncatedTo(ChronoUnit.SECONDS).toString() : null,
					github);
		}

	}

}
