package io.tokman;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.tokman.simulator.TestKeys;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/** Starting and restarting the real application, as an operator does. */
@ExtendWith({ OutputCaptureExtension.class, ResetTestClock.class })
class StartupTests {

	@Test
	void restartedTokmanServesTheStoredTokenAndReadsPkcs8Keys() throws IOException {
		Path database = TestEnvironment.newDatabase();
		String repository = TestEnvironment.uniqueRepository("packit");
		String first;
		try (ConfigurableApplicationContext tokman = start(database,
				"tokman.github.private-key=" + TestEnvironment.PKCS1_KEY)) {
			first = token(tokman, repository);
			// Every token is in these files, sealed: readable by tokman's user only.
			for (String suffix : List.of("", "-wal", "-shm")) {
				Path file = Path.of(database + suffix);
				assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
					.isEqualTo("rw-------");
			}
			assertThat(rawDatabase(database)).doesNotContain(first);
		}
		try (ConfigurableApplicationContext tokman = start(database,
				"tokman.github.private-key=" + TestEnvironment.PKCS8_KEY)) {
			assertThat(token(tokman, repository)).isEqualTo(first);
			assertThat(TestEnvironment.GITHUB.tokenRequests(repository)).isEqualTo(1);
			// The PKCS#8 key signs JWTs the simulator accepts.
			String other = TestEnvironment.uniqueRepository("packit");
			assertThat(token(tokman, other)).startsWith("ghs_");
		}
	}

