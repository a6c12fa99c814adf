package io.tokman.token;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

import io.tokman.config.InvalidSettingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Lazy;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Bounds the database reads that requests wait on by
 * {@code tokman.token.database-timeout} (connection and query together; longer only while
 * every pooled connection is at work, which is a database that answers), and remembers a
 * database that did not answer in time: while it is down, reads fail at once but for one
 * probe a second, the readiness probe says so, and one line is logged when it goes down
 * and one when it is back. The caller then serves the token it holds in memory, or
 * answers 503 with Retry-After.
 */
@Component("database")
final class DatabaseWatch implements HealthIndicator, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(DatabaseWatch.class);

	/** How often a read goes through to the database while it is down. */
	static final Duration PROBE_EVERY = Duration.ofSeconds(1);

	/**
	 * Reads in flight at once; beyond that the database is not keeping up. A read that
	 * hangs holds its thread until the connection gives up, and must not hold up the
	 * probe that finds the database back: hence a thread per read rather than a pool.
	 */
	private static final int MAX_READS = 512;

	private final JdbcTemplate jdbc;

	private final Clock clock;

	private final Duration timeout;

	/** How long a read waits while every connection is busy: as long as a renewal may. */
	private final Duration busyWait;

	private final ObjectProvider<DataSource> dataSource;

	/**
	 * A platform thread per read, so that a read that hangs holds up no other, and so
	 * that the operating system runs it beside the request threads: on a virtual thread,
	 * a burst that keeps the carriers busy delayed the read's start and its return past
	 * the timeout, and a database that answered was taken for down.
	 */
	private final SimpleAsyncTaskExecutor reads;

	/** Null while the database answers; otherwise when the next read may go through. */
	private final AtomicReference<Instant> downUntil = new AtomicReference<>();

	private volatile String lastFailure = "";

	DatabaseWatch(@Lazy JdbcTemplate jdbc, ObjectProvider<DataSource> dataSource, Clock clock,
			TokenProperties properties) {
		this.jdbc = jdbc;
		this.dataSource = dataSource;
		this.busyWait = properties.lockTimeout();
		this.clock = clock;
		this.timeout = properties.databaseTimeout();
		if (this.timeout.isNegative() || this.timeout.isZero()) {
			throw new InvalidSettingException(
					"tokman.token.database-timeout is " + this.timeout + "; expected a duration above 0",
					"Set tokman.token.database-timeout to 2s, or to how long a database read may take.");
		}
		this.reads = new SimpleAsyncTaskExecutor("database-read-");
		this.reads.setDaemon(true);
		this.reads.setConcurrencyLimit(MAX_READS);
		this.reads.setRejectTasksWhenLimitReached(true);
	}

	/**
	 * The read's result, or {@link DatabaseUnavailableException} if the database is down
	 * or does not answer within the timeout.
	 */
	<T> T read(Supplier<T> read) {
		Instant until = this.downUntil.get();
		if (until != null) {
			Instant now = this.clock.instant();
			if (now.isBefore(until) || !this.downUntil.compareAndSet(until, now.plus(PROBE_EVERY))) {
				throw unavailable();
			}
			// This read is the probe.
		}
		Future<T> result;
		try {
			result = this.reads.submit(read::get);
		}
		catch (RejectedExecutionException ex) {
			throw new DatabaseUnavailableException(MAX_READS + " reads are waiting for the database", PROBE_EVERY);
		}
		long busyUntil = System.nanoTime() + this.busyWait.toNanos();
		try {
			while (true) {
				try {
					T value = result.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
					answered();
					return value;
				}
				catch (TimeoutException ex) {
					// Every connection at work: the database answers a burst of this
					// process's own, and the read waits its turn as a renewal would.
					if (!poolBusy() || System.nanoTime() > busyUntil) {
						result.cancel(true);
						throw failed("no answer within " + this.timeout.toMillis() + " ms");
					}
				}
			}
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof DataAccessResourceFailureException failure) {
				throw failed(failure.getMostSpecificCause().getMessage());
			}
			if (ex.getCause() instanceof RuntimeException other) {
				// The database answered, with an error of the read's own.
				answered();
				throw other;
			}
			throw new IllegalStateException(ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			result.cancel(true);
			throw unavailable();
		}
	}

	/**
	 * Whether every connection of the pool is in use, or other threads wait for one: a
	 * connection given back is taken again at once in a burst, so the count of those in
	 * use alone misses the moments between.
	 */
	private boolean poolBusy() {
		try {
			DataSource source = this.dataSource.getIfAvailable();
			if (source == null || !source.isWrapperFor(HikariDataSource.class)) {
				return false;
			}
			HikariDataSource hikari = source.unwrap(HikariDataSource.class);
			HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
			return pool != null && (pool.getActiveConnections() >= hikari.getMaximumPoolSize()
					|| pool.getThreadsAwaitingConnection() > 0);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	/** Whether the database answered the last read; probed again once a second if not. */
	boolean isDown() {
		return this.downUntil.get() != null;
	}

	/**
	 * Whether the database answers a {@code SELECT 1} in time; while it is down, only
	 * when the probe is due.
	 */
	boolean answers() {
		if (!isDown() && poolBusy()) {
			// Every connection at work: it answers, and a probe would only queue.
			return true;
		}
		try {
			read(() -> this.jdbc.queryForObject("SELECT 1", Integer.class));
			return true;
		}
		catch (DataAccessException ex) {
			return false;
		}
	}

	@Override
	public Health health() {
		return answers() ? Health.up().build() : Health.down().withDetail("error", this.lastFailure).build();
	}

	@Override
	public void destroy() {
		// Reads still hanging end with the process.
		this.reads.close();
	}

	private DatabaseUnavailableException failed(String reason) {
		this.lastFailure = "The database did not answer: " + reason;
		Instant until = this.clock.instant().plus(PROBE_EVERY);
		if (this.downUntil.getAndSet(until) == null) {
			log.warn("{}; serving the tokens held in memory and answering 503 for others until it does",
					this.lastFailure);
		}
		return unavailable();
	}

	private void answered() {
		if (this.downUntil.getAndSet(null) != null) {
			log.info("The database answers again");
		}
	}

	private DatabaseUnavailableException unavailable() {
		return new DatabaseUnavailableException(this.lastFailure, PROBE_EVERY);
	}

}
