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
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two tokman processes on one SQLite file, as in a rolling deploy on one host, with the
 * default store: each renewal claims its row's lease, so a herd spread across both mints
 * each repository once, and a renewal waiting on GitHub holds up no other repository.
 */
class SharedSqliteIT {

	private static final int REPOSITORIES = 20;

	private static final int REQUESTS = 5;

	private static final OkHttpClient HTTP = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(60)).build();

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

	@Test
	void leasesOfAKilledProcessAreTakenOverBeforeTheOthersWaitersGiveUp() throws Exception {
		Path database = TestEnvironment.newDatabase();
		// The survivor's requests wait 10 s; the doomed process's renewals may take up to
		// the default 30 s: a lease as long as that would outlive the survivor's waiters.
		for (String lockTimeout : List.of("30s", "10s")) {
			this.processes.add(ForkedTokman.start(database, this.server.url("/").toString(),
					"killed-lease-" + this.processes.size() + ".log", "--tokman.token.lock-timeout=" + lockTimeout));
		}
		int doomed = this.processes.get(0).port();
		int survivor = this.processes.get(1).port();
		List<String> repositories = IntStream.range(0, REPOSITORIES).mapToObj((i) -> "killed/repo-" + i).toList();
		repositories.forEach(this.github::hold);
		List<CompletableFuture<Answer>> herd = new ArrayList<>();
		try {
			// The doomed process claims each repository's lease and waits on GitHub.
			repositories
				.forEach((repository) -> CompletableFuture.runAsync(() -> get(doomed, repository), TestClient.THREADS));
			for (String repository : repositories) {
				assertThat(this.github.awaitHeldRequest(repository, Duration.ofSeconds(20))).isTrue();
			}
			// The survivor's herd waits for those leases: one request per repository at
			// the lease, the others behind it in the process; fewer than the requests it
			// handles at once, so that its metrics still answer.
			for (String repository : repositories) {
				for (int i = 0; i < REQUESTS; i++) {
					herd.add(CompletableFuture.supplyAsync(() -> get(survivor, repository), TestClient.THREADS));
				}
			}
			await().atMost(Duration.ofSeconds(20))
				.until(() -> waitingRenewals(survivor) >= REPOSITORIES * (REQUESTS - 1));
			this.processes.get(0).kill();
		}
		finally {
			repositories.forEach(this.github::release);
		}
		List<Answer> answers = herd.stream().map(CompletableFuture::join).toList();
		Duration slowest = answers.stream().map(Answer::took).max(Duration::compareTo).orElseThrow();
		System.out.printf("Killed holder of %d leases: %d answers, slowest %d ms, statuses %s%n", REPOSITORIES,
				answers.size(), slowest.toMillis(), answers.stream().map(Answer::status).distinct().toList());
		assertThat(answers).allSatisfy((answer) -> assertThat(answer.status()).as(answer.body()).isEqualTo(200));
		for (String repository : repositories) {
			// The doomed process's request, and the survivor's after taking the lease
			// over.
			assertThat(this.github.tokenRequests(repository)).as(repository).isEqualTo(2);
		}
	}

	private static int waitingRenewals(int port) throws java.io.IOException {
		Answer metrics = get(port, "/actuator/prometheus", "");
		return metrics.body()
			.lines()
			.filter((line) -> line.startsWith("tokman_renewals_waiting"))
			.mapToInt((line) -> (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.findFirst()
			.orElse(0);
	}

	private static Answer get(int port, String repository) {
		try {
			return get(port, "/api/", repository);
		}
		catch (java.io.IOException ex) {
			// The doomed process's own requests end with it.
			return new Answer(0, ex.getMessage(), Duration.ZERO);
		}
	}

	private static Answer get(int port, String path, String repository) throws java.io.IOException {
		long started = System.nanoTime();
		try (Response response = HTTP
			.newCall(new Request.Builder().url("http://127.0.0.1:" + port + path + repository).build())
			.execute()) {
			return new Answer(response.code(), response.body().string(), Duration.ofNanos(System.nanoTime() - started));
		}
	}

	private record Answer(int status, String body, Duration took) {

	}

	private static List<String> herd(String owner) {
		return IntStream.range(0, 50)
			.boxed()
			.flatMap((i) -> Collections.nCopies(10, owner + "/repo-" + i).stream())
			.toList();
	}

}
