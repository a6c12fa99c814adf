package io.tokman.access;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may ask tokman for tokens, and for which repositories. Open by default, so existing
 * ogr deployments keep working.
 *
 * @param apiKeys keys a client must send as {@code Authorization: Bearer <key>}; none
 * means no check ({@code TOKMAN_API_KEYS}, comma-separated)
 * @param apiKeysFile a file of named clients, one a line, with their keys or the keys'
 * SHA-256 digests and optionally the repositories each may ask for
 * ({@code TOKMAN_API_KEYS_FILE})
 * @param namespaces the namespaces tokman serves, case-insensitively; any other gets a
 * 403. None means all ({@code TOKMAN_NAMESPACES}, comma-separated)
 * @param oidc OIDC issuers whose signed tokens identify workloads, each with the policies
 * that map a token's claims to what it may ask for
 * @param githubBudget how many mints each client may cause, so that none can spend the
 * App's GitHub rate limit for the others
 */
@Validated
@ConfigurationProperties(prefix = "tokman.access", ignoreUnknownFields = false)
record AccessProperties(@DefaultValue List<String> apiKeys, @DefaultValue("") String apiKeysFile,
		@DefaultValue List<String> namespaces, @DefaultValue @Valid List<Oidc> oidc,
		@DefaultValue @Valid Budget githubBudget) {

	@Override
	public String toString() {
		return "AccessProperties[apiKeys=<" + this.apiKeys.size() + " redacted>, apiKeysFile=" + this.apiKeysFile
				+ ", namespaces=" + this.namespaces + ", oidc=" + this.oidc + "]";
	}

	/**
	 * A client's GitHub budget: at most {@code mints} mints (each one or two GitHub
	 * calls) per {@code period}; past it, 429 with Retry-After. Clients are counted apart
	 * by name; with authentication off, all are one client. A renewal in the background
	 * is charged to the client that last asked for the token, and is skipped when that
	 * client's budget is spent.
	 *
	 * @param mints mints per period per client; 0 turns the budget off
	 * @param period the period
	 * @param backgroundMints renewals in the background per period, all clients together;
	 * past it, tokens are renewed by the next request instead. 0 turns the cap off
	 */
	public record Budget(@DefaultValue("2000") @Min(0) int mints, @DefaultValue("1h") Duration period,
			@DefaultValue("1000") @Min(0) int backgroundMints) {

	}

	/**
	 * An OIDC issuer tokman trusts: a Kubernetes or OpenShift service-account issuer,
	 * GitHub Actions' {@code https://token.actions.githubusercontent.com}, any other.
	 *
	 * @param issuer the issuer, exactly as its tokens' {@code iss} claim spells it
	 * @param audience the audience ({@code aud}) its tokens must be minted for
	 * @param jwkSetUri where its signing keys are; found through the issuer's
	 * {@code /.well-known/openid-configuration} when not set
	 * @param policies which tokens may ask for what: the first whose claims all match
	 * decides; a token no policy matches may ask for nothing
	 * @param maxTokenLifetime the longest a token may live, {@code exp} less {@code iat};
	 * a token without {@code exp}, or issued in the future, is refused too
	 */
	public record Oidc(@NotNull URI issuer, @NotBlank String audience, URI jwkSetUri,
			@DefaultValue @Valid List<Policy> policies, @DefaultValue("1h") Duration maxTokenLifetime) {

	}

	/**
	 * What the tokens with some claims may ask for.
	 *
	 * @param name the client's name in logs and the audit trail; the token's {@code sub}
	 * when not set
	 * @param claims claim name to a glob its value must match ({@code *} for any run of
	 * characters); a list claim matches when one of its values does. At least one: a
	 * policy without claims would match every token of its issuer
	 * @param repositories globs of the repositories these tokens may ask for
	 * ({@code packit/*})
	 * @param permissions the most their tokens may do
	 * ({@code contents:read,issues:write}); none means the installation's permissions
	 * @param role {@code worker} (the default) or {@code admin}, which may also revoke
	 * tokens
	 */
	public record Policy(
			@Pattern(regexp = "[A-Za-z0-9._-]{1,64}",
					message = "must be letters, digits, '.', '_' or '-', at most 64") String name,
			@DefaultValue @NotEmpty(message = "must name at least one claim: a policy without claims would match "
					+ "every token of its issuer") Map<String, String> claims,
			@DefaultValue List<String> repositories, @DefaultValue("") String permissions,
			@DefaultValue("worker") @Pattern(regexp = "worker|admin",
					message = "must be worker or admin") String role) {

	}

}
