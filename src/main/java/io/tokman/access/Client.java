package io.tokman.access;

/**
 * Who asked: an API key's client or a workload's OIDC identity, by name, and what it may
 * ask for.
 *
 * @param name what logs and the audit trail call it; never a credential
 * @param grant the repositories it may ask for
 * @param admin whether it may use the admin API (revoke tokens): only a keys-file entry
 * with {@code role=admin} or an OIDC policy with {@code role: admin}, never a worker
 */
public record Client(String name, Grant grant, boolean admin) {

	/** Whoever asks while authentication is off: never an admin. */
	static final Client ANYONE = new Client("anonymous", Grant.ALL);

	Client(String name, Grant grant) {
		this(name, grant, false);
	}

}
