package io.tokman;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Invalidation reports whose body stalls, over real sockets: each gets its 408 within the
 * report timeout (2 s here) whatever it sent, holds none of the slots that bound the
 * requests handled at once while it stalls, and a worker that hangs up is an INFO line,
 * not an error.
 */
@TokmanTest
class StalledReportTests {

	/** tokman's report-timeout in these tests, and a margin for its timer. */
	private static final Duration ANSWERED_WITHIN = Duration.ofMillis(2000 + 1500);

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry registry;

	@Test
	void fixedLengthBodyThatStallsGets408WithinTheReportTimeout() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		try (Socket worker = stall(repository, "Content-Length: 100\r\n\r\n{\"acc")) {
			long start = System.nanoTime();
			String answer = TestClient.answer(worker);
			assertThat(answer).startsWith("HTTP/1.1 408").contains("did not arrive within 2 s");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ANSWERED_WITHIN);
		}
		assertThat(TestEnvironment.GITHUB.tokenRequests(repository)).isZero();
	}

	@Test
	void chunkedBodyThatStallsGets408WithinTheReportTimeout() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		try (Socket worker = stall(repository, "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"acc\r\n")) {
			long start = System.nanoTime();
			assertThat(TestClient.answer(worker)).startsWith("HTTP/1.1 408");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ANSWERED_WITHIN);
		}
	}

	@Test
	void twoHundredStalledBodiesDoNotDelayAnotherWorkersRequest() throws IOException {
		// As many as the requests handled at once (WORKERS, 200 by default): blocking
		// reads would hold every slot.
		// The same request once before, so that what is measured is the stalls' effect,
		// not a cold start's.
		TestClient.token(this.port, TestEnvironment.uniqueRepository("packit"));
		List<Socket> stalled = new ArrayList<>();
		try {
			long opened = System.nanoTime();
			for (int i = 0; i < 200; i++) {
				stalled.add(stall(TestEnvironment.uniqueRepository("packit"), "Content-Length: 100\r\n\r\n{\"acc"));
			}
			// Every one of them past its checks, waiting for its body.
			await().atMost(ANSWERED_WITHIN)
				.until(() -> this.registry.get("tokman.reports.reading").gauge().value() >= 200);
			long start = System.nanoTime();
			String token = TestClient.token(this.port, TestEnvironment.uniqueRepository("packit"));
			Duration get = Duration.ofNanos(System.nanoTime() - start);
			assertThat(token).startsWith("ghs_");
			assertThat(get).isLessThan(Duration.ofSeconds(1));
			// Still stalled when the other request was answered: they overlapped it.
			for (Socket worker : stalled) {
				assertThat(worker.getInputStream().available()).isZero();
			}
			Duration slowest = Duration.ZERO;
			for (Socket worker : stalled) {
				assertThat(TestClient.answer(worker)).startsWith("HTTP/1.1 408");
				slowest = Duration.ofNanos(System.nanoTime() - opened);
			}
			assertThat(slowest).isLessThan(ANSWERED_WITHIN.plusSeconds(2));
			System.out.printf(
					"200 stalled report bodies: another worker's GET answered in %d ms; "
							+ "every stalled report answered 408 within %d ms of the first opening%n",
					get.toMillis(), slowest.toMillis());
		}
		finally {
			for (Socket worker : stalled) {
				worker.close();
			}
		}
	}

	@Test
	void workerHangingUpMidBodyIsAnInfoLineWithoutStackTrace() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		stall(repository, "Content-Length: 100\r\n\r\n{\"acc").close();
		String line = "A request body to /api/" + repository + "/invalidate was cut off after 5 bytes";
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(Files.readString(TestEnvironment.LOG)).contains(line));
		String log = Files.readString(TestEnvironment.LOG);
		assertThat(log.substring(log.indexOf(line) - 200, log.indexOf(line))).contains(" INFO ");
		assertThat(log).doesNotContain("ClientAbortException").doesNotContain("EOFException");
	}

	/** A worker that sent the headers and the start of its body, and then nothing. */
	private Socket stall(String repository, String rest) throws IOException {
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port);
		socket.setSoTimeout(20_000);
		socket.getOutputStream()
			.write(("POST /api/" + repository + "/invalidate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
					+ rest)
				.getBytes(StandardCharsets.ISO_8859_1));
		socket.getOutputStream().flush();
		return socket;
	}

}
