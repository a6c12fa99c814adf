package io.tokman.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.tokman.access.BudgetSpentException;
import io.tokman.access.Client;
import io.tokman.access.GitHubBudget;
import io.tokman.github.GitHubException;
import io.tokman.github.GitHubFailingException;
import io.tokman.github.InstallationToken;
import io.tokman.github.TokenScope;
import io.tokman.token.Handout.Outcome;
import io.tokman.token.RenewalRule.Freshness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;

/**
 * Hands out a scope's token (a repository's, by default) while it is fresh and lasts as
 * long as the caller needs, and renews it exactly once when it does not: look in memory,
 * take the scope's lock, look again, mint, store.
 */
@Service
final class TokenService {

	private static final Logger log = LoggerFactory.getLogger(TokenService.class);

	private final TokenStore store;

	private final TokenMinter gitHub;

	private final RenewalRule rule;

	private final RepositoryLocks locks;

	private final RecentlyAsked recentlyAsked;

	private final TokenMeters meters;

	private final RecentMints recentMints;

	private final GitHubBudget budget;

	private final DatabaseWatch database;

	/**
	 * The last token known for each scope, until it expires: served as it is for
	 * cache-ttl after it was read, so that most requests read no database and a replica
	 * notices within that time a token another replica replaced; after that, what stands
	 * in while the database cannot be read.
	 */
	private final Cache<String, Held> memory;

	private final Duration cacheTtl;

	/**
	 * Scopes whose token held is being read again past cache-ttl: one request reads it,
	 * the others are served the token held meanwhile.
	 */
	private final Set<String> rereading = ConcurrentHashMap.newKeySet();

