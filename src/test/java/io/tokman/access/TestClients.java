package io.tokman.access;

import java.util.List;

/** Clients for tests of other packages, which cannot make a grant themselves. */
public final class TestClients {

	private TestClients() {
	}

	/** A client that may ask for every repository. */
	public static Client named(String name) {
		return new Client(name, Grant.ALL);
	}

	/** A client limited to these repository globs. */
	public static Client limitedTo(String name, String... globs) {
		return new Client(name, new Grant(List.of(globs)));
	}

}
