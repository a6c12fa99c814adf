package io.tokman;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.tokman.simulator.GitHubSimulator;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two tokman processes on one SQLite file, as in a rolling deploy on one host, with the
 * default store: each renewal claims its row's lease, so a herd spread across both mints
 * each repository once, and a renewal waiting on GitHub holds up no other repository.
 */
class SharedSqliteIT {

	private final GitHubSimulator github = ForkedTokman.gitHubSimulator();

	@StartStop
	private final MockWebServer server = new MockWebServer();

	private final List<ForkedTokman> processes = new ArrayList<>();

	@BeforeEach
	void connectGitHub() {
		this.server.setDispatcher(this.github);
	}

	@AfterEach
	void stopAll() throws InterruptedException {
		for (ForkedTokman process : this.processes) {
			process.kill();
		}
	}

	@Test
	void twoProcessesOnOneFileMintEachRepositoryOnceAndHoldNoOtherRepositoryUp() throws Exception {
		Path database = TestEnvironment.newDatabase();
		for (int i = 0; i < 2; i++) {
			this.processes
				.add(ForkedTokman.start(database, this.server.url("/").toString(), "shared-sqlite-" + i + ".log"));
		}
		List<Integer> ports = this.processes.stream().map(ForkedTokman::port).toList();
		this.github.latency(Duration.ofMillis(100));
		// The same herd against one process, then spread over both: 50 repositories x 10.
		long start = System.nanoTime();
		Set<String> alone = TestClient.herd(List.of(ports.get(0)), herd("alone"));
		Duration one = Duration.ofNanos(System.nanoTime() - start);
		start = System.nanoTime();
		Set<String> shared = TestClient.herd(ports, herd("shared"));
		Duration two = Duration.ofNanos(System.nanoTime() - start);
		System.out.printf("50 repositories x 10 requests: one process %d ms, two on one file %d ms%n", one.toMillis(),
				two.toMillis());
		assertThat(alone).hasSize(50);
		assertThat(shared).hasSize(50);
		for (int i = 0; i < 50; i++) {
			assertThat(this.github.tokenRequests("shared/repo-" + i)).as("shared/repo-" + i).isEqualTo(1);
		}
		// A renewal waiting on GitHub in one process holds up neither process's other
		// repositories: no database lock is held across the call.
		this.github.latency(Duration.ZERO);
		this.github.hold("held/repo");
		try {
			CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> {
				try {
					return TestClient.token(ports.get(0), "held/repo");
				}
				catch (java.io.IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
			}, TestClient.THREADS);
			assertThat(this.github.awaitHeldRequest("held/repo", Duration.ofSeconds(20))).isTrue();
			assertThat(TestClient.token(ports.get(1), "other/repo")).startsWith("ghs_");
			assertThat(TestClient.token(ports.get(0), "another/repo")).startsWith("ghs_");
			assertThat(held).isNotDone();
			this.github.release("held/repo");
			assertThat(held.get(20, TimeUnit.SECONDS)).startsWith("ghs_");
		}
		finally {
			this.github.release("held/repo");
		}
		assertThat(this.github.tokenRequests("held/repo")).isEqualTo(1);
	}

	private static List<String> herd(String owner) {
		return IntStream.range(0, 50)
			.boxed()
			.flatMap((i) -> Collections.nCopies(10, owner + "/repo-" + i).stream())
			.toList();
	}

}
