package io.tokman;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import io.tokman.simulator.GitHubSimulator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three tokman replicas on one PostgreSQL schema and one GitHub: each repository's token
 * is minted once across all of them. Runs where TOKMAN_TEST_POSTGRES_URL names a server
 * (CI sets it); skipped elsewhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ResetTestClock.class)
class PostgresReplicaIT {

	private static final String URL = System.getenv("TOKMAN_TEST_POSTGRES_URL");

	private static final GitHubSimulator github = TestEnvironment.GITHUB;

	private final PostgresSchema schema = (URL != null) ? PostgresSchema.on(URL, "tokman") : null;

	private final List<ConfigurableApplicationContext> replicas = new ArrayList<>();

	private final List<Integer> ports = new ArrayList<>();

	private static final Path WEBHOOK_SECRET = write("replica-webhook-secret", "replica-secret-0123456789\n");

	@BeforeAll
	void startReplicas() {
		if (URL == null) {
			return;
		}
		List<String> arguments = new ArrayList<>(List.of("--tokman.github.app-id=" + TestEnvironment.APP_ID,
				"--tokman.github.private-key=" + TestEnvironment.PKCS1_KEY,
				"--tokman.github.api-url=" + TestEnvironment.apiUrl(), "--server.port=0",
				"--tokman.token.lock-timeout=3s", "--tokman.token.invalidate-min-age=0",
				"--tokman.github.webhook-secret-file=" + WEBHOOK_SECRET));
		arguments.addAll(this.schema.arguments());
		for (int i = 0; i < 3; i++) {
			ConfigurableApplicationContext replica = new SpringApplicationBuilder(TokmanApplication.class,
					TokmanTest.TestClock.class)
				.run(arguments.toArray(String[]::new));
			this.replicas.add(replica);
			this.ports.add(((WebServerApplicationContext) replica).getWebServer().getPort());
		}
	}

	@AfterAll
	void stopReplicasAndDropTheSchema() throws SQLException {
		this.replicas.forEach(ConfigurableApplicationContext::close);
		if (this.schema != null) {
			this.schema.close();
		}
	}

	@BeforeEach
	void reset() {
		// Here rather than in startReplicas(), so that each test is reported as skipped
		// (or, where PostgreSQL is required, failed).
		TestEnvironment.postgresUrl();
		github.latency(Duration.ZERO);
	}

	@Test
	void twoHundredConcurrentRequestsAcrossThreeReplicasMintOnce() throws Exception {
		String repository = TestEnvironment.uniqueRepository("packit");
		// Each replica's first request holds or waits for the row lock; the others wait
		// in their replica. Released once many wait: well within the 3 s lock timeout.
		Set<String> tokens = TestClient.whileHeld(repository, this::waiting, 50,
				() -> herd(IntStream.range(0, 200).mapToObj((i) -> repository).toList()));
		assertThat(tokens).hasSize(1);
		assertThat(github.tokenRequests(repository)).isEqualTo(1);
	}

