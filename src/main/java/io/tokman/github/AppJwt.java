package io.tokman.github;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.Function;

import io.jsonwebtoken.Jwts;

/**
 * Signs the JWT that authenticates tokman as the GitHub App with the key its
 * {@link AppKeys} say, and reuses it until shortly before it expires or the key changes.
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

	private final AppKeys keys;

	private final Clock clock;

	private volatile Signed current;

	/** How far GitHub's clock is ahead of ours, as GitHub last told us. */
	private volatile Duration skew = Duration.ZERO;

	AppJwt(String appId, AppKeys keys, Clock clock) {
		this.appId = appId;
		this.keys = keys;
		this.clock = clock;
	}

	String appId() {
		return this.appId;
	}

	AppKeys keys() {
		return this.keys;
	}

	/** The key a JWT is signed with now. */
	AppKey key() {
		return this.keys.signing();
	}

	/** A JWT signed with the signing key. */
	String get() {
		return get(key());
	}

	/**
	 * A JWT signed with the key, valid for at least another minute; signing races are
	 * harmless, both results are valid.
	 */
	String get(AppKey key) {
		Instant now = this.clock.instant().plus(this.skew);
		Signed signed = this.current;
		if (signed == null || !signed.key.equals(key) || now.isBefore(signed.signedAt)
				|| !now.isBefore(signed.expiresAt.minus(MARGIN))) {
			signed = sign(key, now);
			this.current = signed;
		}
		return signed.jwt;
	}

	/**
	 * Makes a call with a JWT, signed with the signing key. A JWT GitHub rejects for its
	 * times is signed again on GitHub's clock, once. If GitHub rejects the key, each
	 * other key of the App (files added since included) is tried once, and the first
	 * GitHub takes signs from then on: a rotation half done on GitHub's side fails no
	 * request.
	 */
	<T> T authenticated(Function<String, T> call) {
		AppKey key = this.keys.signing();
		try {
			return withKey(key, call);
		}
		catch (Answers.JwtRejectedException ex) {
			this.keys.rejected(key);
			this.keys.reload();
			for (AppKey other : this.keys.others(key)) {
				try {
					T answer = withKey(other, call);
					this.keys.worked(other, key);
					return answer;
				}
				catch (Answers.JwtRejectedException again) {
					this.keys.rejected(other);
				}
			}
			List<AppKey> held = this.keys.all();
			throw (held.size() < 2) ? ex : new Answers.JwtRejectedException(ex.getMessage() + " (each of the App's "
					+ held.size() + " keys was tried: " + held.stream().map(AppKey::fingerprint).toList() + ")");
		}
	}

	private <T> T withKey(AppKey key, Function<String, T> call) {
		try {
			return call.apply(get(key));
		}
		catch (Answers.ClockSkewException ex) {
			correctClock(ex.offset());
			return call.apply(get(key));
		}
	}

	/** Signs from now on by GitHub's clock, which runs {@code offset} ahead of ours. */
	void correctClock(Duration offset) {
		this.skew = offset;
		this.current = null;
	}

	private Signed sign(AppKey key, Instant now) {
		Instant issuedAt = now.minus(DRIFT);
		Instant expiresAt = issuedAt.plus(LIFETIME);
		String jwt = Jwts.builder()
			.issuer(this.appId)
			.issuedAt(Date.from(issuedAt))
			.expiration(Date.from(expiresAt))
			.signWith(key.key(), Jwts.SIG.RS256)
			.compact();
		return new Signed(jwt, key, now, expiresAt);
	}

	@Override
	public String toString() {
		return "AppJwt[appId=" + this.appId + "]";
	}

	private record Signed(String jwt, AppKey key, Instant signedAt, Instant expiresAt) {

		@Override
		public String toString() {
			return "Signed[jwt=<redacted>, expiresAt=" + this.expiresAt + "]";
		}

	}

}
