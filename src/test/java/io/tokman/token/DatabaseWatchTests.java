package io.tokman.token;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A read that waits past {@code tokman.token.database-timeout}: a database that does not
 * answer is taken as down, a pool busy with this process's own work is not.
 */
class DatabaseWatchTests {

	/** A read answers once this opens, well after the 100 ms timeout. */
	private final CountDownLatch answer = new CountDownLatch(1);

	private final BusyPool pool = new BusyPool();

	private final DatabaseWatch watch = watch(this.pool);

	@AfterEach
	void stop() throws Exception {
		this.answer.countDown();
		this.watch.destroy();
	}

	@Test
	void aReadWaitingWhileOthersWaitForAConnectionIsNotTakenForADatabaseThatIsDown() {
		// The moment in a burst when a connection given back has not been taken again
		// yet: three of four in use, two threads waiting for one.
		this.pool.state(3, 2);
		openAnswerAfter(Duration.ofMillis(400));
		assertThat(this.watch.read(this::slowRead)).isEqualTo("token");
		assertThat(this.watch.isDown()).isFalse();
	}

	@Test
	void aReadThatFindsThePoolIdleAndNoAnswerTakesTheDatabaseForDown() {
		this.pool.state(0, 0);
		openAnswerAfter(Duration.ofMillis(400));
		assertThatExceptionOfType(DatabaseUnavailableException.class).isThrownBy(() -> this.watch.read(this::slowRead));
		assertThat(this.watch.isDown()).isTrue();
	}

	private String slowRead() {
		try {
			this.answer.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return "token";
	}

	private void openAnswerAfter(Duration delay) {
		CompletableFuture.runAsync(this.answer::countDown,
				CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS));
	}

	private static DatabaseWatch watch(DataSource pool) {
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		beans.addBean("dataSource", pool);
		TokenProperties properties = new TokenProperties(Duration.ofSeconds(60), false, 100, Duration.ofSeconds(30),
				Duration.ofSeconds(5),
				new TokenProperties.RefreshAhead(true, Duration.ofSeconds(1), 10, 2, Duration.ofHours(1)),
				Duration.ofSeconds(10), Duration.ofSeconds(10), TokenProperties.Scope.REPOSITORY, Duration.ofDays(1),
				Duration.ofMillis(100), null, Duration.ofMinutes(1));
		return new DatabaseWatch(null, beans.getBeanProvider(DataSource.class), Clock.systemUTC(), properties);
	}

	/** A pool of four connections that reports the use it is told to, and opens none. */
	private static final class BusyPool extends HikariDataSource {

		private volatile int active;

		private volatile int awaiting;

		BusyPool() {
			setMaximumPoolSize(4);
		}

		void state(int active, int awaiting) {
			this.active = active;
			this.awaiting = awaiting;
		}

		@Override
		public HikariPoolMXBean getHikariPoolMXBean() {
			return new HikariPoolMXBean() {

				@Override
				public int getIdleConnections() {
					return 4 - BusyPool.this.active;
				}

				@Override
				public int getActiveConnections() {
					return BusyPool.this.active;
				}

				@Override
				public int getTotalConnections() {
					return 4;
				}

				@Override
				public int getThreadsAwaitingConnection() {
					return BusyPool.this.awaiting;
				}

				@Override
				public void softEvictConnections() {
				}

				@Override
				public void suspendPool() {
				}

				@Override
				public void resumePool() {
				}

			};
		}

	}

}
