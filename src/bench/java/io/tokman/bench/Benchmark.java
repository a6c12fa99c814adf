package io.tokman.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import com.sun.net.httpserver.HttpServer;
import io.tokman.simulator.GitHubSimulator;
import io.tokman.simulator.TestKeys;

/**
 * {@code make bench}: runs the tokman jar against the GitHub simulator on loopback, loads
 * it with wrk and with a burst of concurrent requests, and prints one table with each
 * target of the performance issue and whether this run met it. Started by
 * {@code scripts/bench.sh}, which builds the jar and its AOT cache first; its arguments
 * are {@code WORK_DIR JAR JAVA25_HOME TOKMAN_JAVA START_ARGS}.
 */
public final class Benchmark {

	private static final String APP_ID = "4242";

	private static final int PORT = Integer.getInteger("bench.port", 18300);

	private static final Duration RUN = Duration.ofSeconds(Long.getLong("bench.seconds", 5));

	/** How many times each cache-hit load runs; the table shows the median. */
	private static final int ROUNDS = 3;

	private static final String WRK = System.getProperty("bench.wrk", "wrk");

	/**
	 * Which parts run: start, burst, rollover, mixed, stored, auth; the cache-hit loads
	 * always do.
	 */
	private static final List<String> PHASES = List
		.of(System.getProperty("bench.phases", "start,burst,rollover,mixed,stored,auth").split(","));

	/** The permission sets of the mixed load, beside each repository's default token. */
	private static final List<String> PERMISSION_SETS = List.of("contents:read", "contents:write",
			"issues:write,metadata:read");

	/** The API key of the authenticated cache-hit load. */
	private static final String KEY = "bench-key-0123456789abcdef";

	private static final DateTimeFormatter STORED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
		.withZone(ZoneOffset.UTC);

	private final Path work;

	private final Path database;

	private final GitHubSimulator github;

	private final String githubUrl;

	private final Path key;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	private final List<String> table = new ArrayList<>();

	private Process tokman;

	/** The Authorization header every request sends, once API keys are on. */
	private String authorization;

	private Benchmark(Path work, GitHubSimulator github, String githubUrl, Path key) {
		this.work = work;
		this.database = work.resolve("tokens.db");
		this.github = github;
		this.githubUrl = githubUrl;
		this.key = key;
	}

	public static void main(String[] args) throws Exception {
		Path work = Path.of(args[0]).toAbsolutePath();
		String java25 = Path.of(args[2]).toAbsolutePath().toString();
		List<String> plain = List.of(java25 + "/bin/java", "-jar", Path.of(args[1]).toAbsolutePath().toString());
		// As the container image runs it: its environment and JVM, jvm.options (through
		// scripts/tokman-java) and the AOT cache.
		List<String> shipped = List.of("env", "MALLOC_ARENA_MAX=2", "JAVA_HOME=" + java25,
				Path.of(args[3]).toAbsolutePath().toString(), "@" + Path.of(args[4]).toAbsolutePath());

		Files.createDirectories(work);
		KeyPair keys = TestKeys.generate();
		Path key = TestKeys.writePkcs1(keys, work.resolve("private-key.pem"));
		GitHubSimulator github = new GitHubSimulator(APP_ID, keys.getPublic(), Clock.systemUTC());
		HttpServer server = gitHub(github);
		try {
			Benchmark benchmark = new Benchmark(work, github, "http://127.0.0.1:" + server.getAddress().getPort() + "/",
					key);
			Runtime.getRuntime().addShutdownHook(new Thread(benchmark::stop));
			try {
				benchmark.run(plain, shipped);
			}
			finally {
				benchmark.stop();
			}
		}
		finally {
			server.stop(0);
		}
		System.exit(0);
	}

