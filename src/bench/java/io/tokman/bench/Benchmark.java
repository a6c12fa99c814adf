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
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * target of the runtime issue and whether this run met it: first as shipped (Java 25, its
 * AOT cache, Spring's AOT mode, virtual threads), then as before (Java 17, its class data
 * sharing archive, platform threads) for comparison in the same run. Every request carries
 * an API key, and the log level is the image's (info, the audit trail on) unless
 * {@code bench.log.level} says otherwise. Started by {@code scripts/bench.sh}, which builds
 * the jar and both caches first; its arguments are
 * {@code WORK_DIR JAR TOKMAN_JAVA JAVA25_HOME START_ARGS_25 JAVA17_HOME START_ARGS_17}.
 */
public final class Benchmark {

	private static final String APP_ID = "4242";

	private static final int PORT = Integer.getInteger("bench.port", 18300);

	private static final Duration RUN = Duration.ofSeconds(Long.getLong("bench.seconds", 5));

	/** How many times each cache-hit load runs; the table shows the median. */
	private static final int ROUNDS = 3;

	private static final String WRK = System.getProperty("bench.wrk", "wrk");

	/**
	 * Which parts run: start, burst, rollover, mixed, stored, java17; the cache-hit loads
	 * always do.
	 */
	private static final List<String> PHASES = List
		.of(System.getProperty("bench.phases", "start,burst,rollover,mixed,stored,java17").split(","));

	/**
	 * A PostgreSQL database (a JDBC URL) for the cold burst on PostgreSQL, as shipped; none,
	 * that part does not run. Each run asks for repositories of its own there.
	 */
	private static final String POSTGRES = System.getProperty("bench.postgres", "");

	/** tokman's LOG_LEVEL; unset, the image's default (info, the audit trail on). */
	private static final String LOG_LEVEL = System.getProperty("bench.log.level", "");

	/** The permission sets of the mixed load, beside each repository's default token. */
	private static final List<String> PERMISSION_SETS = List.of("contents:read", "contents:write",
			"issues:write,metadata:read");

	/** The API key every request carries. */
	private static final String KEY = "bench-key-0123456789abcdef";

	private static final String AUTHORIZATION = "Bearer " + KEY;

	private static final String SHIPPED = "Java 25 (shipped)";

	private static final String BEFORE = "Java 17 (before)";

	private static final DateTimeFormatter STORED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
		.withZone(ZoneOffset.UTC);

	private final Path work;

	private final Path database;

	private final GitHubSimulator github;

	private final String githubUrl;

	private final Path key;

	/** When each request reached the GitHub stand-in. */
	private final Queue<Arrival> arrivals;

	/** The SQLite file's URL: tokman's database but in the burst on PostgreSQL. */
	private final String sqlite;

	/** The database tokman is started on: {@link #sqlite}, or {@link #POSTGRES}. */
	private String databaseUrl;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	/** Each measure's row: its target and verdict, and a value per runtime. */
	private final Map<String, Row> rows = new LinkedHashMap<>();

	private Process tokman;

	/** The runtime being measured: the column its figures go to. */
	private String column = SHIPPED;

	/** Where the log of the last start begins in tokman.log. */
	private long startedAt;

	private Benchmark(Path work, GitHubSimulator github, String githubUrl, Path key, Queue<Arrival> arrivals) {
		this.work = work;
		this.arrivals = arrivals;
		this.database = work.resolve("tokens.db");
		this.sqlite = "jdbc:sqlite:" + this.database;
		this.databaseUrl = this.sqlite;
		this.github = github;
		this.githubUrl = githubUrl;
		this.key = key;
	}

