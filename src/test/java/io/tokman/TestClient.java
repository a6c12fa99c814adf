package io.tokman;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.net.Socket;
import java.net.InetAddress;
import java.io.OutputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.tokman.simulator.GitHubSimulator;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker's view of tokman instances on local ports: one request, or a herd of them
 * released at once.
 */
public final class TestClient {

	private static final OkHttpClient http = new OkHttpClient.Builder().dispatcher(dispatcher())
		.connectionPool(new ConnectionPool(50, 1, TimeUnit.MINUTES))
		.readTimeout(Duration.ofSeconds(60))
		.build();

	/**
	 * Threads for a test's work in the background. Not CompletableFuture's default: on
	 * Java 25 with two cores it is a common pool of one thread, on which a request
	 * waiting for GitHub holds up every other task.
	 */
	public static final Executor THREADS = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "test-background");
		thread.setDaemon(true);
		return thread;
	});

	private TestClient() {
	}

	/**
	 * The token tokman on the port serves for the repository; anything but a 200 fails
	 * the test.
	 */
	public static String token(int port, String repository) throws IOException {
		try (Response response = http.newCall(new Request.Builder().url(url(port, "/api/" + repository)).build())
			.execute()) {
			String body = response.body().string();
			assertThat(response.code()).as(body).isEqualTo(200);
			return body.replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
		}
	}

	/** Reports the token invalid and returns the token tokman answers with. */
	static String invalidate(int port, String repository, String token) throws IOException {
		RequestBody body = RequestBody.create("{\"access_token\":\"" + token + "\"}",
				MediaType.get("application/json"));
		try (Response response = http
			.newCall(new Request.Builder().url(url(port, "/api/" + repository + "/invalidate")).post(body).build())
			.execute()) {
			String answer = response.body().string();
			assertThat(response.code()).as(answer).isEqualTo(200);
			return answer.replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
		}
	}

	/** The status of a GET, or 599 when tokman is gone before it answers. */
	public static int status(int port, String path, String authorization) {
		Request.Builder request = new Request.Builder().url(url(port, path));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		try (Response response = http.newCall(request.build()).execute()) {
			return response.code();
		}
		catch (IOException ex) {
			return 599;
		}
	}

	/**
	 * Sends a request over a raw socket, byte for byte as written (so that Tomcat decodes
	 * the path as it would an attacker's), the body a character at a time with
	 * {@code pause} between them (all at once if zero), and returns the answer as text.
	 */
	static String raw(int port, String head, String body, Duration pause) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(20_000);
			OutputStream out = socket.getOutputStream();
			out.write(head.getBytes(StandardCharsets.ISO_8859_1));
			try {
				if (pause.isZero()) {
					out.write(body.getBytes(StandardCharsets.ISO_8859_1));
				}
				else {
					for (char c : body.toCharArray()) {
						out.write(c);
						out.flush();
						Thread.sleep(pause.toMillis());
					}
				}
				out.flush();
			}
			catch (IOException ex) {
				// tokman answered and closed before the whole body was sent, as it
				// should.
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return answer(socket);
		}
	}

	/**
	 * The answer on a raw socket, as text, until its JSON body has arrived: after a
	 * refusal the connection may stay open.
	 */
	public static String answer(Socket socket) throws IOException {
		StringBuilder answer = new StringBuilder();
		InputStream in = socket.getInputStream();
		byte[] buffer = new byte[4096];
		for (int read = in.read(buffer); read != -1; read = in.read(buffer)) {
			answer.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
			int end = answer.indexOf("\r\n\r\n");
			if (end >= 0 && answer.indexOf("}", end) >= 0) {
				break;
			}
		}
		return answer.toString();
	}

	/**
	 * Runs the herd with GitHub holding the repository's token request until at least
	 * {@code waiters} requests are seen waiting for that renewal, so that the requests
	 * provably overlap, then lets GitHub answer.
	 */
	static Set<String> whileHeld(String repository, IntSupplier waiting, int waiters, Supplier<Set<String>> herd)
			throws Exception {
		GitHubSimulator github = TestEnvironment.GITHUB;
		github.hold(repository);
		try {
			CompletableFuture<Set<String>> answers = CompletableFuture.supplyAsync(herd, THREADS);
			assertThat(github.awaitHeldRequest(repository, Duration.ofSeconds(10))).isTrue();
			await().atMost(Duration.ofSeconds(10)).until(() -> waiting.getAsInt() >= waiters);
			assertThat(answers).isNotDone();
			github.release(repository);
			return answers.get(60, TimeUnit.SECONDS);
		}
		finally {
			github.release(repository);
		}
	}

	/**
	 * Sends a request for each repository, all released at once, spread over the ports in
	 * turn, and returns the distinct tokens they got.
	 */
	static Set<String> herd(List<Integer> ports, List<String> repositories) {
		return herd(ports, repositories, TestClient::token);
	}

	/**
	 * Like {@link #herd(List, List)}, each request being a report that {@code token} is
	 * invalid.
	 */
	static Set<String> invalidationHerd(List<Integer> ports, List<String> repositories, String token) {
		return herd(ports, repositories, (port, repository) -> invalidate(port, repository, token));
	}

	private static Set<String> herd(List<Integer> ports, List<String> repositories, Call call) {
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(Math.min(repositories.size(), 200));
		try {
			List<Future<String>> answers = new ArrayList<>();
			for (int i = 0; i < repositories.size(); i++) {
				int port = ports.get(i % ports.size());
				String repository = repositories.get(i);
				answers.add(pool.submit(() -> {
					start.await();
					return call.send(port, repository);
				}));
			}
			start.countDown();
			return answers.stream().map(TestClient::join).collect(Collectors.toSet());
		}
		finally {
			pool.shutdownNow();
		}
	}

	@FunctionalInterface
	private interface Call {

		String send(int port, String repository) throws IOException;

	}

	private static String join(Future<String> answer) {
		try {
			return answer.get(60, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new AssertionError(ex);
		}
	}

	private static String url(int port, String path) {
		return "http://127.0.0.1:" + port + path;
	}

	private static Dispatcher dispatcher() {
		Dispatcher dispatcher = new Dispatcher();
		dispatcher.setMaxRequests(500);
		dispatcher.setMaxRequestsPerHost(500);
		return dispatcher;
	}

}
