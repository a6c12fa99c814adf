package io.tokman.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
import org.springframework.data.domain.Limit;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Keeps the tokens table to what is asked for, and sealed under the current key: every
 * ten minutes, deletes the rows whose token expired more than {@code keep-expired} ago
 * and the rows that hold no token, unless a renewal holds their lease (a repository asked
 * for again simply gets a new row); every minute, seals again the tokens sealed under a
 * key that is held but no longer current (the App's key was rotated), or stored in the
 * clear (by a tokman from before tokens were sealed, during a rolling deploy).
 */
@Component
final class StoredTokenUpkeep implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(StoredTokenUpkeep.class);

	static final Duration INTERVAL = Duration.ofMinutes(10);

	static final Duration RESEAL_INTERVAL = Duration.ofMinutes(1);

	/** Rows read at once by {@link #reseal}. */
	private static final int BATCH = 500;

	private final StoredTokenRepository tokens;

	private final Clock clock;

	private final Duration keepExpired;

	private final Counter pruned;

	private final TokenCipher cipher;

	private ScheduledExecutorService schedule;

	StoredTokenUpkeep(@Lazy StoredTokenRepository tokens, Clock clock, TokenProperties properties,
			MeterRegistry registry, TokenCipher cipher) {
		this.tokens = tokens;
		this.cipher = cipher;
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

	/**
	 * Seals again under the current key the tokens sealed under another key held, or
	 * stored in the clear; how many. A row renewed meanwhile is left as its renewal wrote
	 * it.
	 */
	int reseal() {
		int resealed = 0;
		for (int round = 0; round < 100; round++) {
			List<String> retired = this.cipher.retiredKeys();
			List<StoredToken> rows = new ArrayList<>(
					this.tokens.findByTokenIsNotNullAndTokenKeyIsNull(Limit.of(BATCH)));
			if (!retired.isEmpty()) {
				rows.addAll(this.tokens.findByTokenIsNotNullAndTokenKeyIn(retired, Limit.of(BATCH)));
			}
			int before = resealed;
			for (StoredToken row : rows) {
				String token = row.open(this.cipher).token();
				if (token != null) {
					TokenCipher.Sealed sealed = this.cipher.seal(row.key(), token);
					resealed += this.tokens.reseal(row.id(), row.sealedToken(), sealed.text(), sealed.keyId());
				}
			}
			if (rows.size() < BATCH || resealed == before) {
				break;
			}
		}
		if (resealed > 0) {
			log.info("Sealed {} stored tokens again under the current key", resealed);
		}
		return resealed;
	}

	private void scheduled(Runnable job, String what) {
		try {
			job.run();
		}
		catch (DataAccessException ex) {
			// The next run tries again; a database that is down is reported elsewhere.
			log.warn("Could not {}: {}", what, ex.getMostSpecificCause().getMessage());
		}
	}

	@Override
	public synchronized void start() {
		this.schedule = Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("token-upkeep-"));
		this.schedule.scheduleWithFixedDelay(() -> scheduled(this::prune, "delete expired tokens"), INTERVAL.toMillis(),
				INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
		this.schedule.scheduleWithFixedDelay(() -> scheduled(this::reseal, "seal stored tokens again"), 0,
				RESEAL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * No further run; the one under way, if any, ends first (up to 10 s): stopped in the
	 * middle, it would meet the database closing under it and warn of it.
	 */
	@Override
	public synchronized void stop() {
		if (this.schedule != null) {
			this.schedule.shutdown();
			try {
				this.schedule.awaitTermination(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.schedule.shutdownNow();
			this.schedule = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.schedule != null;
	}

}
