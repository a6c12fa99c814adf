package io.tokman;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.tokman.simulator.GitHubSimulator;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A burst is bounded by GitHub, not by the slots that bound CPU work (WORKERS, 200): a
 * request that waits for another request's renewal, or for GitHub, holds no slot
 * meanwhile.
 */
@TokmanTest
class BurstTests {

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry registry;

	@Test
	void requestsWaitingOnARenewalHoldNoSlotSoThatAnotherRepositoryIsServedMeanwhile() throws Exception {
		assumeTrue(Runtime.version().feature() >= 21, "the slots bound virtual threads, Java 21+");
		GitHubSimulator github = TestEnvironment.GITHUB;
		String held = TestEnvironment.uniqueRepository("packit");
		String other = TestEnvironment.uniqueRepository("packit");
		ExecutorService threads = Executors.newFixedThreadPool(2);
		github.hold(held);
		try {
			// As many requests as there are slots, one at GitHub, the rest waiting for
			// it.
			CompletableFuture<Set<String>> herd = CompletableFuture
				.supplyAsync(() -> TestClient.herd(List.of(this.port), Collections.nCopies(200, held)), threads);
			assertThat(github.awaitHeldRequest(held, Duration.ofSeconds(10))).isTrue();
			await().atMost(Duration.ofSeconds(20)).until(() -> waiting() >= 199);
			String token = CompletableFuture.supplyAsync(() -> token(other), threads).get(10, TimeUnit.SECONDS);
			assertThat(token).startsWith("ghs_");
			assertThat(herd).isNotDone();
			github.release(held);
			assertThat(herd.get(60, TimeUnit.SECONDS)).hasSize(1);
		}
		finally {
			github.release(held);
			threads.shutdownNow();
		}
	}

	private String token(String repository) {
		try {
			return TestClient.token(this.port, repository);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private int waiting() {
		return (int) this.registry.get("tokman.renewals.waiting").gauge().value();
	}

}
