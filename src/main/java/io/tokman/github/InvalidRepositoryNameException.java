package io.tokman.github;

/** The caller asked for a name that cannot be a GitHub repository. */
public class InvalidRepositoryNameException extends RuntimeException {

	InvalidRepositoryNameException(String message) {
		super(message);
	}

}
