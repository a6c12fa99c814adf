package io.tokman;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

	private final AtomicInteger discoveryFetches = new AtomicInteger();

	private volatile boolean discoveryFails;

	/** Held: the keys are answered only once released (or after 10 s). */
	private volatile CountDownLatch keysHeld = new CountDownLatch(0);

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
					TestIssuer.this.discoveryFetches.incrementAndGet();
					if (TestIssuer.this.discoveryFails) {
						return new MockResponse.Builder().code(500).build();
					}
					return json(
							"{\"issuer\":\"" + url() + "\",\"jwks_uri\":\"" + TestIssuer.this.server.url("/issuer/jwks")
									+ "\",\"subject_types_supported\":[\"public\"],"
									+ "\"response_types_supported\":[\"id_token\"],"
									+ "\"id_token_signing_alg_values_supported\":[\"RS256\"]}");
				}
				if (path.equals("/issuer/jwks")) {
					TestIssuer.this.jwksFetches.incrementAndGet();
					try {
						TestIssuer.this.keysHeld.await(10, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
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

	int discoveryFetches() {
		return this.discoveryFetches.get();
	}

	/** Its discovery document answers 500 from now on. */
	void failDiscovery() {
		this.discoveryFails = true;
	}

	/** Its keys are not answered until {@link #releaseKeys()}, 10 s at most. */
	void holdKeys() {
		this.keysHeld = new CountDownLatch(1);
	}

	void releaseKeys() {
		this.keysHeld.countDown();
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
