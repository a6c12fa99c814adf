package io.tokman.token;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokman.github.TestGitHub;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping the upkeep (the context closing) waits for the run under way, which would
 * otherwise meet the database closing under it.
 */
class UpkeepStopTests {

	@Test
	void stopWaitsForTheRunUnderWayInsteadOfInterruptingIt() throws Exception {
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch finish = new CountDownLatch(1);
		AtomicBoolean interrupted = new AtomicBoolean();
		StoredTokenRepository tokens = (StoredTokenRepository) Proxy.newProxyInstance(
				StoredTokenRepository.class.getClassLoader(), new Class<?>[] { StoredTokenRepository.class },
				(proxy, method, args) -> {
					if (method.getName().equals("findByTokenIsNotNullAndTokenKeyIsNull")) {
						running.countDown();
						try {
							finish.await();
						}
						catch (InterruptedException ex) {
							interrupted.set(true);
						}
					}
					return (method.getReturnType() == List.class) ? List.of() : null;
				});
		TokenProperties properties = Binder.get(new MockEnvironment())
			.bindOrCreate("tokman.token", TokenProperties.class);
		StoredTokenUpkeep upkeep = new StoredTokenUpkeep(tokens, Clock.systemUTC(), properties,
				new SimpleMeterRegistry(), new TokenCipher(TestGitHub.appKeys(), null));
		upkeep.start();
		assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
		ExecutorService threads = Executors.newSingleThreadExecutor();
		try {
			CompletableFuture<Void> stopped = CompletableFuture.runAsync(upkeep::stop, threads);
			await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !stopped.isDone());
			finish.countDown();
			stopped.get(10, TimeUnit.SECONDS);
			assertThat(interrupted).isFalse();
			assertThat(upkeep.isRunning()).isFalse();
		}
		finally {
			finish.countDown();
			threads.shutdownNow();
		}
	}

}
