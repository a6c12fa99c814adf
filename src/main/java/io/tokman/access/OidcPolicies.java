package io.tokman.access;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.util.PatternMatchUtils;

/**
 * An OIDC issuer's policies, which map a token's claims to a client: the first whose
 * claim globs all match names the client and what it may ask for; a token no policy
 * matches may ask for nothing.
 */
final class OidcPolicies {

	/** What a client name taken from a claim may hold besides letters and digits. */
	private static final String PLAIN = "._:@/+-";

	private static final HexFormat HEX = HexFormat.of().withUpperCase();

	private final List<Policy> policies;

	OidcPolicies(List<AccessProperties.Policy> settings) {
		this.policies = settings.stream().map(Policy::new).toList();
	}

	/** The first policy that matches, or a client that may ask for nothing. */
	Client client(Jwt jwt) {
		for (Policy policy : this.policies) {
			if (policy.matches(jwt)) {
				return new Client((policy.settings().name() != null) ? policy.settings().name() : subject(jwt),
						policy.grant(), "admin".equals(policy.settings().role()));
			}
		}
		return new Client(subject(jwt), Grant.NONE);
	}

	/** The policies as configured, each line starting with the issuer's description. */
	Stream<String> describe(String issuer) {
		if (this.policies.isEmpty()) {
			return Stream.of(issuer + ": no policy, its tokens may ask for nothing");
		}
		return this.policies.stream()
			.map((policy) -> issuer + ": claims " + new TreeMap<>(policy.settings().claims()) + " make client "
					+ ((policy.settings().name() != null) ? policy.settings().name() : "<the token's sub>")
					+ ("admin".equals(policy.settings().role()) ? " (admin)" : "") + ": " + policy.grant());
	}

	/**
	 * The token's {@code sub} as a client's name in log lines and error bodies: anything
	 * but ASCII letters, digits and {@code ._:@/+-} percent-encoded, so that no
	 * {@code sub} can forge a field ({@code "x client=admin"}) or a line.
	 */
	private static String subject(Jwt jwt) {
		StringBuilder escaped = new StringBuilder();
		for (byte b : String.valueOf(jwt.getSubject()).getBytes(StandardCharsets.UTF_8)) {
			if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || PLAIN.indexOf(b) >= 0) {
				escaped.append((char) b);
			}
			else {
				escaped.append('%').append(HEX.toHexDigits(b));
			}
		}
		return escaped.toString();
	}

	/**
	 * A policy as configured, with its grant: it matches a token whose claims all match
	 * its globs ({@code *} for any run of characters; a list claim when one of its values
	 * does). Never without a claim, which settings refuse anyway.
	 */
	private record Policy(AccessProperties.Policy settings, Grant grant) {

		Policy(AccessProperties.Policy settings) {
			this(settings, new Grant(settings.repositories(), Grant
				.ceiling((settings.name() != null) ? settings.name() : "OIDC policy", settings.permissions())));
		}

		boolean matches(Jwt jwt) {
			return !this.settings.claims().isEmpty() && this.settings.claims()
				.entrySet()
				.stream()
				.allMatch((claim) -> matches(jwt.getClaims().get(claim.getKey()), claim.getValue()));
		}

		private static boolean matches(Object value, String glob) {
			if (value instanceof Collection<?> values) {
				return values.stream().anyMatch((one) -> PatternMatchUtils.simpleMatch(glob, String.valueOf(one)));
			}
			return value != null && PatternMatchUtils.simpleMatch(glob, String.valueOf(value));
		}

	}

}
