package io.tokman.token;

import java.time.Duration;

import org.springframework.dao.DataAccessResourceFailureException;

/** The database did not answer in time, or is known down: worth trying again shortly. */
public final class DatabaseUnavailableException extends DataAccessResourceFailureException {

	private final Duration retryAfter;

	DatabaseUnavailableException(String message, Duration retryAfter) {
		super(message);
		this.retryAfter = retryAfter;
	}

	public Duration retryAfter() {
		return this.retryAfter;
	}

}
