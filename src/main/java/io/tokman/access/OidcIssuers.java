package io.tokman.access;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Workload identity, as octo-sts does it: a client authenticates with a token its
 * platform signed (a Kubernetes service account's, a GitHub Actions job's), from an
 * issuer tokman trusts ({@link OidcIssuer}). Tokens of issuers not configured are refused
 * before anything is fetched.
 */
final class OidcIssuers implements AuthenticationProvider {

	private static final Logger log = LoggerFactory.getLogger(OidcIssuers.class);

	private final Map<String, OidcIssuer> issuers;

	OidcIssuers(List<AccessProperties.Oidc> issuers, Clock clock) {
		// The issuers' documents only, and only with issuers: no redirect is followed, no
		// fetch waits long.
		OkHttpClient http = issuers.isEmpty() ? null
				: new OkHttpClient.Builder().followRedirects(false)
					.followSslRedirects(false)
					.connectTimeout(Duration.ofSeconds(5))
					.readTimeout(Duration.ofSeconds(5))
					.callTimeout(Duration.ofSeconds(10))
					.build();
		this.issuers = issuers.stream()
			.collect(Collectors.toUnmodifiableMap((oidc) -> oidc.issuer().toString(),
					(oidc) -> new OidcIssuer(oidc, clock, http)));
	}

	boolean enabled() {
		return !this.issuers.isEmpty();
	}

	Collection<String> names() {
		return this.issuers.keySet();
	}

	/** Each issuer's policies as configured: claims, client, what it may ask for. */
	List<String> describe() {
		return this.issuers.values().stream().flatMap(OidcIssuer::describe).toList();
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		String token = ((BearerTokenAuthenticationToken) authentication).getToken();
		OidcIssuer issuer = this.issuers.get(unverifiedIssuer(token));
		if (issuer == null) {
			throw new BadCredentialsException("Token of an issuer tokman does not trust");
		}
		Jwt jwt;
		try {
			jwt = issuer.decode(token);
		}
		catch (BadJwtException ex) {
			throw new BadCredentialsException("Invalid token", ex);
		}
		catch (JwtException ex) {
			if (ex.getCause() instanceof RateLimitReachedException) {
				// Its key is not among those fetched a moment ago: not fetched again yet.
				throw new BadCredentialsException("Token signed with a key the issuer does not publish", ex);
			}
			log.warn("Cannot fetch the keys of OIDC issuer {}: {}", issuer.name(), ex.getMessage());
			throw new IssuerUnavailableException(issuer.name(), "its keys cannot be fetched", OidcIssuer.REFETCH);
		}
		return new ClientAuthentication(issuer.client(jwt));
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
	}

	/** Only chooses which issuer's keys check the token; nothing else is trusted yet. */
	private static String unverifiedIssuer(String token) {
		try {
			JWT jwt = JWTParser.parse(token);
			if (jwt instanceof PlainJWT) {
				throw new BadCredentialsException("Unsigned token");
			}
			return jwt.getJWTClaimsSet().getIssuer();
		}
		catch (ParseException ex) {
			throw new BadCredentialsException("Not a JWT", ex);
		}
	}

	@Override
	public String toString() {
		return "OidcIssuers" + this.issuers.keySet();
	}

}