	@Test
	void aTokenDroppedThroughOneReplicaIsServedByNoneWithinSecondsAndMintedAgainOnce() throws Exception {
		String repository = TestEnvironment.uniqueRepository("packit");
		String dropped = TestClient.token(this.ports.get(0), repository);
		for (int port : this.ports) {
			// Each replica now holds it in memory, served without the database for 30 s.
			assertThat(TestClient.token(port, repository)).isEqualTo(dropped);
		}
		String body = "{\"action\":\"removed\",\"installation\":{\"id\":1,\"account\":{\"login\":\"packit\"}},"
				+ "\"repositories_removed\":[{\"name\":\"" + repository.split("/")[1] + "\"}]}";
		HttpResponse<String> delivered = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.ports.get(0) + "/api/github/webhook"))
				.header("X-GitHub-Event", "installation_repositories")
				.header("X-GitHub-Delivery", UUID.randomUUID().toString())
				.header("X-Hub-Signature-256", TokenLifecycleTests.signature("replica-secret-0123456789", body))
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(delivered.statusCode()).as(delivered.body()).isEqualTo(202);
		Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.ports.stream().noneMatch((port) -> dropped.equals(token(port, repository))));
		assertThat(this.ports.stream().map((port) -> token(port, repository)).distinct()).hasSize(1);
		assertThat(github.tokenRequests(repository)).isEqualTo(2);
	}

	private static String token(int port, String repository) {
		try {
			return TestClient.token(port, repository);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path write(String name, String content) {
		try {
			return Files.writeString(TestEnvironment.DIRECTORY.resolve(name), content);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Test
	void herdReportingOneInvalidTokenAcrossReplicasMintsOnce() throws Exception {
		String repository = TestEnvironment.uniqueRepository("packit");
		String bad = TestClient.token(this.ports.get(0), repository);
		Set<String> tokens = TestClient.whileHeld(repository, this::waiting, 20,
				() -> TestClient.invalidationHerd(this.ports, Collections.nCopies(30, repository), bad));
		assertThat(tokens).hasSize(1).doesNotContain(bad);
		assertThat(github.tokenRequests(repository)).isEqualTo(2);
	}

	@Test
	void fiftyRepositoriesTimesTenRequestsAcrossReplicasMintFiftyTimes() {
		List<String> repositories = IntStream.range(0, 50)
			.mapToObj((i) -> TestEnvironment.uniqueRepository("burst"))
			.toList();
		int before = github.totalTokenRequests();
		github.latency(Duration.ofMillis(50));
		List<String> requests = repositories.stream()
			.flatMap((r) -> IntStream.range(0, 10).mapToObj((i) -> r))
			.toList();
		Set<String> tokens = herd(requests);
		assertThat(tokens).hasSize(50);
		assertThat(github.totalTokenRequests() - before).isEqualTo(50);
		repositories.forEach((repository) -> assertThat(github.tokenRequests(repository)).isEqualTo(1));
	}

	@Test
	void replicaThatDiesHoldingTheLockReleasesItAndAnotherServesWithOneExtraMintAtMost() throws Exception {
		String repository = TestEnvironment.uniqueRepository("packit");
		github.hold(repository);
		try {
			CompletableFuture<Integer> dying = CompletableFuture
				.supplyAsync(() -> status(this.ports.get(0), repository), TestClient.THREADS);
			assertThat(github.awaitHeldRequest(repository, Duration.ofSeconds(20))).isTrue();
			CompletableFuture<Integer> waiting = CompletableFuture
				.supplyAsync(() -> status(this.ports.get(1), repository), TestClient.THREADS);
			// What the database sees when a replica dies: its connection, with the
			// transaction and the lock, ends.
			sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'idle in transaction' "
					+ "AND query ILIKE '%from tokens%' AND pid <> pg_backend_pid()");
			github.release(repository);
			assertThat(waiting.get(30, TimeUnit.SECONDS)).isEqualTo(200);
			// The replica whose connection ended still serves the token GitHub minted for
			// it, and writes it again later (unless the other replica's is newer).
			assertThat(dying.get(30, TimeUnit.SECONDS)).isEqualTo(200);
			assertThat(github.tokenRequests(repository)).isLessThanOrEqualTo(2);
			assertThat(status(this.ports.get(2), repository)).isEqualTo(200);
			assertThat(github.tokenRequests(repository)).isLessThanOrEqualTo(2);
		}
		finally {
			github.release(repository);
		}
	}

	@Test
	void waitForAnotherReplicasLockIsBoundedAndAnswers503() throws Exception {
		String repository = TestEnvironment.uniqueRepository("packit");
		github.hold(repository);
		try {
			CompletableFuture<Integer> holding = CompletableFuture
				.supplyAsync(() -> status(this.ports.get(0), repository), TestClient.THREADS);
			assertThat(github.awaitHeldRequest(repository, Duration.ofSeconds(20))).isTrue();
			// Replica 1 queues on the row lock, held by replica 0 while GitHub does not
			// answer.
			assertThat(status(this.ports.get(1), repository)).isEqualTo(503);
			github.release(repository);
			assertThat(holding.get(30, TimeUnit.SECONDS)).isEqualTo(200);
			assertThat(github.tokenRequests(repository)).isEqualTo(1);
		}
		finally {
			github.release(repository);
		}
	}

	/** Requests waiting in the replicas for a renewal another request holds. */
	private int waiting() {
		return this.replicas.stream()
			.mapToInt((replica) -> (int) replica.getBean(MeterRegistry.class)
				.get("tokman.renewals.waiting")
				.gauge()
				.value())
			.sum();
	}

	private Set<String> herd(List<String> repositories) {
		return TestClient.herd(this.ports, repositories);
	}

	private int status(int port, String repository) {
		return TestClient.status(port, "/api/" + repository, null);
	}

	@Test
	void tableKeepsOnlyWhatIsAskedForOnPostgresql() throws Exception {
		List<String> missing = IntStream.range(0, 10)
			.mapToObj((i) -> TestEnvironment.uniqueRepository("gone"))
			.toList();
		for (int i = 0; i < missing.size(); i++) {
			github.uninstall(missing.get(i));
			assertThat(TestClient.status(this.ports.get(i % 3), "/api/" + missing.get(i), null)).isEqualTo(400);
		}
		assertThat(count("owner = 'gone'")).isZero();
		String old = TestEnvironment.uniqueRepository("packit");
		TestClient.token(this.ports.get(0), old);
		TestEnvironment.CLOCK.advance(Duration.ofDays(2));
		int pruned = ReflectionTestUtils.invokeMethod(this.replicas.get(1).getBean("storedTokenUpkeep"), "prune");
		assertThat(pruned).isPositive();
		assertThat(count("repositories = '" + old.substring("packit/".length()).toLowerCase() + "'")).isZero();
	}

	@Test
	void theTableHoldsNoTokenInTheClearAndEveryReplicaOpensWhatAnotherSealed() throws Exception {
		List<String> repositories = IntStream.range(0, 3)
			.mapToObj((i) -> TestEnvironment.uniqueRepository("sealed"))
			.toList();
		List<String> served = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			served.add(TestClient.token(this.ports.get(i), repositories.get(i)));
		}
		StringBuilder table = new StringBuilder();
		try (Connection connection = DriverManager.getConnection(URL);
				Statement sql = connection.createStatement();
				ResultSet rows = sql.executeQuery("SELECT t::text FROM " + this.schema.name() + ".tokens t")) {
			while (rows.next()) {
				table.append(rows.getString(1)).append('\n');
			}
		}
		assertThat(table).contains("sealed");
		served.forEach((token) -> assertThat(table).doesNotContain(token));
		// Each replica derives the same key from the App's: another reads the row.
		assertThat(TestClient.token(this.ports.get(1), repositories.get(0))).isEqualTo(served.get(0));
		assertThat(github.tokenRequests(repositories.get(0))).isOne();
	}

	private int count(String where) throws SQLException {
		try (Connection connection = DriverManager.getConnection(URL);
				Statement sql = connection.createStatement();
				ResultSet rows = sql
					.executeQuery("SELECT count(*) FROM " + this.schema.name() + ".tokens WHERE " + where)) {
			rows.next();
			return rows.getInt(1);
		}
	}

	private static void sql(String statement) throws SQLException {
		try (Connection connection = DriverManager.getConnection(URL); Statement sql = connection.createStatement()) {
			sql.execute(statement);
		}
	}

}