	@Test
	void originalTokmansDatabaseIsAdoptedAndItsTokensServedAsTheInstallationTokensTheyAre() throws IOException {
		Path database = TestEnvironment.newDatabase();
		String fresh = TestEnvironment.uniqueRepository("Packit");
		String stale = TestEnvironment.uniqueRepository("packit");
		// The original's schema as SQLAlchemy created it, and rows as it stored them:
		// naive UTC text.
		try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + database);
				Statement sql = sqlite.createStatement()) {
			sql.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
					+ "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))");
			sql.execute("INSERT INTO alembic_version VALUES ('00097801cd59')");
			sql.execute("CREATE TABLE tokens (id INTEGER NOT NULL, repo VARCHAR NOT NULL, token VARCHAR, "
					+ "expires_at DATETIME, PRIMARY KEY (id), UNIQUE (repo))");
			sql.execute("INSERT INTO tokens (repo, token, expires_at) VALUES ('" + fresh
					+ "', 'ghs_original', '2026-11-25 12:30:00.000000')");
			sql.execute("INSERT INTO tokens (repo, token, expires_at) VALUES ('" + stale
					+ "', 'ghs_stale', '2026-11-25 12:00:30.000000')");
			sql.execute("INSERT INTO tokens (repo, token, expires_at) VALUES ('" + fresh.toLowerCase()
					+ "', 'ghs_older', '2026-11-25 12:10:00.000000')");
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
		int wholeInstallation = TestEnvironment.GITHUB.tokenRequests("packit/*");
		try (ConfigurableApplicationContext tokman = start(database, "tokman.token.scope=installation")) {
			// Sealed by the migration, and no copy left in the clear in the files.
			assertThat(rawDatabase(database)).doesNotContain("ghs_original", "ghs_older", "ghs_stale");
			assertThat(token(tokman, fresh)).isEqualTo("ghs_original");
			assertThat(token(tokman, fresh.toLowerCase())).isEqualTo("ghs_original");
			// Inside the renew window, so renewed as any other.
			assertThat(token(tokman, stale)).startsWith("ghs_").isNotEqualTo("ghs_stale");
			assertThat(TestEnvironment.GITHUB.tokenRequests("packit/*")).isEqualTo(wholeInstallation + 1);
		}
		// A repository's token covers the repository alone: the original's installation-
		// wide token is not served as one, a scoped token is minted instead.
		try (ConfigurableApplicationContext tokman = start(database)) {
			assertThat(token(tokman, fresh)).startsWith("ghs_").isNotEqualTo("ghs_original");
			assertThat(TestEnvironment.GITHUB.tokenRequests(fresh)).isEqualTo(1);
		}
	}

	@Test
	void aStoredTokenSealedUnderAKeyNoLongerHeldIsMintedAgainWithoutAnError() throws IOException {
		Path database = TestEnvironment.newDatabase();
		String repository = TestEnvironment.uniqueRepository("packit");
		String first;
		try (ConfigurableApplicationContext tokman = start(database)) {
			first = token(tokman, repository);
		}
		// The App's key replaced by another: the data key derived from the old one is
		// gone with it.
		KeyPair replacement = TestKeys.generate();
		Path keys = Files.createDirectories(TestEnvironment.DIRECTORY.resolve("replaced-key-" + System.nanoTime()));
		TestKeys.writePkcs1(replacement, keys.resolve("private-key.pem"));
		TestEnvironment.GITHUB.addKey(TestEnvironment.APP_ID, replacement.getPublic());
		try (ConfigurableApplicationContext tokman = start(database, "tokman.github.private-key=" + keys)) {
			assertThat(token(tokman, repository)).startsWith("ghs_").isNotEqualTo(first);
			assertThat(TestEnvironment.GITHUB.tokenRequests(repository)).isEqualTo(2);
		}
	}

	@Test
	void installationWideTokenIsOnlyForAClientGrantedTheWholeOwner() throws IOException {
		Path keys = Files.writeString(TestEnvironment.DIRECTORY.resolve("installation-keys"),
				"narrow:narrow-installation-secret packit/ogr\nwide:wide-installation-secret packit/*\n");
		TestEnvironment.CREDENTIALS.add("narrow-installation-secret");
		TestEnvironment.CREDENTIALS.add("wide-installation-secret");
		String repository = TestEnvironment.uniqueRepository("packit");
		try (ConfigurableApplicationContext tokman = start(TestEnvironment.newDatabase(),
				"tokman.token.scope=installation", "tokman.access.api-keys-file=" + keys)) {
			int port = ((WebServerApplicationContext) tokman).getWebServer().getPort();
			int calls = TestEnvironment.GITHUB.tokenRequests("packit/*");
			try (Response refused = new OkHttpClient()
				.newCall(new Request.Builder().url("http://127.0.0.1:" + port + "/api/packit/ogr")
					.header("Authorization", "Bearer narrow-installation-secret")
					.build())
				.execute()) {
				assertThat(refused.code()).isEqualTo(403);
				assertThat(refused.body().string()).contains("Client narrow may not ask for packit/ogr with "
						+ "TOKMAN_TOKEN_SCOPE=installation: an installation-wide token needs a grant of all of "
						+ "packit's repositories (packit/*)");
			}
			assertThat(TestEnvironment.GITHUB.tokenRequests("packit/*")).isEqualTo(calls);
			assertThat(TestClient.status(port, "/api/" + repository, "Bearer wide-installation-secret")).isEqualTo(200);
			assertThat(TestEnvironment.GITHUB.tokenRequests("packit/*")).isEqualTo(calls + 1);
		}
	}

	@Test
	void apiKeysAndNamespaceAllowListGuardTheTokenEndpoints(CapturedOutput output) throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		try (ConfigurableApplicationContext tokman = start(TestEnvironment.newDatabase(),
				"tokman.access.api-keys=worker-key,other-key", "tokman.access.namespaces=Packit,rpms",
				"tokman.access.github-budget.mints=1")) {
			assertThat(output).contains("Authentication: API keys for 2 clients, OIDC tokens of 0 issuers")
				.doesNotContain("worker-key");
			int port = ((WebServerApplicationContext) tokman).getWebServer().getPort();
			try (Response refused = new OkHttpClient()
				.newCall(new Request.Builder().url("http://127.0.0.1:" + port + "/api/" + repository).build())
				.execute()) {
				assertThat(refused.code()).isEqualTo(401);
				assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer");
				assertThat(refused.header("Content-Type")).isEqualTo("application/json");
				assertThat(refused.body().string())
					.isEqualTo("{\"error\":\"Send a valid API key as 'Authorization: Bearer <key>'\"}");
			}
			assertThat(TestClient.status(port, "/api/" + repository, "Bearer wrong")).isEqualTo(401);
			assertThat(TestClient.status(port, "/api/health", null)).isEqualTo(200);
			assertThat(TestClient.status(port, "/api/someone-else/repo", "Bearer worker-key")).isEqualTo(403);
			assertThat(TestClient.status(port, "/api/" + repository, "Bearer other-key")).isEqualTo(200);
			// other-key's budget of one mint is spent; worker-key's is its own.
			String another = TestEnvironment.uniqueRepository("packit");
			assertThat(TestClient.status(port, "/api/" + another, "Bearer other-key")).isEqualTo(429);
			assertThat(TestClient.status(port, "/api/" + repository, "Bearer other-key")).isEqualTo(200);
			assertThat(TestClient.status(port, "/api/" + another, "Bearer worker-key")).isEqualTo(200);
			assertThat(TestEnvironment.GITHUB.tokenRequests(repository)).isEqualTo(1);
			assertThat(TestEnvironment.GITHUB.tokenRequests("someone-else/repo")).isZero();
		}
	}

	@Test
	void actuatorOnAPortOfItsOwnListensOnlyWhereTheApiDoesAndStillNeedsAKey() throws IOException {
		int management;
		try (ServerSocket free = new ServerSocket(0)) {
			management = free.getLocalPort();
		}
		TestEnvironment.CREDENTIALS.add("scraper-secret");
		try (ConfigurableApplicationContext tokman = start(TestEnvironment.newDatabase(), "server.address=127.0.0.1",
				"management.server.port=" + management, "tokman.access.api-keys=scraper-secret")) {
			assertThat(TestClient.status(management, "/actuator/health/readiness", null)).isEqualTo(200);
			assertThat(TestClient.status(management, "/actuator/prometheus", null)).isEqualTo(401);
			assertThat(TestClient.status(management, "/actuator/prometheus", "Bearer scraper-secret")).isEqualTo(200);
			// Linux routes all of 127/8 to loopback: only a socket bound to every address
			// (or to this one) accepts a connection to 127.0.0.2.
			assertThatException().isThrownBy(() -> new Socket("127.0.0.2", management).close())
				.isInstanceOf(ConnectException.class);
		}
	}

	@Test
	void listeningBeyondLoopbackWithoutAuthenticationIsWarnedAbout(CapturedOutput output) {
		try (ConfigurableApplicationContext tokman = start(TestEnvironment.newDatabase(), "server.address=0.0.0.0")) {
			assertThat(output).contains("Authentication is off and tokman listens on 0.0.0.0")
				.contains("Set TOKMAN_API_KEYS or TOKMAN_API_KEYS_FILE");
		}
	}

	@Test
	void missingKeyStopsStartupWithOneClearMessage(CapturedOutput output) {
		Path missing = TestEnvironment.DIRECTORY.resolve("no-such-key.pem");
		assertThatException()
			.isThrownBy(() -> start(TestEnvironment.newDatabase(), "tokman.github.private-key=" + missing).close());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("GITHUB_APP_PRIVATE_KEY: cannot use " + missing + ": the file does not exist")
			.doesNotContain("\tat ");
	}

	@Test
	void invalidKeyStopsStartupWithOneClearMessage(CapturedOutput output) throws IOException {
		Path garbage = Files.writeString(TestEnvironment.DIRECTORY.resolve("garbage.pem"), "garbage\n");
		assertThatException()
			.isThrownBy(() -> start(TestEnvironment.newDatabase(), "tokman.github.private-key=" + garbage).close());
		assertThat(output).contains("GITHUB_APP_PRIVATE_KEY: cannot use " + garbage).doesNotContain("\tat ");
	}

	@Test
	void missingAppIdStopsStartupNamingTheSetting(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start(TestEnvironment.newDatabase(), "tokman.github.app-id=").close());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("must be set (GITHUB_APP_ID)")
			.doesNotContain("\tat ");
	}

	@Test
	void oidcPolicyWithAMistypedKeyStopsStartupInsteadOfMatchingEveryToken(CapturedOutput output) {
		assertThatException().isThrownBy(() -> startWithGitHubActionsPolicy("claim.repository_owner=packit").close());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("tokman.access.oidc[0].policies[0].claim.repository_owner")
			.doesNotContain("\tat ");
	}

	@Test
	void oidcPolicyWithAMistypedRoleStopsStartupRatherThanMakeAWorker(CapturedOutput output) {
		String issuer = "tokman.access.oidc[0].";
		assertThatException().isThrownBy(() -> start(TestEnvironment.newDatabase(),
				issuer + "issuer=https://token.actions.githubusercontent.com", issuer + "audience=tokman",
				issuer + "policies[0].claims.repository_owner=packit", issuer + "policies[0].role=admins")
			.close());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("tokman.access.oidc[0].policies[0].role")
			.contains("must be worker or admin");
	}

	@Test
	void aWebhookSecretFileThatCannotBeReadStopsStartupNamingTheSetting(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start(TestEnvironment.newDatabase(),
				"tokman.github.webhook-secret-file=" + TestEnvironment.DIRECTORY.resolve("no-such-secret"))
			.close());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("GITHUB_WEBHOOK_SECRET_FILE")
			.contains("no-such-secret")
			.doesNotContain("\tat ");
	}

	@Test
	void oidcPolicyWithoutClaimsStopsStartup(CapturedOutput output) {
		assertThatException().isThrownBy(() -> startWithGitHubActionsPolicy("name=everyone").close());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("tokman.access.oidc[0].policies[0].claims")
			.contains("must name at least one claim");
	}

	@Test
	void misspeltPropertyOfTokmansStopsStartupNamingIt(CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> start(TestEnvironment.newDatabase(), "tokman.github.call-timout=20s").close());
		assertThat(output).contains("APPLICATION FAILED TO START").contains("tokman.github.call-timout");
		assertThatException()
			.isThrownBy(() -> start(TestEnvironment.newDatabase(), "tokman.tokne.cache-size=10").close());
		assertThat(output).contains("Unknown setting 'tokman.tokne.cache-size' in the command line");
	}

	@Test
	void noCallsToGitHubAtOnceStopsStartupRatherThanMintNothing(CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> start(TestEnvironment.newDatabase(), "tokman.github.concurrent-calls=0").close());
		assertThat(output).contains("APPLICATION FAILED TO START").contains("tokman.github.concurrent-calls");
	}

	@Test
	void placeholderAppIdStopsStartupNamingTheSetting(CapturedOutput output) {
		assertThatException().isThrownBy(
				() -> start(TestEnvironment.newDatabase(), "tokman.github.app-id=replace-with-your-app-id").close());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("must be the App's numeric ID or its client ID")
			.contains("GITHUB_APP_ID");
	}

	@Test
	void startupSaysWhoMayAskForWhatWithoutAKey(CapturedOutput output) throws IOException {
		Path keys = Files.writeString(TestEnvironment.DIRECTORY.resolve("startup-keys"),
				"rpms-worker:rpms-startup-secret rpms/* permissions=contents:read\n");
		String issuer = "tokman.access.oidc[0].";
		try (ConfigurableApplicationContext tokman = start(TestEnvironment.newDatabase(),
				"tokman.access.api-keys-file=" + keys, issuer + "issuer=https://issuer.example",
				issuer + "audience=tokman", issuer + "policies[0].name=packit-ci",
				issuer + "policies[0].claims.repository_owner=packit",
				issuer + "policies[0].repositories[0]=packit/*")) {
			assertThat(output).contains("API key client rpms-worker: Grant[rpms/*] permissions=contents:read")
				.contains("OIDC issuer https://issuer.example (audience tokman, tokens living at most 3600 s): claims "
						+ "{repository_owner=packit} make client packit-ci: Grant[packit/*]")
				.doesNotContain("rpms-startup-secret");
		}
	}

	@Test
	void sqliteFileNamedByAPercentEncodedUriIsReadableByTokmanOnly() throws IOException {
		Path folder = Files.createDirectories(TestEnvironment.DIRECTORY.resolve("uri-" + System.nanoTime()));
		Path database = folder.resolve("my db.sqlite");
		try (ConfigurableApplicationContext tokman = start(database,
				"spring.datasource.url=jdbc:sqlite:file:" + folder + "/my%20db.sqlite")) {
			token(tokman, TestEnvironment.uniqueRepository("packit"));
			for (String suffix : List.of("", "-wal", "-shm")) {
				Path file = Path.of(database + suffix);
				assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
					.isEqualTo("rw-------");
			}
			assertThat(folder.resolve("my%20db.sqlite")).doesNotExist();
		}
	}

	/**
	 * tokman trusting GitHub Actions' issuer, with one policy for packit/* and this
	 * setting.
	 */
	private static ConfigurableApplicationContext startWithGitHubActionsPolicy(String policySetting) {
		String issuer = "tokman.access.oidc[0].";
		return start(TestEnvironment.newDatabase(), issuer + "issuer=https://token.actions.githubusercontent.com",
				issuer + "audience=tokman", issuer + "policies[0]." + policySetting,
				issuer + "policies[0].repositories[0]=packit/*");
	}

	private static ConfigurableApplicationContext start(Path database, String... overrides) {
		Map<String, String> properties = new LinkedHashMap<>();
		Stream.of(TestEnvironment.properties(database), new String[] { "server.port=0" }, overrides)
			.flatMap(Stream::of)
			.forEach((property) -> properties.put(property.substring(0, property.indexOf('=')), property));
		// As command-line arguments, so that they outrank application.yml as an
		// operator's settings do.
		return new SpringApplicationBuilder(TokmanApplication.class, TokmanTest.TestClock.class)
			.run(properties.values().stream().map((property) -> "--" + property).toArray(String[]::new));
	}

	/** The SQLite file and its write-ahead log, byte for byte. */
	private static String rawDatabase(Path database) throws IOException {
		StringBuilder raw = new StringBuilder();
		for (String suffix : List.of("", "-wal")) {
			Path file = Path.of(database + suffix);
			if (Files.exists(file)) {
				raw.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
			}
		}
		assertThat(raw).as("the database's files").isNotEmpty();
		return raw.toString();
	}

	private String token(ConfigurableApplicationContext tokman, String repository) throws IOException {
		return TestClient.token(((WebServerApplicationContext) tokman).getWebServer().getPort(), repository);
	}

}
