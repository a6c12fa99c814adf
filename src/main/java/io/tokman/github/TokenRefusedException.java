package io.tokman.github;

/**
 * GitHub refused to mint the token asked for (422): a permission the App or the
 * installation lacks, or a repository the installation does not cover.
 */
public class TokenRefusedException extends GitHubException {

	TokenRefusedException(String message) {
		super(message);
	}

	@Override
	public boolean isDefinitive() {
		return true;
	}

}
