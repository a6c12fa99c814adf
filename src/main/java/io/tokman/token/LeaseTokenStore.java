package io.tokman.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import io.tokman.github.TokenScope;

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
	public Optional<StoredToken> find(TokenScope scope) {
		return this.tokens.find(new StoredToken(scope));
	}

	@Override
	public <T> T renewing(TokenScope scope, Function<StoredToken, T> renewal) {
		StoredToken row = new StoredToken(scope);
		boolean leased = claim(scope, row);
		try {
			return renewal.apply(this.tokens.find(row).orElse(row));
		}
		finally {
			if (leased) {
				release(row);
			}
		}
	}

	@Override
	public void save(StoredToken renewed) {
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
		long deadline = System.nanoTime() + this.lease.toNanos();
		while (true) {
			Instant now = this.clock.instant();
			int claimed;
			try {
				synchronized (this.writes) {
					claimed = this.tokens.claimLease(row, this.owner, now.plus(this.lease), now);
				}
			}
			catch (DataAccessException ex) {
				log.warn("Renewing the token for {} without a lease, as the database takes no writes: {}", scope,
						ex.getMostSpecificCause().getMessage());
				return false;
			}
			if (claimed == 1) {
				return true;
			}
			if (System.nanoTime() > deadline) {
				throw new RenewalTimeoutException(scope.toString(), this.lease);
			}
			try {
				Thread.sleep(POLL.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new RenewalTimeoutException(scope.toString(), this.lease);
			}
		}
	}

	/** Gives the lease up; a row the renewal left without a token goes with it. */
	private void release(StoredToken row) {
		try {
			synchronized (this.writes) {
				if (this.tokens.deleteIfTokenless(row, this.owner) == 0) {
					this.tokens.releaseLease(row, this.owner);
				}
			}
		}
		catch (DataAccessException ex) {
			// It runs out by itself.
		}
	}

}
