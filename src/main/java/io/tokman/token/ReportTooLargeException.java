package io.tokman.token;

/** A report's body is larger than any valid report. */
public class ReportTooLargeException extends RuntimeException {

	ReportTooLargeException(int limit) {
		super("The request body is larger than " + limit + " bytes");
	}

}
