package io.tokman.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.context.annotation.Lazy;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * How many tokens are stored, and how soon the next one expires, read from the database
 * at each scrape (within the database timeout); how many repositories' renewals are
 * backing off.
 */
@Component
final class TokenGauges implements MeterBinder {

	private final StoredTokenRepository tokens;

	private final Clock clock;

	private final RecentlyAsked recentlyAsked;

	private final DatabaseWatch database;

	TokenGauges(@Lazy StoredTokenRepository tokens, Clock clock, RecentlyAsked recentlyAsked, DatabaseWatch database) {
		this.tokens = tokens;
		this.database = database;
		this.clock = clock;
		this.recentlyAsked = recentlyAsked;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("tokman.tokens.stored", this, TokenGauges::stored)
			.description("Repositories with a stored token")
			.register(registry);
		Gauge.builder("tokman.tokens.soonest.expiry", this, TokenGauges::secondsUntilSoonestExpiry)
			.description("Seconds until the soonest expiry among tokens still valid")
			.baseUnit("seconds")
			.register(registry);
		Gauge.builder("tokman.renewals.backing.off", this.recentlyAsked, RecentlyAsked::backingOff)
			.description("Repositories whose renewal failed lately, for which GitHub is left alone a while")
			.register(registry);
	}

	/**
	 * NaN while the database does not answer: a scrape waits no longer than a request.
	 */
	private double stored() {
		return readOrNaN(() -> (double) this.tokens.count());
	}

	private double secondsUntilSoonestExpiry() {
		Instant now = this.clock.instant();
		return readOrNaN(() -> this.tokens.findFirstByExpiresAtAfterOrderByExpiresAtAsc(now)
			.map((token) -> (double) Duration.between(now, token.expiresAt()).toSeconds())
			.orElse(Double.NaN));
	}

	private double readOrNaN(Supplier<Double> read) {
		try {
			return this.database.read(read);
		}
		catch (DataAccessException ex) {
			return Double.NaN;
		}
	}

}
