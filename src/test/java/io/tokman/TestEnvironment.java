package io.tokman;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.tokman.simulator.GitHubSimulator;
import io.tokman.simulator.MutableClock;
import io.tokman.simulator.TestKeys;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Assumptions;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One App key, one clock and one GitHub simulator for the whole test run, shared by every
 * Spring context so that contexts are cached and the simulator's counts and the app's
 * clock agree.
 */
public final class TestEnvironment implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	public static final String APP_ID = "424242";

	public static final Instant START = Instant.parse("2026-11-25T12:00:00Z");

	/**
	 * Credentials the tests sent to tokman (API keys, OIDC tokens), which must never be
	 * logged: LogLeakTests looks for them beside the simulator's tokens and JWTs.
	 */
	public static final Set<String> CREDENTIALS = ConcurrentHashMap.newKeySet();

	public static final MutableClock CLOCK = new MutableClock(START);

	public static final KeyPair KEYS = TestKeys.generate();

	public static final Path DIRECTORY = directory();

	/**
	 * Everything this test run logs (logback-test.xml): Surefire's and Failsafe's runs
	 * each write their own.
	 */
	public static final Path LOG = DIRECTORY
		.resolve("tokman-" + System.getProperty("tokman.test.log", "tests") + ".log");

	public static final Path PKCS1_KEY = TestKeys.writePkcs1(KEYS, DIRECTORY.resolve("pkcs1.pem"));

	public static final Path PKCS8_KEY = TestKeys.writePkcs8(KEYS, DIRECTORY.resolve("pkcs8.pem"));

	public static final GitHubSimulator GITHUB = new GitHubSimulator(APP_ID, KEYS.getPublic(), CLOCK);

	private static final MockWebServer SERVER = start();

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		TestPropertyValues.of(properties(newDatabase())).applyTo(context);
	}

	/** The settings a tokman under test needs, on the database given. */
	public static String[] properties(Path database) {
		return new String[] { "tokman.github.app-id=" + APP_ID, "tokman.github.private-key=" + PKCS1_KEY,
				"tokman.github.api-url=" + apiUrl(), "spring.datasource.url=jdbc:sqlite:" + database };
	}

	/**
	 * The PostgreSQL to test against ({@code TOKMAN_TEST_POSTGRES_URL}). Without one the
	 * test is skipped, except where {@code TOKMAN_REQUIRE_POSTGRES=1} (CI) says it must
	 * run: there it fails.
	 */
	public static String postgresUrl() {
		String url = System.getenv("TOKMAN_TEST_POSTGRES_URL");
		if (url == null) {
			if ("1".equals(System.getenv("TOKMAN_REQUIRE_POSTGRES"))) {
				throw new AssertionError("TOKMAN_REQUIRE_POSTGRES=1, but TOKMAN_TEST_POSTGRES_URL names no PostgreSQL");
			}
			Assumptions.abort("TOKMAN_TEST_POSTGRES_URL is not set: no PostgreSQL to test against");
		}
		return url;
	}

	public static String apiUrl() {
		return SERVER.url("/").toString();
	}

	/**
	 * Makes the file immutable ({@code chattr +i}: no process may write it, not even
	 * through a descriptor it holds), or writable again. Needs root and a file system
	 * with the attribute; the test is skipped without them, except where
	 * {@code TOKMAN_REQUIRE_CHATTR=1} (CI) says it must run.
	 */
	public static void immutable(Path file, boolean immutable) throws IOException, InterruptedException {
		Process chattr;
		try {
			chattr = new ProcessBuilder("chattr", immutable ? "+i" : "-i", file.toString()).redirectErrorStream(true)
				.start();
		}
		catch (IOException ex) {
			chattr = null;
		}
		String said = (chattr != null) ? new String(chattr.getInputStream().readAllBytes()) : "no chattr";
		if (chattr == null || chattr.waitFor() != 0) {
			if (!immutable || "1".equals(System.getenv("TOKMAN_REQUIRE_CHATTR"))) {
				throw new AssertionError("chattr failed on " + file + ": " + said);
			}
			Assumptions.abort("chattr cannot make files immutable here: " + said);
		}
	}

	public static Path newDatabase() {
		return DIRECTORY.resolve("tokman-" + UUID.randomUUID() + ".db");
	}

	/**
	 * A repository name no other test uses, so tests share the simulator and database
	 * without interfering.
	 */
	public static String uniqueRepository(String owner) {
		return owner + "/repo-" + UUID.randomUUID().toString().substring(0, 8);
	}

	private static Path directory() {
		try {
			return Files.createDirectories(Path.of("target", "test-run")).toAbsolutePath();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static MockWebServer start() {
		MockWebServer server = new MockWebServer();
		server.setDispatcher(GITHUB);
		try {
			server.start(InetAddress.getLoopbackAddress(), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return server;
	}

}
