package io.tokman.access;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * A request's API key before it is checked, or the client it named after.
 */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

	private final String client;

	private transient String key;

	private ApiKeyAuthentication(String client, String key, boolean authenticated) {
		super(List.of());
		this.client = client;
		this.key = key;
		setAuthenticated(authenticated);
	}

	static ApiKeyAuthentication unchecked(String key) {
		return new ApiKeyAuthentication(null, key, false);
	}

	static ApiKeyAuthentication authenticated(String client) {
		return new ApiKeyAuthentication(client, null, true);
	}

	@Override
	public Object getCredentials() {
		return this.key;
	}

	/** The client's name: what logs and the audit trail show. */
	@Override
	public Object getPrincipal() {
		return this.client;
	}

	@Override
	public void eraseCredentials() {
		this.key = null;
	}

	@Override
	public String toString() {
		return "ApiKeyAuthentication[client=" + this.client + ", authenticated=" + isAuthenticated() + "]";
	}

}