	/**
	 * The simulator behind the JDK's HTTP server: a thread a request and a deep accept
	 * queue, so that a burst of tokman's connections measures tokman, not the stand-in.
	 */
	private static HttpServer gitHub(GitHubSimulator github) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
		server.setExecutor(Executors.newCachedThreadPool());
		server.createContext("/", (exchange) -> {
			try (exchange) {
				String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
				GitHubSimulator.Answer answer = github.answer(exchange.getRequestMethod(),
						exchange.getRequestURI().getRawPath(), exchange.getRequestHeaders().getFirst("Authorization"),
						request);
				byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
				exchange.getResponseHeaders().set("X-RateLimit-Limit", "5000");
				exchange.getResponseHeaders().set("X-RateLimit-Remaining", String.valueOf(answer.rateLimitRemaining()));
				exchange.sendResponseHeaders(answer.status(), body.length);
				exchange.getResponseBody().write(body);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		server.start();
		return server;
	}

	private void run(List<String> plain, List<String> shipped) throws Exception {
		header();
		// Both starts create and migrate a new database, as a first start does.
		if (PHASES.contains("start")) {
			double plainStart = start(plain);
			stop();
			deleteDatabase();
			double shippedStart = start(shipped);
			row("start to healthy, shipped (Java 25, jvm.options, AOT cache), s", format(shippedStart), "<= 2 s",
					shippedStart <= 2);
			row("start to healthy, plain java -jar on Java 25, s", format(plainStart), "reported", null);
		}
		else {
			start(shipped);
		}
		Load cacheHit = cacheHits();
		if (PHASES.contains("burst")) {
			coldBurst();
		}
		if (PHASES.contains("rollover")) {
			rollover(cacheHit);
		}
		if (PHASES.contains("mixed")) {
			mixed(cacheHit);
		}
		long rss = rssMegabytes();
		row("RSS after the loads above, MB", String.valueOf(rss), "<= 160", rss <= 160);
		if (PHASES.contains("stored")) {
			manyStored(cacheHit, rss);
		}
		if (PHASES.contains("auth")) {
			authenticated(shipped, cacheHit);
		}
		stop();
		this.table.forEach(System.out::println);
	}

	/**
	 * 100 repositories, each minted once, then served from memory, at 16 and 64
	 * connections, beside the bare /api/health in the same process.
	 */
	private Load cacheHits() {
		progress("cache hits: 100 repositories and /api/health, 16 and 64 connections");
		List<String> hot = repositories("hot", 100);
		int posts = this.github.totalTokenRequests();
		parallel(hot, 16);
		Path hotPaths = paths("hot", hot);
		Path health = paths("health", List.of("/api/health"));
		// Until the JIT has settled, later runs are faster whatever they load: warm both
		// well, then alternate the two endpoints and take each one's median.
		wrk(64, health, Duration.ofSeconds(10));
		wrk(64, hotPaths, Duration.ofSeconds(10));
		List<Load> references16 = new ArrayList<>();
		List<Load> tokens16 = new ArrayList<>();
		List<Load> references64 = new ArrayList<>();
		List<Load> tokens64 = new ArrayList<>();
		for (int round = 0; round < ROUNDS; round++) {
			references16.add(wrk(16, health, RUN));
			tokens16.add(wrk(16, hotPaths, RUN));
			references64.add(wrk(64, health, RUN));
			tokens64.add(wrk(64, hotPaths, RUN));
		}
		Load reference16 = Load.median(references16);
		Load token16 = Load.median(tokens16);
		Load reference64 = Load.median(references64);
		Load token64 = Load.median(tokens64);
		int hitPosts = this.github.totalTokenRequests() - posts - hot.size();
		row("cache hit, 16 connections: req/s, token / bare /api/health", format(token16.perSecond()) + " / "
				+ format(reference16.perSecond()) + " = " + format(token16.perSecond() / reference16.perSecond()),
				"reported", null);
		row("cache hit, 16 connections: p50 / p99 ms, token (bare)", format(token16.p50()) + " / "
				+ format(token16.p99()) + " (" + format(reference16.p50()) + " / " + format(reference16.p99()) + ")",
				"reported", null);
		double throughput = token64.perSecond() / reference64.perSecond();
		row("cache hit, 64 connections: req/s, token / bare /api/health",
				format(token64.perSecond()) + " / " + format(reference64.perSecond()) + " = " + format(throughput),
				">= 0.9 x bare", throughput >= 0.9);
		double tail = token64.p99() / reference64.p99();
		row("cache hit, 64 connections: p50 / p99 ms, token (bare)",
				format(token64.p50()) + " / " + format(token64.p99()) + " (" + format(reference64.p50()) + " / "
						+ format(reference64.p99()) + "), p99 ratio " + format(tail),
				"p99 <= 1.2 x bare", tail <= 1.2);
		row("cache hit: GitHub calls during " + (4 * ROUNDS * RUN.toSeconds() + 20) + " s of load",
				String.valueOf(hitPosts), "0", hitPosts == 0);
		return token64;
	}

	/**
	 * 200 repositories nobody asked for, 10 concurrent requests each, all at once, GitHub
	 * answering in 200 ms.
	 */
	private void coldBurst() {
		progress("cold burst: 200 repositories x 10 requests");
		this.github.latency(Duration.ofMillis(200));
		List<String> cold = repositories("cold", 200);
		List<String> requests = new ArrayList<>();
		for (int round = 0; round < 10; round++) {
			requests.addAll(cold);
		}
		int posts = this.github.totalTokenRequests();
		int lookups = this.github.installationLookups();
		long started = System.nanoTime();
		long[] took = burst(requests);
		int ok = (int) Arrays.stream(took).filter((nanos) -> nanos > 0).count();
		long[] sorted = Arrays.stream(took).map(Math::abs).sorted().toArray();
		double seconds = (System.nanoTime() - started) / 1e9;
		int minted = this.github.totalTokenRequests() - posts;
		int looked = this.github.installationLookups() - lookups;
		this.github.latency(Duration.ZERO);
		row("cold burst, 200 repositories x 10 requests, GitHub 200 ms: wall s (p50 / p99 ms)",
				format(seconds) + " (" + format(sorted[sorted.length / 2] / 1e6) + " / "
						+ format(sorted[sorted.length * 99 / 100] / 1e6) + ")",
				"wall <= 1.5 s", seconds <= 1.5);
		row("cold burst: answered 200 / token POSTs / installation lookups",
				ok + " of " + requests.size() + " / " + minted + " / " + looked, "all / exactly 200",
				ok == requests.size() && minted == 200);
	}

	/**
	 * 100 active repositories whose tokens enter the renew window 5 s after they are
	 * minted, loaded at 64 connections while refresh-ahead renews them, GitHub answering
	 * in 500 ms.
	 */
	private void rollover(Load cacheHit) {
		progress("rollover: 100 active repositories under load for 20 s");
		this.github.latency(Duration.ofMillis(500));
		// The default renew window is the last 60 s of a token's life.
		this.github.tokenLifetime(Duration.ofSeconds(65));
		List<String> active = repositories("active", 100);
		parallel(active, 100);
		this.github.tokenLifetime(Duration.ofHours(1));
		int posts = this.github.totalTokenRequests();
		int lookups = this.github.installationLookups();
		Load load = wrk(64, paths("active", active), Duration.ofSeconds(20));
		int renewals = this.github.totalTokenRequests() - posts;
		int looked = this.github.installationLookups() - lookups;
		this.github.latency(Duration.ZERO);
		double tail = load.p99() / cacheHit.p99();
		row("rollover, 100 active repositories, GitHub 500 ms: p50 / p99 ms, p99 / cache-hit p99",
				format(load.p50()) + " / " + format(load.p99()) + ", " + format(tail), "<= 2 x cache hit", tail <= 2);
		row("rollover: tokens renewed / GitHub calls", renewals + " / " + (renewals + looked), "100 / 100",
				renewals == 100 && looked == 0);
	}

	/**
	 * 100 repositories, each asked for with its default token and three permission sets
	 * (400 tokens, each minted once), then served from memory at 64 connections: whether
	 * the cache-hit figure holds when tokens are scoped.
	 */
	private void mixed(Load hundred) {
		progress("mixed: 100 repositories x 4 permission sets, 64 connections");
		List<String> paths = new ArrayList<>();
		for (String repository : repositories("mixed", 100)) {
			paths.add(repository);
			PERMISSION_SETS.forEach((set) -> paths.add(repository + "?permissions=" + set));
		}
		int posts = this.github.totalTokenRequests();
		parallel(paths, 32);
		int minted = this.github.totalTokenRequests() - posts;
		Collections.shuffle(paths, new Random(1));
		Path mixedPaths = paths("mixed", paths);
		Load load = median64(mixedPaths, Duration.ofSeconds(5));
		int during = this.github.totalTokenRequests() - posts - minted;
		double ratio = load.perSecond() / hundred.perSecond();
		row("mixed, 100 repositories x 4 permission sets: tokens minted / GitHub calls under load",
				minted + " / " + during, "400 / 0", minted == 400 && during == 0);
		row("mixed: cache hit, 64 connections, req/s, p99 ms / first cache-hit figure",
				format(load.perSecond()) + ", " + format(load.p99()) + " / " + format(hundred.perSecond()) + ", "
						+ format(hundred.p99()) + " = " + format(ratio),
				">= 0.9", ratio >= 0.9);
	}

	/**
	 * 100,000 repositories stored in the running tokman's database and each asked for
	 * once (ten times what the memory cache holds), then the first cache-hit load again,
	 * in the same JVM so that the figures compare.
	 */
	private void manyStored(Load hundred, long rssBefore) throws SQLException {
		progress("100,000 stored repositories: seeding, asking for each once, then the cache-hit load again");
		List<String> stored = repositories("stored", 100_000);
		seed(stored);
		int posts = this.github.totalTokenRequests();
		long began = System.nanoTime();
		parallel(stored, 32);
		double seconds = (System.nanoTime() - began) / 1e9;
		Path hotPaths = paths("hot", repositories("hot", 100));
		Load load = median64(hotPaths, Duration.ofSeconds(5));
		int minted = this.github.totalTokenRequests() - posts;
		long rss = rssMegabytes();
		double ratio = load.perSecond() / hundred.perSecond();
		row("100,000 stored: each asked once (database reads, cache full), req/s", format(stored.size() / seconds),
				"reported", null);
		row("100,000 stored: cache hit, 64 connections, req/s, / first cache-hit figure",
				format(load.perSecond()) + " / " + format(hundred.perSecond()) + " = " + format(ratio), ">= 0.9",
				ratio >= 0.9);
		row("100,000 stored: RSS MB before -> after / GitHub calls", rssBefore + " -> " + rss + " / " + minted,
				"bounded (<= 160) / 0", rss <= 160 && minted == 0);
	}

	private void seed(List<String> repositories) throws SQLException {
		String expiresAt = STORED.format(Instant.now().plus(Duration.ofHours(1)));
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + this.database)) {
			connection.setAutoCommit(false);
			try (PreparedStatement insert = connection.prepareStatement(
					"insert into tokens (kind, owner, repositories, permissions, token, expires_at, installation_id)"
							+ " values ('repository', ?, ?, '', ?, ?, ?)")) {
				long installation = 1_000_000;
				for (String repository : repositories) {
					String[] name = repository.substring("/api/".length()).split("/");
					insert.setString(1, name[0]);
					insert.setString(2, name[1]);
					insert.setString(3, "ghs_seeded" + "x".repeat(510) + installation);
					insert.setString(4, expiresAt);
					insert.setLong(5, installation++);
					insert.addBatch();
				}
				insert.executeBatch();
			}
			connection.commit();
		}
	}

