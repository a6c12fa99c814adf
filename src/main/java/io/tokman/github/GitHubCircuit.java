package io.tokman.github;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import io.tokman.config.InvalidSettingException;
import org.slf4j.LoggerFactory;

/**
 * Stops calling GitHub for a while once most of its recent answers were 5xx or none came
 * (Resilience4j's circuit breaker): an outage then costs GitHub one probe every pause,
 * not every renewal's retries, while the tokens held are served.
 */
final class GitHubCircuit {

	private static final Logger log = LoggerFactory.getLogger(GitHubCircuit.class);

	private final CircuitBreaker breaker;

	private final Clock clock;

	private final Counter refused;

	private volatile Instant openUntil = Instant.MIN;

	/**
	 * A circuit that leaves GitHub alone for the pause once it failed most calls; never,
	 * with a pause of zero.
	 */
	GitHubCircuit(Duration pause, Clock clock, MeterRegistry registry) {
		if (pause.isNegative()) {
			throw new InvalidSettingException(
					"tokman.github.circuit-pause is " + pause + "; expected a duration of 0 or more",
					"Set tokman.github.circuit-pause to 30s, or to 0 to turn the circuit off.");
		}
		this.clock = clock;
		CircuitBreakerConfig config = CircuitBreakerConfig.custom()
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(10)
			.minimumNumberOfCalls(5)
			.failureRateThreshold(pause.isZero() ? 100 : 50)
			.waitDurationInOpenState(pause.isZero() ? Duration.ofMillis(1) : pause)
			.permittedNumberOfCallsInHalfOpenState(1)
			// A probe whose answer never came back to us must not hold the circuit.
			.maxWaitDurationInHalfOpenState(pause.multipliedBy(2))
			.recordException(GitHubCircuit::isOutage)
			.clock(clock)
			.build();
		this.breaker = CircuitBreaker.of("github", config);
		if (pause.isZero()) {
			this.breaker.transitionToDisabledState();
		}
		this.breaker.getEventPublisher().onStateTransition((event) -> {
			switch (event.getStateTransition().getToState()) {
				case OPEN -> {
					this.openUntil = clock.instant().plus(pause);
					if (event.getStateTransition().getFromState() == CircuitBreaker.State.CLOSED) {
						log.warn(
								"GitHub failed {}% of the last calls (5xx answers or none); calling it once every {} s "
										+ "until it answers again, and serving the tokens held meanwhile",
								Math.round(this.breaker.getMetrics().getFailureRate()), pause.toSeconds());
					}
				}
				case CLOSED -> log.info("GitHub answers again; calling it as usual");
				default -> {
				}
			}
		});
		this.refused = Counter.builder("tokman.github.calls.held.back")
			.description("GitHub calls not made because GitHub was failing (the circuit was open)")
			.register(registry);
		Gauge.builder("tokman.github.circuit.open", this.breaker, GitHubCircuit::openness)
			.description("1 while tokman is not calling GitHub because it was failing, 0.5 while one call "
					+ "probes it, 0 otherwise")
			.register(registry);
	}

	/**
	 * Lets a call to GitHub go ahead, which must then end in {@link #succeeded} or
	 * {@link #failed}.
	 * @throws GitHubFailingException while GitHub is left alone
	 */
	void permit(String endpoint) {
		if (!this.breaker.tryAcquirePermission()) {
			this.refused.increment();
			Duration left = Duration.between(this.clock.instant(), this.openUntil);
			throw new GitHubFailingException(endpoint, left.isNegative() ? Duration.ofSeconds(1) : left);
		}
	}

	void succeeded(long startNanos) {
		this.breaker.onSuccess(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
	}

	/** A failure that is not GitHub's outage (a 404, a 422) counts as an answer. */
	void failed(long startNanos, Throwable failure) {
		this.breaker.onError(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS, failure);
	}

	private static boolean isOutage(Throwable failure) {
		return failure instanceof GitHubUnavailableException
				|| (failure instanceof UnexpectedAnswerException answer && answer.status() >= 500);
	}

	private static double openness(CircuitBreaker breaker) {
		return switch (breaker.getState()) {
			case OPEN, FORCED_OPEN -> 1;
			case HALF_OPEN -> 0.5;
			default -> 0;
		};
	}

}
