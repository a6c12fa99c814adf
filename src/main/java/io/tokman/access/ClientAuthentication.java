package io.tokman.access;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * A request whose credential named a client: what it may ask for, and its name for logs.
 */
final class ClientAuthentication extends AbstractAuthenticationToken {

	private final Client client;

	ClientAuthentication(Client client) {
		super(List.of());
		this.client = client;
		setAuthenticated(true);
	}

	@Override
	public Object getCredentials() {
		return null;
	}

	@Override
	public Client getPrincipal() {
		return this.client;
	}

	@Override
	public String toString() {
		return "ClientAuthentication[client=" + this.client.name() + "]";
	}

}
