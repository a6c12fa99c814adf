package io.tokman.token;

import java.time.Duration;
import java.util.Optional;

import io.tokman.access.BudgetSpentException;
import io.tokman.access.Client;
import io.tokman.access.GitHubBudget;
import io.tokman.github.GitHubApps;
import io.tokman.github.GitHubException;
import io.tokman.github.GitHubFailingException;
import io.tokman.github.InstallationToken;
import io.tokman.github.TokenScope;
import io.tokman.token.Handout.Outcome;
import io.tokman.token.HeldTokens.Held;
import io.tokman.token.RenewalRule.Freshness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;

/**
 * Hands out a scope's token (a repository's, by default) while it is fresh and lasts as
 * long as the caller needs, and renews it exactly once when it does not: look in memory,
 * take the scope's lock, look again (memory, then the database), mint, store. Every mint
 * is charged to the client it is made for, in the background too.
 */
@Service
final class TokenService {

	private static final Logger log = LoggerFactory.getLogger(TokenService.class);

	private final TokenStore store;

	private final GitHubApps gitHub;

	private final HeldTokens held;

	private final RecentlyAsked recentlyAsked;

	private final RepositoryLocks locks;

	private final RenewalRule rule;

	private final GitHubBudget budget;

	private final DatabaseWatch database;

	private final TokenMeters meters;

	TokenService(TokenStore store, GitHubApps gitHub, HeldTokens held, RecentlyAsked recentlyAsked,
			RepositoryLocks locks, RenewalRule rule, GitHubBudget budget, DatabaseWatch database, TokenMeters meters) {
		this.store = store;
		this.gitHub = gitHub;
		this.held = held;
		this.recentlyAsked = recentlyAsked;
		this.locks = locks;
		this.rule = rule;
		this.budget = budget;
		this.database = database;
		this.meters = meters;
	}

	/** A request: the token valid now for at least {@code minTtl}. */
	Handout serve(TokenScope scope, Duration minTtl, Client client) {
		this.recentlyAsked.ask(scope, client);
		// 1. Memory: a token read lately is served as it is.
		Held held = this.held.get(scope);
		Freshness freshness = (held != null) ? this.rule.of(held.expiresAt(), minTtl) : Freshness.EXPIRED;
		if (freshness.servable() && this.held.recent(held)) {
			return fromMemory(scope, held, freshness);
		}
		if (freshness.servable()) {
			// Read long ago: one request reads it again, the others get it meanwhile.
			Optional<Handout> reread = this.locks.ifFree(scope, () -> underLock(scope, minTtl, client));
			return reread.orElseGet(() -> fromMemory(scope, held, freshness));
		}
		// 2. The lock: a herd waits for the one that reads, and mints, holding no slot.
		return RequestSlots.waiting(() -> this.locks.withLock(scope, () -> underLock(scope, minTtl, client)));
	}

	/**
	 * A report: a worker found {@code reported} invalid. If it is the token held, a new
	 * one is minted, once for a herd; if a newer one is held, that one is returned.
	 */
	Handout invalidate(TokenScope scope, String reported, Client client) {
		return RequestSlots.waiting(() -> this.locks.withLock(scope, () -> this.store.renewing(scope, (stored) -> {
			if (!HeldTokens.same(stored.token(), reported)) {
				return keepOrMint(scope, stored, Caller.REQUEST, Duration.ZERO, client);
			}
			this.held.checkOldEnough(scope, reported);
			return mint(scope, stored, Caller.REPORT, Duration.ZERO, client);
		})));
	}

	/**
	 * Refresh-ahead: renews the token in the background, under the same locks as a
	 * request, charged to the client that last asked for it; not while that client's
	 * budget or the cap on background renewals is spent.
	 */
	void refresh(TokenScope scope, Client client) {
		try {
			this.locks.withLock(scope, () -> {
				Held held = this.held.get(scope);
				if (freshInMemory(held, Duration.ZERO)) {
					return held.handout();
				}
				return this.store.renewing(scope,
						(stored) -> keepOrMint(scope, stored, Caller.BACKGROUND, Duration.ZERO, client));
			});
		}
		catch (BudgetSpentException ex) {
			log.info("Not renewing the token for {} ahead of requests: {}", scope, ex.getMessage());
			this.recentlyAsked.failed(scope);
		}
		catch (GitHubFailingException ex) {
			// Said once, when GitHub started failing; the mint that failed backs off.
			log.debug("Not renewing the token for {} ahead of requests: {}", scope, ex.getMessage());
		}
		catch (RuntimeException ex) {
			log.warn("Could not renew the token for {} ahead of requests: {}", scope, ex.getMessage());
			if (!(ex instanceof GitHubException)) {
				// The back-off counts where a mint failed, and GitHub's failures failed
				// it.
				this.recentlyAsked.failed(scope);
			}
		}
	}

