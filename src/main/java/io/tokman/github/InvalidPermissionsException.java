package io.tokman.github;

/** The caller asked for a permission or level GitHub does not have. */
public class InvalidPermissionsException extends RuntimeException {

	InvalidPermissionsException(String message) {
		super(message);
	}

}
