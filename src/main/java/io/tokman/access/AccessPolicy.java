package io.tokman.access;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.tokman.github.RepositoryName;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Whether the client asking may have a repository's token: the namespaces this tokman
 * serves ({@code TOKMAN_NAMESPACES}, none listed means all), then the client's own grant.
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
	 * Throws {@link NamespaceNotServedException} or {@link NotGrantedException} unless
	 * the client asking may have the repository's token.
	 */
	public void check(RepositoryName repository) {
		if (!this.namespaces.isEmpty() && !this.namespaces.contains(repository.namespace().toLowerCase(Locale.ROOT))) {
			throw new NamespaceNotServedException(repository.namespace());
		}
		Client client = current();
		if (!client.grant().allows(repository)) {
			throw new NotGrantedException(client, repository);
		}
	}

	/** The client of the request being served; anyone while authentication is off. */
	public static Client current() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return (authentication != null && authentication.getPrincipal() instanceof Client client) ? client
				: Client.ANYONE;
	}

}
