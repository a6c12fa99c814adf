package io.tokman.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.core.IntervalFunction;
import io.tokman.access.Client;
import io.tokman.github.TokenScope;

import org.springframework.stereotype.Component;

/**
 * The tokens (repositories, or scopes) asked for lately, with the expiry of the token
 * each was last given, the client that last asked, and how long GitHub is left alone
 * after a failed renewal: what refresh-ahead renews, for whom, and when. Bounded by the
 * cache size, forgotten {@code active-for} after the last request.
 */
@Component
final class RecentlyAsked {

	private final Cache<TokenScope, Activity> active;

	private final Clock clock;

	private final long activeForMillis;

	/**
	 * 10 s after a first failed renewal, doubling to a minute, each wait spread by a
	 * fifth so that replicas do not call together.
	 */
	private final IntervalFunction backOff = IntervalFunction.ofExponentialRandomBackoff(Duration.ofSeconds(10), 2, 0.2,
			Duration.ofMinutes(1));

	RecentlyAsked(TokenProperties properties, Clock clock) {
		this.clock = clock;
		this.activeForMillis = properties.refreshAhead().activeFor().toMillis();
		this.active = Caffeine.newBuilder()
			.maximumSize(properties.cacheSize())
			.expireAfterAccess(properties.refreshAhead().activeFor())
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.build();
	}

	/** Records the client's request for the repository. */
	void ask(TokenScope repository, Client client) {
		Activity activity = this.active.get(repository, Activity::new);
		if (activity.client != client) {
			activity.client = client;
		}
		long now = this.clock.millis();
		// Written at most once a second, so that a hot repository's readers do not
		// contend on it.
		if (now - activity.askedAt >= 1000) {
			activity.askedAt = now;
		}
	}

	/** The repository, if asked for lately, was served a token expiring then. */
	void served(TokenScope repository, Instant expiresAt) {
		// Read quietly: serving a token, the background's included, is not a request,
		// and must not keep the repository followed.
		Activity activity = this.active.policy().getIfPresentQuietly(repository);
		// Written only when it changes, so that a hot repository's readers do not
		// contend on it.
		if (activity != null && !expiresAt.equals(activity.expiresAt)) {
			activity.expiresAt = expiresAt;
		}
	}

	/**
	 * Renewing its token failed: GitHub is not asked for it again, by the background or
	 * by a request that has a valid token to serve, until a back-off that grows with each
	 * failure has passed; at most until 10 s before the token served expires, and at
	 * least 5 s. Serving a token does not end the back-off; a new token does.
	 */
	void failed(TokenScope repository) {
		Activity activity = this.active.policy().getIfPresentQuietly(repository);
		if (activity != null) {
			activity.failures++;
			long now = this.clock.millis();
			long retryAt = now + this.backOff.apply(Math.min(activity.failures, 10));
			Instant expiresAt = activity.expiresAt;
			if (expiresAt != null) {
				retryAt = Math.min(retryAt, expiresAt.toEpochMilli() - 10_000);
			}
			activity.retryAt = Math.max(retryAt, now + 5_000);
		}
	}

	/** Its token was renewed: any back-off is over. */
	void renewed(TokenScope repository) {
		Activity activity = this.active.policy().getIfPresentQuietly(repository);
		if (activity != null && activity.failures != 0) {
			activity.failures = 0;
			activity.retryAt = 0;
		}
	}

	/** How long GitHub is still left alone for the repository; zero if it is not. */
	Duration backingOff(TokenScope repository) {
		Activity activity = this.active.policy().getIfPresentQuietly(repository);
		long left = (activity != null) ? activity.retryAt - this.clock.millis() : 0;
		return (left > 0) ? Duration.ofMillis(left) : Duration.ZERO;
	}

	/** How many repositories are backing off now. */
	long backingOff() {
		long now = this.clock.millis();
		return this.active.asMap().values().stream().filter((activity) -> activity.retryAt > now).count();
	}

	/**
	 * Those asked for within {@code active-for} whose token is due and not backing off,
	 * soonest expiring first, at most {@code limit}. Judged by the time of the last
	 * request, not by the cache's own expiry, so that nothing the background does keeps a
	 * repository followed.
	 */
	List<Due> due(Predicate<Instant> due, int limit) {
		long now = this.clock.millis();
		long since = now - this.activeForMillis;
		return this.active.asMap()
			.values()
			.stream()
			.filter((activity) -> activity.askedAt > since && activity.expiresAt != null && activity.retryAt <= now
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

		/** Failed renewals since the last new token. */
		private volatile int failures;

		/** Until when GitHub is left alone for it, in the clock's milliseconds. */
		private volatile long retryAt;

		Activity(TokenScope repository) {
			this.repository = repository;
		}

	}

}
