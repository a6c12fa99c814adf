package io.tokman.token;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RequestSlotsTests {

	@Test
	void aTaskThatWaitsGivesItsSlotUpAndTakesOneAgainToGoOn() throws Exception {
		RequestSlots slots = new RequestSlots(2);
		ExecutorService threads = Executors.newCachedThreadPool();
		try {
			CountDownLatch answer = new CountDownLatch(1);
			AtomicInteger waiting = new AtomicInteger();
			AtomicInteger working = new AtomicInteger();
			AtomicInteger mostWorking = new AtomicInteger();
			CountDownLatch done = new CountDownLatch(3);
			for (int i = 0; i < 3; i++) {
				threads.execute(() -> slots.run(() -> {
					RequestSlots.waiting(() -> {
						waiting.incrementAndGet();
						awaitQuietly(answer);
						return null;
					});
					mostWorking.accumulateAndGet(working.incrementAndGet(), Math::max);
					working.decrementAndGet();
					done.countDown();
				}));
			}
			// Three waiting at once with two slots: none of them holds one.
			await().atMost(Duration.ofSeconds(10)).until(() -> waiting.get() == 3);
			CountDownLatch ran = new CountDownLatch(1);
			threads.execute(() -> slots.run(ran::countDown));
			assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
			answer.countDown();
			assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(mostWorking.get()).isBetween(1, 2);
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void requestsInFlightWaitingOnesIncludedAreBoundedAtTwiceTheSlots() throws Exception {
		RequestSlots slots = new RequestSlots(2);
		ExecutorService threads = Executors.newCachedThreadPool();
		try {
			CountDownLatch answer = new CountDownLatch(1);
			AtomicInteger waiting = new AtomicInteger();
			AtomicInteger started = new AtomicInteger();
			CountDownLatch done = new CountDownLatch(6);
			for (int i = 0; i < 6; i++) {
				threads.execute(() -> {
					started.incrementAndGet();
					slots.run(() -> RequestSlots.waiting(() -> {
						waiting.incrementAndGet();
						awaitQuietly(answer);
						return null;
					}));
					done.countDown();
				});
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> started.get() == 6 && waiting.get() == 4);
			await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> waiting.get() == 4);
			answer.countDown();
			assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(waiting).hasValue(6);
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void waitingOutsideAnySlotJustWaits() {
		assertThat(RequestSlots.waiting(() -> "answer")).isEqualTo("answer");
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
