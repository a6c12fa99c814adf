package io.tokman;

import java.io.IOException;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import io.tokman.simulator.TestKeys;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Workload identity against a local OIDC issuer that this test runs (discovery document
 * and JWKS on MockWebServer, keys made at test time): a valid token is let in as its
 * policy's client; wrong audience, expired, unknown issuer, bad signature and
 * {@code alg: none} are 401; a valid token outside its policy is 403. GitHub is called
 * only for the one that is let in.
 */
@TokmanTest
class OidcTests {

	private static final KeyPair OTHER_KEYS = TestKeys.generate();

	private static final TestIssuer ISSUER = new TestIssuer();

	/** An issuer whose keys can be held back, as a hanging JWKS endpoint. */
	private static final TestIssuer HELD = new TestIssuer();

	/** An issuer whose discovery document fails. */
	private static final TestIssuer BROKEN = new TestIssuer();

	private static final String AUDIENCE = "tokman";

	private static final OkHttpClient http = new OkHttpClient();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void oidc(DynamicPropertyRegistry registry) {
		registry.add("tokman.access.oidc[0].issuer", OidcTests::issuerUrl);
		registry.add("tokman.access.oidc[0].audience", () -> AUDIENCE);
		registry.add("tokman.access.oidc[0].policies[0].name", () -> "packit-workers");
		registry.add("tokman.access.oidc[0].policies[0].claims.sub", () -> "system:serviceaccount:packit:*");
		registry.add("tokman.access.oidc[0].policies[0].repositories[0]", () -> "packit/*");
		registry.add("tokman.access.oidc[0].policies[1].name", () -> "readers");
		registry.add("tokman.access.oidc[0].policies[1].claims.sub", () -> "system:serviceaccount:readers:*");
		registry.add("tokman.access.oidc[0].policies[1].repositories[0]", () -> "packit/*");
		registry.add("tokman.access.oidc[0].policies[1].permissions", () -> "contents:read");
		// No name: the client is the token's sub.
		registry.add("tokman.access.oidc[0].policies[2].claims.sub", () -> "system:serviceaccount:unnamed:*");
		registry.add("tokman.access.oidc[0].policies[2].repositories[0]", () -> "packit/*");
		registry.add("tokman.access.oidc[0].policies[3].name", () -> "operators");
		registry.add("tokman.access.oidc[0].policies[3].claims.sub", () -> "system:serviceaccount:ops:*");
		registry.add("tokman.access.oidc[0].policies[3].role", () -> "admin");
		int i = 1;
		for (TestIssuer other : List.of(HELD, BROKEN)) {
			registry.add("tokman.access.oidc[" + i + "].issuer", other::url);
			registry.add("tokman.access.oidc[" + i + "].audience", () -> AUDIENCE);
			registry.add("tokman.access.oidc[" + i + "].policies[0].claims.sub", () -> "*");
			registry.add("tokman.access.oidc[" + i + "].policies[0].repositories[0]", () -> "packit/*");
			i++;
		}
	}

	@AfterAll
	static void stopIssuer() {
		HELD.releaseKeys();
		ISSUER.close();
		HELD.close();
		BROKEN.close();
	}

