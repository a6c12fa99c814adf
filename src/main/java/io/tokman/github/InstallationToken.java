package io.tokman.github;

import java.time.Duration;
import java.time.Instant;

/**
 * An installation access token as GitHub minted it.
 *
 * @param token the token itself, an opaque string of any length
 * @param expiresAt when GitHub stops accepting it
 * @param installationId the installation it was minted for, which the next mint can reuse
 * @param permissions the permissions GitHub granted it
 * @param repositorySelection GitHub's {@code all} or {@code selected}; null if GitHub did
 * not say
 */
public record InstallationToken(String token, Instant expiresAt, long installationId, Permissions permissions,
		String repositorySelection) {

	/** GitHub's lifetime of an installation token. */
	public static final Duration LIFETIME = Duration.ofHours(1);

	@Override
	public String toString() {
		return "InstallationToken[token=<redacted>, expiresAt=" + this.expiresAt + ", installationId="
				+ this.installationId + ", permissions=" + this.permissions + ", repositorySelection="
				+ this.repositorySelection + "]";
	}

}
