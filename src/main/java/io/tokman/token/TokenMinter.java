package io.tokman.token;

import io.tokman.github.InstallationToken;
import io.tokman.github.TokenScope;

/**
 * Mints a scope's token at GitHub: the GitHub client in the service, a fake in unit tests
 * of the renewal rules.
 */
@FunctionalInterface
interface TokenMinter {

	/**
	 * A new token; with the installation id remembered from the last mint (or null),
	 * fails with a {@link io.tokman.github.GitHubException} named for what went wrong.
	 */
	InstallationToken mint(TokenScope scope, Long knownInstallation);

}
