package io.tokman.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.stereotype.Component;

/**
 * Tokens minted within {@code invalidate-min-age}, by fingerprint. GitHub takes a few
 * seconds to accept a new token everywhere; a worker that reports one as invalid in that
 * time is told to retry, instead of making tokman mint yet another new token.
 */
@Component
final class RecentMints {

	private final Cache<String, Instant> minted;

	private final Clock clock;

	private final Duration minAge;

	RecentMints(TokenProperties properties, Clock clock) {
		this.clock = clock;
		this.minAge = properties.invalidateMinAge();
		this.minted = Caffeine.newBuilder()
			.maximumSize(properties.cacheSize())
			.expireAfterWrite(this.minAge)
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.build();
	}

	void minted(Handout handout) {
		if (!this.minAge.isZero()) {
			this.minted.put(handout.fingerprint(), this.clock.instant());
		}
	}

	/** Throws if the token was minted too recently to be replaced. */
	void checkOldEnough(String token) {
		Instant mintedAt = this.minted.getIfPresent(Handout.fingerprint(token));
		if (mintedAt != null) {
			Duration left = Duration.between(this.clock.instant(), mintedAt.plus(this.minAge));
			if (!left.isNegative() && !left.isZero()) {
				throw new TokenTooNewException(left);
			}
		}
	}

}
