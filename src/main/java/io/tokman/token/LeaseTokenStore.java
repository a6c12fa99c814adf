package io.tokman.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.tokman.github.TokenScope;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * A store for tokman processes sharing one SQLite file (a rolling deploy on one host),
 * and for a single tokman: a renewal claims its row's lease with a short write, calls
 * GitHub outside any database lock, and gives the lease up once the new token is stored.
 * The lease is short (5 s at most) and extended by a heartbeat while its holder lives, so
 * a process killed mid-renewal holds up the others' waiters for seconds, not for their
 * whole lock timeout. Another process renewing the same repository reads the lease until
 * it is given up (or runs out, if its holder died), then claims it and finds the new
 * token. Renewals of other repositories never wait on each other, as SQLite's own write
 * lock held across a GitHub call would make them. Writes are queued inside the process:
 * SQLite has one writer at a time.
 */
final class LeaseTokenStore implements TokenStore {

	private static final Logger log = LoggerFactory.getLogger(LeaseTokenStore.class);

	/** How often a process waiting for another's lease looks again. */
	private static final Duration POLL = Duration.ofMillis(50);

	/** The longest lease: how long a killed holder holds up the others. */
	private static final Duration MAX_LEASE = Duration.ofSeconds(5);

	private final StoredTokenRepository tokens;

	private final UnsavedTokens unsaved;

	private final Clock clock;

	/** How long a request waits for another process's lease. */
	private final Duration lockTimeout;

	/** How long a lease lasts unless its holder's heartbeat extends it. */
	private final Duration lease;

	private final String owner = UUID.randomUUID().toString();

	private final Object writes = new Object();

	/** Leases this process holds now: the heartbeat writes only while there are some. */
	private final AtomicInteger held = new AtomicInteger();

	private final ScheduledExecutorService heartbeat;

	private final TokenCipher cipher;

	LeaseTokenStore(StoredTokenRepository tokens, UnsavedTokens unsaved, Clock clock, Duration lockTimeout,
			TokenCipher cipher) {
		this.tokens = tokens;
		this.cipher = cipher;
		this.unsaved = unsaved;
		this.clock = clock;
		this.lockTimeout = lockTimeout;
		Duration half = lockTimeout.dividedBy(2);
		this.lease = (half.compareTo(MAX_LEASE) < 0) ? half : MAX_LEASE;
		CustomizableThreadFactory threads = new CustomizableThreadFactory("lease-heartbeat-");
		threads.setDaemon(true);
		this.heartbeat = Executors.newSingleThreadScheduledExecutor(threads);
		long every = Math.max(1, this.lease.toMillis() / 3);
		this.heartbeat.scheduleWithFixedDelay(this::extendLeases, every, every, TimeUnit.MILLISECONDS);
	}

	/** Stops the heartbeat; leases held run out by themselves. */
	public void close() {
		this.heartbeat.shutdownNow();
	}

	@Override
	public Optional<StoredToken> find(TokenScope scope) {
		return this.tokens.find(new StoredToken(scope)).map((row) -> row.open(this.cipher));
	}

	@Override
	public <T> T renewing(TokenScope scope, Function<StoredToken, T> renewal) {
		StoredToken row = new StoredToken(scope);
		boolean leased = claim(scope, row);
		try {
			return renewal.apply(this.tokens.find(row).map((stored) -> stored.open(this.cipher)).orElse(row));
		}
		finally {
			if (leased) {
				release(row);
				this.held.decrementAndGet();
			}
		}
	}

	@Override
	public void save(StoredToken renewed) {
		renewed.seal(this.cipher);
		synchronized (this.writes) {
			try {
				this.tokens.upsert(renewed);
			}
			catch (DataAccessException ex) {
				this.unsaved.add(renewed, ex);
			}
		}
	}

	/**
	 * Claims the lease, waiting while another process holds it; false if the database
	 * takes no writes at all, when the renewal goes on without one rather than fail: a
	 * token is served, at the risk of a second mint by another process.
	 */
	private boolean claim(TokenScope scope, StoredToken row) {
		long deadline = System.nanoTime() + this.lockTimeout.toNanos();
		while (true) {
			Instant now = this.clock.instant();
			int claimed = 0;
			try {
				// Read first: a waiter writes nothing while the holder's lease lasts, so
				// the holder's own writes do not queue behind waiters'.
				if (this.tokens.leasedByOthersUntil(row, this.owner).filter(now::isBefore).isEmpty()) {
					synchronized (this.writes) {
						claimed = this.tokens.claimLease(row, this.owner, now.plus(this.lease), now);
					}
				}
			}
			catch (DataAccessException ex) {
				log.warn("Renewing the token for {} without a lease, as the database takes no writes: {}", scope,
						ex.getMostSpecificCause().getMessage());
				return false;
			}
			if (claimed == 1) {
				this.held.incrementAndGet();
				return true;
			}
			if (System.nanoTime() > deadline) {
				throw new RenewalTimeoutException(scope.toString(), this.lockTimeout);
			}
			try {
				Thread.sleep(POLL.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new RenewalTimeoutException(scope.toString(), this.lockTimeout);
			}
		}
	}

	/** The heartbeat: extends this process's leases while it holds any. */
	private void extendLeases() {
		if (this.held.get() == 0) {
			return;
		}
		try {
			synchronized (this.writes) {
				this.tokens.extendLeases(this.owner, this.clock.instant().plus(this.lease));
			}
		}
		catch (RuntimeException ex) {
			// The leases run out, and another process may renew meanwhile: said once per
			// beat at most, and only while renewals are in flight.
			log.warn("Could not extend this process's renewal leases: {}", ex.getMessage());
		}
	}

	/** Gives the lease up; a row the renewal left without a token goes with it. */
	private void release(StoredToken row) {
		try {
			synchronized (this.writes) {
				// One write when the renewal stored a token, as it mostly does.
				if (this.tokens.releaseLease(row, this.owner) == 0) {
					this.tokens.deleteIfTokenless(row, this.owner);
				}
			}
		}
		catch (DataAccessException ex) {
			// It runs out by itself.
		}
	}

}