	@Test
	void validTokenOfATrustedIssuerGetsATokenAsItsPoliciesClient() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		try (Response response = get("/api/" + repository, token().compact())) {
			assertThat(response.code()).isEqualTo(200);
			assertThat(response.body().string()).contains("\"access_token\":\"ghs_");
		}
		assertThat(TestEnvironment.GITHUB.tokenRequests(repository)).isEqualTo(1);
		assertThat(java.nio.file.Files.readString(TestEnvironment.LOG))
			.contains("client=packit-workers remote=127.0.0.1 repository=" + repository.toLowerCase(Locale.ROOT));
		assertThat(ISSUER.jwksFetches()).isPositive();
	}

	@Test
	void policysPermissionCeilingLimitsItsTokens() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		String reader = token().subject("system:serviceaccount:readers:bot").compact();
		try (Response response = get("/api/" + repository + "?permissions=contents:write", reader)) {
			assertThat(response.code()).isEqualTo(403);
			assertThat(response.body().string()).contains("readers may not ask for the permissions contents:write");
		}
		assertThat(TestEnvironment.GITHUB.tokenRequests(repository)).isZero();
		try (Response response = get("/api/" + repository, reader)) {
			assertThat(response.code()).isEqualTo(200);
			assertThat(response.body().string()).contains("\"permissions\":{\"contents\":\"read\"}");
		}
	}

	@Test
	void wrongAudienceIsRefused() throws IOException {
		assertRefused(token("someone-else"), 401);
	}

	@Test
	void expiredTokenIsRefused() throws IOException {
		Instant now = TestEnvironment.CLOCK.instant();
		assertRefused(token().issuedAt(Date.from(now.minus(Duration.ofHours(2))))
			.expiration(Date.from(now.minus(Duration.ofHours(1)))), 401);
	}

	@Test
	void tokenOfAnIssuerNotTrustedIsRefused() throws IOException {
		assertRefused(token().issuer("https://evil.example/"), 401);
	}

	@Test
	void tokenSignedWithAnotherKeyIsRefused() throws IOException {
		assertRefused(token().signWith(OTHER_KEYS.getPrivate(), Jwts.SIG.RS256), 401);
	}

	@Test
	void unsignedTokenIsRefused() throws IOException {
		String[] signed = token().compact().split("\\.");
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		String none = base64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes()) + "." + signed[1] + ".";
		assertRefused(none + "x", 401);
		assertRefused(none, 401);
	}

	@Test
	void validTokenOutsideItsPolicyIs403() throws IOException {
		String repository = TestEnvironment.uniqueRepository("rpms");
		try (Response response = get("/api/" + repository, token().compact())) {
			assertThat(response.code()).isEqualTo(403);
			assertThat(response.body().string()).contains("packit-workers may not ask for " + repository);
		}
		String other = TestEnvironment.uniqueRepository("packit");
		try (Response response = get("/api/" + other, token().subject("system:serviceaccount:other:bot").compact())) {
			assertThat(response.code()).isEqualTo(403);
		}
		assertThat(TestEnvironment.GITHUB.tokenRequests(repository)).isZero();
		assertThat(TestEnvironment.GITHUB.tokenRequests(other)).isZero();
	}

	@Test
	void aPolicyWithRoleAdminMayRevokeAndAWorkersMayNot() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		String token;
		try (Response response = get("/api/" + repository, token().compact())) {
			assertThat(response.code()).isEqualTo(200);
			token = response.body().string().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
		}
		String selector = "{\"repository\": \"" + repository + "\"}";
		try (Response response = post("/api/admin/revoke", token().compact(), selector)) {
			assertThat(response.code()).isEqualTo(403);
		}
		assertThat(TestEnvironment.GITHUB.accepts(token)).isTrue();
		try (Response response = post("/api/admin/revoke",
				token().subject("system:serviceaccount:ops:oncall").compact(), selector)) {
			assertThat(response.code()).isEqualTo(200);
			assertThat(response.body().string()).contains("\"github\":\"revoked\"");
		}
		assertThat(TestEnvironment.GITHUB.accepts(token)).isFalse();
	}

	@Test
	void tokenWithoutExpiryIsRefused() throws IOException {
		assertRefused(token().expiration(null), 401);
	}

	@Test
	void tokenIssuedInTheFutureIsRefused() throws IOException {
		Instant now = TestEnvironment.CLOCK.instant();
		assertRefused(token().issuedAt(Date.from(now.plusSeconds(6000)))
			.expiration(Date.from(now.plus(Duration.ofDays(3 * 365)))), 401);
	}

	@Test
	void tokenLivingLongerThanTheIssuersMaximumIsRefused() throws IOException {
		Instant now = TestEnvironment.CLOCK.instant();
		assertRefused(token().expiration(Date.from(now.plus(Duration.ofHours(2)))), 401);
		assertRefused(token().issuedAt(null).expiration(Date.from(now.plus(Duration.ofHours(2)))), 401);
	}

	@Test
	void tokensSignedWithKeysTheIssuerDoesNotPublishAreRefusedFromTheCachedKeys() throws IOException {
		// The keys are fetched once for a valid token...
		try (Response response = get("/api/" + TestEnvironment.uniqueRepository("packit"), token().compact())) {
			assertThat(response.code()).isEqualTo(200);
		}
		int fetches = ISSUER.jwksFetches();
		// ...and forty tokens naming keys it does not have fetch them at most twice a
		// minute, not forty times.
		for (int i = 0; i < 40; i++) {
			assertRefused(
					token().header().keyId("unknown-" + i).and().signWith(OTHER_KEYS.getPrivate(), Jwts.SIG.RS256),
					401);
		}
		assertThat(ISSUER.jwksFetches() - fetches).isLessThanOrEqualTo(2);
		System.out.printf("40 tokens naming keys the issuer does not publish: %d JWKS fetches%n",
				ISSUER.jwksFetches() - fetches);
	}

	@Test
	void issuerWhoseKeysHangDelaysNoOtherClient() throws Exception {
		HELD.holdKeys();
		try {
			List<CompletableFuture<Integer>> refused = new ArrayList<>();
			for (int i = 0; i < 220; i++) {
				String forged = HELD.token(AUDIENCE, TestEnvironment.CLOCK.instant())
					.header()
					.keyId("random-" + i)
					.and()
					.signWith(OTHER_KEYS.getPrivate(), Jwts.SIG.RS256)
					.compact();
				TestEnvironment.CREDENTIALS.add(forged);
				refused.add(
						CompletableFuture
							.supplyAsync(
									() -> TestClient.status(this.port,
											"/api/" + TestEnvironment.uniqueRepository("packit"), "Bearer " + forged),
									TestClient.THREADS));
			}
			// One of them is fetching the held keys: the others wait for it, briefly.
			await().atMost(Duration.ofSeconds(5)).until(() -> HELD.jwksFetches() >= 1);
			long start = System.nanoTime();
			try (Response response = get("/api/" + TestEnvironment.uniqueRepository("packit"), token().compact())) {
				assertThat(response.code()).isEqualTo(200);
			}
			Duration valid = Duration.ofNanos(System.nanoTime() - start);
			assertThat(valid).isLessThan(Duration.ofMillis(2500));
			System.out.printf("220 forged tokens of an issuer whose JWKS hangs: a valid token answered in %d ms%n",
					valid.toMillis());
			assertThat(HELD.jwksFetches()).isEqualTo(1);
			HELD.releaseKeys();
			for (CompletableFuture<Integer> status : refused) {
				assertThat(status.get(30, TimeUnit.SECONDS)).isIn(401, 503);
			}
		}
		finally {
			HELD.releaseKeys();
		}
	}

	@Test
	void failedDiscoveryIsRememberedInsteadOfTriedOnEveryRequest() throws IOException {
		BROKEN.failDiscovery();
		for (int i = 0; i < 10; i++) {
			String token = BROKEN.token(AUDIENCE, TestEnvironment.CLOCK.instant()).compact();
			try (Response response = get("/api/" + TestEnvironment.uniqueRepository("packit"), token)) {
				assertThat(response.code()).isEqualTo(503);
				// Until the discovery is tried again, at most 30 s after it failed.
				assertThat(Integer.parseInt(response.header("Retry-After"))).isBetween(1, 30);
				assertThat(response.body().string()).contains("cannot check tokens of the issuer " + BROKEN.url());
			}
		}
		assertThat(BROKEN.discoveryFetches()).isEqualTo(1);
	}

	@Test
	void subjectUsedAsTheClientsNameCannotForgeFieldsInTheAuditTrailOrErrors() throws IOException {
		String forging = "system:serviceaccount:unnamed:x client=admin outcome=minted\nINFO";
		String repository = TestEnvironment.uniqueRepository("packit");
		try (Response response = get("/api/" + repository, token().subject(forging).compact())) {
			assertThat(response.code()).isEqualTo(200);
		}
		String escaped = "system:serviceaccount:unnamed:x%20client%3Dadmin%20outcome%3Dminted%0AINFO";
		assertThat(java.nio.file.Files.readString(TestEnvironment.LOG)).contains("client=" + escaped + " remote=")
			.doesNotContain("client=admin outcome=minted");
		try (Response response = get("/api/" + TestEnvironment.uniqueRepository("packit"),
				token().subject("x client=admin").compact())) {
			assertThat(response.code()).isEqualTo(403);
			assertThat(response.body().string()).contains("Client x%20client%3Dadmin may not ask");
		}
	}

	private void assertRefused(JwtBuilder token, int status) throws IOException {
		assertRefused(token.compact(), status);
	}

	private void assertRefused(String token, int status) throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		try (Response response = get("/api/" + repository, token)) {
			assertThat(response.code()).isEqualTo(status);
			assertThat(response.body().string()).doesNotContain("ghs_");
		}
		assertThat(TestEnvironment.GITHUB.tokenRequests(repository)).isZero();
	}

	/** A valid token of the local issuer for a packit service account. */
	private static JwtBuilder token() {
		return token(AUDIENCE);
	}

	private static JwtBuilder token(String audience) {
		return ISSUER.token(audience, TestEnvironment.CLOCK.instant());
	}

	private Response get(String path, String token) throws IOException {
		TestEnvironment.CREDENTIALS.add(token);
		return http
			.newCall(new Request.Builder().url("http://127.0.0.1:" + this.port + path)
				.header("Authorization", "Bearer " + token)
				.build())
			.execute();
	}

	private Response post(String path, String token, String json) throws IOException {
		TestEnvironment.CREDENTIALS.add(token);
		return http
			.newCall(new Request.Builder().url("http://127.0.0.1:" + this.port + path)
				.header("Authorization", "Bearer " + token)
				.post(okhttp3.RequestBody.create(json, okhttp3.MediaType.get("application/json")))
				.build())
			.execute();
	}

	private static String issuerUrl() {
		return ISSUER.url();
	}

}
