package io.tokman.github;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;

import javax.net.ssl.SSLException;

/** GitHub could not be reached, or did not answer in time. */
public class GitHubUnavailableException extends GitHubException {

	private final boolean timeout;

	GitHubUnavailableException(String endpoint, IOException cause) {
		super("GitHub did not answer the " + endpoint + ": " + reason(cause), cause);
		this.timeout = cause instanceof InterruptedIOException;
	}

	/** The mint's deadline passed before this call could be made. */
	GitHubUnavailableException(String endpoint, Duration deadline) {
		super("GitHub did not answer the " + endpoint + " within the " + words(deadline) + " deadline");
		this.timeout = true;
	}

	/** Every call tokman may have in flight was, until the mint's deadline. */
	GitHubUnavailableException(String endpoint, int inFlight, Duration deadline) {
		super("The " + endpoint + " found no turn within the " + words(deadline) + " deadline: " + inFlight
				+ " calls were in flight at GitHub, as many as tokman.github.concurrent-calls allows");
		this.timeout = true;
	}

	/** Whether GitHub was too slow rather than unreachable. */
	public boolean isTimeout() {
		return this.timeout;
	}

	private static String words(Duration duration) {
		return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
	}

	/** What went wrong, in words an operator reads; never a class name. */
	private static String reason(IOException cause) {
		if (cause instanceof InterruptedIOException) {
			return "it did not answer in time";
		}
		if (cause instanceof UnknownHostException) {
			return "its host name could not be resolved";
		}
		if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
			return "the connection was refused or could not be made";
		}
		if (cause instanceof SSLException) {
			return "the TLS handshake or connection failed";
		}
		return "the connection failed or was closed before the answer";
	}

}
