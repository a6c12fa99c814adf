package io.tokman.token;

import java.time.Duration;

/**
 * Another request's renewal of the same repository took longer than this request may wait
 * for it.
 */
public class RenewalTimeoutException extends RuntimeException {

	RenewalTimeoutException(String scope, Duration waited) {
		super("Timed out after " + waited.toSeconds() + " s waiting for the renewal of the token for " + scope
				+ "; try again");
	}

}
