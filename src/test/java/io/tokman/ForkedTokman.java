package io.tokman;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.tokman.simulator.GitHubSimulator;
import okhttp3.OkHttpClient;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import okhttp3.Request;
import okhttp3.Response;

/**
 * tokman in a process of its own, on the real clock, that a test can kill with SIGKILL:
 * from the test classpath, or the packaged jar as the image runs it. Its output goes to a
 * log file under target/test-run.
 */
final class ForkedTokman implements AutoCloseable {

	private static final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(5)).build();

	private final Process process;

	private final int port;

	private final Path log;

	private ForkedTokman(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	/**
	 * A GitHub simulator for forked processes: they run on the real clock, so it does
	 * too.
	 */
	static GitHubSimulator gitHubSimulator() {
		return new GitHubSimulator(TestEnvironment.APP_ID, TestEnvironment.KEYS.getPublic(), Clock.systemUTC());
	}

	/**
	 * Starts tokman on the database, against the GitHub at apiUrl, and waits until it is
	 * healthy.
	 */
	static ForkedTokman start(Path database, String apiUrl, String log, String... arguments)
			throws IOException, InterruptedException {
		return start(List.of("-cp", System.getProperty("java.class.path"), TokmanApplication.class.getName()), database,
				apiUrl, log, arguments);
	}

	/**
	 * Starts the jar that {@code mvn package} built (the image's), with these JVM flags
	 * first: only in Failsafe's tests, which run after the jar is packaged.
	 */
	static ForkedTokman startJar(List<String> flags, Path database, String apiUrl, String log, String... arguments)
			throws IOException, InterruptedException {
		List<String> launcher = new ArrayList<>(flags);
		launcher.addAll(List.of("-jar", packagedJar().toString()));
		return start(launcher, database, apiUrl, log, arguments);
	}

	/** The jar {@code mvn package} built: only in Failsafe's tests. */
	static Path packagedJar() throws IOException {
		try (var jars = Files.list(Path.of("target"))) {
			return jars.filter((jar) -> jar.getFileName().toString().matches("tokman-.*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no target/tokman-*.jar: run mvn package first"));
		}
	}

	private static ForkedTokman start(List<String> launcher, Path database, String apiUrl, String log,
			String... arguments) throws IOException, InterruptedException {
		int port = freePort();
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1"));
		command.addAll(launcher);
		for (String property : TestEnvironment.properties(database)) {
			String name = property.substring(0, property.indexOf('=') + 1);
			// An argument given twice would be read as both values, comma-joined.
			if (!name.equals("tokman.github.api-url=")
					&& Arrays.stream(arguments).noneMatch((argument) -> argument.startsWith("--" + name))) {
				command.add("--" + property);
			}
		}
		command.add("--tokman.github.api-url=" + apiUrl);
		command.add("--server.port=" + port);
		command.add("--logging.level.root=WARN");
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(TestEnvironment.DIRECTORY.resolve(log).toFile())
			.start();
		return awaitHealthy(process, port, log);
	}

	/**
	 * Starts the packaged jar with this environment and no setting of the tests' own (so
	 * that it reads only what a deployment gives it, and logs as it would), listening on
	 * the port that the environment's BIND_ADDR names. Failsafe's tests only.
	 */
	static ForkedTokman startJarWithEnvironment(Map<String, String> environment, int port, String log)
			throws IOException, InterruptedException {
		String java = ProcessHandle.current().info().command().orElse("java");
		ProcessBuilder builder = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-jar", packagedJar().toString())
			.redirectErrorStream(true)
			.redirectOutput(TestEnvironment.DIRECTORY.resolve(log).toFile());
		builder.environment().putAll(environment);
		return awaitHealthy(builder.start(), port, log);
	}

	private static ForkedTokman awaitHealthy(Process process, int port, String log) {
		try {
			Awaitility.await("tokman healthy; see " + log)
				.atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(100))
				.failFast("tokman exited; see " + log, () -> !process.isAlive())
				.until(() -> healthy(port));
		}
		catch (ConditionTimeoutException | TerminalFailureException ex) {
			process.destroyForcibly();
			throw new AssertionError(ex.getMessage(), ex);
		}
		return new ForkedTokman(process, port, TestEnvironment.DIRECTORY.resolve(log));
	}

	private static boolean healthy(int port) {
		try (Response response = http
			.newCall(new Request.Builder().url("http://127.0.0.1:" + port + "/api/health").build())
			.execute()) {
			return response.code() == 200;
		}
		catch (IOException notYet) {
			return false;
		}
	}

	/** A port nobody listens on now. */
	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	int port() {
		return this.port;
	}

	/** What the process has logged so far. */
	String log() throws IOException {
		return Files.readString(this.log);
	}

	/** SIGKILL: no shutdown hook, no graceful anything. */
	void kill() throws InterruptedException {
		this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
	}

	@Override
	public void close() throws InterruptedException {
		kill();
	}

}
