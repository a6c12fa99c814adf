package io.tokman.access;

import org.springframework.security.authentication.AuthenticationServiceException;

/**
 * tokman cannot check a token of a trusted issuer now: the issuer's keys cannot be
 * fetched. Not the token's fault; the client may try again shortly.
 */
public class IssuerUnavailableException extends AuthenticationServiceException {

	IssuerUnavailableException(String issuer, String reason) {
		super("tokman cannot check tokens of the issuer " + issuer + " now (" + reason + "); try again shortly");
	}

}
