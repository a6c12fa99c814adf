package io.tokman;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.tokman.simulator.GitHubSimulator;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * tokman in a process of its own, on the test classpath and the real clock, that a test
 * can kill with SIGKILL; its output goes to a log file under target/test-run.
 */
final class ForkedTokman implements AutoCloseable {

	private static final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(5)).build();

	private final Process process;

	private final int port;

	private ForkedTokman(Process process, int port) {
		this.process = process;
		this.port = port;
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
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), TokmanApplication.class.getName()));
		for (String property : TestEnvironment.properties(database)) {
			if (!property.startsWith("tokman.github.api-url=")) {
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
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < deadline) {
			assertThat(process.isAlive()).as("tokman is running; see " + log).isTrue();
			try (Response response = http
				.newCall(new Request.Builder().url("http://127.0.0.1:" + port + "/api/health").build())
				.execute()) {
				if (response.code() == 200) {
					return new ForkedTokman(process, port);
				}
			}
			catch (IOException notYet) {
				Thread.sleep(100);
			}
		}
		process.destroyForcibly();
		throw new AssertionError("tokman did not start within 60 s; see " + log);
	}

	int port() {
		return this.port;
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
