package io.tokman.access;

import java.time.Duration;

/** The client has caused as many mints as its GitHub budget allows for now. */
public class BudgetSpentException extends RuntimeException {

	private final transient Duration retryAfter;

	BudgetSpentException(Client client, Duration retryAfter) {
		super("Client " + client.name() + " has used its budget of GitHub calls; retry after "
				+ Math.max(1, retryAfter.toSeconds()) + " s");
		this.retryAfter = retryAfter;
	}

	BudgetSpentException(int backgroundMints, Duration retryAfter) {
		super("Background renewals have used their budget of " + backgroundMints + " mints; the next begins in "
				+ Math.max(1, retryAfter.toSeconds()) + " s");
		this.retryAfter = retryAfter;
	}

	public Duration retryAfter() {
		return this.retryAfter;
	}

}
