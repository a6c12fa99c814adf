package io.tokman.webhook;

/** No App has a webhook secret: deliveries cannot be verified, so none is taken. */
public class WebhooksOffException extends RuntimeException {

	WebhooksOffException() {
		super("Webhooks are off: set GITHUB_WEBHOOK_SECRET_FILE (or an App's webhook-secret-file) to take them");
	}

}
