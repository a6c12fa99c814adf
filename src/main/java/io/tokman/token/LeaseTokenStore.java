package io.tokman.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;

/**
 * A store for tokman processes sharing one SQLite file (a rolling deploy on one host),
 * and for a single tokman: a renewal claims its row's lease with a short write, calls
 * GitHub outside any database lock, and gives the lease up once the new token is stored.
 * Another process renewing the same repository waits for the lease to be given up (or to
 * run out, if its holder died), then finds the new token. Renewals of other repositories
 * never wait on each other, as SQLite's own write lock held across a GitHub call would
 * make them. Writes are queued inside the process: SQLite has one writer at a time.
 */
final class LeaseTokenStore implements TokenStore {

	private static final Logger log = LoggerFactory.getLogger(LeaseTokenStore.class);

	private static final UtcTimestampConverter TIMESTAMPS = new UtcTimestampConverter();

	/** How often a process waiting for another's lease looks again. */
	private static final Duration POLL = Duration.ofMillis(50);

	private final StoredTokenRepository tokens;

	private final UnsavedTokens unsaved;

	private final Clock clock;

	private final Duration lease;

	private final String owner = UUID.randomUUID().toString();

	private final Object writes = new Object();

	LeaseTokenStore(StoredTokenRepository tokens, UnsavedTokens unsaved, Clock clock, Duration lease) {
		this.tokens = tokens;
		this.unsaved = unsaved;
		this.clock = clock;
		this.lease = lease;
	}

	@Override
	public Optional<StoredToken> find(String repo) {
		return this.tokens.findByRepo(repo);
	}

	@Override
	public <T> T renewing(String repo, Function<StoredToken, T> renewal) {
		boolean leased = claim(repo);
		try {
			return renewal.apply(this.tokens.findByRepo(repo).orElseGet(() -> new StoredToken(repo)));
		}
		finally {
			if (leased) {
				release(repo);
			}
		}
	}

	@Override
	public void save(StoredToken renewed) {
		synchronized (this.writes) {
			try {
				this.tokens.upsert(renewed.repo(), renewed.token(),
						TIMESTAMPS.convertToDatabaseColumn(renewed.expiresAt()), renewed.installationId());
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
	private boolean claim(String repo) {
		long deadline = System.nanoTime() + this.lease.toNanos();
		while (true) {
			Instant now = this.clock.instant();
			int claimed;
			try {
				synchronized (this.writes) {
					claimed = this.tokens.claimLease(repo, this.owner,
							TIMESTAMPS.convertToDatabaseColumn(now.plus(this.lease)),
							TIMESTAMPS.convertToDatabaseColumn(now));
				}
			}
			catch (DataAccessException ex) {
				log.warn("Renewing {}'s token without a lease, as the database takes no writes: {}", repo,
						ex.getMostSpecificCause().getMessage());
				return false;
			}
			if (claimed == 1) {
				return true;
			}
			if (System.nanoTime() > deadline) {
				throw new RenewalTimeoutException(repo, this.lease);
			}
			try {
				Thread.sleep(POLL.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new RenewalTimeoutException(repo, this.lease);
			}
		}
	}

	private void release(String repo) {
		try {
			synchronized (this.writes) {
				this.tokens.releaseLease(repo, this.owner);
			}
		}
		catch (DataAccessException ex) {
			// It runs out by itself.
		}
	}

}
