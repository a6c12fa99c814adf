package io.tokman.github;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A bound on the calls tokman has in flight at GitHub, every App's together
 * ({@code tokman.github.concurrent-calls}). GitHub allows no more than 100 concurrent
 * requests before its secondary rate limit answers; a burst for cold repositories makes
 * one mint each, and the rest wait their turn here, within their mint's deadline, rather
 * than be refused there.
 */
final class GitHubCalls {

	private final Semaphore calls;

	private final int limit;

	GitHubCalls(int limit, MeterRegistry registry) {
		this.limit = limit;
		this.calls = new Semaphore(limit, true);
		Gauge.builder("tokman.github.calls.in.flight", this.calls, (calls) -> limit - calls.availablePermits())
			.description("Calls to GitHub under way, of at most tokman.github.concurrent-calls")
			.register(registry);
		Gauge.builder("tokman.github.calls.waiting", this.calls, Semaphore::getQueueLength)
			.description("Calls to GitHub waiting for one of the tokman.github.concurrent-calls to end")
			.register(registry);
	}

	/**
	 * Makes the call once fewer than the limit are in flight, waiting at most until the
	 * deadline ({@link System#nanoTime()}); a call that got no turn by then fails as
	 * GitHub being too slow.
	 */
	<T> T call(String endpoint, long deadline, Duration mintDeadline, Supplier<T> call) {
		try {
			if (!this.calls.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
				throw new GitHubUnavailableException(endpoint, this.limit, mintDeadline);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new GitHubUnavailableException(endpoint, new InterruptedIOException("interrupted"));
		}
		try {
			return call.get();
		}
		finally {
			this.calls.release();
		}
	}

}
