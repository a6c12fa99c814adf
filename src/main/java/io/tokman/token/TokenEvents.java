package io.tokman.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tokman.github.GitHubApps;
import io.tokman.github.TokenScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Lazy;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What every tokman sharing the database must forget from its memory, through the
 * {@code token_events} table: tokens dropped (revoked, or dropped on a GitHub event) and
 * GitHub's "not installed" answers that no longer hold. The process that records an event
 * applies it at once; every process reads the events of the last minute each second and
 * applies those it has not applied yet (applying one twice only makes a token be read
 * from the database again). Events older than ten minutes are deleted.
 */
@Component
final class TokenEvents implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(TokenEvents.class);

	static final Duration POLL = Duration.ofSeconds(1);

	private static final Duration WINDOW = Duration.ofMinutes(1);

	private static final Duration KEEP = Duration.ofMinutes(10);

	static final String TOKENS = "tokens";

	static final String NOT_INSTALLED = "not-installed";

	private final JdbcTemplate jdbc;

	private final HeldTokens held;

	private final GitHubApps apps;

	private final Clock clock;

	/** The ids of the events applied lately. */
	private final Cache<Long, Boolean> applied = Caffeine.newBuilder().expireAfterWrite(WINDOW.multipliedBy(2)).build();

	private ScheduledExecutorService schedule;

	private volatile Instant pruned = Instant.EPOCH;

	TokenEvents(@Lazy JdbcTemplate jdbc, HeldTokens held, GitHubApps apps, Clock clock) {
		this.jdbc = jdbc;
		this.held = held;
		this.apps = apps;
		this.clock = clock;
	}

	/**
	 * The tokens of the owner's scopes, or of those that name the repository, were
	 * dropped: no tokman serves them from memory any longer.
	 */
	void tokensDropped(String app, String owner, String repository) {
		record(app, owner, repository, TOKENS);
	}

	/**
	 * The App was installed on the owner's repositories named, or on all of the owner's:
	 * no tokman answers "not installed" for them from memory any longer.
	 */
	void installed(String app, String owner, Collection<String> repositories) {
		if (repositories.isEmpty()) {
			record(app, owner, null, NOT_INSTALLED);
		}
		repositories.forEach((repository) -> record(app, owner, repository, NOT_INSTALLED));
	}

	private void record(String app, String owner, String repository, String what) {
		String lowerOwner = owner.toLowerCase(Locale.ROOT);
		String lowerRepository = (repository != null) ? repository.toLowerCase(Locale.ROOT) : null;
		apply(app, lowerOwner, lowerRepository, what);
		this.jdbc.update("INSERT INTO token_events (at, app, owner, repository, what) VALUES (?, ?, ?, ?, ?)",
				StoredTokenRepository.TIMESTAMPS.convertToDatabaseColumn(this.clock.instant()), app, lowerOwner,
				lowerRepository, what);
	}

	/** Applies the events recorded lately that this process has not applied yet. */
	void poll() {
		Instant now = this.clock.instant();
		List<Event> events = this.jdbc
			.query("SELECT id, app, owner, repository, what FROM token_events WHERE at > ? ORDER BY id",
					(row, number) -> new Event(row.getLong(1), row.getString(2), row.getString(3), row.getString(4),
							row.getString(5)),
					StoredTokenRepository.TIMESTAMPS.convertToDatabaseColumn(now.minus(WINDOW)));
		for (Event event : events) {
			if (this.applied.asMap().putIfAbsent(event.id(), Boolean.TRUE) == null) {
				apply(event.app(), event.owner(), event.repository(), event.what());
			}
		}
		if (now.isAfter(this.pruned.plus(Duration.ofMinutes(1)))) {
			this.pruned = now;
			this.jdbc.update("DELETE FROM token_events WHERE at < ?",
					StoredTokenRepository.TIMESTAMPS.convertToDatabaseColumn(now.minus(KEEP)));
		}
	}

	private void apply(String app, String owner, String repository, String what) {
		if (TOKENS.equals(what)) {
			this.held.drop(matching(app, owner, repository));
		}
		else if (NOT_INSTALLED.equals(what)) {
			this.apps.forgetNotInstalled(app, owner, (repository != null) ? List.of(repository) : List.of());
		}
	}

	/** The scopes of the App for the owner, or for the owner's repository. */
	static Predicate<TokenScope> matching(String app, String owner, String repository) {
		return (scope) -> scope.app().equals(app) && scope.owner().equalsIgnoreCase(owner) && (repository == null
				|| scope.repositories().stream().anyMatch((name) -> name.equalsIgnoreCase(repository)));
	}

	private void pollQuietly() {
		try {
			poll();
		}
		catch (DataAccessException ex) {
			log.debug("Could not read the token events: {}", ex.getMessage());
		}
		catch (RuntimeException ex) {
			log.warn("Could not apply the token events: {}", ex.getMessage());
		}
	}

	@Override
	public void start() {
		this.schedule = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "token-events");
			thread.setDaemon(true);
			return thread;
		});
		this.schedule.scheduleWithFixedDelay(this::pollQuietly, POLL.toMillis(), POLL.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		this.schedule.shutdownNow();
		this.schedule = null;
	}

	@Override
	public boolean isRunning() {
		return this.schedule != null;
	}

	/** An event as stored: the App, owner and repository (null for all) it concerns. */
	private record Event(long id, String app, String owner, String repository, String what) {

	}

}
