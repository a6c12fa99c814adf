package io.tokman.github;

/**
 * GitHub did not give tokman what it asked for. The root of the client's failures, each
 * named by a subclass, so that a caller that does not care which catches this one type.
 */
public abstract class GitHubException extends RuntimeException {

	GitHubException(String message) {
		super(message);
	}

	GitHubException(String message, Throwable cause) {
		super(message, cause);
	}

	/**
	 * Whether this is GitHub's answer about the repository (no, or not here) rather than
	 * a failure that may pass: then nothing may stand in for a new token.
	 */
	public boolean isDefinitive() {
		return false;
	}

}
