package io.tokman;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.tokman.simulator.GitHubSimulator;
import mockwebserver3.MockWebServer;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two tokman processes on one SQLite file, as in a rolling deploy on one host, with the
 * database lock on: a herd spread across both mints once.
 */
class SharedSqliteTests {

	private final GitHubSimulator github = new GitHubSimulator(TestEnvironment.APP_ID, TestEnvironment.KEYS.getPublic(),
			Clock.systemUTC());

	private final MockWebServer server = new MockWebServer();

	private final OkHttpClient http = new OkHttpClient.Builder().dispatcher(dispatcher())
		.connectionPool(new ConnectionPool(50, 1, TimeUnit.MINUTES))
		.readTimeout(Duration.ofSeconds(60))
		.build();

	private final List<ForkedTokman> processes = new ArrayList<>();

	@BeforeEach
	void startGitHub() throws IOException {
		this.server.setDispatcher(this.github);
		this.server.start(InetAddress.getLoopbackAddress(), 0);
	}

	@AfterEach
	void stopAll() throws InterruptedException {
		for (ForkedTokman process : this.processes) {
			process.kill();
		}
		this.server.close();
	}

	@Test
	void herdAcrossTwoProcessesSharingOneSqliteFileMintsOnce() throws Exception {
		Path database = TestEnvironment.newDatabase();
		for (int i = 0; i < 2; i++) {
			this.processes.add(ForkedTokman.start(database, this.server.url("/").toString(),
					"shared-sqlite-" + i + ".log", "--tokman.token.database-lock=true"));
		}
		this.github.latency(Duration.ofMillis(300));
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(100);
		try {
			List<Future<String>> answers = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				int port = this.processes.get(i % 2).port();
				answers.add(pool.submit(() -> {
					start.await();
					return token(port, "packit/shared");
				}));
			}
			start.countDown();
			Set<String> tokens = answers.stream().map(SharedSqliteTests::join).collect(Collectors.toSet());
			assertThat(tokens).hasSize(1);
			assertThat(this.github.tokenRequests("packit/shared")).isEqualTo(1);
		}
		finally {
			pool.shutdownNow();
		}
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

	private static String join(Future<String> answer) {
		try {
			return answer.get(60, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new AssertionError(ex);
		}
	}

	private static Dispatcher dispatcher() {
		Dispatcher dispatcher = new Dispatcher();
		dispatcher.setMaxRequests(200);
		dispatcher.setMaxRequestsPerHost(200);
		return dispatcher;
	}

}
