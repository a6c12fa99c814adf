package io.tokman.github;

import java.time.Duration;
import java.time.Instant;

/**
 * GitHub's rate limit is exhausted; tokman does not call it again until the limit resets.
 */
public class RateLimitedException extends GitHubException {

	private final transient Duration retryAfter;

	RateLimitedException(Instant until, Duration retryAfter) {
		super("GitHub's rate limit is exhausted until " + until);
		this.retryAfter = retryAfter;
	}

	/** How long until GitHub accepts calls again. */
	public Duration retryAfter() {
		return this.retryAfter;
	}

}
