package io.tokman.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokman.github.GitHubClient;
import io.tokman.github.GitHubException;
import io.tokman.github.GitHubUnavailableException;
import io.tokman.github.RateLimitedException;
import io.tokman.github.InstallationToken;
import io.tokman.github.RepositoryName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Hands out a repository's stored token while it is fresh, and renews it exactly once
 * when it is not.
 */
@Service
final class TokenService {

	private static final Logger log = LoggerFactory.getLogger(TokenService.class);

	private static final UtcTimestampConverter TIMESTAMPS = new UtcTimestampConverter();

	private final StoredTokenRepository tokens;

	private final GitHubClient gitHub;

	private final TokenProperties properties;

	private final Clock clock;

	private final RepositoryLocks locks;

	private final TransactionTemplate transactions;

	private final Counter memoryHits;

	private final Counter hits;

	private final Cache<String, Fresh> cache;

	private final Counter renewedMeanwhile;

	private final Counter mints;

	private final Counter stale;

	private final Counter renewing;

	private final Counter refreshed;

	private final Set<String> namespaces;

	private final Cache<String, Activity> active;

	private final Object writes = new Object();

	TokenService(StoredTokenRepository tokens, GitHubClient gitHub, TokenProperties properties, Clock clock,
			MeterRegistry registry, PlatformTransactionManager transactionManager) {
		this.transactions = new TransactionTemplate(transactionManager);
		this.tokens = tokens;
		this.gitHub = gitHub;
		this.properties = properties;
		this.clock = clock;
		this.locks = new RepositoryLocks(properties.lockTimeout());
		this.namespaces = properties.namespaces()
			.stream()
			.map((namespace) -> namespace.trim().toLowerCase(Locale.ROOT))
			.filter((namespace) -> !namespace.isEmpty())
			.collect(Collectors.toUnmodifiableSet());
		this.memoryHits = served(registry, "memory");
		this.hits = served(registry, "stored");
		// Bounded in size, and expiring after cache-ttl so that a replica notices a token
		// another replica dropped; time comes from the injected clock, as everywhere.
		this.cache = Caffeine.newBuilder()
			.maximumSize(properties.cacheSize())
			.expireAfterWrite(properties.cacheTtl())
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.build();
		this.renewedMeanwhile = served(registry, "renewed-meanwhile");
		this.mints = served(registry, "minted");
		this.stale = served(registry, "stale");
		this.renewing = served(registry, "renewing");
		this.refreshed = Counter.builder("tokman.tokens.refreshed")
			.description("Tokens renewed in the background by refresh-ahead")
			.register(registry);
		// The repositories asked for lately, with the expiry of the token they were last
		// given: what refresh-ahead renews.
		this.active = Caffeine.newBuilder()
			.maximumSize(properties.cacheSize())
			.expireAfterAccess(properties.refreshAhead().activeFor())
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.build();
	}

	String accessToken(RepositoryName repository) {
		checkServed(repository);
		Activity activity = this.active.get(repository.key(), (key) -> new Activity(repository));
		Fresh cached = this.cache.getIfPresent(repository.key());
		if (cached != null && isFresh(cached.expiresAt())) {
			this.memoryHits.increment();
			return activity.served(cached.token(), cached.expiresAt());
		}
		if (cached != null && isRenewingAhead(cached.expiresAt())) {
			this.renewing.increment();
			return activity.served(cached.token(), cached.expiresAt());
		}
		if (activity.expiresAt == null) {
			// Not served lately: a herd of first requests waits for the one that reads
			// the database, and mints if need be, instead of each reading it.
			return this.locks.withLock(repository.key(), () -> load(repository));
		}
		return load(repository);
	}

