package io.tokman;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.tokman.simulator.GitHubSimulator;
import mockwebserver3.MockWebServer;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a forked tokman with SIGKILL in the middle of renewals, again and again, and
 * checks after each kill that the database is whole: every row a complete token that
 * GitHub minted, and a restarted tokman serves it.
 */
class CrashSafetyTests {

	private static final int ROUNDS = 3;

	private static final List<String> REPOSITORIES = List.of("crash/one", "crash/two", "crash/three", "crash/four");

	private final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(30)).build();

	// The forked tokman runs on the real clock, so this simulator does too.
	private final GitHubSimulator github = new GitHubSimulator(TestEnvironment.APP_ID, TestEnvironment.KEYS.getPublic(),
			Clock.systemUTC());

	private final MockWebServer server = new MockWebServer();

	private final Path database = TestEnvironment.newDatabase();

	private Process tokman;

	@BeforeEach
	void startGitHub() throws IOException {
		this.server.setDispatcher(this.github);
		this.server.start(InetAddress.getLoopbackAddress(), 0);
	}

	@AfterEach
	void stopAll() {
		if (this.tokman != null) {
			this.tokman.destroyForcibly();
		}
		this.server.close();
	}

	@Test
	void killedMidRenewalTokmanLeavesAConsistentDatabaseAndMintsAtMostOnceMore() throws Exception {
		for (int round = 0; round < ROUNDS; round++) {
			int port = start(round);
			Map<String, String> held = tokensInDatabase();
			this.github.latency(Duration.ofMillis(300));
			ExecutorService workers = Executors.newFixedThreadPool(REPOSITORIES.size());
			int before = this.github.totalTokenRequests();
			for (String repository : REPOSITORIES) {
				// Reporting the held token invalid forces a renewal: an UPDATE of an
				// existing row.
				String token = held.getOrDefault(repository, "none");
				workers.submit(() -> invalidate(port, repository, token));
			}
			awaitTokenRequests(before + 1);
			Thread.sleep(ThreadLocalRandom.current().nextInt(400));
			this.tokman.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			workers.shutdownNow();
			this.github.latency(Duration.ZERO);
			assertConsistent();
		}
		int port = start(ROUNDS);
		Map<String, String> held = tokensInDatabase();
		int before = this.github.totalTokenRequests();
		for (String repository : REPOSITORIES) {
			String served = token(port, repository);
			if (held.containsKey(repository)) {
				assertThat(served).isEqualTo(held.get(repository));
			}
		}
		// A repository whose first mint was cut short is minted once now; none is minted
		// twice.
		assertThat(this.github.totalTokenRequests() - before).isLessThanOrEqualTo(REPOSITORIES.size() - held.size());
	}

	private int start(int round) throws IOException, InterruptedException {
		int port;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), TokmanApplication.class.getName()));
		for (String property : TestEnvironment.properties(this.database)) {
			if (!property.startsWith("tokman.github.api-url=")) {
				command.add("--" + property);
			}
		}
		command.add("--tokman.github.api-url=" + this.server.url("/"));
		command.add("--server.port=" + port);
		command.add("--logging.level.root=WARN");
		this.tokman = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(TestEnvironment.DIRECTORY.resolve("crash-" + round + ".log").toFile())
			.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < deadline) {
			assertThat(this.tokman.isAlive()).as("tokman is running; see crash-" + round + ".log").isTrue();
			try (Response response = this.http
				.newCall(new Request.Builder().url("http://127.0.0.1:" + port + "/api/health").build())
				.execute()) {
				if (response.code() == 200) {
					return port;
				}
			}
			catch (IOException notYet) {
				Thread.sleep(100);
			}
		}
		throw new AssertionError("tokman did not start within 60 s");
	}

	private void awaitTokenRequests(int count) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (this.github.totalTokenRequests() < count && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		assertThat(this.github.totalTokenRequests()).as("renewals started").isGreaterThanOrEqualTo(count);
	}

	private void assertConsistent() throws SQLException {
		try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + this.database);
				Statement sql = sqlite.createStatement()) {
			try (ResultSet check = sql.executeQuery("pragma integrity_check")) {
				check.next();
				assertThat(check.getString(1)).isEqualTo("ok");
			}
			try (ResultSet rows = sql.executeQuery("select repo, token, expires_at from tokens")) {
				while (rows.next()) {
					assertThat(rows.getString("token")).as(rows.getString("repo")).isIn(GitHubSimulator.SECRETS);
					// Dropped tokens are marked expired at the epoch; every other expiry
					// is a real one.
					LocalDateTime.parse(rows.getString("expires_at"),
							DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS"));
				}
			}
		}
	}

	private Map<String, String> tokensInDatabase() throws SQLException {
		Map<String, String> tokens = new HashMap<>();
		try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + this.database);
				Statement sql = sqlite.createStatement();
				ResultSet rows = sql.executeQuery("select repo, token from tokens where expires_at > '2000-01-01'")) {
			while (rows.next()) {
				tokens.put(rows.getString("repo"), rows.getString("token"));
			}
		}
		return tokens;
	}

	private String token(int port, String repository) throws IOException {
		try (Response response = this.http
			.newCall(new Request.Builder().url("http://127.0.0.1:" + port + "/api/" + repository).build())
			.execute()) {
			String body = response.body().string();
			assertThat(response.code()).as(body).isEqualTo(200);
			return body.replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
		}
	}

	private void invalidate(int port, String repository, String token) {
		RequestBody body = RequestBody.create("{\"access_token\":\"" + token + "\"}",
				MediaType.get("application/json"));
		try (Response response = this.http
			.newCall(new Request.Builder().url("http://127.0.0.1:" + port + "/api/" + repository + "/invalidate")
				.post(body)
				.build())
			.execute()) {
			response.body().string();
		}
		catch (IOException killed) {
			// Expected: tokman is killed under this request.
		}
	}

}
