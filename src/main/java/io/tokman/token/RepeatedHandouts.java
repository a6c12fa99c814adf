package io.tokman.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tokman.github.InstallationToken;
import io.tokman.github.TokenScope;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The tokens served as held, so that the audit trail records evidence, not repetition:
 * the first time a token is handed to a client from an address is a line of its own; each
 * repeat is counted, per client and scope, and every {@code audit-summary-interval} the
 * counts become one summary line each (how many, first and last time, the last token and
 * address), then start again. Counts pending when tokman stops are written as it stops.
 */
final class RepeatedHandouts {

	/** How long a summary waits for requests that were counting as it began. */
	private static final Duration SETTLE = Duration.ofSeconds(1);

	/**
	 * Token, client and address seen, for as long as a token lives, with the token's
	 * scope: also what revoking "the tokens handed to a client" revokes.
	 */
	private final Cache<First, TokenScope> seen;

	private final Map<Repeat, Tally> tallies = new ConcurrentHashMap<>();

	private final Clock clock;

	private final Summaries summaries;

	private final ScheduledExecutorService schedule;

	RepeatedHandouts(long size, Clock clock, Duration interval, Summaries summaries) {
		this.clock = clock;
		this.summaries = summaries;
		this.seen = Caffeine.newBuilder()
			.maximumSize(size)
			.expireAfterWrite(InstallationToken.LIFETIME.toMillis(), TimeUnit.MILLISECONDS)
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.build();
		CustomizableThreadFactory threads = new CustomizableThreadFactory("audit-summary-");
		threads.setDaemon(true);
		this.schedule = Executors.newSingleThreadScheduledExecutor(threads);
		if (!interval.isZero()) {
			this.schedule.scheduleWithFixedDelay(this::summarizeLater, interval.toMillis(), interval.toMillis(),
					TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * Whether this is the first time the token is handed to the client from the address;
	 * a repeat of a token served as held is counted instead.
	 */
	boolean first(String client, String remoteAddress, TokenScope scope, Handout handout) {
		First first = new First(handout.fingerprint(), client, remoteAddress);
		if (this.seen.getIfPresent(first) == null && this.seen.asMap().putIfAbsent(first, scope) == null) {
			return true;
		}
		if (handout.outcome() != Handout.Outcome.SERVED) {
			return false;
		}
		long now = this.clock.millis();
		this.tallies.computeIfAbsent(new Repeat(client, scope), (key) -> new Tally(now))
			.count(now, handout, remoteAddress);
		return false;
	}

	/** The scopes whose tokens the client was handed within a token's lifetime. */
	List<TokenScope> scopesHandedTo(String client) {
		return this.seen.asMap()
			.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().client().equals(client))
			.map(Map.Entry::getValue)
			.distinct()
			.toList();
	}

	/** Writes the counts now, and starts counting again; what was written. */
	List<Summary> summarize() {
		List<Summary> written = take().entrySet()
			.stream()
			.map((taken) -> taken.getValue().summary(taken.getKey()))
			.toList();
		written.forEach(this.summaries::write);
		return written;
	}

	/**
	 * Takes the counts out now and writes them a moment later, so that a request that
	 * took a count before it was taken out has added to it.
	 */
	private void summarizeLater() {
		Map<Repeat, Tally> taken = take();
		this.schedule.schedule(() -> taken.forEach((repeat, tally) -> this.summaries.write(tally.summary(repeat))),
				SETTLE.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** The counts so far, taken out: counting starts again. */
	private Map<Repeat, Tally> take() {
		Map<Repeat, Tally> taken = new LinkedHashMap<>();
		for (Repeat repeat : List.copyOf(this.tallies.keySet())) {
			Tally tally = this.tallies.remove(repeat);
			if (tally != null) {
				taken.put(repeat, tally);
			}
		}
		return taken;
	}

	/** Writes what is counted, and stops. */
	void close() {
		this.schedule.shutdown();
		try {
			this.schedule.awaitTermination(SETTLE.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		summarize();
	}

	/** Where summaries go: the audit trail. */
	@FunctionalInterface
	interface Summaries {

		void write(Summary summary);

	}

	/**
	 * A client's repeats of a scope's tokens: how many, when the first and the last, the
	 * last token and address.
	 */
	record Summary(String client, TokenScope scope, long count, Instant first, Instant last, Handout token,
			String remoteAddress) {

	}

	private record First(String fingerprint, String client, String remoteAddress) {

	}

	private record Repeat(String client, TokenScope scope) {

	}

	/**
	 * A count, striped as the last time is, so that the requests of a hot scope do not
	 * contend on one field; the last token and address are written only when they change.
	 */
	private static final class Tally {

		private final LongAdder count = new LongAdder();

		private final long first;

		private final LongAccumulator last = new LongAccumulator(Math::max, Long.MIN_VALUE);

		private volatile Handout token;

		private volatile String remoteAddress;

		Tally(long first) {
			this.first = first;
			this.last.accumulate(first);
		}

		void count(long now, Handout handout, String remote) {
			this.count.increment();
			this.last.accumulate(now);
			if (this.token != handout) {
				this.token = handout;
			}
			if (!remote.equals(this.remoteAddress)) {
				this.remoteAddress = remote;
			}
		}

		Summary summary(Repeat repeat) {
			return new Summary(repeat.client(), repeat.scope(), this.count.sum(), Instant.ofEpochMilli(this.first),
					Instant.ofEpochMilli(this.last.get()), this.token, this.remoteAddress);
		}

	}

}
