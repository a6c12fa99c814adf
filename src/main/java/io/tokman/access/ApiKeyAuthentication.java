package io.tokman.access;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/** An API key a request sent, before {@link ApiKeys} checks it. */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

	private transient String key;

	ApiKeyAuthentication(String key) {
		super(List.of());
		this.key = key;
	}

	@Override
	public Object getCredentials() {
		return this.key;
	}

	@Override
	public Object getPrincipal() {
		return null;
	}

	@Override
	public void eraseCredentials() {
		this.key = null;
	}

	@Override
	public String toString() {
		return "ApiKeyAuthentication[key=<redacted>]";
	}

}
