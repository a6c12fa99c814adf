package io.tokman.token;

/** The worker's connection closed before its report's body was whole. */
public class ReportCutOffException extends RuntimeException {

	ReportCutOffException() {
		super("The request body was cut off");
	}

}
