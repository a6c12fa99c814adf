package io.tokman;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.zaxxer.hikari.HikariDataSource;
import io.tokman.simulator.GitHubSimulator;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL going silent under a running tokman (a stalled network: connections open,
 * nothing answers), then coming back: tokens held are served at once, new ones get a 503
 * with Retry-After, readiness says the database is down, one line is logged, and all of
 * it heals when the database is back. Runs where TOKMAN_TEST_POSTGRES_URL names a server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith({ OutputCaptureExtension.class, ResetTestClock.class })
class DatabaseOutageIT {

	private static final String URL = System.getenv("TOKMAN_TEST_POSTGRES_URL");

	private static final Pattern HOST_PORT = Pattern.compile("//([^:/?]+)(?::(\\d+))?/");

	private static final GitHubSimulator github = TestEnvironment.GITHUB;

	private static final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(60))
		.callTimeout(Duration.ofSeconds(60))
		.build();

	private final PostgresSchema schema = (URL != null) ? PostgresSchema.on(URL, "tokman") : null;

	private StallingProxy proxy;

	private ConfigurableApplicationContext tokman;

	private int port;

	@BeforeAll
	void startTokmanBehindTheProxy() {
		if (URL == null) {
			return;
		}
		Matcher database = HOST_PORT.matcher(URL);
		assertThat(database.find()).as(URL).isTrue();
		this.proxy = new StallingProxy(database.group(1),
				(database.group(2) != null) ? Integer.parseInt(database.group(2)) : 5432);
		String url = database.replaceFirst("//127.0.0.1:" + this.proxy.port() + "/");
		this.tokman = new SpringApplicationBuilder(TokmanApplication.class, TokmanTest.TestClock.class).run(
				"--tokman.github.app-id=" + TestEnvironment.APP_ID,
				"--tokman.github.private-key=" + TestEnvironment.PKCS1_KEY,
				"--tokman.github.api-url=" + TestEnvironment.apiUrl(), "--server.port=0",
				"--spring.datasource.url=" + this.schema.jdbcUrl(url), "--spring.flyway.schemas=" + this.schema.name(),
				// Requests, not the background, meet the outage here.
				"--tokman.token.refresh-ahead.enabled=false");
		this.port = ((WebServerApplicationContext) this.tokman).getWebServer().getPort();
	}

	@AfterAll
	void stopAndDropTheSchema() throws SQLException {
		if (this.tokman != null) {
			this.proxy.recover();
			this.tokman.close();
			this.proxy.close();
			this.schema.close();
		}
	}

	@BeforeEach
	void reset() {
		TestEnvironment.postgresUrl();
		github.latency(Duration.ZERO);
	}

	@Test
	void silentDatabaseCostsARequestNoMoreThanItsTimeoutAndHealsWhenItIsBack(CapturedOutput output) throws IOException {
		String held = TestEnvironment.uniqueRepository("outage");
		String other = TestEnvironment.uniqueRepository("outage");
		String heldToken = TestClient.token(this.port, held);
		String otherToken = TestClient.token(this.port, other);
		// Past cache-ttl and 20 s before expiry, inside the renew window: the memory
		// entries of both are due for a read of the database, and their tokens for a
		// renewal.
		TestEnvironment.CLOCK.advance(Duration.ofHours(1).minusSeconds(20));
		int tokenRequests = github.totalTokenRequests();
		int lookups = github.installationLookups();
		String newcomer = TestEnvironment.uniqueRepository("outage");
		this.proxy.stall();
		try {
			// The first request finds out, within the database timeout (2 s).
			Answer first = get("/api/" + held);
			assertThat(first.status()).as(first.body()).isEqualTo(200);
			assertThat(first.body()).contains(heldToken);
			assertThat(first.took()).isLessThan(Duration.ofSeconds(5));
			// The next ones know: served at once, new scopes told when to come back.
			for (int i = 0; i < 20; i++) {
				Answer served = get("/api/" + ((i % 2 == 0) ? held : other));
				assertThat(served.status()).as(served.body()).isEqualTo(200);
				assertThat(served.body()).contains((i % 2 == 0) ? heldToken : otherToken);
				assertThat(served.took()).isLessThan(Duration.ofSeconds(1));
			}
			Answer refused = get("/api/" + newcomer);
			assertThat(refused.status()).isEqualTo(503);
			assertThat(refused.retryAfter()).isEqualTo("1");
			assertThat(refused.body()).contains("database does not answer").doesNotContain("Exception");
			assertThat(refused.took()).isLessThan(Duration.ofSeconds(5));
			Answer readiness = get("/actuator/health/readiness");
			assertThat(readiness.status()).isEqualTo(503);
			assertThat(readiness.took()).isLessThan(Duration.ofSeconds(5));
			assertThat(github.totalTokenRequests()).isEqualTo(tokenRequests);
			assertThat(github.installationLookups()).isEqualTo(lookups);
			System.out.printf("Database silent: first request %d ms, then %d ms; new scope 503 in %d ms%n",
					first.took().toMillis(), get("/api/" + held).took().toMillis(), refused.took().toMillis());
		}
		finally {
			this.proxy.recover();
		}
		assertThat(output.getOut().lines().filter((line) -> line.contains("The database did not answer"))).hasSize(1);
		// A probe a second, on tokman's clock.
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			TestEnvironment.CLOCK.advance(Duration.ofSeconds(1));
			return get("/actuator/health/readiness").status() == 200;
		});
		assertThat(output.getOut()).contains("The database answers again");
		// Back: the newcomer gets its token, and the held ones are renewed.
		assertThat(TestClient.token(this.port, newcomer)).isNotBlank();
		assertThat(TestClient.token(this.port, held)).isNotEqualTo(heldToken);
	}

	@Test
	void readWaitingForABusyPoolIsNotTakenForADatabaseThatIsDown() throws Exception {
		HikariDataSource pool = this.tokman.getBean(HikariDataSource.class);
		String repository = TestEnvironment.uniqueRepository("busy");
		List<Connection> busy = new ArrayList<>();
		CompletableFuture<Answer> answer;
		try {
			// Every connection at work, as in a burst of renewals holding row locks.
			while (busy.size() < pool.getMaximumPoolSize()) {
				busy.add(pool.getConnection());
			}
			answer = CompletableFuture.supplyAsync(() -> {
				try {
					return get("/api/" + repository);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}, TestClient.THREADS);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> pool.getHikariPoolMXBean().getThreadsAwaitingConnection() > 0);
			// Past the database timeout (2 s), the request still waits its turn.
			await().during(Duration.ofSeconds(3))
				.atMost(Duration.ofSeconds(5))
				.until(() -> !answer.isDone() && get("/actuator/health/readiness").status() == 200);
		}
		finally {
			for (Connection connection : busy) {
				connection.close();
			}
		}
		Answer served = answer.get(30, TimeUnit.SECONDS);
		assertThat(served.status()).as(served.body()).isEqualTo(200);
		assertThat(github.tokenRequests(repository)).isEqualTo(1);
	}

	private Answer get(String path) throws IOException {
		long started = System.nanoTime();
		try (Response response = http.newCall(new Request.Builder().url("http://127.0.0.1:" + this.port + path).build())
			.execute()) {
			String body = response.body().string();
			return new Answer(response.code(), body, response.header("Retry-After"),
					Duration.ofNanos(System.nanoTime() - started));
		}
	}

	private record Answer(int status, String body, String retryAfter, Duration took) {

	}

}