	/** The stored token if it can be served, otherwise a renewed one. */
	private String load(RepositoryName repository) {
		Fresh cached = this.cache.getIfPresent(repository.key());
		if (cached != null && isFresh(cached.expiresAt())) {
			this.renewedMeanwhile.increment();
			return cached.token();
		}
		Optional<StoredToken> stored = this.tokens.findByRepo(repository.key())
			.filter((token) -> token.token() != null && token.expiresAt() != null);
		if (stored.isPresent() && isFresh(stored.get().expiresAt())) {
			this.hits.increment();
			return remember(repository, stored.get().token(), stored.get().expiresAt());
		}
		if (stored.isPresent() && isRenewingAhead(stored.get().expiresAt())) {
			this.renewing.increment();
			return remember(repository, stored.get().token(), stored.get().expiresAt());
		}
		return this.locks.withLock(repository.key(), () -> renew(repository, null, false));
	}

	/**
	 * The repositories asked for lately whose token has entered the renew window, soonest
	 * expiring first, at most {@code limit}.
	 */
	List<RepositoryName> dueForRefresh(int limit) {
		return this.active.asMap()
			.values()
			.stream()
			.filter((activity) -> activity.expiresAt != null && !isFresh(activity.expiresAt))
			.sorted(Comparator.comparing((Activity activity) -> activity.expiresAt))
			.limit(limit)
			.map((activity) -> activity.repository)
			.toList();
	}

	/**
	 * Renews a token in the background: under the repository's lock, like a request, so
	 * that requests and replicas still mint it once.
	 */
	void refresh(RepositoryName repository) {
		Activity activity = this.active.getIfPresent(repository.key());
		try {
			this.locks.withLock(repository.key(), () -> renew(repository, null, true));
		}
		catch (RuntimeException ex) {
			// Not retried every round: the next request for the repository asks again.
			log.warn("Could not renew {}'s token ahead of requests: {}", repository, ex.getMessage());
			if (activity != null) {
				activity.expiresAt = null;
			}
		}
	}

	private String remember(RepositoryName repository, String token, Instant expiresAt) {
		this.cache.put(repository.key(), new Fresh(token, expiresAt));
		Activity activity = this.active.getIfPresent(repository.key());
		if (activity != null) {
			activity.served(token, expiresAt);
		}
		return token;
	}

	/**
	 * A worker found {@code reported} invalid: if it is the token tokman holds, it is
	 * dropped and a new one minted; if tokman already holds a newer one, that is returned
	 * and nothing is minted. Either way, under the repository's lock, so a herd reporting
	 * the same token causes one mint.
	 */
	String invalidate(RepositoryName repository, String reported) {
		checkServed(repository);
		return this.locks.withLock(repository.key(), () -> renew(repository, reported, false));
	}

	private void checkServed(RepositoryName repository) {
		if (!this.namespaces.isEmpty() && !this.namespaces.contains(repository.namespace().toLowerCase(Locale.ROOT))) {
			throw new NamespaceNotServedException(repository.namespace());
		}
	}

