package io.tokman;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.tokman.simulator.GitHubSimulator;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP contract ogr's client relies on, end to end against the GitHub simulator. */
@TokmanTest
@ExtendWith(ResetTestClock.class)
class TokenApiTests {

	private static final GitHubSimulator github = TestEnvironment.GITHUB;

	private static final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(30)).build();

	private static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private MeterRegistry registry;

	@AfterEach
	void resetLatency() {
		github.latency(Duration.ZERO);
	}

	@Test
	void tokenIsAnsweredInTheOriginalJsonShapeWithItsExpiryAndGrant() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		try (Response response = get("/api/" + repository)) {
			String body = response.body().string();
			String token = json.readTree(body).path("access_token").asString();
			assertThat(response.code()).isEqualTo(200);
			assertThat(response.header("Content-Type")).isEqualTo("application/json");
			// The original's three keys first, as ogr reads them; then the new ones.
			assertThat(body).isEqualTo("{\"namespace\":\"packit\",\"repository\":\"" + repository.substring(7)
					+ "\",\"access_token\":\"" + token + "\",\"expires_at\":\""
					+ TestEnvironment.CLOCK.instant().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS)
					+ "\",\"permissions\":{\"checks\":\"write\",\"contents\":\"write\",\"issues\":\"write\","
					+ "\"metadata\":\"read\",\"pull_requests\":\"write\",\"statuses\":\"write\"},"
					+ "\"repository_selection\":\"selected\"}");
			assertThat(token).startsWith("ghs_").hasSizeGreaterThan(500).contains(".");
		}
	}

	@Test
	void freshTokenIsServedAgainWithoutCallingGitHub() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		String first = token(repository);
		TestEnvironment.CLOCK.advance(Duration.ofMinutes(58));
		String second = token(repository);
		assertThat(second).isEqualTo(first);
		assertThat(github.tokenRequests(repository)).isEqualTo(1);
	}

	@Test
	void freshTokenIsServedFromMemoryWithoutReadingTheDatabaseUntilTheCacheTtl() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		String first = token(repository);
		// Gone from the database, yet served: from memory.
		this.jdbc.update("delete from tokens where owner || '/' || repositories = ?", repository.toLowerCase());
		assertThat(token(repository)).isEqualTo(first);
		assertThat(github.tokenRequests(repository)).isEqualTo(1);
		// Past the cache's 30 s the database is read again, and, the row being gone, a
		// token minted.
		TestEnvironment.CLOCK.advance(Duration.ofSeconds(31));
		assertThat(token(repository)).isNotEqualTo(first);
		assertThat(github.tokenRequests(repository)).isEqualTo(2);
	}

	@Test
	void tokenInsideRenewWindowIsRenewedWithExactlyOnePostAndNoLookup() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		int lookups = github.installationLookups();
		String first = token(repository);
		// The simulator's tokens live one hour; the default renew window is the last 60
		// seconds, and in its second half a request renews the token itself (in the
		// first, refresh-ahead does: RefreshAheadTests).
		TestEnvironment.CLOCK.advance(Duration.ofMinutes(59).plusSeconds(31));
		String renewed = token(repository);
		String again = token(repository);
		assertThat(renewed).isNotEqualTo(first);
		assertThat(again).isEqualTo(renewed);
		assertThat(github.tokenRequests(repository)).isEqualTo(2);
		// The installation id is remembered from the first mint: a renewal is one call.
		assertThat(github.installationLookups()).isEqualTo(lookups + 1);
	}

	@Test
	void tokenJustOutsideRenewWindowIsNotRenewed() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		String first = token(repository);
		TestEnvironment.CLOCK.advance(Duration.ofMinutes(58).plusSeconds(59));
		assertThat(token(repository)).isEqualTo(first);
		assertThat(github.tokenRequests(repository)).isEqualTo(1);
	}

	@Test
	void storedTokenIsServedWhileStillValidWhenRenewingItFails() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		String first = token(repository);
		TestEnvironment.CLOCK.advance(Duration.ofMinutes(59).plusSeconds(40));
		github.fail(repository, 500);
		try {
			assertThat(token(repository)).isEqualTo(first);
			// Past its expiry it is no use to anyone: the failure reaches the client, as
			// a 5xx ogr retries.
			TestEnvironment.CLOCK.advance(Duration.ofSeconds(21));
			try (Response response = get("/api/" + repository)) {
				assertThat(response.code()).isEqualTo(502);
				assertThat(response.body().string())
					.isEqualTo("{\"error\":\"Failed to retrieve a token: GitHub answered 500 to the token request: "
							+ "Server Error\"}");
			}
		}
		finally {
			github.heal(repository);
		}
		assertThat(token(repository)).isNotEqualTo(first);
	}

	@Test
	void repositoryNamesDifferingOnlyInCaseShareOneToken() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		String first = token(repository);
		assertThat(token(repository.toUpperCase())).isEqualTo(first);
		assertThat(github.tokenRequests(repository)).isEqualTo(1);
	}

	@Test
	void appNotInstalledGivesTheOriginalsExact400() throws IOException {
		String repository = TestEnvironment.uniqueRepository("someone");
		github.uninstall(repository);
		try (Response response = get("/api/" + repository)) {
			assertThat(response.code()).isEqualTo(400);
			assertThat(response.header("Content-Type")).isEqualTo("application/json");
			assertThat(response.body().string())
				.isEqualTo("{\"error\":\"Failed to retrieve a token: App is not installed on " + repository + "\"}");
		}
		assertThat(github.tokenRequests(repository)).isZero();
	}

	@Test
	void notInstalledIsRememberedForAMinuteSoALoopCostsGitHubOneLookup() throws IOException {
		String repository = TestEnvironment.uniqueRepository("someone");
		github.uninstall(repository);
		int lookups = github.installationLookups();
		for (int i = 0; i < 3; i++) {
			try (Response response = get("/api/" + repository)) {
				assertThat(response.code()).isEqualTo(400);
			}
		}
		assertThat(github.installationLookups() - lookups).isEqualTo(1);
		TestEnvironment.CLOCK.advance(Duration.ofSeconds(61));
		try (Response response = get("/api/" + repository)) {
			assertThat(response.code()).isEqualTo(400);
		}
		assertThat(github.installationLookups() - lookups).isEqualTo(2);
	}

	@Test
	void herdOfFiftyConcurrentRequestsMintsOnceAndSharesTheToken() throws Exception {
		String repository = TestEnvironment.uniqueRepository("packit");
		Set<String> tokens = TestClient.whileHeld(repository, this::waiting, 49,
				() -> TestClient.herd(List.of(this.port), Collections.nCopies(50, repository)));
		assertThat(tokens).hasSize(1);
		assertThat(github.tokenRequests(repository)).isEqualTo(1);
	}

	@Test
	void herdReportingTheSameInvalidTokenCausesExactlyOneNewMint() throws Exception {
		String repository = TestEnvironment.uniqueRepository("packit");
		String bad = token(repository);
		Set<String> tokens = TestClient.whileHeld(repository, this::waiting, 19,
				() -> TestClient.invalidationHerd(List.of(this.port), Collections.nCopies(20, repository), bad));
		assertThat(tokens).hasSize(1).doesNotContain(bad);
		assertThat(github.tokenRequests(repository)).isEqualTo(2);
		assertThat(token(repository)).isEqualTo(tokens.iterator().next());
	}

	private int waiting() {
		return (int) this.registry.get("tokman.renewals.waiting").gauge().value();
	}

	@Test
	void eachTokenHandedOutIsAuditedWithItsFingerprintNeverTheToken() throws Exception {
		String repository = TestEnvironment.uniqueRepository("Packit");
		String token = token(repository);
		assertThat(token(repository)).isEqualTo(token);
		String renewed = invalidate(repository, token);
		String fingerprint = fingerprint(token);
		String log = Files.readString(TestEnvironment.LOG);
		String line = "client=anonymous remote=127.0.0.1 repository=" + repository.toLowerCase(Locale.ROOT);
		assertThat(log)
			.containsPattern(
					"tokman\\.audit +: " + line + " outcome=minted expires_at=\\S+Z token_sha256=" + fingerprint)
			// Served again to the client that got it minted, from the same address:
			// counted,
			// not written again (AuditTrailTests).
			.doesNotContainPattern(
					"tokman\\.audit\\.served +: " + line + " outcome=served \\S+ token_sha256=" + fingerprint)
			.containsPattern(
					"tokman\\.audit +: " + line + " outcome=invalidated \\S+ token_sha256=" + fingerprint(renewed));
	}

	@Test
	void hugeReportIsRefusedWith413BeforeItsBodyArrives() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		// Claims 30 MB, sends the first 64 KB: the answer must not wait for the rest.
		String answer = TestClient.raw(this.port,
				"POST /api/" + repository + "/invalidate HTTP/1.1\r\nHost: x\r\n"
						+ "Content-Type: application/json\r\nContent-Length: 31457280\r\n\r\n{\"access_token\":\"",
				"A".repeat(64 * 1024), Duration.ZERO);
		assertThat(answer).startsWith("HTTP/1.1 413")
			.contains("{\"error\":\"The request body is larger than 8192 bytes\"}");
		assertThat(github.tokenRequests(repository)).isZero();
	}

	@Test
	void chunkedReportLargerThanTheLimitIsRefusedWith413() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		String chunk = "A".repeat(4096);
		String chunks = (Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n").repeat(4) + "0\r\n\r\n";
		String answer = TestClient.raw(this.port,
				"POST /api/" + repository + "/invalidate HTTP/1.1\r\nHost: x\r\n"
						+ "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
				chunks, Duration.ZERO);
		assertThat(answer).startsWith("HTTP/1.1 413");
		assertThat(github.tokenRequests(repository)).isZero();
	}

	@Test
	void reportWhoseTokenIsNotAStringOrLongerThanAnyGitHubTokenIs400() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		for (String body : List.of("{\"access_token\": 123}", "{\"access_token\": [\"ghs_x\"]}",
				"{\"access_token\": {\"a\": 1}}", "[]", "null", "{\"access_token\": \"" + "A".repeat(2049) + "\"}",
				"{\"access_token\": \"unterminated")) {
			String answer = TestClient.raw(this.port,
					"POST /api/" + repository + "/invalidate HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
							+ "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n",
					body, Duration.ZERO);
			assertThat(answer).as(body).startsWith("HTTP/1.1 400").contains("{\"error\":\"");
		}
		assertThat(github.tokenRequests(repository)).isZero();
	}

	@Test
	void reportTricklingInSlowerThanTheTimeoutIs408() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		String body = "{\"access_token\":\"ghs_slow\"}";
		String answer = TestClient.raw(this.port,
				"POST /api/" + repository + "/invalidate HTTP/1.1\r\nHost: x\r\n"
						+ "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n",
				body, Duration.ofMillis(200));
		assertThat(answer).startsWith("HTTP/1.1 408").contains("did not arrive within 2 s");
		assertThat(github.tokenRequests(repository)).isZero();
	}

	@Test
	void pathParametersAreRefusedBeforeGitHubIsCalled() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		int lookups = github.installationLookups();
		for (String path : List.of("/api/packit;x/" + repository.substring(7), "/api/" + repository + ";x")) {
			try (Response response = get(path)) {
				assertThat(response.code()).as(path).isEqualTo(400);
				assertThat(response.body().string()).isEqualTo("{\"error\":\"Invalid path\"}");
			}
		}
		assertThat(github.installationLookups()).isEqualTo(lookups);
		assertThat(github.tokenRequests(repository)).isZero();
	}

	@Test
	void reportingATokenOlderThanTheOneHeldMintsNothing() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		String old = token(repository);
		String current = invalidate(repository, old);
		assertThat(invalidate(repository, old)).isEqualTo(current);
		assertThat(invalidate(repository, "ghs_never-minted")).isEqualTo(current);
		assertThat(github.tokenRequests(repository)).isEqualTo(2);
	}

	@Test
	void invalidationWithoutATokenIs400AndCallsNoOne() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		for (String body : List.of("{}", "{\"access_token\": \"\"}", "not json")) {
			try (Response response = http
				.newCall(request("/api/" + repository + "/invalidate")
					.post(RequestBody.create(body, MediaType.get("application/json")))
					.build())
				.execute()) {
				assertThat(response.code()).as(body).isEqualTo(400);
				assertThat(response.header("Content-Type")).isEqualTo("application/json");
				assertThat(json.readTree(response.body().string()).path("error").asString()).isNotEmpty();
			}
		}
		assertThat(github.tokenRequests(repository)).isZero();
	}

	@Test
	void otherRepositoriesAreServedWhileOneRenewalWaitsOnGitHub() throws Exception {
		String stuck = TestEnvironment.uniqueRepository("packit");
		String other = TestEnvironment.uniqueRepository("packit");
		github.hold(stuck);
		try {
			CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> call(() -> token(stuck)),
					TestClient.THREADS);
			assertThat(github.awaitHeldRequest(stuck, Duration.ofSeconds(10))).isTrue();
			assertThat(token(other)).startsWith("ghs_");
			assertThat(waiting).isNotDone();
			github.release(stuck);
			assertThat(waiting.get(10, TimeUnit.SECONDS)).startsWith("ghs_");
		}
		finally {
			github.release(stuck);
		}
	}

	@Test
	void healthAnswersGetWithJsonAndHeadWithNoBody() throws IOException {
		try (Response response = get("/api/health")) {
			assertThat(response.code()).isEqualTo(200);
			assertThat(response.header("Content-Type")).isEqualTo("application/json");
			assertThat(response.body().string()).isEqualTo("{\"message\":\"ok\"}");
		}
		try (Response response = http.newCall(request("/api/health").head().build()).execute()) {
			assertThat(response.code()).isEqualTo(200);
			assertThat(response.body().bytes()).isEmpty();
		}
	}

	@Test
	void eachRequestIsLoggedWithCallerRequestStatusAndDuration() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		try (Response response = http
			.newCall(request("/api/" + repository).header("User-Agent", "ogr-test/" + repository).build())
			.execute()) {
			assertThat(response.code()).isEqualTo(200);
		}
		String log = Files.readString(TestEnvironment.LOG);
		assertThat(log).containsPattern("RequestLog +: 127\\.0\\.0\\.1:\\d+ \"ogr-test/" + repository + "\" GET /api/"
				+ repository + " 200 \\d+ ms");
	}

	@Test
	void unknownPathGetsJson404() throws IOException {
		try (Response response = http.newCall(request("/nothing/here/at/all").header("Accept", "text/html").build())
			.execute()) {
			assertThat(response.code()).isEqualTo(404);
			assertThat(response.header("Content-Type")).isEqualTo("application/json");
			assertThat(json.readTree(response.body().string()).path("error").asString()).isNotEmpty();
		}
	}

	@Test
	void errorPageIsJsonEvenForABrowser() throws IOException {
		try (Response response = http.newCall(request("/error").header("Accept", "text/html").build()).execute()) {
			assertThat(response.code()).isEqualTo(500);
			assertThat(response.header("Content-Type")).isEqualTo("application/json");
			assertThat(response.body().string()).isEqualTo("{\"error\":\"Internal Server Error\"}");
		}
	}

	@Test
	void wrongMethodGetsJson405() throws IOException {
		try (Response response = http.newCall(request("/api/packit/ogr").post(RequestBody.create("", null)).build())
			.execute()) {
			assertThat(response.code()).isEqualTo(405);
			assertThat(response.header("Content-Type")).isEqualTo("application/json");
			assertThat(response.header("Allow")).contains("GET");
			assertThat(json.readTree(response.body().string()).path("error").asString()).isNotEmpty();
		}
	}

	@Test
	void invalidRepositoryNameGets400AndNoGitHubCall() throws IOException {
		int lookups = github.installationLookups();
		try (Response response = get("/api/packit/" + "x".repeat(101))) {
			assertThat(response.code()).isEqualTo(400);
			assertThat(response.header("Content-Type")).isEqualTo("application/json");
			assertThat(json.readTree(response.body().string()).path("error").asString())
				.startsWith("Invalid repository");
		}
		try (Response response = get("/api/pack%2Fit/ogr")) {
			assertThat(response.code()).isEqualTo(400);
			assertThat(response.header("Content-Type")).startsWith("application/json");
		}
		assertThat(github.installationLookups()).isEqualTo(lookups);
	}

	private String token(String repository) throws IOException {
		return TestClient.token(this.port, repository);
	}

	/**
	 * The first 16 hex characters of the token's SHA-256, as the audit trail names it.
	 */
	private static String fingerprint(String token) throws NoSuchAlgorithmException {
		return HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)), 0, 8);
	}

	private String invalidate(String repository, String token) throws IOException {
		return TestClient.invalidate(this.port, repository, token);
	}

	private Response get(String path) throws IOException {
		return http.newCall(request(path).build()).execute();
	}

	private Request.Builder request(String path) {
		return new Request.Builder().url("http://127.0.0.1:" + this.port + path);
	}

	private static <T> T call(IoSupplier<T> supplier) {
		try {
			return supplier.get();
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
	}

	@FunctionalInterface
	interface IoSupplier<T> {

		T get() throws IOException;

	}

}
