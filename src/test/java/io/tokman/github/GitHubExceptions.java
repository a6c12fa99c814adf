package io.tokman.github;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/** Builds the GitHub client's exceptions for tests of other packages. */
public final class GitHubExceptions {

	private GitHubExceptions() {
	}

	public static GitHubUnavailableException unavailable(IOException cause) {
		return new GitHubUnavailableException("token request", cause);
	}

	public static RateLimitedException rateLimited(Duration wait) {
		return new RateLimitedException(Instant.parse("2026-11-25T12:00:00Z").plus(wait), wait);
	}

	public static UnexpectedAnswerException failed(int status, String message) {
		return new UnexpectedAnswerException(status, message);
	}

	public static AppNotInstalledException notInstalled(RepositoryName repository) {
		return new AppNotInstalledException(repository.toString());
	}

	public static RepositoryMovedException moved(RepositoryName repository) {
		return RepositoryMovedException.installedElsewhere(repository.toString(), repository.namespace(),
				"someone-else");
	}

}