	/**
	 * GETs every path at once, each on its own connection, from one thread with
	 * non-blocking sockets, so that the client costs the shared cores little. Returns
	 * each request's time to its whole answer in nanoseconds, negative if it was not a
	 * 200.
	 */
	private static long[] burst(List<String> paths) {
		long[] took = new long[paths.size()];
		ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
		long started = System.nanoTime();
		try (Selector selector = Selector.open()) {
			for (int i = 0; i < paths.size(); i++) {
				SocketChannel channel = SocketChannel.open();
				channel.configureBlocking(false);
				channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), PORT));
				String request = "GET " + paths.get(i) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
				channel.register(selector, SelectionKey.OP_CONNECT,
						new Exchange(i, ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII))));
			}
			int done = 0;
			while (done < paths.size()) {
				if (selector.select(60_000) == 0) {
					throw new IllegalStateException("the burst stalled with " + (paths.size() - done) + " unanswered");
				}
				for (SelectionKey key : selector.selectedKeys()) {
					Exchange exchange = (Exchange) key.attachment();
					SocketChannel channel = (SocketChannel) key.channel();
					try {
						if (key.isConnectable() && channel.finishConnect()) {
							key.interestOps(SelectionKey.OP_WRITE);
						}
						else if (key.isWritable()) {
							channel.write(exchange.request());
							if (!exchange.request().hasRemaining()) {
								key.interestOps(SelectionKey.OP_READ);
							}
						}
						else if (key.isReadable()) {
							buffer.clear();
							if (channel.read(buffer) >= 0) {
								exchange.answer().write(buffer.array(), 0, buffer.position());
								continue;
							}
							boolean ok = exchange.answer()
								.toString(StandardCharsets.US_ASCII)
								.startsWith("HTTP/1.1 200 ");
							took[exchange.index()] = (System.nanoTime() - started) * (ok ? 1 : -1);
							done++;
							key.cancel();
							channel.close();
						}
					}
					catch (IOException ex) {
						took[exchange.index()] = -(System.nanoTime() - started);
						done++;
						key.cancel();
						channel.close();
					}
				}
				selector.selectedKeys().clear();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return took;
	}

	/** One request of a burst: its place, what is left to send, and what came back. */
	private record Exchange(int index, ByteBuffer request, ByteArrayOutputStream answer) {

		Exchange(int index, ByteBuffer request) {
			this(index, request, new ByteArrayOutputStream());
		}

	}

	private void deleteDatabase() throws IOException {
		for (String suffix : List.of("", "-wal", "-shm")) {
			Files.deleteIfExists(Path.of(this.database + suffix));
		}
	}

	/**
	 * The cache-hit load again, with API keys on: a new tokman with the shipped flags,
	 * every request carrying a key, against the keys-off figure of this run.
	 */
	private void authenticated(List<String> shipped, Load off) throws Exception {
		progress("cache hits with API keys on: 100 repositories, 64 connections");
		stop();
		deleteDatabase();
		this.authorization = "Bearer " + KEY;
		start(shipped, Map.of("TOKMAN_API_KEYS", KEY));
		List<String> hot = repositories("auth", 100);
		parallel(hot, 16);
		Path hotPaths = paths("auth", hot);
		// A new JVM: warmed as long as the keys-off process was before its measured runs.
		Load on = median64(hotPaths, Duration.ofSeconds(20));
		row("cache hit, API keys on, 64 connections: req/s, p50 / p99 ms, req/s / keys off",
				format(on.perSecond()) + ", " + format(on.p50()) + " / " + format(on.p99()) + ", "
						+ format(on.perSecond() / off.perSecond()),
				"reported", null);
	}

	private double start(List<String> command) throws IOException, InterruptedException {
		return start(command, Map.of());
	}

	private double start(List<String> command, Map<String, String> environment)
			throws IOException, InterruptedException {
		progress("starting " + String.join(" ", command));
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.work.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.work.resolve("tokman.log").toFile()));
		builder.environment().put("GITHUB_APP_ID", APP_ID);
		builder.environment().put("GITHUB_APP_PRIVATE_KEY", this.key.toString());
		builder.environment().put("GITHUB_API_URL", this.githubUrl);
		builder.environment().put("DB_URI", "jdbc:sqlite:" + this.database);
		builder.environment().put("BIND_ADDR", "127.0.0.1:" + PORT);
		builder.environment().put("LOG_LEVEL", "warn");
		builder.environment().putAll(environment);
		long started = System.nanoTime();
		this.tokman = builder.start();
		HttpRequest health = HttpRequest.newBuilder(URI.create(base() + "/api/health"))
			.timeout(Duration.ofSeconds(5))
			.build();
		while (System.nanoTime() - started < TimeUnit.MINUTES.toNanos(2)) {
			if (!this.tokman.isAlive()) {
				throw new IllegalStateException("tokman exited; see " + this.work.resolve("tokman.log"));
			}
			try {
				if (this.http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return (System.nanoTime() - started) / 1e9;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			Thread.sleep(20);
		}
		throw new IllegalStateException("tokman did not become healthy within 2 minutes");
	}

	private synchronized void stop() {
		if (this.tokman != null) {
			this.tokman.destroy();
			try {
				if (!this.tokman.waitFor(30, TimeUnit.SECONDS)) {
					this.tokman.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				this.tokman.destroyForcibly();
				Thread.currentThread().interrupt();
			}
			this.tokman = null;
		}
	}

	/** Asks tokman once for each path, {@code concurrency} at a time; all must be 200. */
	private void parallel(List<String> paths, int concurrency) {
		ExecutorService pool = Executors.newFixedThreadPool(concurrency);
		AtomicInteger failures = new AtomicInteger();
		try {
			CompletableFuture.allOf(paths.stream().map((path) -> CompletableFuture.runAsync(() -> {
				try {
					if (this.http.send(request(path), HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
						failures.incrementAndGet();
					}
				}
				catch (IOException ex) {
					failures.incrementAndGet();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}, pool)).toArray(CompletableFuture[]::new)).join();
		}
		finally {
			pool.shutdown();
		}
		if (failures.get() > 0) {
			throw new IllegalStateException(failures + " of " + paths.size() + " requests failed");
		}
	}

	/** The median of ROUNDS runs at 64 connections, after a warm-up of this long. */
	private Load median64(Path paths, Duration warmUp) {
		wrk(64, paths, warmUp);
		List<Load> runs = new ArrayList<>();
		for (int round = 0; round < ROUNDS; round++) {
			runs.add(wrk(64, paths, RUN));
		}
		return Load.median(runs);
	}

	private Load wrk(int connections, Path paths, Duration duration) {
		List<String> command = new ArrayList<>(List.of(WRK, "-t2", "-c" + connections,
				"-d" + duration.toSeconds() + "s", "--latency", "-s",
				Path.of("src", "bench", "wrk", "paths.lua").toAbsolutePath().toString()));
		if (this.authorization != null) {
			command.addAll(List.of("-H", "Authorization: " + this.authorization));
		}
		command.addAll(List.of(base(), "--", paths.toString()));
		String output;
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			process.waitFor();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		if (output.contains("Non-2xx") || output.contains("Socket errors")) {
			throw new IllegalStateException("wrk saw errors:\n" + output);
		}
		return new Load(number(output, "Requests/sec:\\s+([0-9.]+)"), millis(output, "50%"), millis(output, "99%"));
	}

	private static double number(String output, String pattern) {
		Matcher matcher = Pattern.compile(pattern).matcher(output);
		if (!matcher.find()) {
			throw new IllegalStateException("no " + pattern + " in wrk's output:\n" + output);
		}
		return Double.parseDouble(matcher.group(1));
	}

	private static double millis(String output, String percentile) {
		Matcher matcher = Pattern.compile("\\s" + percentile + "\\s+([0-9.]+)(us|ms|s)").matcher(output);
		if (!matcher.find()) {
			throw new IllegalStateException("no " + percentile + " latency in wrk's output:\n" + output);
		}
		double value = Double.parseDouble(matcher.group(1));
		return switch (matcher.group(2)) {
			case "us" -> value / 1000;
			case "s" -> value * 1000;
			default -> value;
		};
	}

	private long rssMegabytes() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(this.tokman.pid()), "status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		throw new IllegalStateException("no VmRSS for tokman");
	}

	private HttpRequest request(String path) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(60));
		return ((this.authorization != null) ? request.header("Authorization", this.authorization) : request).build();
	}

	private Path paths(String name, List<String> paths) {
		try {
			return Files.write(this.work.resolve(name + ".paths"), paths);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static List<String> repositories(String owner, int count) {
		return IntStream.range(0, count).mapToObj((i) -> "/api/" + owner + "/repo-" + i).toList();
	}

	private static String base() {
		return "http://127.0.0.1:" + PORT;
	}

	private void header() {
		this.table.add(String.format(Locale.ROOT,
				"tokman benchmark, %s, %d cores, Java %s, cache hits: median of " + ROUNDS + " runs of %d s",
				Instant.now().truncatedTo(ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(),
				System.getProperty("java.version"), RUN.toSeconds()));
		row("measure", "measured", "target", null);
		this.table.add("-".repeat(150));
	}

	private static void progress(String step) {
		System.err.println("bench: " + step);
	}

	private void row(String measure, String value, String target, Boolean met) {
		String verdict = (met == null) ? "" : (met ? "met" : "NOT MET");
		String line = String.format(Locale.ROOT, "%-82s | %-36s | %-20s | %s", measure, value, target, verdict);
		this.table.add(line);
	}

	private static String format(double value) {
		return (value >= 100) ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
	}

	/** What wrk measured: requests per second and latency percentiles in milliseconds. */
	private record Load(double perSecond, double p50, double p99) {

		/** Each figure's median over the runs. */
		static Load median(List<Load> runs) {
			return new Load(median(runs, Load::perSecond), median(runs, Load::p50), median(runs, Load::p99));
		}

		private static double median(List<Load> runs, ToDoubleFunction<Load> figure) {
			double[] sorted = runs.stream().mapToDouble(figure).sorted().toArray();
			return sorted[sorted.length / 2];
		}

	}

}
