package io.tokman.token;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tokman.github.RepositoryName;

import org.springframework.stereotype.Component;

/**
 * The repositories asked for lately, with the expiry of the token each was last given:
 * what refresh-ahead renews. Bounded by the cache size, forgotten {@code active-for}
 * after the last request.
 */
@Component
final class RecentlyAsked {

	private final Cache<String, Activity> active;

	RecentlyAsked(TokenProperties properties, Clock clock) {
		this.active = Caffeine.newBuilder()
			.maximumSize(properties.cacheSize())
			.expireAfterAccess(properties.refreshAhead().activeFor())
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.build();
	}

	/**
	 * Records a request for the repository; whether its token was served lately, which
	 * tells a first request of a herd from the others.
	 */
	boolean ask(RepositoryName repository) {
		return this.active.get(repository.key(), (key) -> new Activity(repository)).expiresAt != null;
	}

	/** The repository, if asked for lately, was served a token expiring then. */
	void served(RepositoryName repository, Instant expiresAt) {
		Activity activity = this.active.getIfPresent(repository.key());
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
	void failed(RepositoryName repository) {
		Activity activity = this.active.getIfPresent(repository.key());
		if (activity != null) {
			activity.expiresAt = null;
		}
	}

	/** Those whose token is due, soonest expiring first, at most {@code limit}. */
	List<RepositoryName> due(Predicate<Instant> due, int limit) {
		return this.active.asMap()
			.values()
			.stream()
			.filter((activity) -> activity.expiresAt != null && due.test(activity.expiresAt))
			.sorted(Comparator.comparing((Activity activity) -> activity.expiresAt))
			.limit(limit)
			.map((activity) -> activity.repository)
			.toList();
	}

	private static final class Activity {

		private final RepositoryName repository;

		private volatile Instant expiresAt;

		Activity(RepositoryName repository) {
			this.repository = repository;
		}

	}

}
