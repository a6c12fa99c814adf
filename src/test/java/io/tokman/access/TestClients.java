package io.tokman.access;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Clients for tests of other packages, which cannot make a grant themselves. */
public final class TestClients {

	private TestClients() {
	}

	/** A client that may ask for every repository. */
	public static Client named(String name) {
		return new Client(name, Grant.ALL);
	}

	/**
	 * A budget of {@code mints} per client and {@code background} renewals in all per
	 * hour; 0 for no limit.
	 */
	public static GitHubBudget budget(int mints, int background, Clock clock) {
		return new GitHubBudget(new AccessProperties(List.of(), "", List.of(), List.of(),
				new AccessProperties.Budget(mints, Duration.ofHours(1), background)), clock);
	}

	/** A client limited to these repository globs. */
	public static Client limitedTo(String name, String... globs) {
		return new Client(name, new Grant(List.of(globs)));
	}

}