	TokenService(TokenStore store, TokenMinter gitHub, RenewalRule rule, RepositoryLocks locks,
			RecentlyAsked recentlyAsked, TokenMeters meters, RecentMints recentMints, GitHubBudget budget,
			DatabaseWatch database, TokenProperties properties) {
		this.store = store;
		this.database = database;
		this.cacheTtl = properties.cacheTtl();
		this.gitHub = gitHub;
		this.rule = rule;
		this.locks = locks;
		this.recentlyAsked = recentlyAsked;
		this.meters = meters;
		this.recentMints = recentMints;
		this.budget = budget;
		this.memory = Caffeine.newBuilder()
			.maximumSize(properties.cacheSize())
			.expireAfter(Expiry.writing((String key, Held held) -> untilExpiry(held)))
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(rule.clock().millis()))
			.build();
	}

	/**
	 * The token to use now for the scope, valid for at least {@code minTtl}; a mint is
	 * charged to the client.
	 */
	Handout serve(TokenScope scope, Duration minTtl, Client client) {
		boolean servedLately = this.recentlyAsked.ask(scope, client);
		Held held = this.memory.getIfPresent(scope.key());
		Freshness freshness = (held != null) ? this.rule.of(held.expiresAt(), minTtl) : Freshness.EXPIRED;
		if (freshness == Freshness.FRESH || freshness == Freshness.RENEW_AHEAD) {
			if (recent(held) || !this.rereading.add(scope.key())) {
				// Read lately, or being read again by another request meanwhile.
				((freshness == Freshness.FRESH) ? this.meters.memory : this.meters.renewing).increment();
				this.recentlyAsked.served(scope, held.expiresAt());
				return held.handout();
			}
			try {
				return read(scope, minTtl, client, servedLately);
			}
			finally {
				this.rereading.remove(scope.key());
			}
		}
		return read(scope, minTtl, client, servedLately);
	}

	/** The token as the database has it, renewed if need be. */
	private Handout read(TokenScope scope, Duration minTtl, Client client, boolean servedLately) {
		if (!servedLately) {
			// A herd of first requests waits for the one that reads the database, and
			// mints if need be, instead of each reading it.
			return this.locks.withLock(scope, () -> load(scope, minTtl, client));
		}
		return load(scope, minTtl, client);
	}

	/**
	 * A worker found {@code reported} invalid: if it is the token held, a new one is
	 * minted; if a newer one is held, that one is returned and nothing minted. Compared
	 * under the locks, so a herd reporting the same token causes one mint.
	 */
	Handout invalidate(TokenScope scope, String reported, Client client) {
		return this.locks.withLock(scope, () -> this.store.renewing(scope, (stored) -> {
			if (!same(stored.token(), reported)) {
				return keepOrMint(scope, stored, Caller.REQUEST, Duration.ZERO, client);
			}
			this.recentMints.checkOldEnough(reported);
			return mint(scope, stored, Caller.REPORT, Duration.ZERO, client);
		}));
	}

	/**
	 * Renews the token in the background, under the same locks as a request, charged to
	 * the client that last asked for it; not while that client's budget or the cap on
	 * background renewals is spent.
	 */
	void refresh(TokenScope scope, Client client) {
		try {
			this.locks.withLock(scope, () -> renew(scope, Caller.BACKGROUND, Duration.ZERO, client));
		}
		catch (BudgetSpentException ex) {
			log.info("Not renewing the token for {} ahead of requests: {}", scope, ex.getMessage());
			this.recentlyAsked.failed(scope);
		}
		catch (GitHubFailingException ex) {
			// Said once, when GitHub started failing; the back-off counts where the mint
			// failed.
			log.debug("Not renewing the token for {} ahead of requests: {}", scope, ex.getMessage());
		}
		catch (GitHubException ex) {
			log.warn("Could not renew the token for {} ahead of requests: {}", scope, ex.getMessage());
		}
		catch (RuntimeException ex) {
			log.warn("Could not renew the token for {} ahead of requests: {}", scope, ex.getMessage());
			this.recentlyAsked.failed(scope);
		}
	}

	/** The stored token if it can be served, otherwise a renewed one. */
	private Handout load(TokenScope scope, Duration minTtl, Client client) {
		Held held = this.memory.getIfPresent(scope.key());
		if (fresh(held, minTtl)) {
			this.meters.renewedMeanwhile.increment();
			return held.handout();
		}
		StoredToken stored;
		try {
			stored = this.database.read(() -> this.store.find(scope).orElse(null));
		}
		catch (DataAccessException ex) {
			if (held == null || !servesStale(held.expiresAt(), minTtl)) {
				throw ex;
			}
			// A database that does not answer was said once, when it stopped.
			if (!(ex instanceof DatabaseUnavailableException)) {
				log.warn("Serving the token for {} from memory, valid until {}, as the database cannot be read: {}",
						scope, held.expiresAt(), ex.getMostSpecificCause().getMessage());
			}
			this.meters.stale.increment();
			return held.handout();
		}
		Freshness freshness = (stored != null) ? this.rule.of(stored, minTtl) : Freshness.EXPIRED;
		if (freshness == Freshness.FRESH || freshness == Freshness.RENEW_AHEAD) {
			((freshness == Freshness.FRESH) ? this.meters.stored : this.meters.renewing).increment();
			return remember(scope, Handout.of(stored, Outcome.SERVED));
		}
		return this.locks.withLock(scope, () -> renew(scope, Caller.REQUEST, minTtl, client));
	}

	/** Renews the token, unless another request or replica did while this one waited. */
	private Handout renew(TokenScope scope, Caller caller, Duration minTtl, Client client) {
		Held held = this.memory.getIfPresent(scope.key());
		if (fresh(held, minTtl)) {
			caller.countMeanwhile(this.meters);
			return held.handout();
		}
		return this.store.renewing(scope, (stored) -> keepOrMint(scope, stored, caller, minTtl, client));
	}

	private Handout keepOrMint(TokenScope scope, StoredToken stored, Caller caller, Duration minTtl, Client client) {
		if (this.rule.of(stored, minTtl) == Freshness.FRESH) {
			caller.countMeanwhile(this.meters);
			return remember(scope, Handout.of(stored, Outcome.SERVED));
		}
		return mint(scope, stored, caller, minTtl, client);
	}

	private Handout mint(TokenScope scope, StoredToken stored, Caller caller, Duration minTtl, Client client) {
		if (caller == Caller.REQUEST && servesStale(stored, minTtl) && !this.recentlyAsked.backingOff(scope).isZero()) {
			// GitHub failed to renew it lately: not asked again before the back-off ends.
			this.meters.stale.increment();
			return Handout.of(stored, Outcome.STALE);
		}
		if (caller == Caller.BACKGROUND) {
			this.budget.spendInBackground(client);
		}
		else {
			this.budget.spend(client);
		}
		InstallationToken minted;
		try {
			minted = this.gitHub.mint(scope, stored.installationId());
		}
		catch (GitHubException ex) {
			if (!ex.isDefinitive()) {
				this.recentlyAsked.failed(scope);
			}
			// Not when GitHub says the repository is gone or elsewhere: then the answer
			// is no, not "try again". Nor when the held token does not last as long as
			// the caller needs.
			if (caller == Caller.REQUEST && !ex.isDefinitive() && servesStale(stored, minTtl)) {
				// Inside the renew window the stored token still works: better than none.
				// GitHub failing everywhere was said once, when it began.
				if (!(ex instanceof GitHubFailingException)) {
					log.warn("Serving the token for {}, valid until {}, as renewing it failed: {}", scope,
							stored.expiresAt(), ex.getMessage());
				}
				this.meters.stale.increment();
				return Handout.of(stored, Outcome.STALE);
			}
			throw ex;
		}
		Outcome outcome = (caller == Caller.REPORT) ? Outcome.INVALIDATED
				: (stored.token() == null) ? Outcome.MINTED : Outcome.RENEWED;
		this.recentlyAsked.renewed(scope);
		stored.renew(minted);
		this.store.save(stored);
		((caller == Caller.BACKGROUND) ? this.meters.refreshed : this.meters.minted).increment();
		log.info("Minted a token for {}, valid until {}", scope, minted.expiresAt());
		Handout handout = Handout.of(minted, outcome);
		this.recentMints.minted(handout);
		return remember(scope, handout);
	}

	/** Whether the token held may stand in when no new one can be had. */
	private boolean servesStale(StoredToken stored, Duration minTtl) {
		return this.rule.of(stored) != Freshness.EXPIRED && this.rule.lasts(stored.expiresAt(), minTtl);
	}

	private boolean servesStale(Instant expiresAt, Duration minTtl) {
		return this.rule.of(expiresAt) != Freshness.EXPIRED && this.rule.lasts(expiresAt, minTtl);
	}

	/**
	 * Whether the token held was read lately enough to be served without the database.
	 */
	private boolean recent(Held held) {
		return held != null && this.rule.clock().instant().isBefore(held.readAt().plus(this.cacheTtl));
	}

	private boolean fresh(Held held, Duration minTtl) {
		return recent(held) && this.rule.of(held.expiresAt(), minTtl) == Freshness.FRESH;
	}

	private Duration untilExpiry(Held held) {
		Duration left = Duration.between(this.rule.clock().instant(), held.expiresAt());
		return left.isNegative() ? Duration.ZERO : left;
	}

	private Handout remember(TokenScope scope, Handout handout) {
		this.memory.put(scope.key(), new Held(handout, this.rule.clock().instant()));
		this.recentlyAsked.served(scope, handout.expiresAt());
		return handout;
	}

	private static boolean same(String stored, String reported) {
		return stored != null && MessageDigest.isEqual(stored.getBytes(StandardCharsets.UTF_8),
				reported.getBytes(StandardCharsets.UTF_8));
	}

	/** Who renews: what counts as served, and whether a stale token may stand in. */
	private enum Caller {

		/** A request for the token; a failed renewal serves the held one while valid. */
		REQUEST,

		/** A report that the held token is invalid: it never stands in. */
		REPORT,

		/** Refresh-ahead: nobody is served, a failure is its own to log. */
		BACKGROUND;

		void countMeanwhile(TokenMeters meters) {
			if (this != BACKGROUND) {
				meters.renewedMeanwhile.increment();
			}
		}

	}

	/**
	 * A token kept in memory with its fingerprint, served as it is, and when it was read
	 * or minted.
	 */
	private record Held(Handout handout, Instant readAt) {

		Held(Handout handout, Instant readAt) {
			this.handout = handout.as(Outcome.SERVED);
			this.readAt = readAt;
		}

		Instant expiresAt() {
			return this.handout.expiresAt();
		}

	}

}
