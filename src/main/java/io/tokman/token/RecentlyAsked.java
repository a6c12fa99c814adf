package io.tokman.token;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tokman.access.Client;
import io.tokman.github.TokenScope;

import org.springframework.stereotype.Component;

/**
 * The tokens (repositories, or scopes) asked for lately, with the expiry of the token
 * each was last given and the client that last asked: what refresh-ahead renews, and for
 * whom. Bounded by the cache size, forgotten {@code active-for} after the last request.
 */
@Component
final class RecentlyAsked {

	private final Cache<String, Activity> active;

	private final Clock clock;

	private final long activeForMillis;

	RecentlyAsked(TokenProperties properties, Clock clock) {
		this.clock = clock;
		this.activeForMillis = properties.refreshAhead().activeFor().toMillis();
		this.active = Caffeine.newBuilder()
			.maximumSize(properties.cacheSize())
			.expireAfterAccess(properties.refreshAhead().activeFor())
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.build();
	}

	/**
	 * Records the client's request for the repository; whether its token was served
	 * lately, which tells a first request of a herd from the others.
	 */
	boolean ask(TokenScope repository, Client client) {
		Activity activity = this.active.get(repository.key(), (key) -> new Activity(repository));
		if (activity.client != client) {
			activity.client = client;
		}
		long now = this.clock.millis();
		// Written at most once a second, so that a hot repository's readers do not
		// contend on it.
		if (now - activity.askedAt >= 1000) {
			activity.askedAt = now;
		}
		return activity.expiresAt != null;
	}

	/** The repository, if asked for lately, was served a token expiring then. */
	void served(TokenScope repository, Instant expiresAt) {
		// Read quietly: serving a token, the background's included, is not a request,
		// and must not keep the repository followed.
		Activity activity = this.active.policy().getIfPresentQuietly(repository.key());
		// Written only when it changes, so that a hot repository's readers do not
		// contend on it.
		if (activity != null && !expiresAt.equals(activity.expiresAt)) {
			activity.expiresAt = expiresAt;
		}
	}

	/**
	 * Its background renewal failed: not retried every round, the next request asks
	 * again.
	 */
	void failed(TokenScope repository) {
		Activity activity = this.active.policy().getIfPresentQuietly(repository.key());
		if (activity != null) {
			activity.expiresAt = null;
		}
	}

	/**
	 * Those asked for within {@code active-for} whose token is due, soonest expiring
	 * first, at most {@code limit}. Judged by the time of the last request, not by the
	 * cache's own expiry, so that nothing the background does keeps a repository
	 * followed.
	 */
	List<Due> due(Predicate<Instant> due, int limit) {
		long since = this.clock.millis() - this.activeForMillis;
		return this.active.asMap()
			.values()
			.stream()
			.filter((activity) -> activity.askedAt > since && activity.expiresAt != null
					&& due.test(activity.expiresAt))
			.sorted(Comparator.comparing((Activity activity) -> activity.expiresAt))
			.limit(limit)
			.map((activity) -> new Due(activity.repository, activity.client))
			.toList();
	}

	/** A token to renew, and the client its renewal is charged to. */
	record Due(TokenScope scope, Client client) {

	}

	private static final class Activity {

		private final TokenScope repository;

		private volatile Instant expiresAt;

		private volatile long askedAt;

		private volatile Client client;

		Activity(TokenScope repository) {
			this.repository = repository;
		}

	}

}
