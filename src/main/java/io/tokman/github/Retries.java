package io.tokman.github;

import java.time.Duration;

import org.springframework.core.retry.RetryPolicy;

/**
 * How GitHub's failures are retried.
 *
 * @param retries how many times a call that failed with a 5xx or a network error is tried
 * again
 * @param delay the wait before the first retry; it doubles with each, with jitter
 * @param deadline how long one mint may take in all, every call and wait included
 */
record Retries(long retries, Duration delay, Duration deadline) {

	/**
	 * Retries what may succeed on a second try, GitHub's 5xx answers and failures to
	 * reach it, while time is left.
	 */
	RetryPolicy policy(Duration left) {
		return RetryPolicy.builder()
			.maxRetries(this.retries)
			.delay(this.delay)
			.multiplier(2)
			.jitter(this.delay.dividedBy(2))
			.maxDelay(this.delay.multipliedBy(16))
			.timeout(left)
			.predicate((failure) -> failure instanceof GitHubUnavailableException
					|| (failure instanceof UnexpectedAnswerException answer && answer.status() >= 500))
			.build();
	}

}
