package io.tokman;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import io.tokman.simulator.TestKeys;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A local OIDC issuer: its discovery document and JWKS on MockWebServer, its key made at
 * test time, and the tokens it signs for a packit service account.
 */
final class TestIssuer implements AutoCloseable {

	private final KeyPair keys = TestKeys.generate();

	private final AtomicInteger jwksFetches = new AtomicInteger();

	private final MockWebServer server = new MockWebServer();

	TestIssuer() {
		String jwks = new JWKSet(
				new RSAKey.Builder((RSAPublicKey) this.keys.getPublic()).keyID("test-key").build().toPublicJWK())
			.toString();
		this.server.setDispatcher(new Dispatcher() {

			@Override
			public MockResponse dispatch(RecordedRequest request) {
				String path = request.getUrl().encodedPath();
				if (path.equals("/issuer/.well-known/openid-configuration")) {
					return json(
							"{\"issuer\":\"" + url() + "\",\"jwks_uri\":\"" + TestIssuer.this.server.url("/issuer/jwks")
									+ "\",\"subject_types_supported\":[\"public\"],"
									+ "\"response_types_supported\":[\"id_token\"],"
									+ "\"id_token_signing_alg_values_supported\":[\"RS256\"]}");
				}
				if (path.equals("/issuer/jwks")) {
					TestIssuer.this.jwksFetches.incrementAndGet();
					return json(jwks);
				}
				return new MockResponse.Builder().code(404).build();
			}

		});
		try {
			this.server.start(InetAddress.getLoopbackAddress(), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The issuer's URL, exactly as its tokens' {@code iss}. */
	String url() {
		return this.server.url("/issuer").toString();
	}

	int jwksFetches() {
		return this.jwksFetches.get();
	}

	/** A valid token for the packit service account, issued ten seconds before now. */
	JwtBuilder token(String audience, Instant now) {
		return Jwts.builder()
			.header()
			.keyId("test-key")
			.and()
			.issuer(url())
			.audience()
			.add(audience)
			.and()
			.subject("system:serviceaccount:packit:worker")
			.issuedAt(Date.from(now.minusSeconds(10)))
			.expiration(Date.from(now.plus(Duration.ofMinutes(10))))
			.signWith(this.keys.getPrivate(), Jwts.SIG.RS256);
	}

	@Override
	public void close() {
		this.server.close();
	}

	private static MockResponse json(String body) {
		return new MockResponse.Builder().setHeader("Content-Type", "application/json").body(body).build();
	}

}
