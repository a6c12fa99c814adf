package io.tokman.token;

/** The request is well-formed HTTP but lacks what the endpoint needs. */
public class InvalidRequestException extends RuntimeException {

	public InvalidRequestException(String message) {
		super(message);
	}

}
