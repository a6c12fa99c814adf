package io.tokman.access;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.tokman.github.RepositoryName;

import org.springframework.stereotype.Component;

/**
 * The namespaces this tokman serves ({@code TOKMAN_NAMESPACES}); none listed means all.
 */
@Component
public final class NamespacePolicy {

	private final Set<String> namespaces;

	NamespacePolicy(AccessProperties properties) {
		this.namespaces = properties.namespaces()
			.stream()
			.map((namespace) -> namespace.trim().toLowerCase(Locale.ROOT))
			.filter((namespace) -> !namespace.isEmpty())
			.collect(Collectors.toUnmodifiableSet());
	}

	/** Throws {@link NamespaceNotServedException} unless the repository may be served. */
	public void check(RepositoryName repository) {
		if (!this.namespaces.isEmpty() && !this.namespaces.contains(repository.namespace().toLowerCase(Locale.ROOT))) {
			throw new NamespaceNotServedException(repository.namespace());
		}
	}

}
