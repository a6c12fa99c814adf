package io.tokman.access;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

import org.springframework.stereotype.Component;

/**
 * How many mints (each one or two GitHub calls) each client may cause per period, so that
 * no client can spend the App's GitHub rate limit for the others: Resilience4j's rate
 * limiter, one per client name, on the injected clock. Every mint is charged to a client:
 * a renewal in the background to the client that last asked for the token, and all
 * background renewals together are capped as well, so that a client cannot collect tokens
 * at its budget's pace and have them renewed for free.
 */
@Component
public final class GitHubBudget {

	private final RateLimiterConfig perClient;

	private final Supplier<Long> nanos;

	/**
	 * Clients seen lately; a client idle for a whole period has its full budget anyway.
	 */
	private final Cache<String, Allowance> clients;

	/** All background renewals together; null without a cap. */
	private final Allowance background;

	private final AccessProperties.Budget settings;

	GitHubBudget(AccessProperties properties, Clock clock) {
		this.settings = properties.githubBudget();
		this.nanos = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
		this.perClient = config(this.settings.mints());
		this.clients = Caffeine.newBuilder()
			.maximumSize(10_000)
			.expireAfterAccess(this.settings.period())
			.ticker(this.nanos::get)
			.build();
		this.background = (this.settings.backgroundMints() > 0)
				? new Allowance(RateLimiter.of("background", config(this.settings.backgroundMints()), this.nanos),
						this.nanos.get())
				: null;
	}

	/**
	 * Takes one mint from the client's budget with the App ("" for the one the original
	 * settings name), or throws if it is spent.
	 */
	public void spend(Client client, String app) {
		if (this.settings.mints() == 0) {
			return;
		}
		Allowance allowance = allowance(client, app);
		if (!allowance.limiter().acquirePermission()) {
			throw spent(client, allowance);
		}
	}

	/**
	 * Takes one background renewal from the cap of all background renewals and one mint
	 * from the budget of the client it is made for; throws if either is spent.
	 */
	public void spendInBackground(Client client, String app) {
		Allowance allowance = (this.settings.mints() > 0) ? allowance(client, app) : null;
		// Checked first, so that a client whose budget is spent costs the cap nothing.
		if (allowance != null && allowance.limiter().getMetrics().getAvailablePermissions() <= 0) {
			throw spent(client, allowance);
		}
		if (this.background != null && !this.background.limiter().acquirePermission()) {
			throw new BudgetSpentException(this.settings.backgroundMints(),
					this.background.untilRefill(this.nanos.get(), this.settings.period()));
		}
		if (allowance != null && !allowance.limiter().acquirePermission()) {
			throw spent(client, allowance);
		}
	}

	private BudgetSpentException spent(Client client, Allowance allowance) {
		return new BudgetSpentException(client, allowance.untilRefill(this.nanos.get(), this.settings.period()));
	}

	/** The client's allowance with the App: each App's rate limit is its own. */
	private Allowance allowance(Client client, String app) {
		return this.clients.get(app.isEmpty() ? client.name() : client.name() + "@" + app,
				(name) -> new Allowance(RateLimiter.of(name, this.perClient, this.nanos), this.nanos.get()));
	}

	private RateLimiterConfig config(int mints) {
		return RateLimiterConfig.custom()
			.limitForPeriod(Math.max(1, mints))
			.limitRefreshPeriod(this.settings.period())
			.timeoutDuration(Duration.ZERO)
			.build();
	}

	/**
	 * A limiter and when it started: its periods begin then, which says when the next
	 * begins.
	 */
	private record Allowance(RateLimiter limiter, long startNanos) {

		Duration untilRefill(long now, Duration period) {
			long elapsed = (now - this.startNanos) % period.toNanos();
			return Duration.ofNanos(period.toNanos() - elapsed);
		}

	}

}
