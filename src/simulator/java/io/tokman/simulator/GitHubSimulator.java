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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local stand-in for the GitHub endpoints tokman calls. It checks the App JWT as GitHub
 * does and mints tokens in GitHub's 2026 format (a long {@code ghs_}-prefixed JWT-like
 * string) with a real expiry, for the repositories and permissions in the request's body,
 * refusing (422) what the installation lacks. Its tokens work on GitHub's contents
 * endpoint only within their scope. One installation per owner. Apps may have several
 * keys, added and removed while it runs, and there may be several Apps, each with a rate
 * limit of its own ({@link #addKey}, {@link #limit}). It counts token requests
 * per repository named, can be made slow, and can hold a repository's token request until
 * a test releases it. {@code make demo} runs it through {@link #main}.
 */
public final class GitHubSimulator extends Dispatcher {

	private static final Pattern INSTALLATION = Pattern.compile("/repos/([^/]+)/([^/]+)/installation");

	private static final Pattern OWNER_INSTALLATION = Pattern.compile("/users/([^/]+)/installation");

	private static final Pattern ACCESS_TOKENS = Pattern.compile("/app/installations/(\\d+)/access_tokens");

	private static final Pattern CONTENTS = Pattern.compile("/repos/([^/]+)/([^/]+)/contents/.*");

	private static final String INSTALLATION_TOKEN = "/installation/token";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final SecureRandom RANDOM = new SecureRandom();

	/** Every token minted and every JWT received in this JVM, for the log leak check. */
	public static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

	/** The public keys of each App, by App id. */
	private final Map<String, Set<PublicKey>> apps = new ConcurrentHashMap<>();

	/** JWTs GitHub took, by the key that signed them. */
	private final Map<PublicKey, AtomicInteger> signedWith = new ConcurrentHashMap<>();

	/** Token requests, by the App that made them. */
	private final Map<String, AtomicInteger> mintsBy = new ConcurrentHashMap<>();

	/** Apps whose rate limit is spent: each of their calls gets a 403 rate limit. */
	private final Set<String> limited = ConcurrentHashMap.newKeySet();

	private final ThreadLocal<String> caller = new ThreadLocal<>();

	private final Clock clock;

	private final AtomicLong nextInstallation = new AtomicLong(1000);

	private final Map<String, Long> installations = new ConcurrentHashMap<>();

	private final Set<String> notInstalled = ConcurrentHashMap.newKeySet();

	/** Owners whose installation was deleted: none of their repositories is installed. */
	private final Set<String> uninstalledOwners = ConcurrentHashMap.newKeySet();

	private final Map<String, AtomicInteger> tokenRequests = new ConcurrentHashMap<>();

	private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();

	private final Map<String, Integer> failing = new ConcurrentHashMap<>();

	private final Map<String, CountDownLatch> arrived = new ConcurrentHashMap<>();

	/** Every token minted, with what it may do. */
	private final Map<String, Issued> issued = new ConcurrentHashMap<>();

	/** Tokens revoked through {@code DELETE /installation/token}. */
	private final Set<String> revoked = ConcurrentHashMap.newKeySet();

	private final Queue<String> tokenRequestBodies = new ConcurrentLinkedQueue<>();

	private volatile Map<String, String> installationPermissions = Map.of("metadata", "read", "contents", "write",
			"pull_requests", "write", "issues", "write", "checks", "write", "statuses", "write");

	private final AtomicInteger lookups = new AtomicInteger();

	private final AtomicInteger totalTokenRequests = new AtomicInteger();

	private final AtomicInteger rateLimitRemaining = new AtomicInteger(5000);

	private volatile Duration latency = Duration.ZERO;

	private volatile Duration tokenLifetime = Duration.ofHours(1);

	public GitHubSimulator(String appId, PublicKey publicKey, Clock clock) {
		addKey(appId, publicKey);
		this.clock = clock;
	}

	/** Adds a key to the App (a new App if there is none of that id), as its settings do. */
	public void addKey(String appId, PublicKey key) {
		this.apps.computeIfAbsent(appId, (id) -> ConcurrentHashMap.newKeySet()).add(key);
	}

	/** Deletes the App's key: JWTs it signs are rejected from now on. */
	public void removeKey(String appId, PublicKey key) {
		this.apps.getOrDefault(appId, Set.of()).remove(key);
	}

	/** How many JWTs signed with the key were taken. */
	public int jwtsSignedWith(PublicKey key) {
		AtomicInteger count = this.signedWith.get(key);
		return (count != null) ? count.get() : 0;
	}

	/** How many token requests the App made. */
	public int tokenRequestsBy(String appId) {
		AtomicInteger count = this.mintsBy.get(appId);
		return (count != null) ? count.get() : 0;
	}

	/** Makes the App's rate limit spent (every call a 403 saying so) or not. */
	public void limit(String appId, boolean spent) {
		if (spent) {
			this.limited.add(appId);
		}
		else {
			this.limited.remove(appId);
		}
	}

	/** Makes every answer wait this long. */
	public void latency(Duration latency) {
		this.latency = latency;
	}

	public void tokenLifetime(Duration lifetime) {
		this.tokenLifetime = lifetime;
	}

	/** The permissions every installation has; a token request beyond them gets 422. */
	public void installationPermissions(Map<String, String> permissions) {
		this.installationPermissions = Map.copyOf(permissions);
	}

	/** The bodies of the token requests received, oldest first ("" for none). */
	public List<String> tokenRequestBodies() {
		return List.copyOf(this.tokenRequestBodies);
	}

	/**
	 * Makes GitHub answer 404 to the repository's installation lookup, or, for
	 * {@code owner/*}, to the owner's; a token request naming the repository gets 422.
	 */
	public void uninstall(String repository) {
		this.notInstalled.add(repository.toLowerCase(Locale.ROOT));
	}

	/** Undoes {@link #uninstall}: the App is on the repository (or {@code owner/*}) again. */
	public void install(String repository) {
		this.notInstalled.remove(repository.toLowerCase(Locale.ROOT));
	}

	/**
	 * Deletes the owner's installation, as uninstalling the App does: its id is gone,
	 * every token it minted stops working, and the owner's repositories are not installed
	 * until {@link #installOwner}.
	 */
	public void deleteInstallation(String owner) {
		String login = owner.toLowerCase(Locale.ROOT);
		this.installations.remove(login);
		this.issued.entrySet().removeIf((entry) -> entry.getValue().owner().equals(login));
		this.uninstalledOwners.add(login);
	}

	/** Installs the App for the owner again, under a new installation id. */
	public void installOwner(String owner) {
		this.uninstalledOwners.remove(owner.toLowerCase(Locale.ROOT));
	}

	/** Whether GitHub takes the token now: minted here, not expired, not revoked. */
	public boolean accepts(String token) {
		Issued grant = (token != null) ? this.issued.get(token) : null;
		return grant != null && this.clock.instant().isBefore(grant.expiresAt());
	}

	/** How many tokens were revoked. */
	public int revocations() {
		return this.revoked.size();
	}

	/** Token requests for the repository wait until {@link #release} is called. */
	public void hold(String repository) {
		this.held.put(subject(repository), new CountDownLatch(1));
		this.arrived.put(subject(repository), new CountDownLatch(1));
	}

	/** Waits until a held token request for the repository has reached the simulator. */
	public boolean awaitHeldRequest(String repository, Duration timeout) throws InterruptedException {
		return this.arrived.get(subject(repository)).await(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Makes GitHub answer token requests for the repository with this error status, until
	 * {@link #heal}.
	 */
	public void fail(String repository, int status) {
		this.failing.put(subject(repository), status);
	}

	public void heal(String repository) {
		this.failing.remove(subject(repository));
	}

	public void release(String repository) {
		CountDownLatch latch = this.held.remove(subject(repository));
		if (latch != null) {
			latch.countDown();
		}
	}

	/**
	 * How many tokens were requested for the repository (named in the request's body), or
	 * for {@code owner/*}, tokens for all of the owner's installation.
	 */
	public int tokenRequests(String repository) {
		AtomicInteger count = this.tokenRequests.get(subject(repository));
		return (count != null) ? count.get() : 0;
	}

	public int totalTokenRequests() {
		return this.totalTokenRequests.get();
	}

	public int installationLookups() {
		return this.lookups.get();
	}

	@Override
	public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
		Answer answer = answer(request.getMethod(), request.getUrl().encodedPath(),
				request.getHeaders().get("Authorization"), (request.getBody() != null) ? request.getBody().utf8() : "");
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
	public Answer answer(String method, String path, String authorization, String body) throws InterruptedException {
		if (!this.latency.isZero()) {
			Thread.sleep(this.latency.toMillis());
		}
		Matcher contents = CONTENTS.matcher(path);
		if (contents.matches()) {
			return contents(method, contents.group(1), contents.group(2), authorization);
		}
		if (method.equals("DELETE") && path.equals(INSTALLATION_TOKEN)) {
			return revoke(authorization);
		}
		String problem = checkJwt(authorization);
		if (problem != null) {
			return json(401, "{\"message\":\"" + problem + "\"}");
		}
		if (this.limited.contains(this.caller.get())) {
			return new Answer(403, "{\"message\":\"API rate limit exceeded for installation.\"}", 0);
		}
		Matcher lookup = INSTALLATION.matcher(path);
		if (method.equals("GET") && lookup.matches()) {
			this.lookups.incrementAndGet();
			String repository = lookup.group(1) + "/" + lookup.group(2);
			if (this.notInstalled.contains(repository.toLowerCase(Locale.ROOT))
					|| this.uninstalledOwners.contains(lookup.group(1).toLowerCase(Locale.ROOT))) {
				return json(404, "{\"message\":\"Not Found\"}");
			}
			return json(200, "{\"id\":" + installationOf(lookup.group(1)) + ",\"app_id\":1,\"account\":{\"login\":\""
					+ lookup.group(1) + "\"}}");
		}
		Matcher owner = OWNER_INSTALLATION.matcher(path);
		if (method.equals("GET") && owner.matches()) {
			this.lookups.incrementAndGet();
			if (this.notInstalled.contains(owner.group(1).toLowerCase(Locale.ROOT) + "/*")
					|| this.uninstalledOwners.contains(owner.group(1).toLowerCase(Locale.ROOT))) {
				return json(404, "{\"message\":\"Not Found\"}");
			}
			return json(200, "{\"id\":" + installationOf(owner.group(1)) + ",\"app_id\":1,\"account\":{\"login\":\""
					+ owner.group(1) + "\"}}");
		}
		Matcher tokens = ACCESS_TOKENS.matcher(path);
		if (method.equals("POST") && tokens.matches()) {
			return mint(Long.parseLong(tokens.group(1)), body);
		}
		return json(404, "{\"message\":\"Not Found\"}");
	}

	/**
	 * Mints a token for the repositories and permissions in the body, as GitHub does: the
	 * installation's own where the body names none, 422 for a permission or repository the
	 * installation lacks.
	 */
	private Answer mint(long installation, String body) throws InterruptedException {
		String owner = this.installations.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() == installation)
			.map(Map.Entry::getKey)
			.findFirst()
			.orElse(null);
		if (owner == null) {
			return json(404, "{\"message\":\"Not Found\"}");
		}
		this.tokenRequestBodies.add((body != null) ? body : "");
		this.totalTokenRequests.incrementAndGet();
		this.mintsBy.computeIfAbsent(this.caller.get(), (id) -> new AtomicInteger()).incrementAndGet();
		JsonNode request = (body == null || body.isBlank()) ? JSON.createObjectNode() : JSON.readTree(body);
		Set<String> repositories = new TreeSet<>();
		request.path("repositories").forEach((name) -> repositories.add(name.asString().toLowerCase(Locale.ROOT)));
		Map<String, String> permissions = new TreeMap<>();
		request.path("permissions").properties().forEach((entry) -> permissions.put(entry.getKey(), entry.getValue().asString()));
		List<String> subjects = repositories.isEmpty() ? List.of(owner + "/*")
				: repositories.stream().map((name) -> owner + "/" + name).toList();
		subjects.forEach((subject) -> this.tokenRequests.computeIfAbsent(subject, (key) -> new AtomicInteger())
			.incrementAndGet());
		for (String subject : subjects) {
			Integer failure = this.failing.get(subject);
			if (failure != null) {
				return json(failure, "{\"message\":\"Server Error\"}");
			}
		}
		for (String subject : subjects) {
			CountDownLatch arrival = this.arrived.get(subject);
			if (arrival != null) {
				arrival.countDown();
			}
			CountDownLatch hold = this.held.get(subject);
			if (hold != null) {
				hold.await(30, TimeUnit.SECONDS);
			}
		}
		for (Map.Entry<String, String> asked : permissions.entrySet()) {
			String has = this.installationPermissions.get(asked.getKey());
			if (has == null || rank(has) < rank(asked.getValue())) {
				return json(422, "{\"message\":\"The permissions requested are not granted to this installation.\"}");
			}
		}
		for (String subject : subjects) {
			if (this.notInstalled.contains(subject)) {
				return json(422, "{\"message\":\"There is at least one repository that does not exist or is not "
						+ "accessible to the parent installation.\"}");
			}
		}
		Map<String, String> granted = permissions.isEmpty() ? new TreeMap<>(this.installationPermissions) : permissions;
		String token = newToken();
		Instant expiresAt = this.clock.instant().plus(this.tokenLifetime).truncatedTo(ChronoUnit.SECONDS);
		this.issued.put(token, new Issued(owner, repositories.isEmpty() ? null : repositories, granted, expiresAt));
		ObjectNode answer = JSON.createObjectNode();
		answer.put("token", token);
		answer.put("expires_at", expiresAt.toString());
		ObjectNode grantedNode = answer.putObject("permissions");
		granted.forEach(grantedNode::put);
		answer.put("repository_selection", repositories.isEmpty() ? "all" : "selected");
		if (!repositories.isEmpty()) {
			ArrayNode named = answer.putArray("repositories");
			repositories.forEach((name) -> named.addObject().put("name", name));
		}
		return json(201, JSON.writeValueAsString(answer));
	}

	/**
	 * GitHub's {@code DELETE /installation/token}, authenticated with the token itself:
	 * 204 and the token stops working, or 401 for a token GitHub does not take.
	 */
	private Answer revoke(String authorization) {
		String token = (authorization == null) ? "" : authorization.replaceFirst("^(?i)(token|bearer) ", "");
		if (!accepts(token)) {
			return json(401, "{\"message\":\"Bad credentials\"}");
		}
		this.issued.remove(token);
		this.revoked.add(token);
		return json(204, "");
	}

	/**
	 * GitHub's contents endpoint, for proving what a token may do: reading needs
	 * contents:read, writing contents:write, on a repository the token covers (GitHub
	 * answers 404 for one it does not).
	 */
	private Answer contents(String method, String owner, String repository, String authorization) {
		String token = (authorization == null) ? "" : authorization.replaceFirst("^(?i)(token|bearer) ", "");
		Issued grant = this.issued.get(token);
		if (grant == null || !this.clock.instant().isBefore(grant.expiresAt())) {
			return json(401, "{\"message\":\"Bad credentials\"}");
		}
		if (!grant.owner().equals(owner.toLowerCase(Locale.ROOT)) || (grant.repositories() != null
				&& !grant.repositories().contains(repository.toLowerCase(Locale.ROOT)))) {
			return json(404, "{\"message\":\"Not Found\"}");
		}
		int needed = method.equals("GET") ? 1 : 2;
		if (rank(grant.permissions().getOrDefault("contents", "none")) < needed) {
			return json(403, "{\"message\":\"Resource not accessible by integration\"}");
		}
		return json(200, "{}");
	}

	private static int rank(String level) {
		return switch (level) {
			case "read" -> 1;
			case "write" -> 2;
			case "admin" -> 3;
			default -> 0;
		};
	}

	private static String subject(String repository) {
		return repository.toLowerCase(Locale.ROOT);
	}

	private String checkJwt(String authorization) {
		if (authorization == null || !authorization.startsWith("Bearer ")) {
			return "Requires authentication";
		}
		String jwt = authorization.substring("Bearer ".length());
		SECRETS.add(jwt);
		this.caller.remove();
		Claims claims = null;
		String app = null;
		for (Map.Entry<String, Set<PublicKey>> keys : this.apps.entrySet()) {
			for (PublicKey key : keys.getValue()) {
				try {
					claims = Jwts.parser()
						.verifyWith(key)
						.clock(() -> Date.from(this.clock.instant()))
						.build()
						.parseSignedClaims(jwt)
						.getPayload();
					app = keys.getKey();
					this.signedWith.computeIfAbsent(key, (taken) -> new AtomicInteger()).incrementAndGet();
					break;
				}
				catch (JwtException ex) {
					// Not this key.
				}
			}
			if (claims != null) {
				break;
			}
		}
		if (claims == null) {
			return "A JSON web token could not be decoded";
		}
		Instant now = this.clock.instant();
		if (!app.equals(claims.getIssuer())) {
			return "Integration not found";
		}
		this.caller.set(app);
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

	private long installationOf(String owner) {
		return this.installations.computeIfAbsent(owner.toLowerCase(Locale.ROOT),
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

	/** A token minted: its owner, its repositories (null for all), permissions, expiry. */
	private record Issued(String owner, Set<String> repositories, Map<String, String> permissions,
			Instant expiresAt) {

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
