package io.tokman.access;

import io.tokman.github.RepositoryName;

/** The client may not ask for this repository: its grant does not cover it. */
public class NotGrantedException extends RuntimeException {

	NotGrantedException(Client client, RepositoryName repository) {
		super("Client " + client.name() + " may not ask for " + repository + " (namespace " + repository.namespace()
				+ ")");
	}

}
