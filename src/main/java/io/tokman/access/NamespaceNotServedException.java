package io.tokman.access;

/**
 * The namespace is not on the list of those this tokman serves
 * ({@code TOKMAN_NAMESPACES}).
 */
public class NamespaceNotServedException extends RuntimeException {

	NamespaceNotServedException(String namespace) {
		super("This tokman does not serve the namespace " + namespace);
	}

}
