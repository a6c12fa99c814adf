package io.tokman.github;

import java.time.Duration;

/**
 * GitHub failed most of the last calls, and tokman does not call it again until the
 * circuit's pause ends.
 */
public class GitHubFailingException extends GitHubException {

	private final transient Duration retryAfter;

	GitHubFailingException(String endpoint, Duration retryAfter) {
		super("GitHub failed most of the last calls (5xx answers or none); the " + endpoint + " is held back for "
				+ Math.max(1, retryAfter.toSeconds()) + " s more");
		this.retryAfter = retryAfter;
	}

	/** How long until tokman calls GitHub again. */
	public Duration retryAfter() {
		return this.retryAfter;
	}

}
