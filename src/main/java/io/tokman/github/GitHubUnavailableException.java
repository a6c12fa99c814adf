package io.tokman.github;

import java.io.IOException;
import java.io.InterruptedIOException;

/** GitHub could not be reached, or did not answer in time. */
public class GitHubUnavailableException extends GitHubException {

	GitHubUnavailableException(String endpoint, IOException cause) {
		super("GitHub did not answer " + endpoint + ": " + cause.getClass().getSimpleName(), cause);
	}

	/** Whether GitHub was too slow rather than unreachable. */
	public boolean isTimeout() {
		return getCause() instanceof InterruptedIOException;
	}

}