	private static boolean same(String stored, String reported) {
		return stored != null && MessageDigest.isEqual(stored.getBytes(StandardCharsets.UTF_8),
				reported.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Renews the token, or returns the one another request or replica renewed while this
	 * one waited. In the {@code background}, a failure is thrown rather than the held
	 * token returned, and nothing is counted as served.
	 */
	private String renew(RepositoryName repository, String reportedInvalid, boolean background) {
		// The request that held the lock before this one has most likely just renewed
		// the token: a herd waiting on one renewal is answered from memory, not with a
		// database read each.
		Fresh renewed = this.cache.getIfPresent(repository.key());
		if (reportedInvalid == null && renewed != null && isFresh(renewed.expiresAt())) {
			if (!background) {
				this.renewedMeanwhile.increment();
			}
			return renewed.token();
		}
		if (!this.properties.databaseLock()) {
			StoredToken stored = this.tokens.findByRepo(repository.key())
				.orElseGet(() -> new StoredToken(repository.key()));
			return renew(repository, stored, reportedInvalid, background);
		}
		// Replicas sharing the database queue on the row's lock; the transaction, and
		// with
		// it the lock, ends with the connection if this replica dies.
		try {
			return this.transactions.execute((status) -> {
				this.tokens.insertIfAbsent(repository.key());
				return renew(repository, this.tokens.findForUpdate(repository.key()), reportedInvalid, background);
			});
		}
		catch (PessimisticLockingFailureException ex) {
			throw new RenewalTimeoutException(repository.key(), this.properties.lockTimeout());
		}
	}

	private String renew(RepositoryName repository, StoredToken stored, String reportedInvalid, boolean background) {
		if (reportedInvalid != null && same(stored.token(), reportedInvalid)) {
			// Compared under the lock, so only the first of a herd reporting this token
			// drops it.
			stored.renew(stored.token(), Instant.EPOCH);
			log.info("Dropped {}'s token, reported invalid", repository);
		}
		// Whoever held the lock before this thread may have renewed the token already.
		if (isFresh(stored)) {
			if (!background) {
				this.renewedMeanwhile.increment();
			}
			return remember(repository, stored.token(), stored.expiresAt());
		}
		InstallationToken minted;
		try {
			minted = this.gitHub.mintToken(repository, stored.installationId());
		}
		catch (GitHubException | GitHubUnavailableException | RateLimitedException ex) {
			// Inside the renew window the stored token still works; better than no token
			// at all.
			if (!background && stored.token() != null && stored.expiresAt() != null
					&& stored.expiresAt().isAfter(this.clock.instant())) {
				log.warn("Serving {}'s token, valid until {}, as renewing it failed: {}", repository,
						stored.expiresAt(), ex.getMessage());
				this.stale.increment();
				return stored.token();
			}
			throw ex;
		}
		stored.renew(minted);
		save(stored, minted);
		(background ? this.refreshed : this.mints).increment();
		log.info("Minted a token for {}, valid until {}", repository, minted.expiresAt());
		return remember(repository, minted.token(), minted.expiresAt());
	}

	private void save(StoredToken stored, InstallationToken minted) {
		if (this.properties.databaseLock()) {
			// Inside the renewal's transaction, which holds the row lock.
			this.tokens.save(stored);
			return;
		}
		// SQLite has one writer and makes the others wait by sleeping (its busy timeout),
		// holding their pooled connections meanwhile; queued here instead, each write is
		// short, and reads are not starved of connections during a burst of renewals.
		synchronized (this.writes) {
			this.tokens.upsert(stored.repo(), minted.token(), TIMESTAMPS.convertToDatabaseColumn(minted.expiresAt()),
					minted.installationId());
		}
	}

	private static Counter served(MeterRegistry registry, String source) {
		return Counter.builder("tokman.tokens.served")
			.description(
					"Tokens handed out: from memory, from the database, renewed by a concurrent request, minted, or stale after a failed renewal")
			.tag("source", source)
			.register(registry);
	}

	private boolean isFresh(StoredToken stored) {
		return stored.token() != null && stored.expiresAt() != null && isFresh(stored.expiresAt());
	}

	private boolean isFresh(Instant expiresAt) {
		return this.clock.instant().isBefore(expiresAt.minus(this.properties.renewAt()));
	}

	/**
	 * Whether a token in the renew window is still served as is, because refresh-ahead
	 * renews it within a round: during the first half of the window. In the second half,
	 * a request renews it itself, as without refresh-ahead.
	 */
	private boolean isRenewingAhead(Instant expiresAt) {
		return this.properties.refreshAhead().enabled()
				&& this.clock.instant().isBefore(expiresAt.minus(this.properties.renewAt().dividedBy(2)));
	}

	/** A repository asked for lately, and when the token it was last given expires. */
	private static final class Activity {

		private final RepositoryName repository;

		private volatile Instant expiresAt;

		Activity(RepositoryName repository) {
			this.repository = repository;
		}

		String served(String token, Instant expiresAt) {
			// Written only when it changes, so that a hot repository's readers do not
			// contend on it.
			if (!expiresAt.equals(this.expiresAt)) {
				this.expiresAt = expiresAt;
			}
			return token;
		}

	}

	/** A token known fresh, kept in memory so that most requests read no database. */
	private record Fresh(String token, Instant expiresAt) {

		@Override
		public String toString() {
			return "Fresh[token=<redacted>, expiresAt=" + this.expiresAt + "]";
		}

	}

}
