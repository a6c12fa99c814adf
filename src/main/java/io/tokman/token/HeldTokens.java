package io.tokman.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.tokman.github.TokenScope;
import io.tokman.token.Handout.Outcome;

import org.springframework.stereotype.Component;

/**
 * The token this process holds for each scope, until it expires: served as it is for
 * {@code cache-ttl} after it was read, so that most requests read no database and a
 * replica notices within that time a token another replica replaced; after that, what
 * stands in while the database cannot be read. A token minted here is remembered as such
 * for {@code invalidate-min-age}: GitHub takes a few seconds to accept a new token
 * everywhere, and a worker reporting it invalid in that time is told to retry instead of
 * making tokman mint yet another.
 */
@Component
final class HeldTokens {

	private final Cache<TokenScope, Held> memory;

	private final Clock clock;

	private final Duration cacheTtl;

	private final Duration invalidateMinAge;

	HeldTokens(TokenProperties properties, Clock clock) {
		this.clock = clock;
		this.cacheTtl = properties.cacheTtl();
		this.invalidateMinAge = properties.invalidateMinAge();
		this.memory = Caffeine.newBuilder()
			.maximumSize(properties.cacheSize())
			.expireAfter(Expiry.writing((TokenScope scope, Held held) -> untilExpiry(held)))
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.build();
	}

	/** The token held for the scope; null if none is. */
	Held get(TokenScope scope) {
		return this.memory.getIfPresent(scope);
	}

	/**
	 * Whether the token held was read lately enough to be served without the database.
	 */
	boolean recent(Held held) {
		return this.clock.instant().isBefore(held.readAt().plus(this.cacheTtl));
	}

	/** Holds a token read from the database, or renewed by another request, as of now. */
	void read(TokenScope scope, Handout handout) {
		Instant now = this.clock.instant();
		this.memory.asMap()
			.compute(scope, (key, old) -> new Held(handout, now,
					(old != null && old.handout().token().equals(handout.token())) ? old.mintedAt() : null));
	}

	/** Holds a token this process has just minted. */
	void minted(TokenScope scope, Handout handout) {
		Instant now = this.clock.instant();
		this.memory.put(scope, new Held(handout, now, now));
	}

	/** Forgets the tokens held for the scopes that match: they were dropped. */
	void drop(Predicate<TokenScope> scopes) {
		this.memory.asMap().keySet().removeIf(scopes);
	}

	/**
	 * Throws {@link TokenTooNewException} if the token reported is the one this process
	 * minted for the scope within {@code invalidate-min-age}.
	 */
	void checkOldEnough(TokenScope scope, String reported) {
		Held held = get(scope);
		if (held == null || held.mintedAt() == null || !same(held.handout().token(), reported)) {
			return;
		}
		Duration left = Duration.between(this.clock.instant(), held.mintedAt().plus(this.invalidateMinAge));
		if (!left.isNegative() && !left.isZero()) {
			throw new TokenTooNewException(left);
		}
	}

	/** Compares tokens in constant time: a reported token is a caller's secret. */
	static boolean same(String held, String reported) {
		return held != null && MessageDigest.isEqual(held.getBytes(StandardCharsets.UTF_8),
				reported.getBytes(StandardCharsets.UTF_8));
	}

	private Duration untilExpiry(Held held) {
		Duration left = Duration.between(this.clock.instant(), held.expiresAt());
		return left.isNegative() ? Duration.ZERO : left;
	}

	/**
	 * A token held, served as it is, with when it was read and when this process minted
	 * it (null if another did).
	 */
	record Held(Handout handout, Instant readAt, Instant mintedAt) {

		Held(Handout handout, Instant readAt, Instant mintedAt) {
			this.handout = handout.as(Outcome.SERVED);
			this.readAt = readAt;
			this.mintedAt = mintedAt;
		}

		Instant expiresAt() {
			return this.handout.expiresAt();
		}

	}

}
