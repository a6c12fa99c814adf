package io.tokman.access;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * One OIDC issuer tokman trusts: where its keys are, how its tokens are checked, and the
 * policies that map a token's claims to a client. Nothing a request sends makes tokman
 * fetch more than the issuer's keys about once a minute: a token whose key is not among
 * those cached is refused from the cache until then, a failed discovery is remembered for
 * a while, and requests never queue long behind a fetch.
 */
final class OidcIssuer {

	private static final Logger log = LoggerFactory.getLogger(OidcIssuer.class);

	/** How often the keys may be fetched again for a key not among them. */
	static final Duration REFETCH = Duration.ofSeconds(60);

	/** How long a failed discovery is remembered before the next try. */
	static final Duration DISCOVERY_RETRY = Duration.ofSeconds(30);

	/** How long a request waits for another request's fetch of the keys. */
	private static final Duration WAIT_FOR_FETCH = Duration.ofSeconds(1);

	private static final Duration KEYS_LIVE = Duration.ofMinutes(5);

	/** How far in the future a token's {@code iat} may lie: clocks drift. */
	private static final Duration SKEW = Duration.ofSeconds(60);

	private static final int MAX_DOCUMENT = 512 * 1024;

	private final AccessProperties.Oidc settings;

	private final Clock clock;

	private final OkHttpClient http;

	private final OidcPolicies policies;

	private final ReentrantLock discovery = new ReentrantLock();

	private volatile JwtDecoder decoder;

	private volatile Instant discoveryFailedAt;

	OidcIssuer(AccessProperties.Oidc settings, Clock clock, OkHttpClient http) {
		this.settings = settings;
		this.clock = clock;
		this.http = http;
		this.policies = new OidcPolicies(settings.policies());
	}

	String name() {
		return this.settings.issuer().toString();
	}

	/** The token, once its signature, issuer, audience and lifetime hold. */
	Jwt decode(String token) {
		return decoder().decode(token);
	}

	/** The client of a token this issuer signed: its policies say which. */
	Client client(Jwt jwt) {
		return this.policies.client(jwt);
	}

	/** The policies as configured: claims, client, what it may ask for. */
	Stream<String> describe() {
		return this.policies.describe("issuer " + name() + " (audience " + this.settings.audience()
				+ ", tokens living at most " + this.settings.maxTokenLifetime().toSeconds() + " s)");
	}

	/**
	 * The decoder, made on first use so that tokman starts while the issuer is
	 * unreachable; a failed discovery is not tried again for a while.
	 */
	private JwtDecoder decoder() {
		JwtDecoder built = this.decoder;
		if (built != null) {
			return built;
		}
		Instant failed = this.discoveryFailedAt;
		if (failed != null && this.clock.instant().isBefore(failed.plus(DISCOVERY_RETRY))) {
			throw new IssuerUnavailableException(name(), "its discovery failed moments ago",
					Duration.between(this.clock.instant(), failed.plus(DISCOVERY_RETRY)));
		}
		try {
			if (!this.discovery.tryLock(WAIT_FOR_FETCH.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IssuerUnavailableException(name(), "its keys are being fetched", WAIT_FOR_FETCH);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IssuerUnavailableException(name(), "interrupted", WAIT_FOR_FETCH);
		}
		try {
			if (this.decoder == null) {
				this.decoder = build(jwkSetUri());
			}
			return this.decoder;
		}
		finally {
			this.discovery.unlock();
		}
	}

	private URL jwkSetUri() {
		try {
			if (this.settings.jwkSetUri() != null) {
				return this.settings.jwkSetUri().toURL();
			}
			String base = name().endsWith("/") ? name() : name() + "/";
			JsonNode configuration = JsonMapper.shared()
				.readTree(fetch(URI.create(base + ".well-known/openid-configuration")));
			String issuer = configuration.path("issuer").asString("");
			String keys = configuration.path("jwks_uri").asString("");
			if (!issuer.equals(name()) || keys.isEmpty()) {
				throw new IOException("its discovery document names issuer '" + issuer + "' and jwks_uri '" + keys
						+ "', not itself and its keys");
			}
			return URI.create(keys).toURL();
		}
		catch (IOException | JacksonException | IllegalArgumentException ex) {
			this.discoveryFailedAt = this.clock.instant();
			log.warn("Cannot use OIDC issuer {}: {}; its tokens are refused for {} s", name(), ex.getMessage(),
					DISCOVERY_RETRY.toSeconds());
			throw new IssuerUnavailableException(name(), "its discovery failed", DISCOVERY_RETRY);
		}
	}

	private JwtDecoder build(URL keys) {
		ResourceRetriever retriever = (url) -> {
			try {
				return new Resource(new String(fetch(url.toURI()), StandardCharsets.UTF_8), "application/json");
			}
			catch (URISyntaxException ex) {
				throw new IOException("not a URI: " + url);
			}
		};
		JWKSource<SecurityContext> source = JWKSourceBuilder.create(keys, retriever)
			.cache(KEYS_LIVE.toMillis(), WAIT_FOR_FETCH.toMillis())
			.rateLimited(REFETCH.toMillis())
			.refreshAheadCache(false)
			.retrying(false)
			.build();
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(source).jwsAlgorithms((algorithms) -> {
			algorithms.add(SignatureAlgorithm.RS256);
			algorithms.add(SignatureAlgorithm.ES256);
		}).build();
		JwtTimestampValidator expiry = new JwtTimestampValidator(SKEW);
		expiry.setClock(this.clock);
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(expiry, new JwtIssuerValidator(name()),
				new JwtAudienceValidator(this.settings.audience()), this::lifetime));
		return decoder;
	}

	/**
	 * A token must expire, must not be issued in the future, and must not live longer
	 * than the issuer's maximum: a leaked long-lived token is a long-lived credential.
	 */
	private OAuth2TokenValidatorResult lifetime(Jwt jwt) {
		Instant now = this.clock.instant();
		if (jwt.getExpiresAt() == null) {
			return refused("The token has no expiry (exp)");
		}
		if (jwt.getIssuedAt() != null && jwt.getIssuedAt().isAfter(now.plus(SKEW))) {
			return refused("The token is issued in the future (iat)");
		}
		Instant from = (jwt.getIssuedAt() != null) ? jwt.getIssuedAt() : now;
		if (Duration.between(from, jwt.getExpiresAt()).compareTo(this.settings.maxTokenLifetime()) > 0) {
			return refused("The token lives longer than " + this.settings.maxTokenLifetime().toSeconds() + " s");
		}
		return OAuth2TokenValidatorResult.success();
	}

	private static OAuth2TokenValidatorResult refused(String reason) {
		return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", reason, null));
	}

	/** A document of the issuer's: no redirect followed, bounded in time and size. */
	private byte[] fetch(URI uri) throws IOException {
		try (Response response = this.http.newCall(new Request.Builder().url(uri.toString()).build()).execute()) {
			if (response.code() != 200) {
				throw new IOException(uri + " answered " + response.code());
			}
			BufferedSource body = response.body().source();
			if (body.request(MAX_DOCUMENT + 1L)) {
				throw new IOException(uri + " answered more than " + MAX_DOCUMENT + " bytes");
			}
			return body.readByteArray();
		}
	}

	@Override
	public String toString() {
		return "OidcIssuer[" + name() + "]";
	}

}
