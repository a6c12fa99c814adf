package io.tokman.access;

/** API keys are on and the request did not carry a valid one. */
public class ApiKeyRequiredException extends RuntimeException {

	ApiKeyRequiredException() {
		super("Send a valid API key as 'Authorization: Bearer <key>'");
	}

}
