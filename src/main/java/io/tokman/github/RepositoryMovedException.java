package io.tokman.github;

/**
 * The repository is no longer where the caller asked for it: GitHub redirected the
 * installation lookup (a rename or a transfer), or the installation that covers it
 * belongs to another account. The caller asks again under the new name, so that the
 * namespace checks apply to it.
 */
public class RepositoryMovedException extends GitHubException {

	private RepositoryMovedException(String message) {
		super(message);
	}

	static RepositoryMovedException redirected(String where, String location) {
		return new RepositoryMovedException(
				"GitHub says " + where + " has moved (to " + location + "); ask for it under its new name");
	}

	static RepositoryMovedException installedElsewhere(String where, String owner, String account) {
		return new RepositoryMovedException("The installation that covers " + where + " belongs to " + account
				+ ", not " + owner + "; ask for it under its new name");
	}

	@Override
	public boolean isDefinitive() {
		return true;
	}

}
