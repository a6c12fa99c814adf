package io.tokman;

import java.io.IOException;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Locale;

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
	}

	@AfterAll
	static void stopIssuer() {
		ISSUER.close();
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

	private static String issuerUrl() {
		return ISSUER.url();
	}

}
