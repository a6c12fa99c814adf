package io.tokman.github;

import java.security.interfaces.RSAPrivateKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.jsonwebtoken.Jwts;
import io.tokman.TestEnvironment;
import io.tokman.config.InvalidSettingException;
import io.tokman.simulator.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

class GitHubClientTests {

	private static final RepositoryName REPOSITORY = new RepositoryName("packit", "ogr");

	private static final TokenScope SCOPE = TokenScope.repository(REPOSITORY, Permissions.INSTALLATION, false);

	@StartStop
	private final MockWebServer server = new MockWebServer();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));

	private final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(1)).build();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private static final Duration PAUSE = Duration.ofSeconds(30);

	@Test
	void mintTokenLooksUpTheInstallationThenPostsForAToken() throws InterruptedException {
		this.server.enqueue(json(200, "{\"id\":77,\"account\":{\"login\":\"packit\"}}"));
		this.server.enqueue(json(201, "{\"token\":\"ghs_abc.def.ghi\",\"expires_at\":\"2026-11-25T13:00:00Z\"}"));
		InstallationToken token = client("/").mintToken(SCOPE, null);
		assertThat(token.token()).isEqualTo("ghs_abc.def.ghi");
		assertThat(token.expiresAt()).isEqualTo(Instant.parse("2026-11-25T13:00:00Z"));
		RecordedRequest lookup = this.server.takeRequest();
		assertThat(lookup.getMethod()).isEqualTo("GET");
		assertThat(lookup.getUrl().encodedPath()).isEqualTo("/repos/packit/ogr/installation");
		assertGitHubHeaders(lookup);
		RecordedRequest post = this.server.takeRequest();
		assertThat(post.getMethod()).isEqualTo("POST");
		assertThat(post.getUrl().encodedPath()).isEqualTo("/app/installations/77/access_tokens");
		assertGitHubHeaders(post);
	}

	@Test
	void tokenIsAskedForTheRepositoryAndPermissionsAndGitHubsGrantIsRead() throws InterruptedException {
		this.server.enqueue(json(201, "{\"token\":\"t\",\"expires_at\":\"2026-11-25T13:00:00Z\","
				+ "\"permissions\":{\"contents\":\"read\",\"metadata\":\"read\"},\"repository_selection\":\"selected\"}"));
		TokenScope scope = TokenScope.repository(REPOSITORY, Permissions.parse("pull_requests:write,contents:read"),
				false);
		InstallationToken token = client("/").mintToken(scope, 77L);
		assertThat(this.server.takeRequest().getBody().utf8()).isEqualTo(
				"{\"repositories\":[\"ogr\"],\"permissions\":{\"contents\":\"read\",\"pull_requests\":\"write\"}}");
		assertThat(token.permissions().asMap()).containsExactly(entry("contents", "read"), entry("metadata", "read"));
		assertThat(token.repositorySelection()).isEqualTo("selected");
	}

	@Test
	void installationScopeAsksForTheWholeInstallationWithAnEmptyBody() throws InterruptedException {
		this.server.enqueue(json(201, "{\"token\":\"t\",\"expires_at\":\"2026-11-25T13:00:00Z\"}"));
		client("/").mintToken(TokenScope.repository(REPOSITORY, Permissions.INSTALLATION, true), 77L);
		assertThat(this.server.takeRequest().getBody().size()).isZero();
	}

	@Test
	void ownerTokenLooksUpTheOwnersInstallationAndNamesItsRepositories() throws InterruptedException {
		this.server.enqueue(json(200, "{\"id\":90,\"account\":{\"login\":\"Packit\"}}"));
		this.server.enqueue(json(201, "{\"token\":\"t\",\"expires_at\":\"2026-11-25T13:00:00Z\"}"));
		client("/").mintToken(TokenScope.owner("packit", List.of("ogr", "Packit", "OGR"), Permissions.INSTALLATION),
				null);
		assertThat(this.server.takeRequest().getUrl().encodedPath()).isEqualTo("/users/packit/installation");
		RecordedRequest post = this.server.takeRequest();
		assertThat(post.getUrl().encodedPath()).isEqualTo("/app/installations/90/access_tokens");
		assertThat(post.getBody().utf8()).isEqualTo("{\"repositories\":[\"ogr\",\"Packit\"]}");
	}

	@Test
	void permissionTheInstallationLacksIsGitHubsRefusalInItsWordsNotRetried() {
		this.server
			.enqueue(json(422, "{\"message\":\"The permissions requested are not granted to this installation.\"}"));
		TokenScope scope = TokenScope.repository(REPOSITORY, Permissions.parse("administration:write"), false);
		assertThatExceptionOfType(TokenRefusedException.class).isThrownBy(() -> client("/").mintToken(scope, 77L))
			.withMessage("GitHub refused a token for packit/ogr [administration:write]: "
					+ "The permissions requested are not granted to this installation.")
			.matches(GitHubException::isDefinitive);
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void knownInstallationMintsWithOneCall() throws InterruptedException {
		this.server.enqueue(json(201, "{\"token\":\"t\",\"expires_at\":\"2026-11-25T13:00:00Z\"}"));
		InstallationToken token = client("/").mintToken(SCOPE, 77L);
		assertThat(token.installationId()).isEqualTo(77);
		assertThat(this.server.getRequestCount()).isEqualTo(1);
		assertThat(this.server.takeRequest().getUrl().encodedPath()).isEqualTo("/app/installations/77/access_tokens");
	}

	@Test
	void knownInstallationThatIsGoneIsLookedUpAgain() throws InterruptedException {
		this.server.enqueue(json(404, "{\"message\":\"Not Found\"}"));
		this.server.enqueue(json(200, "{\"id\":78,\"account\":{\"login\":\"packit\"}}"));
		this.server.enqueue(json(201, "{\"token\":\"t\",\"expires_at\":\"2026-11-25T13:00:00Z\"}"));
		assertThat(client("/").mintToken(SCOPE, 77L).installationId()).isEqualTo(78);
		assertThat(this.server.takeRequest().getUrl().encodedPath()).isEqualTo("/app/installations/77/access_tokens");
		assertThat(this.server.takeRequest().getUrl().encodedPath()).isEqualTo("/repos/packit/ogr/installation");
		assertThat(this.server.takeRequest().getUrl().encodedPath()).isEqualTo("/app/installations/78/access_tokens");
	}

	@Test
	void enterpriseServerBaseUrlKeepsItsPath() throws InterruptedException {
		this.server.enqueue(json(200, "{\"id\":5,\"account\":{\"login\":\"Packit\"}}"));
		this.server.enqueue(json(201, "{\"token\":\"t\",\"expires_at\":\"2026-11-25T13:00:00Z\"}"));
		client("/api/v3/").mintToken(SCOPE, null);
		assertThat(this.server.takeRequest().getUrl().encodedPath()).isEqualTo("/api/v3/repos/packit/ogr/installation");
		assertThat(this.server.takeRequest().getUrl().encodedPath())
			.isEqualTo("/api/v3/app/installations/5/access_tokens");
	}

	@Test
	void notFoundOnInstallationLookupMeansNotInstalled() {
		this.server.enqueue(json(404, "{\"message\":\"Not Found\"}"));
		assertThatExceptionOfType(AppNotInstalledException.class).isThrownBy(() -> client("/").mintToken(SCOPE, null))
			.withMessage("App is not installed on packit/ogr");
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	/** Each GitHub call as it is observed (traces, timers), once finished. */
	private final List<Observation.Context> observed = new CopyOnWriteArrayList<>();

	private final ObservationRegistry observations = ObservationRegistry.create();

	{
		this.observations.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

			@Override
			public void onStop(Observation.Context context) {
				GitHubClientTests.this.observed.add(context);
			}

		});
	}

	@Test
	void serverErrorIsRetriedAndThenSucceeds() {
		this.server.enqueue(json(502, "{\"message\":\"Server Error\"}"));
		this.server.enqueue(json(500, "{\"message\":\"Server Error\"}"));
		this.server.enqueue(json(200, "{\"id\":5,\"account\":{\"login\":\"Packit\"}}"));
		this.server.enqueue(json(201, "{\"token\":\"t\",\"expires_at\":\"2026-11-25T13:00:00Z\"}"));
		assertThat(client("/").mintToken(SCOPE, null).token()).isEqualTo("t");
		assertThat(this.server.getRequestCount()).isEqualTo(4);
		assertThat(this.observed).filteredOn((call) -> call.getName().equals("tokman.github.call"))
			.extracting((call) -> call.getLowCardinalityKeyValue("endpoint").getValue() + ", retries "
					+ call.getHighCardinalityKeyValue("retries").getValue())
			.containsExactly("installation lookup, retries 2", "token request, retries 0");
	}

	@Test
	void gitHubFailingMostCallsIsLeftAloneThenProbedOnceAndUsedAgainWhenItAnswers() {
		GitHubClient client = client("/");
		for (int i = 0; i < 6; i++) {
			this.server.enqueue(json(500, "{\"message\":\"Server Error\"}"));
		}
		for (int i = 0; i < 3; i++) {
			this.server.enqueue(json(201, "{\"token\":\"t" + i + "\",\"expires_at\":\"2026-11-25T13:00:00Z\"}"));
		}
		// A mint tries three times; the circuit opens at the fifth failure, in the
		// second.
		assertThatExceptionOfType(UnexpectedAnswerException.class)
			.isThrownBy(() -> client.createToken(SCOPE, 5, deadline()));
		assertThatExceptionOfType(GitHubFailingException.class)
			.isThrownBy(() -> client.createToken(SCOPE, 5, deadline()))
			.satisfies((ex) -> assertThat(ex.retryAfter()).isEqualTo(PAUSE))
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContainPattern("[A-Z][a-z]+Exception"));
		assertThat(this.server.getRequestCount()).isEqualTo(5);
		for (int i = 0; i < 10; i++) {
			assertThatExceptionOfType(GitHubFailingException.class)
				.isThrownBy(() -> client.createToken(SCOPE, 5, deadline()));
		}
		assertThat(this.server.getRequestCount()).isEqualTo(5);
		assertThat(this.meters.get("tokman.github.circuit.open").gauge().value()).isEqualTo(1);
		assertThat(this.meters.get("tokman.github.calls.held.back").counter().count()).isEqualTo(11);
		// After the pause one call probes: it fails, and GitHub is left alone again.
		this.clock.advance(PAUSE.plusSeconds(1));
		assertThatExceptionOfType(GitHubException.class).isThrownBy(() -> client.createToken(SCOPE, 5, deadline()));
		assertThatExceptionOfType(GitHubFailingException.class)
			.isThrownBy(() -> client.createToken(SCOPE, 5, deadline()));
		assertThat(this.server.getRequestCount()).isEqualTo(6);
		// The next probe gets an answer: calls go through again.
		this.clock.advance(PAUSE.plusSeconds(1));
		for (int i = 0; i < 3; i++) {
			assertThat(client.createToken(SCOPE, 5, deadline()).token()).isEqualTo("t" + i);
		}
		assertThat(this.meters.get("tokman.github.circuit.open").gauge().value()).isZero();
	}

	@Test
	void negativeCircuitPauseStopsStartupNamingTheSetting() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> new GitHubCircuit(Duration.ofSeconds(-1), this.clock, this.meters))
			.withMessageContaining("tokman.github.circuit-pause");
	}

	@Test
	void circuitPauseOfZeroNeverHoldsGitHubBack() {
		GitHubClient client = new GitHubClient(this.http, this.server.url("/"),
				new AppJwt("4711", AppKeys.of((RSAPrivateKey) TestEnvironment.KEYS.getPrivate()), this.clock),
				JsonMapper.builder().build(), "tokman/1.2.3", this.clock,
				new Retries(0, Duration.ofMillis(5), Duration.ofSeconds(10)), Duration.ofSeconds(60), this.observations,
				new GitHubCircuit(Duration.ZERO, this.clock, this.meters), new GitHubCalls(100, this.meters));
		for (int i = 0; i < 12; i++) {
			this.server.enqueue(json(500, "{\"message\":\"Server Error\"}"));
			assertThatExceptionOfType(UnexpectedAnswerException.class)
				.isThrownBy(() -> client.createToken(SCOPE, 5, deadline()));
		}
		assertThat(this.server.getRequestCount()).isEqualTo(12);
	}

	@Test
	void answersThatAreNoOutageLeaveTheCircuitClosed() {
		GitHubClient client = client("/");
		for (int i = 0; i < 10; i++) {
			this.server.enqueue(json(422, "{\"message\":\"Validation Failed\"}"));
		}
		for (int i = 0; i < 10; i++) {
			assertThatExceptionOfType(GitHubException.class).isThrownBy(() -> client.createToken(SCOPE, 5, deadline()))
				.isNotInstanceOf(GitHubFailingException.class);
		}
		assertThat(this.server.getRequestCount()).isEqualTo(10);
	}

	private static long deadline() {
		return System.nanoTime() + Duration.ofSeconds(10).toNanos();
	}

	@Test
	void connectionDroppedByGitHubIsRetried() {
		this.server.enqueue(
				new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket(true, false, false)).build());
		this.server.enqueue(json(200, "{\"id\":5,\"account\":{\"login\":\"Packit\"}}"));
		this.server.enqueue(json(201, "{\"token\":\"t\",\"expires_at\":\"2026-11-25T13:00:00Z\"}"));
		assertThat(client("/").mintToken(SCOPE, null).token()).isEqualTo("t");
	}

	@Test
	void clientErrorIsNotRetried() {
		this.server.enqueue(json(422, "{\"message\":\"Unprocessable\"}"));
		assertThatExceptionOfType(UnexpectedAnswerException.class).isThrownBy(() -> client("/").mintToken(SCOPE, null))
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(422));
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void serverErrorsBeyondTheRetriesAreAGitHubExceptionWithItsStatusAndMessage() {
		for (int i = 0; i < 3; i++) {
			this.server.enqueue(json(503, "{\"message\":\"Service unavailable\"}"));
		}
		assertThatExceptionOfType(UnexpectedAnswerException.class).isThrownBy(() -> client("/").mintToken(SCOPE, null))
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(503))
			.withMessage("GitHub answered 503 to the installation lookup: Service unavailable");
		assertThat(this.server.getRequestCount()).isEqualTo(3);
	}

	@Test
	void exhaustedRateLimitStopsCallsUntilItsReset() {
		Instant reset = this.clock.instant().plusSeconds(120);
		this.server.enqueue(new MockResponse.Builder().code(403)
			.setHeader("X-RateLimit-Remaining", "0")
			.setHeader("X-RateLimit-Reset", Long.toString(reset.getEpochSecond()))
			.body("{\"message\":\"API rate limit exceeded\"}")
			.build());
		GitHubClient client = client("/");
		assertThatExceptionOfType(RateLimitedException.class).isThrownBy(() -> client.mintToken(SCOPE, null))
			.satisfies((ex) -> assertThat(ex.retryAfter()).isEqualTo(Duration.ofSeconds(120)));
		this.clock.advance(Duration.ofSeconds(119));
		assertThatExceptionOfType(RateLimitedException.class).isThrownBy(() -> client.mintToken(SCOPE, null))
			.satisfies((ex) -> assertThat(ex.retryAfter()).isEqualTo(Duration.ofSeconds(1)));
		assertThat(this.server.getRequestCount()).isEqualTo(1);
		this.clock.advance(Duration.ofSeconds(1));
		this.server.enqueue(json(200, "{\"id\":5,\"account\":{\"login\":\"Packit\"}}"));
		this.server.enqueue(json(201, "{\"token\":\"t\",\"expires_at\":\"2026-11-25T13:00:00Z\"}"));
		assertThat(client.mintToken(SCOPE, null).token()).isEqualTo("t");
	}

	@Test
	void secondaryRateLimitWithRetryAfterIsHonoured() {
		this.server.enqueue(new MockResponse.Builder().code(429)
			.setHeader("Retry-After", "30")
			.body("{\"message\":\"You have exceeded a secondary rate limit\"}")
			.build());
		assertThatExceptionOfType(RateLimitedException.class).isThrownBy(() -> client("/").mintToken(SCOPE, null))
			.satisfies((ex) -> assertThat(ex.retryAfter()).isEqualTo(Duration.ofSeconds(30)));
	}

	@Test
	void secondaryRateLimitWithoutRetryAfterWaitsAMinute() {
		this.server.enqueue(json(403, "{\"message\":\"You have exceeded a secondary rate limit. Please wait.\"}"));
		assertThatExceptionOfType(RateLimitedException.class).isThrownBy(() -> client("/").mintToken(SCOPE, null))
			.satisfies((ex) -> assertThat(ex.retryAfter()).isEqualTo(Duration.ofMinutes(1)));
	}

	@Test
	void forbiddenWithoutARateLimitIsAPlainError() {
		this.server.enqueue(json(403, "{\"message\":\"Resource not accessible by integration\"}"));
		assertThatExceptionOfType(UnexpectedAnswerException.class).isThrownBy(() -> client("/").mintToken(SCOPE, null))
			.isNotInstanceOf(RateLimitedException.class)
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(403));
	}

	@Test
	void jwtRejectedForClockSkewIsSignedAgainOnGitHubsClockOnce() throws InterruptedException {
		Instant gitHubNow = this.clock.instant().plus(Duration.ofMinutes(10));
		this.server.enqueue(new MockResponse.Builder().code(401)
			.setHeader("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(gitHubNow.atZone(ZoneOffset.UTC)))
			.body("{\"message\":\"'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires\"}")
			.build());
		this.server.enqueue(json(200, "{\"id\":5,\"account\":{\"login\":\"Packit\"}}"));
		this.server.enqueue(json(201, "{\"token\":\"t\",\"expires_at\":\"2026-11-25T13:00:00Z\"}"));
		assertThat(client("/").mintToken(SCOPE, null).token()).isEqualTo("t");
		this.server.takeRequest();
		String retried = this.server.takeRequest().getHeaders().get("Authorization").substring(7);
		Instant issuedAt = Jwts.parser()
			.verifyWith(TestEnvironment.KEYS.getPublic())
			.clock(() -> java.util.Date.from(gitHubNow))
			.build()
			.parseSignedClaims(retried)
			.getPayload()
			.getIssuedAt()
			.toInstant();
		assertThat(issuedAt).isEqualTo(gitHubNow.minusSeconds(60));
	}

	@Test
	void jwtRejectedForOtherReasonsIsNotRetried() {
		this.server.enqueue(json(401, "{\"message\":\"A JSON web token could not be decoded\"}"));
		assertThatExceptionOfType(UnexpectedAnswerException.class).isThrownBy(() -> client("/").mintToken(SCOPE, null))
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(401));
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void installationRemovedBeforeTheTokenRequestMeansNotInstalled() {
		this.server.enqueue(json(200, "{\"id\":5,\"account\":{\"login\":\"Packit\"}}"));
		this.server.enqueue(json(404, "{\"message\":\"Not Found\"}"));
		assertThatExceptionOfType(AppNotInstalledException.class).isThrownBy(() -> client("/").mintToken(SCOPE, null))
			.withMessage("App is not installed on packit/ogr");
	}

	@Test
	void tokenThatExpiresInThePastIsRejected() {
		this.server.enqueue(json(200, "{\"id\":5,\"account\":{\"login\":\"Packit\"}}"));
		this.server.enqueue(json(201, "{\"token\":\"t\",\"expires_at\":\"2026-11-25T11:00:00Z\"}"));
		assertThatExceptionOfType(UnexpectedAnswerException.class).isThrownBy(() -> client("/").mintToken(SCOPE, null))
			.withMessageContaining("expires in the past");
	}

	@Test
	void tokenAnswerWithoutExpiryIsRejected() {
		this.server.enqueue(json(200, "{\"id\":5,\"account\":{\"login\":\"Packit\"}}"));
		this.server.enqueue(json(201, "{\"token\":\"ghs_x\"}"));
		assertThatExceptionOfType(UnexpectedAnswerException.class).isThrownBy(() -> client("/").mintToken(SCOPE, null))
			.withMessageContaining("lacks expires_at");
	}

	@Test
	void answerThatIsNotJsonIsRejected() {
		this.server.enqueue(json(200, "<html>proxy error</html>"));
		assertThatExceptionOfType(UnexpectedAnswerException.class).isThrownBy(() -> client("/").mintToken(SCOPE, null))
			.withMessageContaining("not the JSON expected");
	}

	@Test
	void gitHubTooSlowIsATimeout() {
		this.server.enqueue(new MockResponse.Builder().code(200)
			.body("{\"id\":5,\"account\":{\"login\":\"Packit\"}}")
			.headersDelay(3, java.util.concurrent.TimeUnit.SECONDS)
			.build());
		assertThatExceptionOfType(GitHubUnavailableException.class).isThrownBy(() -> client("/").mintToken(SCOPE, null))
			.satisfies((ex) -> assertThat(ex.isTimeout()).isTrue());
	}

	@Test
	void deadlineBoundsTheWholeMintAndTheMessageIsASentence() {
		// GitHub hangs on the lookup; each call alone may take 10 s, the mint 2 s.
		this.server.enqueue(new MockResponse.Builder().code(200)
			.body("{\"id\":5,\"account\":{\"login\":\"Packit\"}}")
			.headersDelay(30, java.util.concurrent.TimeUnit.SECONDS)
			.build());
		AppJwt jwt = new AppJwt("4711", AppKeys.of((RSAPrivateKey) TestEnvironment.KEYS.getPrivate()), this.clock);
		GitHubClient client = new GitHubClient(
				new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10))
					.readTimeout(Duration.ofSeconds(10))
					.build(),
				this.server.url("/"), jwt, JsonMapper.builder().build(), "tokman/1.2.3", this.clock,
				new Retries(3, Duration.ofMillis(5), Duration.ofSeconds(2)), Duration.ofSeconds(60),
				ObservationRegistry.NOOP, new GitHubCircuit(PAUSE, this.clock, this.meters),
				new GitHubCalls(100, this.meters));
		long start = System.nanoTime();
		assertThatExceptionOfType(GitHubUnavailableException.class).isThrownBy(() -> client.mintToken(SCOPE, null))
			.satisfies((ex) -> assertThat(ex.isTimeout()).isTrue())
			.satisfies((ex) -> assertThat(ex.getMessage()).startsWith("GitHub did not answer the installation lookup")
				.doesNotContainPattern("[A-Z][a-z]+Exception"));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
	}

	@Test
	void noMoreCallsThanTheLimitAreInFlightAndTheNextWaitsItsTurn() throws Exception {
		CountDownLatch answer = new CountDownLatch(1);
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
				if (request.getTarget().endsWith("/installation")) {
					answer.await(10, TimeUnit.SECONDS);
					return json(200, "{\"id\":77,\"account\":{\"login\":\"packit\"}}");
				}
				return json(201, "{\"token\":\"ghs_abc.def.ghi\",\"expires_at\":\"2026-11-25T13:00:00Z\"}");
			}
		});
		GitHubCalls calls = new GitHubCalls(2, this.meters);
		GitHubClient client = client("/", calls, Duration.ofSeconds(10));
		ExecutorService threads = Executors.newFixedThreadPool(3);
		try {
			List<Future<InstallationToken>> mints = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				mints.add(threads.submit(() -> client.mintToken(SCOPE, null)));
			}
			// The third mint's lookup waits for a turn, not for GitHub.
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.meters.get("tokman.github.calls.waiting").gauge().value() == 1);
			assertThat(this.meters.get("tokman.github.calls.in.flight").gauge().value()).isEqualTo(2);
			assertThat(this.server.getRequestCount()).isEqualTo(2);
			answer.countDown();
			for (Future<InstallationToken> mint : mints) {
				assertThat(mint.get(10, TimeUnit.SECONDS).token()).isEqualTo("ghs_abc.def.ghi");
			}
			assertThat(this.server.getRequestCount()).isEqualTo(6);
			assertThat(this.meters.get("tokman.github.calls.in.flight").gauge().value()).isZero();
		}
		finally {
			answer.countDown();
			threads.shutdownNow();
		}
	}

	@Test
	void aCallThatFindsNoTurnBeforeItsDeadlineFailsInWordsWithoutReachingGitHub() throws Exception {
		CountDownLatch answer = new CountDownLatch(1);
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
				answer.await(10, TimeUnit.SECONDS);
				return json(200, "{\"id\":77,\"account\":{\"login\":\"packit\"}}");
			}
		});
		GitHubCalls calls = new GitHubCalls(1, this.meters);
		ExecutorService threads = Executors.newSingleThreadExecutor();
		try {
			threads.submit(() -> client("/", calls, Duration.ofSeconds(10)).mintToken(SCOPE, null));
			await().atMost(Duration.ofSeconds(10)).until(() -> this.server.getRequestCount() == 1);
			assertThatExceptionOfType(GitHubUnavailableException.class)
				.isThrownBy(() -> client("/", calls, Duration.ofMillis(300)).mintToken(SCOPE, null))
				.satisfies((ex) -> assertThat(ex.isTimeout()).isTrue())
				.withMessage("The installation lookup found no turn within the 300 ms deadline: 1 calls were in "
						+ "flight at GitHub, as many as tokman.github.concurrent-calls allows");
			assertThat(this.server.getRequestCount()).isEqualTo(1);
		}
		finally {
			answer.countDown();
			threads.shutdownNow();
		}
	}

	@Test
	void redirectToAnotherOriginIsNotFollowed() throws InterruptedException {
		try (MockWebServer elsewhere = new MockWebServer()) {
			elsewhere.start(InetAddress.getLoopbackAddress(), 0);
			elsewhere.enqueue(json(200, "{\"id\":777,\"account\":{\"login\":\"packit\"}}"));
			this.server.enqueue(new MockResponse.Builder().code(307)
				.setHeader("Location", elsewhere.url("/repos/packit/ogr/installation"))
				.build());
			assertThatExceptionOfType(GitHubException.class).isThrownBy(() -> client("/").mintToken(SCOPE, null));
			assertThat(elsewhere.getRequestCount()).isZero();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Test
	void repositoryThatMovedIsAnsweredWithWhereItWentNotWithItsNewOwnersToken() {
		this.server.enqueue(new MockResponse.Builder().code(301)
			.setHeader("Location", this.server.url("/repositories/42/installation"))
			.body("{\"message\":\"Moved Permanently\"}")
			.build());
		assertThatExceptionOfType(RepositoryMovedException.class).isThrownBy(() -> client("/").mintToken(SCOPE, null))
			.withMessageContaining("packit/ogr has moved")
			.withMessageContaining("/repositories/42/installation");
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void installationOfAnotherAccountIsRefused() {
		this.server.enqueue(json(200, "{\"id\":777,\"account\":{\"login\":\"someone-else\"}}"));
		assertThatExceptionOfType(RepositoryMovedException.class).isThrownBy(() -> client("/").mintToken(SCOPE, null))
			.withMessageContaining("someone-else");
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void toStringOfAMintedTokenHidesIt() {
		assertThat(new InstallationToken("ghs_secret", Instant.EPOCH, 1, Permissions.INSTALLATION, "all").toString())
			.doesNotContain("ghs_secret");
	}

	private void assertGitHubHeaders(RecordedRequest request) {
		assertThat(request.getHeaders().get("Accept")).isEqualTo("application/vnd.github+json");
		assertThat(request.getHeaders().get("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
		assertThat(request.getHeaders().get("User-Agent")).isEqualTo("tokman/1.2.3");
		String authorization = request.getHeaders().get("Authorization");
		assertThat(authorization).startsWith("Bearer ");
		String issuer = Jwts.parser()
			.verifyWith(TestEnvironment.KEYS.getPublic())
			.clock(() -> java.util.Date.from(this.clock.instant()))
			.build()
			.parseSignedClaims(authorization.substring(7))
			.getPayload()
			.getIssuer();
		assertThat(issuer).isEqualTo("4711");
	}

	private GitHubClient client(String basePath) {
		return client(basePath, new GitHubCalls(100, this.meters), Duration.ofSeconds(10));
	}

	private GitHubClient client(String basePath, GitHubCalls calls, Duration deadline) {
		AppJwt jwt = new AppJwt("4711", AppKeys.of((RSAPrivateKey) TestEnvironment.KEYS.getPrivate()), this.clock);
		return new GitHubClient(this.http, this.server.url(basePath), jwt, JsonMapper.builder().build(), "tokman/1.2.3",
				this.clock, new Retries(2, Duration.ofMillis(5), deadline), Duration.ofSeconds(60), this.observations,
				new GitHubCircuit(PAUSE, this.clock, this.meters), calls);
	}

	private static MockResponse json(int code, String body) {
		return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
	}

}
