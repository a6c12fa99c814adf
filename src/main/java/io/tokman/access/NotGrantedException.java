package io.tokman.access;

import io.tokman.github.Permissions;
import io.tokman.github.TokenScope;

/**
 * The client may not ask for this token: its grant does not cover the repositories, or
 * the permissions are beyond its ceiling.
 */
public class NotGrantedException extends RuntimeException {

	NotGrantedException(Client client, TokenScope scope) {
		super((scope.kind() == TokenScope.Kind.INSTALLATION)
				? "Client " + client.name() + " may not ask for " + scope.where() + " with TOKMAN_TOKEN_SCOPE="
						+ "installation: an installation-wide token needs a grant of all of " + scope.owner()
						+ "'s repositories (" + scope.owner() + "/*)"
				: "Client " + client.name() + " may not ask for " + scope.where() + " (namespace " + scope.owner()
						+ ")");
	}

	NotGrantedException(Client client) {
		super("Client " + client.name() + " may not use the admin API: it needs an API key with role=admin in "
				+ "TOKMAN_API_KEYS_FILE, or an OIDC policy with role: admin");
	}

	NotGrantedException(Client client, Permissions asked) {
		super("Client " + client.name() + " may not ask for the permissions " + asked.text()
				+ ": they exceed its grant");
	}

}
