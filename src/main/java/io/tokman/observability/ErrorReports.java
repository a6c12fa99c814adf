package io.tokman.observability;

import io.sentry.Sentry;
import io.sentry.SentryEvent;
import io.sentry.SentryLevel;
import io.sentry.protocol.Message;
import io.sentry.protocol.SentryException;

/**
 * Reports to Sentry, when {@code SENTRY_DSN} is set, what an operator must hear of:
 * unexpected failures and GitHub's rejections of the App's JWT. Every event is scrubbed
 * of credentials before it leaves ({@link Secrets}); no request data, user or breadcrumb
 * is attached. Without a DSN it does nothing.
 */
public final class ErrorReports implements AutoCloseable {

	private final boolean enabled;

	ErrorReports(SentryProperties properties, String release) {
		this.enabled = properties.enabled();
		if (this.enabled) {
			Sentry.init((options) -> {
				options.setDsn(properties.dsn());
				options.setEnvironment(properties.environment());
				options.setRelease("tokman@" + release);
				options.setSendDefaultPii(false);
				options.setMaxBreadcrumbs(0);
				options.setBeforeSend((event, hint) -> scrub(event));
			});
		}
	}

	/** A failure tokman did not expect, answered with a 500. */
	public void unexpected(Throwable failure) {
		if (this.enabled) {
			Sentry.captureException(failure);
		}
	}

	/** GitHub refused the App's JWT: the App ID or key is wrong, and every mint fails. */
	public void appRejected(String message) {
		if (this.enabled) {
			Sentry.captureMessage(message, SentryLevel.ERROR);
		}
	}

	/** Sends what is queued, within the timeout. */
	void flush(long millis) {
		if (this.enabled) {
			Sentry.flush(millis);
		}
	}

	@Override
	public void close() {
		if (this.enabled) {
			Sentry.close();
		}
	}

	static SentryEvent scrub(SentryEvent event) {
		Message message = event.getMessage();
		if (message != null) {
			message.setMessage(Secrets.scrub(message.getMessage()));
			message.setFormatted(Secrets.scrub(message.getFormatted()));
			if (message.getParams() != null) {
				message.setParams(message.getParams().stream().map(Secrets::scrub).toList());
			}
		}
		if (event.getExceptions() != null) {
			for (SentryException exception : event.getExceptions()) {
				exception.setValue(Secrets.scrub(exception.getValue()));
			}
		}
		event.setRequest(null);
		event.setUser(null);
		event.setBreadcrumbs(null);
		return event;
	}

}
