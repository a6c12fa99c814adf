package io.tokman.access;

import java.time.Duration;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;

import org.springframework.stereotype.Component;

/**
 * How many mints (each one or two GitHub calls) each client may cause per period, so that
 * no client can spend the App's GitHub rate limit for the others. Resilience4j's rate
 * limiter, one per client name; renewals in the background are nobody's and not counted.
 */
@Component
public final class GitHubBudget {

	private final RateLimiterRegistry limiters;

	private final boolean enabled;

	public GitHubBudget(AccessProperties properties) {
		AccessProperties.Budget budget = properties.githubBudget();
		this.enabled = budget.mints() > 0;
		this.limiters = RateLimiterRegistry.of(RateLimiterConfig.custom()
			.limitForPeriod(Math.max(1, budget.mints()))
			.limitRefreshPeriod(budget.period())
			.timeoutDuration(Duration.ZERO)
			.build());
	}

	/** Takes one mint from the budget of the client asking, or throws if it is spent. */
	public void spend() {
		if (!this.enabled) {
			return;
		}
		Client client = AccessPolicy.current();
		RateLimiter limiter = this.limiters.rateLimiter(client.name());
		if (!limiter.acquirePermission()) {
			Duration wait = (limiter instanceof AtomicRateLimiter atomic)
					? Duration.ofNanos(atomic.getDetailedMetrics().getNanosToWait())
					: limiter.getRateLimiterConfig().getLimitRefreshPeriod();
			throw new BudgetSpentException(client, wait);
		}
	}

}
