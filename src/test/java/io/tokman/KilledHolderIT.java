package io.tokman;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import io.tokman.simulator.GitHubSimulator;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A tokman process killed ({@code kill -9}) while it renews repositories' tokens, with
 * another process's requests for them waiting on its renewals: the survivor takes them
 * over and answers every request 200, on a shared SQLite file (leases) and on PostgreSQL
 * (row locks).
 */
class KilledHolderIT {

	/**
	 * Requests per repository: fewer in all than the survivor handles at once, so that
	 * its metrics still answer.
	 */
	private static final int REQUESTS = 5;

	/** How the lease columns store time: UTC text. */
	private static final DateTimeFormatter LEASE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

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
	void leasesOfAKilledProcessOnSqliteAreTakenOverBeforeTheOthersWaitersGiveUp() throws Exception {
		Path database = TestEnvironment.newDatabase();
		// The survivor's requests wait 20 s; the doomed process's renewals may take up to
		// the default 30 s: a lease as long as that would outlive the survivor's waiters.
		start(database, "--tokman.token.lock-timeout=30s");
		start(database, "--tokman.token.lock-timeout=20s");
		survivorServesTheHerdOfTheKilledHolder("sqlite", 20, () -> {
			// Alive, the doomed process keeps its leases past their first end: its
			// heartbeat extends them, the survivor claims none and asks GitHub for
			// nothing meanwhile.
			Map<String, Instant> first = soonestLeaseEnds(database);
			assertThat(first).hasSize(1);
			Instant firstEnd = first.values().iterator().next();
			await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(firstEnd.plusSeconds(1)));
			Map<String, Instant> later = soonestLeaseEnds(database);
			assertThat(later).containsOnlyKeys(first.keySet());
			assertThat(later.values().iterator().next()).isAfter(firstEnd);
		});
	}

	@Test
	void rowLocksOfAKilledReplicaOnPostgresqlAreTakenOver() throws Exception {
		try (PostgresSchema schema = PostgresSchema.on(TestEnvironment.postgresUrl(), "tokman")) {
			List<String> arguments = new ArrayList<>(schema.arguments());
			arguments.add("--tokman.token.lock-timeout=10s");
			String[] settings = arguments.toArray(String[]::new);
			start(TestEnvironment.newDatabase(), settings);
			start(TestEnvironment.newDatabase(), settings);
			// A renewal holds one of the pool's 10 connections while it waits on GitHub.
			survivorServesTheHerdOfTheKilledHolder("postgresql", 8, () -> {
			});
		}
	}

	private void start(Path database, String... settings) throws IOException, InterruptedException {
		this.processes.add(ForkedTokman.start(database, this.server.url("/").toString(),
				"killed-holder-" + this.processes.size() + ".log", settings));
	}

	/**
	 * The doomed process takes {@code count} repositories' renewals and is killed while
	 * the survivor's requests for them wait; {@code whileBothLive} runs just before.
	 */
	private void survivorServesTheHerdOfTheKilledHolder(String owner, int count, ThrowingRunnable whileBothLive)
			throws Exception {
		int doomed = this.processes.get(0).port();
		int survivor = this.processes.get(1).port();
		List<String> repositories = IntStream.range(0, count).mapToObj((i) -> owner + "/repo-" + i).toList();
		repositories.forEach(this.github::hold);
		long killedAt;
		List<CompletableFuture<Answer>> herd = new ArrayList<>();
		try {
			// The doomed process takes each repository's renewal and waits on GitHub.
			repositories.forEach(
					(repository) -> CompletableFuture.runAsync(() -> token(doomed, repository), TestClient.THREADS));
			for (String repository : repositories) {
				assertThat(this.github.awaitHeldRequest(repository, Duration.ofSeconds(20))).isTrue();
			}
			// The survivor's herd waits for those renewals: one request per repository at
			// the lease or row lock, the others behind it in the process.
			for (String repository : repositories) {
				for (int i = 0; i < REQUESTS; i++) {
					herd.add(CompletableFuture.supplyAsync(() -> token(survivor, repository), TestClient.THREADS));
				}
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> waitingRenewals(survivor) >= count * (REQUESTS - 1));
			whileBothLive.run();
			for (String repository : repositories) {
				assertThat(this.github.tokenRequests(repository)).as(repository).isEqualTo(1);
			}
			this.processes.get(0).kill();
			killedAt = System.nanoTime();
		}
		finally {
			repositories.forEach(this.github::release);
		}
		List<Answer> answers = herd.stream().map(CompletableFuture::join).toList();
		Duration afterKill = Duration.ofNanos(System.nanoTime() - killedAt);
		Duration slowest = answers.stream().map(Answer::took).max(Duration::compareTo).orElseThrow();
		System.out.printf(
				"%s: killed holder of %d renewals: %d answers, slowest %d ms, all within %d ms of the kill,"
						+ " statuses %s%n",
				owner, count, answers.size(), slowest.toMillis(), afterKill.toMillis(),
				answers.stream().map(Answer::status).distinct().toList());
		assertThat(answers).allSatisfy((answer) -> assertThat(answer.status()).as(answer.body()).isEqualTo(200));
		for (String repository : repositories) {
			// The doomed process's request, and the survivor's after taking it over.
			assertThat(this.github.tokenRequests(repository)).as(repository).isEqualTo(2);
		}
	}

	/**
	 * The renewal leases in the SQLite file: their holders, each with its soonest lease
	 * end (on the real clock).
	 */
	private static Map<String, Instant> soonestLeaseEnds(Path database) throws SQLException {
		Map<String, Instant> ends = new HashMap<>();
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
				Statement sql = connection.createStatement();
				ResultSet rows = sql.executeQuery("SELECT lease_owner, MIN(lease_until) FROM tokens"
						+ " WHERE lease_until IS NOT NULL GROUP BY lease_owner")) {
			while (rows.next()) {
				ends.put(rows.getString(1),
						LocalDateTime.parse(rows.getString(2), LEASE_TIME).toInstant(ZoneOffset.UTC));
			}
		}
		return ends;
	}

	private static int waitingRenewals(int port) throws IOException {
		return get(port, "/actuator/prometheus").body()
			.lines()
			.filter((line) -> line.startsWith("tokman_renewals_waiting"))
			.mapToInt((line) -> (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.findFirst()
			.orElse(0);
	}

	private static Answer token(int port, String repository) {
		try {
			return get(port, "/api/" + repository);
		}
		catch (IOException ex) {
			// The doomed process's own requests end with it.
			return new Answer(0, ex.getMessage(), Duration.ZERO);
		}
	}

	private static Answer get(int port, String path) throws IOException {
		long started = System.nanoTime();
		try (Response response = HTTP.newCall(new Request.Builder().url("http://127.0.0.1:" + port + path).build())
			.execute()) {
			return new Answer(response.code(), response.body().string(), Duration.ofNanos(System.nanoTime() - started));
		}
	}

	private record Answer(int status, String body, Duration took) {

	}

	private interface ThrowingRunnable {

		void run() throws Exception;

	}

}
