package io.tokman.github;

import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import io.jsonwebtoken.Jwts;

/**
 * Signs the JWT that authenticates tokman as the GitHub App, and reuses it until shortly
 * before it expires.
 */
final class AppJwt {

	/**
	 * GitHub rejects an {@code iat} in its future, so it is backdated to absorb clock
	 * drift.
	 */
	private static final Duration DRIFT = Duration.ofSeconds(60);

	/** The longest lifetime GitHub accepts, counted from {@code iat}. */
	private static final Duration LIFETIME = Duration.ofMinutes(10);

	/**
	 * A JWT is not handed out this close to its expiry, so it cannot expire on the way to
	 * GitHub.
	 */
	private static final Duration MARGIN = Duration.ofSeconds(60);

	private final String appId;

	private final PrivateKey key;

	private final Clock clock;

	private volatile Signed current;

	/** How far GitHub's clock is ahead of ours, as GitHub last told us. */
	private volatile Duration skew = Duration.ZERO;

	AppJwt(String appId, PrivateKey key, Clock clock) {
		this.appId = appId;
		this.key = key;
		this.clock = clock;
	}

	/**
	 * A JWT valid for at least another minute; signing races are harmless, both results
	 * are valid.
	 */
	String get() {
		Instant now = this.clock.instant().plus(this.skew);
		Signed signed = this.current;
		if (signed == null || now.isBefore(signed.signedAt) || !now.isBefore(signed.expiresAt.minus(MARGIN))) {
			signed = sign(now);
			this.current = signed;
		}
		return signed.jwt;
	}

	/** Signs from now on by GitHub's clock, which runs {@code offset} ahead of ours. */
	void correctClock(Duration offset) {
		this.skew = offset;
		this.current = null;
	}

	private Signed sign(Instant now) {
		Instant issuedAt = now.minus(DRIFT);
		Instant expiresAt = issuedAt.plus(LIFETIME);
		String jwt = Jwts.builder()
			.issuer(this.appId)
			.issuedAt(Date.from(issuedAt))
			.expiration(Date.from(expiresAt))
			.signWith(this.key, Jwts.SIG.RS256)
			.compact();
		return new Signed(jwt, now, expiresAt);
	}

	@Override
	public String toString() {
		return "AppJwt[appId=" + this.appId + "]";
	}

	private record Signed(String jwt, Instant signedAt, Instant expiresAt) {

		@Override
		public String toString() {
			return "Signed[jwt=<redacted>, expiresAt=" + this.expiresAt + "]";
		}

	}

}
