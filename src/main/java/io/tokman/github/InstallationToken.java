package io.tokman.github;

import java.time.Instant;

/**
 * An installation access token as GitHub minted it.
 *
 * @param token the token itself, an opaque string of any length
 * @param expiresAt when GitHub stops accepting it
 */
public record InstallationToken(String token, Instant expiresAt) {

	@Override
	public String toString() {
		return "InstallationToken[token=<redacted>, expiresAt=" + this.expiresAt + "]";
	}

}
