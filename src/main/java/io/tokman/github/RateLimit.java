package io.tokman.github;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

import okhttp3.Response;

/**
 * Whether GitHub's rate limit lets tokman call it now, as GitHub's last limiting answer
 * said.
 */
final class RateLimit {

	/**
	 * Without a Retry-After, GitHub asks clients to wait at least a minute after a
	 * secondary rate limit.
	 */
	private static final Duration SECONDARY_LIMIT_WAIT = Duration.ofMinutes(1);

	private final Clock clock;

	private final AtomicReference<Instant> limitedUntil = new AtomicReference<>(Instant.MIN);

	RateLimit(Clock clock) {
		this.clock = clock;
	}

	/** Throws if GitHub asked tokman to wait and the wait is not over. */
	void check() {
		Instant until = this.limitedUntil.get();
		Instant now = this.clock.instant();
		if (now.isBefore(until)) {
			throw new RateLimitedException(until, Duration.between(now, until));
		}
	}

	/**
	 * Records how long GitHub wants tokman to wait, if this 403 or 429 is a rate limit,
	 * and throws to say so.
	 */
	void record(Response response, String message) {
		Instant now = this.clock.instant();
		Instant until = null;
		String retryAfter = response.header("Retry-After");
		String remaining = response.header("X-RateLimit-Remaining");
		String reset = response.header("X-RateLimit-Reset");
		if (retryAfter != null && retryAfter.matches("\\d{1,6}")) {
			until = now.plusSeconds(Long.parseLong(retryAfter));
		}
		else if ("0".equals(remaining) && reset != null && reset.matches("\\d{1,12}")) {
			until = Instant.ofEpochSecond(Long.parseLong(reset));
		}
		else if (message.toLowerCase(Locale.ROOT).contains("rate limit")) {
			until = now.plus(SECONDARY_LIMIT_WAIT);
		}
		if (until != null) {
			Instant limit = until.isAfter(now) ? until : now.plusSeconds(1);
			this.limitedUntil.accumulateAndGet(limit, (a, b) -> a.isAfter(b) ? a : b);
			throw new RateLimitedException(limit, Duration.between(now, limit));
		}
	}

}
