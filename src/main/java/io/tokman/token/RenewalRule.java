package io.tokman.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * When a token is served as it is and when it is renewed, on the injected clock: fresh
 * until {@code renewAt} before its expiry; then, with refresh-ahead, served while the
 * background renews it during the first half of that window; then renewed by the request
 * that finds it; expired at its expiry.
 *
 * @param clock the time
 * @param renewAt how long before its expiry a token is renewed
 * @param refreshAhead whether the background renews tokens in the first half of the
 * window
 */
record RenewalRule(Clock clock, Duration renewAt, boolean refreshAhead) {

	Freshness of(Instant expiresAt) {
		Instant now = this.clock.instant();
		if (now.isBefore(expiresAt.minus(this.renewAt))) {
			return Freshness.FRESH;
		}
		if (this.refreshAhead && now.isBefore(expiresAt.minus(this.renewAt.dividedBy(2)))) {
			return Freshness.RENEW_AHEAD;
		}
		return now.isBefore(expiresAt) ? Freshness.RENEW : Freshness.EXPIRED;
	}

	/**
	 * The same for a caller that needs the token for at least {@code minTtl} more: one
	 * that expires sooner is to be renewed now.
	 */
	Freshness of(Instant expiresAt, Duration minTtl) {
		if (!lasts(expiresAt, minTtl)) {
			return this.clock.instant().isBefore(expiresAt) ? Freshness.RENEW : Freshness.EXPIRED;
		}
		return of(expiresAt);
	}

	/**
	 * Whether a token expiring then is valid for at least {@code minTtl} more; any valid
	 * one when it is zero.
	 */
	boolean lasts(Instant expiresAt, Duration minTtl) {
		return minTtl.isZero() || !expiresAt.isBefore(this.clock.instant().plus(minTtl));
	}

	/**
	 * Whether a token held, expiring then, may stand in when no new one can be had: while
	 * it is valid, and for as long as the caller needs.
	 */
	boolean standsIn(Instant expiresAt, Duration minTtl) {
		return of(expiresAt) != Freshness.EXPIRED && lasts(expiresAt, minTtl);
	}

	boolean standsIn(StoredToken stored, Duration minTtl) {
		return of(stored) != Freshness.EXPIRED && lasts(stored.expiresAt(), minTtl);
	}

	/** A row without a token counts as expired. */
	Freshness of(StoredToken stored) {
		return of(stored, Duration.ZERO);
	}

	Freshness of(StoredToken stored, Duration minTtl) {
		return (stored.token() != null && stored.expiresAt() != null) ? of(stored.expiresAt(), minTtl)
				: Freshness.EXPIRED;
	}

	enum Freshness {

		/** Served as it is. */
		FRESH,

		/** Served as it is while the background renews it. */
		RENEW_AHEAD,

		/** Renewed now by the request that finds it; still valid if renewing fails. */
		RENEW,

		/** No longer valid. */
		EXPIRED;

		/** Served as it is: fresh, or renewed by the background meanwhile. */
		boolean servable() {
			return this == FRESH || this == RENEW_AHEAD;
		}

	}

}
