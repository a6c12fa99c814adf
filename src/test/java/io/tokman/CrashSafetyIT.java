package io.tokman;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

import io.tokman.simulator.GitHubSimulator;
import io.tokman.token.StoredTokens;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a forked tokman with SIGKILL in the middle of renewals, again and again, and
 * checks after each kill that the database is whole: every row either a complete token
 * that GitHub minted or, for a first mint cut short, no token at all (only the lease the
 * renewal claimed), and a restarted tokman serves it.
 */
class CrashSafetyIT {

	private static final int ROUNDS = 3;

	private static final List<String> REPOSITORIES = List.of("crash/one", "crash/two", "crash/three", "crash/four");

	private final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(30)).build();

	private final GitHubSimulator github = ForkedTokman.gitHubSimulator();

	@StartStop
	private final MockWebServer server = new MockWebServer();

	private final Path database = TestEnvironment.newDatabase();

	private ForkedTokman tokman;

	@BeforeEach
	void connectGitHub() {
		this.server.setDispatcher(this.github);
	}

	@AfterEach
	void stopAll() throws InterruptedException {
		if (this.tokman != null) {
			this.tokman.kill();
		}
	}

	@Test
	void killedDuringAFirstMintTokmanLeavesARowWithoutATokenThatARestartMintsOnce() throws Exception {
		String repository = "crash/first";
		int port = start(0);
		this.github.hold(repository);
		ExecutorService worker = Executors.newSingleThreadExecutor();
		try {
			worker.submit(() -> invalidate(port, repository, "none"));
			assertThat(this.github.awaitHeldRequest(repository, Duration.ofSeconds(20))).isTrue();
			this.tokman.kill();
		}
		finally {
			this.github.release(repository);
			worker.shutdownNow();
		}
		assertConsistent();
		assertThat(tokensInDatabase()).doesNotContainKey(repository);
		int before = this.github.tokenRequests(repository);
		int restarted = start(1);
		// The dead process's lease runs out (the lock timeout), then the restart mints.
		assertThat(TestClient.token(restarted, repository)).isIn(GitHubSimulator.SECRETS);
		assertThat(this.github.tokenRequests(repository) - before).isEqualTo(1);
		assertConsistent();
		assertThat(tokensInDatabase()).containsKey(repository);
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
			this.tokman.kill();
			workers.shutdownNow();
			this.github.latency(Duration.ZERO);
			assertConsistent();
		}
		int port = start(ROUNDS);
		Map<String, String> held = tokensInDatabase();
		int before = this.github.totalTokenRequests();
		for (String repository : REPOSITORIES) {
			String served = TestClient.token(port, repository);
			if (held.containsKey(repository)) {
				assertThat(served).isEqualTo(held.get(repository));
			}
		}
		// A repository whose first mint was cut short is minted once now; none is minted
		// twice.
		assertThat(this.github.totalTokenRequests() - before).isLessThanOrEqualTo(REPOSITORIES.size() - held.size());
	}

	private int start(int round) throws IOException, InterruptedException {
		this.tokman = ForkedTokman.start(this.database, this.server.url("/").toString(), "crash-" + round + ".log",
				"--tokman.token.invalidate-min-age=0",
				// A process killed mid-renewal leaves its lease behind, which the next
				// start waits out: 3 s here, the lock timeout.
				"--tokman.token.lock-timeout=3s");
		return this.tokman.port();
	}

	private void awaitTokenRequests(int count) {
		Awaitility.await("renewals started")
			.atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(5))
			.until(this.github::totalTokenRequests, (requests) -> requests >= count);
	}

	private void assertConsistent() throws SQLException {
		try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + this.database);
				Statement sql = sqlite.createStatement()) {
			try (ResultSet check = sql.executeQuery("pragma integrity_check")) {
				check.next();
				assertThat(check.getString(1)).isEqualTo("ok");
			}
			try (ResultSet rows = sql.executeQuery("select owner || '/' || repositories as repo, expires_at, "
					+ StoredTokens.COLUMNS + " from tokens")) {
				while (rows.next()) {
					String repository = rows.getString("repo");
					if (rows.getString("token") == null) {
						// A first mint cut short: the row holds the renewal's lease only.
						assertThat(rows.getString("expires_at")).as(repository).isNull();
						continue;
					}
					assertThat(StoredTokens.open(rows)).as(repository).isIn(GitHubSimulator.SECRETS);
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
				ResultSet rows = sql.executeQuery("select owner || '/' || repositories as repo, " + StoredTokens.COLUMNS
						+ " from tokens where expires_at > '2000-01-01'")) {
			while (rows.next()) {
				tokens.put(rows.getString("repo"), StoredTokens.open(rows));
			}
		}
		return tokens;
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
