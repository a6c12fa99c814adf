package io.tokman.token;

import java.time.Duration;

/**
 * A worker reported a token minted moments ago as invalid: GitHub may not accept it
 * everywhere yet, and a new one would be as new. Answered with a 503 and Retry-After.
 */
public class TokenTooNewException extends RuntimeException {

	private final transient Duration retryAfter;

	TokenTooNewException(Duration retryAfter) {
		super("The token reported was minted moments ago and GitHub may not accept it everywhere yet; "
				+ "retry it after " + Math.max(1, retryAfter.toSeconds()) + " s instead of asking for a new one");
		this.retryAfter = retryAfter;
	}

	public Duration retryAfter() {
		return this.retryAfter;
	}

}
