package io.tokman.access;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.tokman.github.Permissions;
import io.tokman.github.TokenScope;

import org.springframework.stereotype.Component;

/**
 * Whether the client asking may have a token: the namespaces this tokman serves
 * ({@code TOKMAN_NAMESPACES}, none listed means all), then the client's own grant, its
 * repositories and its permission ceiling.
 */
@Component
public final class AccessPolicy {

	private final Set<String> namespaces;

	AccessPolicy(AccessProperties properties) {
		this.namespaces = properties.namespaces()
			.stream()
			.map((namespace) -> namespace.trim().toLowerCase(Locale.ROOT))
			.filter((namespace) -> !namespace.isEmpty())
			.collect(Collectors.toUnmodifiableSet());
	}

	/**
	 * Throws {@link NotGrantedException} unless the client is an admin: a keys-file entry
	 * with {@code role=admin} or an OIDC policy with {@code role: admin}. Nobody is while
	 * authentication is off.
	 */
	public void requireAdmin(Client client) {
		if (!client.admin()) {
			throw new NotGrantedException(client);
		}
	}

	/**
	 * The token the client asking may have for what it asked: the scope itself, or with
	 * the permissions of its grant's ceiling if it asked for none. Throws
	 * {@link NamespaceNotServedException} or {@link NotGrantedException} if it may not.
	 */
	public TokenScope authorize(TokenScope asked, Client client) {
		if (!this.namespaces.isEmpty() && !this.namespaces.contains(asked.owner().toLowerCase(Locale.ROOT))) {
			throw new NamespaceNotServedException(asked.owner());
		}
		if (!client.grant().allows(asked)) {
			throw new NotGrantedException(client, asked);
		}
		Permissions permissions = client.grant().limit(asked.permissions());
		if (permissions == null) {
			throw new NotGrantedException(client, asked.permissions());
		}
		return permissions.equals(asked.permissions()) ? asked
				: new TokenScope(asked.kind(), asked.owner(), asked.repositories(), permissions);
	}

}
