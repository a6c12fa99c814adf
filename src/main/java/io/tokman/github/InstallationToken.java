package io.tokman.github;

import java.time.Instant;

/**
 * An installation access token as GitHub minted it.
 *
 * @param token the token itself, an opaque string of any length
 * @param expiresAt when GitHub stops accepting it
 * @param installationId the installation it was minted for, which the next mint can reuse
 */
public record InstallationToken(String token, Instant expiresAt, long installationId) {

	@Override
	public String toString() {
		return "InstallationToken[token=<redacted>, expiresAt=" + this.expiresAt + ", installationId="
				+ this.installationId + "]";
	}

}
