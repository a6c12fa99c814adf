package io.tokman.token;

import java.time.Duration;

/** A report's body took longer to arrive than the report timeout. */
public class ReportTooSlowException extends RuntimeException {

	ReportTooSlowException(Duration timeout) {
		super("The request body did not arrive within " + timeout.toSeconds() + " s");
	}

}
