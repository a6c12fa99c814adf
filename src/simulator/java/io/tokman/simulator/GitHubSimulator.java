package io.tokman.simulator;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.Jwts;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A local stand-in for the two GitHub endpoints tokman calls. It checks the App JWT as
 * GitHub does and mints tokens in GitHub's 2026 format (a long {@code ghs_}-prefixed
 * JWT-like string) with a real expiry. It counts calls per repository, can be made slow,
 * and can hold a repository's token request until a test releases it. {@code make demo}
 * runs it through {@link #main}.
 */
public final class GitHubSimulator extends Dispatcher {

	private static final Pattern INSTALLATION = Pattern.compile("/repos/([^/]+)/([^/]+)/installation");

	private static final Pattern ACCESS_TOKENS = Pattern.compile("/app/installations/(\\d+)/access_tokens");

	private static final SecureRandom RANDOM = new SecureRandom();

	/** Every token minted and every JWT received in this JVM, for the log leak check. */
	public static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

	private final String appId;

	private final PublicKey publicKey;

	private final Clock clock;

	private final AtomicLong nextInstallation = new AtomicLong(1000);

	private final Map<String, Long> installations = new ConcurrentHashMap<>();

	private final Set<String> notInstalled = ConcurrentHashMap.newKeySet();

	private final Map<Long, AtomicInteger> tokenRequests = new ConcurrentHashMap<>();

	private final Map<Long, CountDownLatch> held = new ConcurrentHashMap<>();

	private final Map<Long, Integer> failing = new ConcurrentHashMap<>();

	private final Map<Long, CountDownLatch> arrived = new ConcurrentHashMap<>();

	private final AtomicInteger lookups = new AtomicInteger();

	private final AtomicInteger rateLimitRemaining = new AtomicInteger(5000);

	private volatile Duration latency = Duration.ZERO;

	private volatile Duration tokenLifetime = Duration.ofHours(1);

	public GitHubSimulator(String appId, PublicKey publicKey, Clock clock) {
		this.appId = appId;
		this.publicKey = publicKey;
		this.clock = clock;
	}

	/** Makes every answer wait this long. */
	public void latency(Duration latency) {
		this.latency = latency;
	}

	public void tokenLifetime(Duration lifetime) {
		this.tokenLifetime = lifetime;
	}

	/** Makes GitHub answer 404 to the repository's installation lookup. */
	public void uninstall(String repository) {
		this.notInstalled.add(repository.toLowerCase(Locale.ROOT));
	}

	/** Token requests for the repository wait until {@link #release} is called. */
	public void hold(String repository) {
		this.held.put(installationOf(repository), new CountDownLatch(1));
		this.arrived.put(installationOf(repository), new CountDownLatch(1));
	}

	/** Waits until a held token request for the repository has reached the simulator. */
	public boolean awaitHeldRequest(String repository, Duration timeout) throws InterruptedException {
		return this.arrived.get(installationOf(repository)).await(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Makes GitHub answer token requests for the repository with this error status, until
	 * {@link #heal}.
	 */
	public void fail(String repository, int status) {
		this.failing.put(installationOf(repository), status);
	}

	public void heal(String repository) {
		this.failing.remove(installationOf(repository));
	}

	public void release(String repository) {
		CountDownLatch latch = this.held.remove(installationOf(repository));
		if (latch != null) {
			latch.countDown();
		}
	}

	/** How many tokens were requested for the repository's installation. */
	public int tokenRequests(String repository) {
		AtomicInteger count = this.tokenRequests.get(installationOf(repository));
		return (count != null) ? count.get() : 0;
	}

	public int totalTokenRequests() {
		return this.tokenRequests.values().stream().mapToInt(AtomicInteger::get).sum();
	}

	public int installationLookups() {
		return this.lookups.get();
	}

	@Override
	public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
		Answer answer = answer(request.getMethod(), request.getUrl().encodedPath(),
				request.getHeaders().get("Authorization"));
		return new MockResponse.Builder().code(answer.status())
			.setHeader("Content-Type", "application/json; charset=utf-8")
			.setHeader("X-RateLimit-Limit", 5000)
			.setHeader("X-RateLimit-Remaining", answer.rateLimitRemaining())
			.body(answer.body())
			.build();
	}

	/**
	 * What GitHub answers a request; {@link #dispatch} serves it through MockWebServer,
	 * and the benchmark through the JDK's HTTP server, which takes a burst of connections
	 * better.
	 */
	public Answer answer(String method, String path, String authorization) throws InterruptedException {
		if (!this.latency.isZero()) {
			Thread.sleep(this.latency.toMillis());
		}
		String problem = checkJwt(authorization);
		if (problem != null) {
			return json(401, "{\"message\":\"" + problem + "\"}");
		}
		Matcher lookup = INSTALLATION.matcher(path);
		if (method.equals("GET") && lookup.matches()) {
			this.lookups.incrementAndGet();
			String repository = lookup.group(1) + "/" + lookup.group(2);
			if (this.notInstalled.contains(repository.toLowerCase(Locale.ROOT))) {
				return json(404, "{\"message\":\"Not Found\"}");
			}
			return json(200, "{\"id\":" + installationOf(repository) + ",\"app_id\":1,\"account\":{\"login\":\""
					+ lookup.group(1) + "\"}}");
		}
		Matcher tokens = ACCESS_TOKENS.matcher(path);
		if (method.equals("POST") && tokens.matches()) {
			long installation = Long.parseLong(tokens.group(1));
			if (!this.installations.containsValue(installation)) {
				return json(404, "{\"message\":\"Not Found\"}");
			}
			this.tokenRequests.computeIfAbsent(installation, (id) -> new AtomicInteger()).incrementAndGet();
			Integer failure = this.failing.get(installation);
			if (failure != null) {
				return json(failure, "{\"message\":\"Server Error\"}");
			}
			CountDownLatch arrival = this.arrived.get(installation);
			if (arrival != null) {
				arrival.countDown();
			}
			CountDownLatch hold = this.held.get(installation);
			if (hold != null) {
				hold.await(30, TimeUnit.SECONDS);
			}
			String token = newToken();
			Instant expiresAt = this.clock.instant().plus(this.tokenLifetime).truncatedTo(ChronoUnit.SECONDS);
			return json(201, "{\"token\":\"" + token + "\",\"expires_at\":\"" + expiresAt
					+ "\",\"permissions\":{\"contents\":\"write\"},\"repository_selection\":\"all\"}");
		}
		return json(404, "{\"message\":\"Not Found\"}");
	}

	private String checkJwt(String authorization) {
		if (authorization == null || !authorization.startsWith("Bearer ")) {
			return "Requires authentication";
		}
		String jwt = authorization.substring("Bearer ".length());
		SECRETS.add(jwt);
		Claims claims;
		try {
			claims = Jwts.parser()
				.verifyWith(this.publicKey)
				.clock(() -> Date.from(this.clock.instant()))
				.build()
				.parseSignedClaims(jwt)
				.getPayload();
		}
		catch (JwtException ex) {
			return "A JSON web token could not be decoded";
		}
		Instant now = this.clock.instant();
		if (!this.appId.equals(claims.getIssuer())) {
			return "Integration not found";
		}
		if (claims.getIssuedAt() == null || claims.getExpiration() == null) {
			return "Missing 'issued at' or 'expiration' time in the JWT";
		}
		if (claims.getIssuedAt().toInstant().isAfter(now)) {
			return "'Issued at' claim ('iat') must be an Integer representing a time in the past";
		}
		if (Duration.between(claims.getIssuedAt().toInstant(), claims.getExpiration().toInstant())
			.compareTo(Duration.ofMinutes(10)) > 0) {
			return "'Expiration time' claim ('exp') is too far in the future";
		}
		return null;
	}

	private long installationOf(String repository) {
		return this.installations.computeIfAbsent(repository.toLowerCase(Locale.ROOT),
				(key) -> this.nextInstallation.incrementAndGet());
	}

	/**
	 * GitHub's 2026 stateless tokens: ghs_ and a JWT of about 520 characters, dots
	 * included.
	 */
	private static String newToken() {
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		byte[] header = new byte[27];
		byte[] payload = new byte[270];
		byte[] signature = new byte[86];
		RANDOM.nextBytes(header);
		RANDOM.nextBytes(payload);
		RANDOM.nextBytes(signature);
		String token = "ghs_" + base64.encodeToString(header) + "." + base64.encodeToString(payload) + "."
				+ base64.encodeToString(signature);
		SECRETS.add(token);
		return token;
	}

	private Answer json(int code, String body) {
		return new Answer(code, body, Math.max(0, this.rateLimitRemaining.decrementAndGet()));
	}

	/** A GitHub answer: its status, JSON body and X-RateLimit-Remaining. */
	public record Answer(int status, String body, int rateLimitRemaining) {

	}

	/**
	 * Runs the simulator for {@code make demo}: writes a throwaway App key where tokman
	 * will read it, then serves until stopped. Arguments: {@code PORT APP_ID KEY_FILE}.
	 */
	public static void main(String[] args) throws IOException, InterruptedException {
		int port = Integer.parseInt(args[0]);
		String appId = args[1];
		KeyPair keys = TestKeys.generate();
		GitHubSimulator simulator = new GitHubSimulator(appId, keys.getPublic(), Clock.systemUTC());
		simulator.uninstall("not-installed/demo");
		MockWebServer server = new MockWebServer();
		server.setDispatcher(simulator);
		server.start(InetAddress.getLoopbackAddress(), port);
		// Written once the port is ours: its appearance tells make demo the simulator is
		// up.
		TestKeys.writePkcs1(keys, Path.of(args[2]));
		System.out.println("GitHub simulator on " + server.url("/") + " for App " + appId + ", key in " + args[2]);
		new CountDownLatch(1).await();
	}

}
