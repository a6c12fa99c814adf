package io.tokman.token;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.tokman.TestClient;
import io.tokman.github.Permissions;
import io.tokman.github.RepositoryName;
import io.tokman.github.TokenScope;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RepositoryLocksTests {

	private final RepositoryLocks locks = new RepositoryLocks(Duration.ofSeconds(10));

	@Test
	void locksAreRemovedOnceNobodyHoldsOrWaitsForThem() {
		for (int i = 0; i < 1000; i++) {
			this.locks.withLock(scope("owner/repo-" + i), () -> "done");
		}
		assertThat(this.locks.size()).isZero();
	}

	@Test
	void lockIsRemovedEvenWhenTheActionFails() {
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> this.locks.withLock(scope("a/b"), () -> {
				throw new IllegalStateException("GitHub said no");
			}));
		assertThat(this.locks.size()).isZero();
	}

	@Test
	void oneRepositoryIsRenewedByOneThreadAtATime() throws Exception {
		AtomicInteger inside = new AtomicInteger();
		AtomicInteger most = new AtomicInteger();
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(20);
		CompletableFuture<?>[] threads = new CompletableFuture<?>[20];
		for (int i = 0; i < threads.length; i++) {
			threads[i] = CompletableFuture.runAsync(() -> {
				await(start);
				this.locks.withLock(scope("a/b"), () -> {
					most.accumulateAndGet(inside.incrementAndGet(), Math::max);
					Thread.yield();
					return inside.decrementAndGet();
				});
			}, pool);
		}
		start.countDown();
		CompletableFuture.allOf(threads).get(10, TimeUnit.SECONDS);
		pool.shutdown();
		assertThat(most.get()).isEqualTo(1);
		assertThat(this.locks.size()).isZero();
	}

	@Test
	void anotherRepositoryIsNotHeldUpByARenewalInProgress() throws Exception {
		CountDownLatch holding = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<String> slow = CompletableFuture
			.supplyAsync(() -> this.locks.withLock(scope("a/slow"), () -> {
				holding.countDown();
				await(release);
				return "slow";
			}), TestClient.THREADS);
		assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(this.locks.withLock(scope("a/other"), () -> "other")).isEqualTo("other");
		assertThat(this.locks.size()).isEqualTo(1);
		release.countDown();
		assertThat(slow.get(5, TimeUnit.SECONDS)).isEqualTo("slow");
	}

	@Test
	void waitingLongerThanTheTimeoutGivesUp() throws Exception {
		RepositoryLocks impatient = new RepositoryLocks(Duration.ofMillis(50));
		CountDownLatch holding = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<String> holder = CompletableFuture.supplyAsync(() -> impatient.withLock(scope("a/b"), () -> {
			holding.countDown();
			await(release);
			return "held";
		}), TestClient.THREADS);
		assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
		assertThatExceptionOfType(RenewalTimeoutException.class)
			.isThrownBy(() -> impatient.withLock(scope("a/b"), () -> "never"));
		release.countDown();
		holder.get(5, TimeUnit.SECONDS);
		assertThat(impatient.size()).isZero();
	}

	private static TokenScope scope(String repository) {
		String[] name = repository.split("/");
		return TokenScope.repository(new RepositoryName(name[0], name[1]), Permissions.INSTALLATION, false);
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
