package io.tokman;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.tokman.simulator.GitHubSimulator;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged jar in Spring's AOT mode, as the image starts it: its bean definitions
 * were fixed when the jar was built, so each documented configuration is started here
 * from the same jar and checked to behave as in the regular mode. SQLite and PostgreSQL
 * (where TOKMAN_TEST_POSTGRES_URL names one), no authentication, API keys and OIDC
 * tokens, and Actuator on a port of its own.
 */
class AotModeIT {

	private static final List<String> AOT_MODE = List.of("-Dspring.aot.enabled=true");

	private static final String POSTGRES = System.getenv("TOKMAN_TEST_POSTGRES_URL");

	private final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(20)).build();

	private final GitHubSimulator github = ForkedTokman.gitHubSimulator();

	@StartStop
	private final MockWebServer server = new MockWebServer();

	private ForkedTokman tokman;

	@BeforeEach
	void connectGitHub() {
		this.server.setDispatcher(this.github);
	}

	@AfterEach
	void stop() throws InterruptedException {
		if (this.tokman != null) {
			this.tokman.kill();
		}
	}

	@Test
	void withoutAuthenticationItServesTokensOnVirtualThreads() throws Exception {
		this.tokman = start("aot-open.log", TestEnvironment.newDatabase());
		assertThat(get("/api/packit/ogr", null)).startsWith("200 ").contains("\"access_token\":\"ghs_");
		assertThat(get("/api/packit?repositories=ogr-owner", null)).startsWith("200 ")
			.contains("\"repositories\":[\"ogr-owner\"]");
		assertThat(get("/actuator/prometheus", null)).startsWith("200 ").contains("tokman_tokens_served_total");
		assertThat(this.github.tokenRequests("packit/ogr")).isEqualTo(1);
		String log = this.tokman.log();
		assertThat(log).contains("Starting AOT-processed TokmanApplication");
		if (Runtime.version().feature() >= 21) {
			// Built on this JVM, so the build's conditions saw virtual threads. Tomcat
			// names them tomcat-handler-N (the log pattern keeps the last 15 characters).
			assertThat(log).containsPattern("handler-\\d+\\] tokman\\.audit");
		}
	}

	@Test
	void apiKeysAndTheirGrantsAreEnforced() throws Exception {
		Path keys = Files.writeString(TestEnvironment.DIRECTORY.resolve("aot-keys-" + UUID.randomUUID()),
				"packit-worker:aot-key-0123456789 packit/*\n");
		TestEnvironment.CREDENTIALS.add("aot-key-0123456789");
		this.tokman = start("aot-keys.log", TestEnvironment.newDatabase(), "--tokman.access.api-keys-file=" + keys);
		assertThat(get("/api/packit/ogr", null)).startsWith("401 ");
		assertThat(get("/actuator/prometheus", null)).startsWith("401 ");
		assertThat(get("/api/rpms/python", "Bearer aot-key-0123456789")).startsWith("403 ");
		assertThat(get("/api/packit/ogr", "Bearer aot-key-0123456789")).startsWith("200 ");
		assertThat(get("/actuator/prometheus", "Bearer aot-key-0123456789")).startsWith("200 ");
		assertThat(get("/api/health", null)).startsWith("200 ");
		assertThat(this.github.tokenRequests("rpms/python")).isZero();
	}

	@Test
	void onPostgresqlWithOidcTokensReplicasShareTheRowLock() throws Exception {
		assumeTrue(POSTGRES != null, "TOKMAN_TEST_POSTGRES_URL is not set: no PostgreSQL to test against");
		try (PostgresSchema schema = PostgresSchema.on(POSTGRES, "aot"); TestIssuer issuer = new TestIssuer()) {
			this.tokman = start("aot-postgresql.log", null, schema.arguments().get(0), schema.arguments().get(1),
					"--tokman.access.oidc[0].issuer=" + issuer.url(), "--tokman.access.oidc[0].audience=tokman",
					"--tokman.access.oidc[0].policies[0].claims.sub=system:serviceaccount:packit:*",
					"--tokman.access.oidc[0].policies[0].repositories[0]=packit/*");
			String token = issuer.token("tokman", Clock.systemUTC().instant()).compact();
			TestEnvironment.CREDENTIALS.add(token);
			assertThat(get("/api/packit/ogr", null)).startsWith("401 ");
			assertThat(get("/api/packit/ogr", "Bearer " + token)).startsWith("200 ");
			assertThat(get("/api/packit/ogr", "Bearer " + token)).startsWith("200 ");
			assertThat(this.github.tokenRequests("packit/ogr")).isEqualTo(1);
			assertThat(this.tokman.log()).contains("Starting AOT-processed TokmanApplication");
		}
	}

	@Test
	void tracesAndSentryAreTurnedOnAtRunTime() throws Exception {
		try (MockWebServer collector = new MockWebServer(); MockWebServer sentry = new MockWebServer()) {
			collector.start(java.net.InetAddress.getLoopbackAddress(), 0);
			sentry.start(java.net.InetAddress.getLoopbackAddress(), 0);
			this.tokman = start("aot-observability.log", TestEnvironment.newDatabase(),
					"--otel.exporter.otlp.endpoint=" + collector.url("/"),
					"--management.opentelemetry.tracing.export.schedule-delay=50ms",
					"--sentry.dsn=http://public@127.0.0.1:" + sentry.getPort() + "/42",
					"--logging.structured.format.console=ecs", "--logging.level.io.tokman.token=info");
			assertThat(get("/api/packit/traced", null)).startsWith("200 ");
			this.github.fail("packit/rejected", 401);
			assertThat(get("/api/packit/rejected", null)).startsWith("502 ");
			RecordedRequest traces = collector.takeRequest(20, TimeUnit.SECONDS);
			assertThat(traces).as("spans exported").isNotNull();
			assertThat(traces.getUrl().encodedPath()).isEqualTo("/v1/traces");
			RecordedRequest envelope = sentry.takeRequest(20, TimeUnit.SECONDS);
			assertThat(envelope).as("a Sentry event").isNotNull();
			assertThat(envelope.getUrl().encodedPath()).isEqualTo("/api/42/envelope/");
			assertThat(this.tokman.log()).containsPattern("\\{\"@timestamp\".*\"message\":\"Minted a token for "
					+ "packit/traced.*\"traceId\":\"[0-9a-f]{32}\"");
		}
	}

	@Test
	void actuatorOnAPortOfItsOwnStartsInTheRegularMode() throws Exception {
		int management = ForkedTokman.freePort();
		this.tokman = start("aot-management.log", TestEnvironment.newDatabase(),
				"--management.server.port=" + management, "--logging.level.io.tokman.config=info");
		assertThat(get("/api/packit/ogr", null)).startsWith("200 ");
		assertThat(get("/actuator/health", null)).startsWith("404 ");
		try (Response response = this.http
			.newCall(new Request.Builder().url("http://127.0.0.1:" + management + "/actuator/health").build())
			.execute()) {
			assertThat(response.code()).isEqualTo(200);
		}
		assertThat(this.tokman.log()).contains("starting in Spring's regular mode")
			.contains("Starting TokmanApplication")
			.doesNotContain("Starting AOT-processed");
	}

	private ForkedTokman start(String log, Path database, String... arguments)
			throws IOException, InterruptedException {
		// The audit trail, and the line that says which mode started.
		String[] all = new String[arguments.length + 2];
		all[0] = "--logging.level.tokman.audit=info";
		all[1] = "--logging.level.io.tokman.TokmanApplication=info";
		System.arraycopy(arguments, 0, all, 2, arguments.length);
		return ForkedTokman.startJar(AOT_MODE, (database != null) ? database : TestEnvironment.newDatabase(),
				this.server.url("/").toString(), log, all);
	}

	/** The status line's code and the body, as "200 {...}". */
	private String get(String path, String authorization) throws IOException {
		Request.Builder request = new Request.Builder().url("http://127.0.0.1:" + this.tokman.port() + path);
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		try (Response response = this.http.newCall(request.build()).execute()) {
			return response.code() + " " + response.body().string();
		}
	}

}
