package io.tokman.access;

/**
 * Who asked: an API key's client or a workload's OIDC identity, by name, and what it may
 * ask for.
 *
 * @param name what logs and the audit trail call it; never a credential
 * @param grant the repositories it may ask for
 */
public record Client(String name, Grant grant) {

	/** Whoever asks while authentication is off. */
	static final Client ANYONE = new Client("anonymous", Grant.ALL);

}
