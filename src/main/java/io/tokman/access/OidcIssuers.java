package io.tokman.access;

import java.text.ParseException;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.util.function.SingletonSupplier;

/**
 * Workload identity, as octo-sts does it: a client authenticates with a token its
 * platform signed (a Kubernetes service account's, a GitHub Actions job's), from an
 * issuer tokman trusts. The token's signature (keys from the issuer's JWKS), issuer,
 * audience and expiry are checked, then the issuer's policies map its claims to what it
 * may ask for. Tokens of issuers not configured are refused before anything is fetched.
 */
final class OidcIssuers implements AuthenticationProvider {

	private final Map<String, Issuer> issuers;

	OidcIssuers(List<AccessProperties.Oidc> issuers, Clock clock) {
		this.issuers = issuers.stream()
			.collect(Collectors.toUnmodifiableMap((oidc) -> oidc.issuer().toString(),
					(oidc) -> new Issuer(oidc, clock)));
	}

	boolean enabled() {
		return !this.issuers.isEmpty();
	}

	Collection<String> names() {
		return this.issuers.keySet();
	}

	/** Each issuer's policies as configured: claims, client, what it may ask for. */
	List<String> describe() {
		return this.issuers.values().stream().flatMap(Issuer::describe).toList();
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		String token = ((BearerTokenAuthenticationToken) authentication).getToken();
		Issuer issuer = this.issuers.get(unverifiedIssuer(token));
		if (issuer == null) {
			throw new BadCredentialsException("Token of an issuer tokman does not trust");
		}
		Jwt jwt;
		try {
			jwt = issuer.decoder().decode(token);
		}
		catch (JwtException ex) {
			throw new BadCredentialsException("Invalid token", ex);
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

	/** One trusted issuer: its decoder, built on first use, and its policies. */
	private static final class Issuer {

		private final AccessProperties.Oidc settings;

		private final Clock clock;

		private final List<Function<Jwt, Client>> policies;

		private final SingletonSupplier<JwtDecoder> decoder = SingletonSupplier.of(this::build);

		Issuer(AccessProperties.Oidc settings, Clock clock) {
			this.settings = settings;
			this.clock = clock;
			this.policies = settings.policies().stream().map(Issuer::policy).toList();
		}

		Stream<String> describe() {
			String issuer = "issuer " + this.settings.issuer() + " (audience " + this.settings.audience() + ")";
			if (this.settings.policies().isEmpty()) {
				return Stream.of(issuer + ": no policy, its tokens may ask for nothing");
			}
			return this.settings.policies()
				.stream()
				.map((policy) -> issuer + ": claims " + new TreeMap<>(policy.claims()) + " make client "
						+ ((policy.name() != null) ? policy.name() : "<the token's sub>") + ": "
						+ new Grant(policy.repositories(), Grant.ceiling("OIDC policy", policy.permissions())));
		}

		/** Built on first use, so that tokman starts while an issuer is unreachable. */
		JwtDecoder decoder() {
			return this.decoder.obtain();
		}

		/** The first policy that matches, or a client that may ask for nothing. */
		Client client(Jwt jwt) {
			for (Function<Jwt, Client> policy : this.policies) {
				Client client = policy.apply(jwt);
				if (client != null) {
					return client;
				}
			}
			return new Client(String.valueOf(jwt.getSubject()), Grant.NONE);
		}

		private JwtDecoder build() {
			String issuer = this.settings.issuer().toString();
			NimbusJwtDecoder decoder = ((this.settings.jwkSetUri() != null)
					? NimbusJwtDecoder.withJwkSetUri(this.settings.jwkSetUri().toString())
					: NimbusJwtDecoder.withIssuerLocation(issuer))
				.jwsAlgorithms((algorithms) -> {
					algorithms.add(SignatureAlgorithm.RS256);
					algorithms.add(SignatureAlgorithm.ES256);
				})
				.build();
			JwtTimestampValidator expiry = new JwtTimestampValidator();
			expiry.setClock(this.clock);
			decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(expiry, new JwtIssuerValidator(issuer),
					new JwtAudienceValidator(this.settings.audience())));
			return decoder;
		}

		private static Function<Jwt, Client> policy(AccessProperties.Policy policy) {
			Map<String, Pattern> claims = policy.claims()
				.entrySet()
				.stream()
				.collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, (entry) -> glob(entry.getValue())));
			Grant grant = new Grant(policy.repositories(),
					Grant.ceiling((policy.name() != null) ? policy.name() : "OIDC policy", policy.permissions()));
			return (jwt) -> claims.entrySet()
				.stream()
				.allMatch((claim) -> matches(jwt, claim.getKey(), claim.getValue()))
						? new Client((policy.name() != null) ? policy.name() : String.valueOf(jwt.getSubject()), grant)
						: null;
		}

		private static boolean matches(Jwt jwt, String claim, Pattern glob) {
			Object value = jwt.getClaims().get(claim);
			if (value instanceof Collection<?> values) {
				return values.stream().anyMatch((one) -> glob.matcher(String.valueOf(one)).matches());
			}
			return value != null && glob.matcher(String.valueOf(value)).matches();
		}

		private static Pattern glob(String glob) {
			StringBuilder regex = new StringBuilder();
			for (String part : glob.split("\\*", -1)) {
				regex.append(Pattern.quote(part)).append(".*");
			}
			return Pattern.compile(regex.substring(0, regex.length() - 2));
		}

	}

}
