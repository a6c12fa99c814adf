package io.tokman.webhook;

/**
 * A webhook delivery that GitHub did not sign with a secret tokman holds: unsigned, or
 * signed wrongly. Nothing of it is applied.
 */
public class WebhookRefusedException extends RuntimeException {

	WebhookRefusedException(String message) {
		super(message);
	}

}