	public static void main(String[] args) throws Exception {
		Path work = Path.of(args[0]).toAbsolutePath();
		String jar = Path.of(args[1]).toAbsolutePath().toString();
		String tokmanJava = Path.of(args[2]).toAbsolutePath().toString();
		Runtime shipped = Runtime.of(Path.of(args[3]), tokmanJava, Path.of(args[4]), jar);
		Runtime before = Runtime.of(Path.of(args[5]), tokmanJava, Path.of(args[6]), jar);
		Files.createDirectories(work);
		KeyPair keys = TestKeys.generate();
		Path key = TestKeys.writePkcs1(keys, work.resolve("private-key.pem"));
		// As an operator keeps it: a key others can read is warned about at start.
		Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
		GitHubSimulator github = new GitHubSimulator(APP_ID, keys.getPublic(), Clock.systemUTC());
		Queue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
		HttpServer server = gitHub(github, arrivals);
		try {
			Benchmark benchmark = new Benchmark(work, github, "http://127.0.0.1:" + server.getAddress().getPort() + "/",
					key, arrivals);
			java.lang.Runtime.getRuntime().addShutdownHook(new Thread(benchmark::stop));
			try {
				benchmark.run(shipped, before);
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
	 * How to start tokman on one JVM: as the image does (its environment, jvm.options
	 * through scripts/tokman-java, the cache scripts/aot-cache.sh made, whose class path
	 * has the reference endpoint's jar), and plainly, {@code java -jar}.
	 */
	private record Runtime(List<String> shipped, List<String> plain) {

		static Runtime of(Path javaHome, String tokmanJava, Path startArgs, String jar) {
			String home = javaHome.toAbsolutePath().toString();
			return new Runtime(List.of("env", "MALLOC_ARENA_MAX=2", "JAVA_HOME=" + home, tokmanJava,
					"@" + startArgs.toAbsolutePath()), List.of(home + "/bin/java", "-jar", jar));
		}

	}

	/**
	 * The simulator behind the JDK's HTTP server: a thread a request and a deep accept
	 * queue, so that a burst of tokman's connections measures tokman, not the stand-in.
	 */
	private static HttpServer gitHub(GitHubSimulator github, Queue<Arrival> arrivals) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
		server.setExecutor(Executors.newCachedThreadPool());
		server.createContext("/", (exchange) -> {
			try (exchange) {
				arrivals.add(new Arrival(System.nanoTime(), exchange.getRequestMethod().equals("POST")));
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

	private void run(Runtime shipped, Runtime before) throws Exception {
		measure(shipped, true);
		if (PHASES.contains("java17")) {
			this.column = BEFORE;
			measure(before, false);
		}
		print();
	}

	/**
	 * One runtime's figures: all of them for the shipped one, those the issue compares
	 * for the one before.
	 */
	private void measure(Runtime runtime, boolean all) throws Exception {
		// Each start creates and migrates a new database, as a first start does.
		deleteDatabase();
		if (PHASES.contains("start")) {
			double plainStart = start(runtime.plain());
			stop();
			deleteDatabase();
			double shippedStart = start(runtime.shipped());
			List<String> warnings = startWarnings();
			row("start to healthy, as shipped (jvm.options, the cache), s", format(shippedStart), "<= 2 s",
					shippedStart <= 2);
			row("start, as shipped: warnings printed", warnings.isEmpty() ? "0" : warnings.size() + ": "
					+ warnings.get(0).substring(0, Math.min(60, warnings.get(0).length())), "0", warnings.isEmpty());
			row("start to healthy, plain java -jar, s", format(plainStart), "reported", null);
		}
		else {
			start(runtime.shipped());
		}
		Load cacheHit = cacheHits();
		if (PHASES.contains("burst")) {
			coldBurst("", "cold");
		}
		if (all && PHASES.contains("rollover")) {
			rollover(cacheHit);
		}
		if (all && PHASES.contains("mixed")) {
			mixed(cacheHit);
		}
		Memory memory = memory();
		row("resident memory after the loads above: RSS (anonymous / file), MB", memory.toString(), "RSS <= 220",
				memory.rss() <= 220);
		whereMemoryGoes();
		if (all && PHASES.contains("stored")) {
			manyStored(cacheHit, memory);
		}
		stop();
		if (all && PHASES.contains("burst") && !POSTGRES.isEmpty()) {
			coldBurstOnPostgresql(runtime);
		}
	}

	/**
	 * 100 repositories, each minted once, then served from memory at 16 and 64
	 * connections, beside the reference endpoint in the same process: the same filter
	 * chain and an answer of the same size, without tokman's own work.
	 */
	private Load cacheHits() throws IOException, InterruptedException {
		progress("cache hits: 100 repositories and the reference endpoint, 16 and 64 connections");
		List<String> hot = repositories("hot", 100);
		int posts = this.github.totalTokenRequests();
		parallel(hot, 16);
		Path hotPaths = paths("hot", hot);
		Path reference = paths("reference", hot.stream().map((path) -> path.replace("/api/", ReferenceEndpoint.PATH)).toList());
		int tokenSize = size(hot.get(0));
		int referenceSize = size(ReferenceEndpoint.PATH + "hot/repo-0");
		// Until the JIT has settled, later runs are faster whatever they load: warm both
		// well, then alternate the two endpoints and take each one's median.
		wrk(64, reference, Duration.ofSeconds(10));
		wrk(64, hotPaths, Duration.ofSeconds(10));
		List<Load> references16 = new ArrayList<>();
		List<Load> tokens16 = new ArrayList<>();
		List<Load> references64 = new ArrayList<>();
		List<Load> tokens64 = new ArrayList<>();
		for (int round = 0; round < ROUNDS; round++) {
			references16.add(wrk(16, reference, RUN));
			tokens16.add(wrk(16, hotPaths, RUN));
			references64.add(wrk(64, reference, RUN));
			tokens64.add(wrk(64, hotPaths, RUN));
		}
		Load reference16 = Load.median(references16);
		Load token16 = Load.median(tokens16);
		Load reference64 = Load.median(references64);
		Load token64 = Load.median(tokens64);
		int hitPosts = this.github.totalTokenRequests() - posts - hot.size();
		row("answer size, bytes: token / reference", tokenSize + " / " + referenceSize, "reported", null);
		row("cache hit, 16 connections: req/s, token / reference", format(token16.perSecond()) + " / "
				+ format(reference16.perSecond()) + " = " + format(token16.perSecond() / reference16.perSecond()),
				"reported", null);
		row("cache hit, 16 connections: p50 / p99 ms, token (reference)", format(token16.p50()) + " / "
				+ format(token16.p99()) + " (" + format(reference16.p50()) + " / " + format(reference16.p99()) + ")",
				"p99 <= 30", token16.p99() <= 30);
		double throughput = token64.perSecond() / reference64.perSecond();
		row("cache hit, 64 connections: req/s, token / reference",
				format(token64.perSecond()) + " / " + format(reference64.perSecond()) + " = " + format(throughput),
				">= 0.9 x reference", throughput >= 0.9);
		double tail = token64.p99() / reference64.p99();
		row("cache hit, 64 connections: p50 / p99 ms, token (reference), p99 ratio",
				format(token64.p50()) + " / " + format(token64.p99()) + " (" + format(reference64.p50()) + " / "
						+ format(reference64.p99()) + "), " + format(tail),
				"p99 <= 1.2 x ref., <= 75", tail <= 1.2 && token64.p99() <= 75);
		row("cache hit: GitHub calls during " + (4 * ROUNDS * RUN.toSeconds() + 20) + " s of load",
				String.valueOf(hitPosts), "0", hitPosts == 0);
		return token64;
	}

	/** The length of a GET's answer body. */
	private int size(String path) throws IOException, InterruptedException {
		HttpResponse<byte[]> answer = this.http.send(request(path), HttpResponse.BodyHandlers.ofByteArray());
		if (answer.statusCode() != 200) {
			throw new IllegalStateException(path + " answered " + answer.statusCode());
		}
		return answer.body().length;
	}

	/**
	 * 200 repositories nobody asked for, 10 concurrent requests each, all at once, GitHub
	 * answering in 200 ms; then the same requests again with every token held, which
	 * measures what 2,000 fresh connections cost without GitHub. {@code where} names the
	 * database in the rows ("" for SQLite), {@code owner} the repositories' owner.
	 */
	private void coldBurst(String where, String owner) {
		progress("cold burst" + where + ": 200 repositories x 10 requests");
		this.github.latency(Duration.ofMillis(200));
		List<String> cold = repositories(owner, 200);
		List<String> requests = new ArrayList<>();
		for (int round = 0; round < 10; round++) {
			requests.addAll(cold);
		}
		int posts = this.github.totalTokenRequests();
		int lookups = this.github.installationLookups();
		this.arrivals.clear();
		long started = System.nanoTime();
		long[] took = burst(requests);
		long ok = answered(took);
		long[] sorted = Arrays.stream(took).map(Math::abs).sorted().toArray();
		double seconds = (System.nanoTime() - started) / 1e9;
		int minted = this.github.totalTokenRequests() - posts;
		int looked = this.github.installationLookups() - lookups;
		this.github.latency(Duration.ZERO);
		row("cold burst" + where + ", 200 repositories x 10 requests, GitHub 200 ms: wall s (p50 / p99 ms)",
				format(seconds) + " (" + format(sorted[sorted.length / 2] / 1e6) + " / "
						+ format(sorted[sorted.length * 99 / 100] / 1e6) + ")",
				"wall <= 1.5 s", seconds <= 1.5);
		row("cold burst" + where + ": answered 200 / token POSTs / installation lookups",
				ok + " of " + requests.size() + " / " + minted + " / " + looked, "all / exactly 200",
				ok == requests.size() && minted == 200);
		row("cold burst" + where + ": reached GitHub, ms after the burst began: lookups / token POSTs, first-last",
				reachedGitHub(started, false) + " / " + reachedGitHub(started, true), "reported", null);
		long warmStarted = System.nanoTime();
		long[] warm = burst(requests);
		double warmSeconds = (System.nanoTime() - warmStarted) / 1e9;
		row("cold burst" + where + " again, every token held (2,000 fresh connections): wall s, answered 200",
				format(warmSeconds) + ", " + answered(warm) + " of " + requests.size(), "reported", null);
	}

	/** How many of a burst's requests were answered 200 (their times are positive). */
	private static long answered(long[] took) {
		return Arrays.stream(took).filter((nanos) -> nanos > 0).count();
	}

	/** When the first and the last GitHub call of a kind arrived, in ms after started. */
	private String reachedGitHub(long started, boolean post) {
		long[] at = this.arrivals.stream()
			.filter((arrival) -> arrival.post() == post)
			.mapToLong((arrival) -> (arrival.nanos() - started) / 1_000_000)
			.sorted()
			.toArray();
		return (at.length == 0) ? "none" : at[0] + "-" + at[at.length - 1];
	}

	/** A request reaching the GitHub stand-in: when, and whether it asked for a token. */
	private record Arrival(long nanos, boolean post) {
	}

	/**
	 * The cold burst again as shipped, on PostgreSQL ({@code bench.postgres}): a new
	 * process on that database, asked for repositories of this run's own.
	 */
	private void coldBurstOnPostgresql(Runtime runtime) throws IOException, InterruptedException {
		this.databaseUrl = POSTGRES;
		try {
			start(runtime.shipped());
			coldBurst(" on PostgreSQL", "pg-" + Long.toString(System.currentTimeMillis(), 36));
			stop();
		}
		finally {
			this.databaseUrl = this.sqlite;
		}
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
	private void manyStored(Load hundred, Memory before) throws SQLException {
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
		Memory after = memory();
		double ratio = load.perSecond() / hundred.perSecond();
		row("100,000 stored: each asked once (database reads, cache full), req/s", format(stored.size() / seconds),
				"reported", null);
		row("100,000 stored: cache hit, 64 connections, req/s, / first cache-hit figure",
				format(load.perSecond()) + " / " + format(hundred.perSecond()) + " = " + format(ratio), ">= 0.9",
				ratio >= 0.9);
		row("100,000 stored: RSS MB before -> after / GitHub calls", before.rss() + " -> " + after + " / " + minted,
				"RSS <= 220 / 0", after.rss() <= 220 && minted == 0);
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
				String request = "GET " + paths.get(i) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + AUTHORIZATION
						+ "\r\nConnection: close\r\n\r\n";
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

	/** Starts tokman and returns the seconds until its health endpoint answered 200. */
	private double start(List<String> command) throws IOException, InterruptedException {
		progress("starting " + String.join(" ", command));
		try (java.net.Socket taken = new java.net.Socket(InetAddress.getLoopbackAddress(), PORT)) {
			throw new IllegalStateException("something already listens on port " + PORT + ": stop it or set BENCH_PORT");
		}
		catch (java.net.ConnectException free) {
			// As it should be.
		}
		Path log = this.work.resolve("tokman.log");
		this.startedAt = Files.exists(log) ? Files.size(log) : 0;
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.work.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.work.resolve("tokman.log").toFile()));
		builder.environment().put("GITHUB_APP_ID", APP_ID);
		builder.environment().put("GITHUB_APP_PRIVATE_KEY", this.key.toString());
		builder.environment().put("GITHUB_API_URL", this.githubUrl);
		builder.environment().put("DB_URI", this.databaseUrl);
		builder.environment().put("BIND_ADDR", "127.0.0.1:" + PORT);
		builder.environment().put("TOKMAN_API_KEYS", KEY);
		if (!LOG_LEVEL.isEmpty()) {
			builder.environment().put("LOG_LEVEL", LOG_LEVEL);
		}
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

	/**
	 * The warnings the last start printed until it was healthy: the JVM's, Spring's and
	 * tokman's, each a line an operator would have to act on.
	 */
	private List<String> startWarnings() throws IOException {
		byte[] log = Files.readAllBytes(this.work.resolve("tokman.log"));
		String start = new String(log, (int) this.startedAt, log.length - (int) this.startedAt,
				StandardCharsets.UTF_8);
		return start.lines()
			.filter((line) -> line.contains("[warning]") || line.contains(" WARN ") || line.startsWith("WARNING:"))
			.toList();
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
		// wrk drops a request slower than its timeout (2 s by default) from the latency
		// figures and counts it as an error; 10 s keeps a slow answer in the p99, where it
		// belongs, and an answer that never comes still an error.
		List<String> command = new ArrayList<>(List.of(WRK, "-t2", "-c" + connections,
				"-d" + duration.toSeconds() + "s", "--timeout", "10s", "--latency", "-s",
				Path.of("src", "bench", "wrk", "paths.lua").toAbsolutePath().toString()));
		command.addAll(List.of("-H", "Authorization: " + AUTHORIZATION));
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

	/** tokman's resident memory now, from /proc. */
	private Memory memory() {
		try {
			Map<String, Long> kilobytes = new HashMap<>();
			for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(this.tokman.pid()), "status"))) {
				Matcher field = Pattern.compile("(VmRSS|RssAnon|RssFile):\\s+(\\d+) kB").matcher(line);
				if (field.matches()) {
					kilobytes.put(field.group(1), Long.valueOf(field.group(2)));
				}
			}
			return new Memory(kilobytes.get("VmRSS") / 1024, kilobytes.get("RssAnon") / 1024,
					kilobytes.get("RssFile") / 1024);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * With {@code -XX:NativeMemoryTracking=summary} among the flags (JVM_OPTIONS names
	 * another jvm.options), the JVM's own account of its memory and of its heap, written
	 * beside the log: where the anonymous memory goes.
	 */
	private void whereMemoryGoes() throws IOException, InterruptedException {
		String pid = String.valueOf(this.tokman.pid());
		// The heap's live data last: after a full collection, which the heap may shrink at.
		for (String command : List.of("VM.native_memory summary scale=MB", "GC.heap_info", "GC.run", "GC.heap_info",
				"VM.native_memory summary scale=MB")) {
			List<String> jcmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
					pid));
			jcmd.addAll(List.of(command.split(" ")));
			Process process = new ProcessBuilder(jcmd).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			process.waitFor();
			if (output.contains("not enabled")) {
				return;
			}
			Files.writeString(this.work.resolve(this.column.replaceAll("\\W+", "-") + "-memory.txt"),
					"$ jcmd " + command + "\n" + output, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		Files.writeString(this.work.resolve(this.column.replaceAll("\\W+", "-") + "-memory.txt"),
				"RSS after a full collection: " + memory() + "\n", StandardOpenOption.APPEND);
	}

	/** Resident memory in MB: in all, anonymous (heap, malloc) and file-backed (the cache, jars). */
	private record Memory(long rss, long anonymous, long file) {

		@Override
		public String toString() {
			return this.rss + " (" + this.anonymous + " / " + this.file + ")";
		}

	}

	private HttpRequest request(String path) {
		return HttpRequest.newBuilder(URI.create(base() + path))
			.timeout(Duration.ofSeconds(60))
			.header("Authorization", AUTHORIZATION)
			.build();
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

	private static void progress(String step) {
		System.err.println("bench: " + step);
	}

	private void row(String measure, String value, String target, Boolean met) {
		this.rows.computeIfAbsent(measure, (name) -> new Row(target, met, new LinkedHashMap<>()))
			.values()
			.put(this.column, value);
	}

	private void print() {
		System.out.println(String.format(Locale.ROOT,
				"tokman benchmark, %s, %d cores, cache hits: median of " + ROUNDS + " runs of %d s, API keys on, "
						+ "LOG_LEVEL %s; targets judge the shipped column",
				Instant.now().truncatedTo(ChronoUnit.SECONDS), java.lang.Runtime.getRuntime().availableProcessors(),
				RUN.toSeconds(), LOG_LEVEL.isEmpty() ? "info (the image's)" : LOG_LEVEL));
		String format = "%-84s | %-38s | %-30s | %-24s | %s";
		System.out.println(String.format(Locale.ROOT, format, "measure", SHIPPED, BEFORE, "target", ""));
		System.out.println("-".repeat(190));
		this.rows.forEach((measure, row) -> System.out.println(String.format(Locale.ROOT, format, measure,
				row.values().getOrDefault(SHIPPED, "-"), row.values().getOrDefault(BEFORE, "-"), row.target(),
				(row.met() == null) ? "" : (row.met() ? "met" : "NOT MET"))));
	}

	/**
	 * A measure's target, whether the shipped runtime met it (null when only reported),
	 * and its figure per runtime.
	 */
	private record Row(String target, Boolean met, Map<String, String> values) {

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
