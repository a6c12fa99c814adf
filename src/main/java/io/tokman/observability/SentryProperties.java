package io.tokman.observability;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where errors are reported, by Sentry's own names.
 *
 * @param dsn the project's DSN ({@code SENTRY_DSN}, as the original tokman read it);
 * unset, nothing is sent
 * @param environment the environment events are filed under ({@code SENTRY_ENVIRONMENT})
 */
@ConfigurationProperties("sentry")
record SentryProperties(String dsn, String environment) {

	boolean enabled() {
		return this.dsn != null && !this.dsn.isBlank();
	}

	/** A DSN holds the project's key: never printed. */
	@Override
	public String toString() {
		return "SentryProperties[dsn=" + (enabled() ? "<redacted>" : "<unset>") + ", environment=" + this.environment
				+ "]";
	}

}
