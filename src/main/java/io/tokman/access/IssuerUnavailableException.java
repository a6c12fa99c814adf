package io.tokman.access;

import java.time.Duration;

import org.springframework.security.authentication.AuthenticationServiceException;

/**
 * tokman cannot check a token of a trusted issuer now: the issuer's keys cannot be
 * fetched. Not the token's fault; the client may try again shortly.
 */
public class IssuerUnavailableException extends AuthenticationServiceException {

	private final transient Duration retryAfter;

	IssuerUnavailableException(String issuer, String reason, Duration retryAfter) {
		super("tokman cannot check tokens of the issuer " + issuer + " now (" + reason + "); try again shortly");
		this.retryAfter = retryAfter;
	}

	/** When tokman will try the issuer again. */
	public Duration retryAfter() {
		return this.retryAfter;
	}

}
