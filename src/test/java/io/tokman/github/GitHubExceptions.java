package io.tokman.github;

import java.io.IOException;

/** Builds the GitHub client's exceptions for tests of other packages. */
public final class GitHubExceptions {

	private GitHubExceptions() {
	}

	public static GitHubUnavailableException unavailable(IOException cause) {
		return new GitHubUnavailableException("token request", cause);
	}

	public static GitHubException failed(int status, String message) {
		return new GitHubException(status, message);
	}

}
