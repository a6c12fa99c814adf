package io.tokman.github;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.tokman.TestEnvironment;
import io.tokman.simulator.GitHubSimulator;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * GitHub for tests of other packages: the simulator behind a MockWebServer, and the real
 * {@link GitHubClient} calling it on the test's clock, without retries or circuit, so
 * that each mint is one token request. Records the tokens minted, and can answer anything
 * else in GitHub's place.
 */
public final class TestGitHub extends Dispatcher implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Every token minted, oldest first. */
	public final List<String> minted = new CopyOnWriteArrayList<>();

	/** When each token minted expires. */
	public final Map<String, Instant> expiries = new ConcurrentHashMap<>();

	private final GitHubSimulator simulator;

	private final MockWebServer server = new MockWebServer();

	private final GitHubClient client;

	private final AtomicInteger tokenRequests = new AtomicInteger();

	private final AtomicInteger lookups = new AtomicInteger();

	private volatile Function<RecordedRequest, MockResponse> instead;

	public TestGitHub(Clock clock) {
		this.simulator = new GitHubSimulator(TestEnvironment.APP_ID, TestEnvironment.KEYS.getPublic(), clock);
		this.server.setDispatcher(this);
		try {
			this.server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.client = new GitHubClient(new OkHttpClient(), this.server.url("/"),
				new AppJwt(TestEnvironment.APP_ID, AppKeys.of((RSAPrivateKey) TestEnvironment.KEYS.getPrivate()),
						clock),
				JSON, "tokman/test", clock, new Retries(0, Duration.ofMillis(5), Duration.ofSeconds(10)),
				Duration.ofSeconds(60), ObservationRegistry.NOOP,
				new GitHubCircuit(Duration.ZERO, clock, new SimpleMeterRegistry()),
				new GitHubCalls(100, new SimpleMeterRegistry()));
	}

	/** The test App's one key, as tokman holds it. */
	public static AppKeys appKeys() {
		return appKeys(TestEnvironment.KEYS);
	}

	/** The keys in this file or folder, read as tokman reads them. */
	public static AppKeys appKeys(Path source) {
		return AppKeys.read(source, null, TestEnvironment.APP_ID, new SimpleMeterRegistry());
	}

	/** Reads the keys' files again, as the periodic check does. */
	public static void reload(AppKeys keys) {
		keys.reload();
	}

	/** These keys, as tokman holds an App's one key. */
	public static AppKeys appKeys(KeyPair keys) {
		return AppKeys.of((RSAPrivateKey) keys.getPrivate());
	}

	/** The test App alone, calling this GitHub. */
	public GitHubApps apps() {
		return GitHubApps.of(this.client, TestEnvironment.APP_ID);
	}

	/** The test App alone, with no GitHub to call: for tests whose service is a mock. */
	public static GitHubApps unreachable() {
		return GitHubApps.of(null, TestEnvironment.APP_ID);
	}

	public GitHubClient client() {
		return this.client;
	}

	public GitHubSimulator simulator() {
		return this.simulator;
	}

	/** Token requests received, answered or not. */
	public int tokenRequests() {
		return this.tokenRequests.get();
	}

	/** Installation lookups received, answered or not. */
	public int installationLookups() {
		return this.lookups.get();
	}

	/** Every call answered with this status until {@link #heal()}. */
	public void fail(int status) {
		answer((request) -> new MockResponse.Builder().code(status)
			.setHeader("Content-Type", "application/json")
			.body("{\"message\":\"Server Error\"}")
			.build());
	}

	/** Every call answered this way until {@link #heal()}. */
	public void answer(Function<RecordedRequest, MockResponse> instead) {
		this.instead = instead;
	}

	/** The simulator answers again. */
	public void heal() {
		this.instead = null;
	}

	@Override
	public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
		String path = request.getUrl().encodedPath();
		if (path.endsWith("/access_tokens")) {
			this.tokenRequests.incrementAndGet();
		}
		else if (path.endsWith("/installation")) {
			this.lookups.incrementAndGet();
		}
		Function<RecordedRequest, MockResponse> instead = this.instead;
		if (instead != null) {
			return instead.apply(request);
		}
		GitHubSimulator.Answer answer = this.simulator.answer(request.getMethod(), path,
				request.getHeaders().get("Authorization"), (request.getBody() != null) ? request.getBody().utf8() : "");
		if (answer.status() == 201) {
			JsonNode token = JSON.readTree(answer.body());
			this.expiries.put(token.get("token").asString(), Instant.parse(token.get("expires_at").asString()));
			this.minted.add(token.get("token").asString());
		}
		return new MockResponse.Builder().code(answer.status())
			.setHeader("Content-Type", "application/json")
			.body(answer.body())
			.build();
	}

	@Override
	public void close() {
		this.server.close();
	}

}
