package io.tokman.github;

/** GitHub says the App has no installation that covers the repository. */
public class AppNotInstalledException extends GitHubException {

	AppNotInstalledException(RepositoryName repository) {
		super("App is not installed on " + repository);
	}

	@Override
	public boolean isDefinitive() {
		return true;
	}

}
