package io.tokman.access;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * A request's API key before it is checked, or the client it named after.
 */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

	private final Client client;

	private transient String key;

	private ApiKeyAuthentication(Client client, String key, boolean authenticated) {
		super(List.of());
		this.client = client;
		this.key = key;
		setAuthenticated(authenticated);
	}

	static ApiKeyAuthentication unchecked(String key) {
		return new ApiKeyAuthentication(null, key, false);
	}

	static ApiKeyAuthentication authenticated(Client client) {
		return new ApiKeyAuthentication(client, null, true);
	}

	@Override
	public Object getCredentials() {
		return this.key;
	}

	/** The client: what logs and the audit trail name, and what it may ask for. */
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
		return "ApiKeyAuthentication[client=" + ((this.client != null) ? this.client.name() : null) + ", authenticated="
				+ isAuthenticated() + "]";
	}

}
