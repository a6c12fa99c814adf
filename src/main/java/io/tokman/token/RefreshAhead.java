package io.tokman.token;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Renews the tokens of repositories asked for lately as they enter the renew window, a
 * bounded batch per round, so that workers asking for active repositories do not wait on
 * GitHub.
 */
@Component
final class RefreshAhead implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(RefreshAhead.class);

	private final TokenService tokens;

	private final RecentlyAsked recentlyAsked;

	private final RenewalRule rule;

	private final UnsavedTokens unsaved;

	private final DatabaseWatch database;

	private final TokenProperties.RefreshAhead settings;

	private ScheduledExecutorService rounds;

	private ExecutorService renewals;

	RefreshAhead(TokenService tokens, RecentlyAsked recentlyAsked, RenewalRule rule, UnsavedTokens unsaved,
			DatabaseWatch database, TokenProperties properties) {
		this.unsaved = unsaved;
		this.database = database;
		this.tokens = tokens;
		this.recentlyAsked = recentlyAsked;
		this.rule = rule;
		this.settings = properties.refreshAhead();
	}

	/** Renews up to a batch of due tokens and returns once they are done. */
	int round() {
		List<RecentlyAsked.Due> due = this.recentlyAsked
			.due((expiresAt) -> this.rule.of(expiresAt) != RenewalRule.Freshness.FRESH, this.settings.batch());
		CompletableFuture<?>[] done = due.stream()
			.map((token) -> CompletableFuture.runAsync(() -> this.tokens.refresh(token.scope(), token.client()),
					this.renewals))
			.toArray(CompletableFuture[]::new);
		CompletableFuture.allOf(done).join();
		return due.size();
	}

	private void scheduledRound() {
		try {
			if (this.database.isDown() && !this.database.answers()) {
				// Renewals would wait on it in vain; the round probes it instead.
				return;
			}
			this.unsaved.retry();
			if (!this.settings.enabled()) {
				return;
			}
			int renewed = round();
			if (renewed > 0) {
				log.debug("Renewed {} tokens ahead of requests", renewed);
			}
		}
		catch (RuntimeException ex) {
			// A round that fails must not end the schedule.
			log.warn("Refresh-ahead round failed: {}", ex.toString());
		}
	}

	@Override
	public synchronized void start() {
		this.renewals = Executors.newFixedThreadPool(this.settings.concurrency(),
				new CustomizableThreadFactory("refresh-ahead-"));
		// With refresh-ahead off too: the rounds also write the tokens the database would
		// not take.
		this.rounds = Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("refresh-rounds-"));
		long interval = this.settings.interval().toMillis();
		this.rounds.scheduleWithFixedDelay(this::scheduledRound, interval, interval, TimeUnit.MILLISECONDS);
	}

	@Override
	public synchronized void stop() {
		if (this.rounds != null) {
			this.rounds.shutdown();
			this.rounds = null;
		}
		if (this.renewals != null) {
			// A renewal cut off between GitHub's answer and the database would leave
			// the stored token invalidated by the one minted: let those running finish.
			this.renewals.shutdown();
			try {
				this.renewals.awaitTermination(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.renewals = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.renewals != null;
	}

}
