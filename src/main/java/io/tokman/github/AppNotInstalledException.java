package io.tokman.github;

/** GitHub says the App has no installation that covers the repository or owner. */
public class AppNotInstalledException extends GitHubException {

	AppNotInstalledException(String where) {
		super("App is not installed on " + where);
	}

	@Override
	public boolean isDefinitive() {
		return true;
	}

}