	/** A request holding the scope's lock: memory again, the database, then a mint. */
	private Handout underLock(TokenScope scope, Duration minTtl, Client client) {
		// 3. Check again: another request may have read or renewed it meanwhile.
		Held held = this.held.get(scope);
		if (freshInMemory(held, minTtl)) {
			this.meters.renewedMeanwhile.increment();
			return held.handout();
		}
		StoredToken stored;
		try {
			stored = this.database.read(() -> this.store.find(scope).orElse(null));
		}
		catch (DataAccessException ex) {
			if (held == null || !this.rule.standsIn(held.expiresAt(), minTtl)) {
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
		if (freshness.servable()) {
			((freshness == Freshness.FRESH) ? this.meters.stored : this.meters.renewing).increment();
			return remember(scope, Handout.of(stored, Outcome.SERVED));
		}
		// 4. and 5. On the row, which no other process renews meanwhile: mint, store.
		return this.store.renewing(scope, (row) -> keepOrMint(scope, row, Caller.REQUEST, minTtl, client));
	}

	/** The row's token if another process renewed it meanwhile, else a new one. */
	private Handout keepOrMint(TokenScope scope, StoredToken stored, Caller caller, Duration minTtl, Client client) {
		if (this.rule.of(stored, minTtl) == Freshness.FRESH) {
			if (caller != Caller.BACKGROUND) {
				this.meters.renewedMeanwhile.increment();
			}
			return remember(scope, Handout.of(stored, Outcome.SERVED));
		}
		return mint(scope, stored, caller, minTtl, client);
	}

	private Handout mint(TokenScope scope, StoredToken stored, Caller caller, Duration minTtl, Client client) {
		if (caller == Caller.REQUEST && this.rule.standsIn(stored, minTtl)
				&& !this.recentlyAsked.backingOff(scope).isZero()) {
			// GitHub failed to renew it lately: not asked again before the back-off ends.
			this.meters.stale.increment();
			return Handout.of(stored, Outcome.STALE);
		}
		if (caller == Caller.BACKGROUND) {
			this.budget.spendInBackground(client, scope.app());
		}
		else {
			this.budget.spend(client, scope.app());
		}
		InstallationToken minted;
		try {
			minted = this.gitHub.mintToken(scope, stored.installationId());
		}
		catch (GitHubException ex) {
			if (!ex.isDefinitive()) {
				this.recentlyAsked.failed(scope);
			}
			// Not when GitHub says no (gone, moved), nor with a token shorter than
			// minTtl.
			if (caller == Caller.REQUEST && !ex.isDefinitive() && this.rule.standsIn(stored, minTtl)) {
				// Still valid: better than none. GitHub failing everywhere was said once.
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
		this.held.minted(scope, handout);
		this.recentlyAsked.served(scope, handout.expiresAt());
		return handout;
	}

	private Handout fromMemory(TokenScope scope, Held held, Freshness freshness) {
		((freshness == Freshness.FRESH) ? this.meters.memory : this.meters.renewing).increment();
		this.recentlyAsked.served(scope, held.expiresAt());
		return held.handout();
	}

	/** Whether the token held was read lately and needs no renewal: served as it is. */
	private boolean freshInMemory(Held held, Duration minTtl) {
		return held != null && this.held.recent(held) && this.rule.of(held.expiresAt(), minTtl) == Freshness.FRESH;
	}

	private Handout remember(TokenScope scope, Handout handout) {
		this.held.read(scope, handout);
		this.recentlyAsked.served(scope, handout.expiresAt());
		return handout;
	}

	/**
	 * Who renews: a request (a failed renewal serves the held token while it is valid), a
	 * report of an invalid token (which never stands in), or refresh-ahead (nobody is
	 * served, and a failure is its own to log).
	 */
	private enum Caller {

		REQUEST, REPORT, BACKGROUND

	}

}
