package io.tokman.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Lazy;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Keeps the tokens table to what is asked for: every ten minutes, deletes the rows whose
 * token expired more than {@code keep-expired} ago and the rows that hold no token,
 * unless a renewal holds their lease. A repository asked for again simply gets a new row.
 */
@Component
final class StoredTokenPruning implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(StoredTokenPruning.class);

	static final Duration INTERVAL = Duration.ofMinutes(10);

	private final StoredTokenRepository tokens;

	private final Clock clock;

	private final Duration keepExpired;

	private final Counter pruned;

	private ScheduledExecutorService schedule;

	StoredTokenPruning(@Lazy StoredTokenRepository tokens, Clock clock, TokenProperties properties,
			MeterRegistry registry) {
		this.tokens = tokens;
		this.clock = clock;
		this.keepExpired = properties.keepExpired();
		this.pruned = Counter.builder("tokman.tokens.pruned")
			.description("Stored rows deleted: expired long ago, or holding no token")
			.register(registry);
	}

	/** Deletes what nobody asked for lately; how many rows. */
	int prune() {
		Instant now = this.clock.instant();
		int deleted = this.tokens.prune(now, now.minus(this.keepExpired));
		this.pruned.increment(deleted);
		if (deleted > 0) {
			log.info("Deleted {} stored tokens that expired over {} ago or held none", deleted, this.keepExpired);
		}
		return deleted;
	}

	private void scheduledPrune() {
		try {
			prune();
		}
		catch (DataAccessException ex) {
			// The next run tries again; a database that is down is reported elsewhere.
			log.warn("Could not delete expired tokens: {}", ex.getMostSpecificCause().getMessage());
		}
	}

	@Override
	public synchronized void start() {
		this.schedule = Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("token-pruning-"));
		this.schedule.scheduleWithFixedDelay(this::scheduledPrune, INTERVAL.toMillis(), INTERVAL.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	@Override
	public synchronized void stop() {
		if (this.schedule != null) {
			this.schedule.shutdownNow();
			this.schedule = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.schedule != null;
	}

}
