package io.tokman.token;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;

import io.tokman.access.AccessPolicy;
import io.tokman.access.Client;
import io.tokman.github.GitHubApps;
import io.tokman.github.InstallationToken;
import io.tokman.github.Permissions;
import io.tokman.github.RepositoryName;
import io.tokman.github.TokenScope;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * {@code GET /api/{namespace}/{repository}}: the original tokman's endpoint, answered the
 * same way with more fields; {@code GET /api/{owner}}: a token for an owner's
 * installation; and the reports of invalid tokens. {@link TokenApi} describes them.
 */
@RestController
final class TokenController implements TokenApi {

	private static final String NO_STORE = CacheControl.noStore().getHeaderValue();

	private final TokenService tokens;

	private final GitHubApps apps;

	private final AccessPolicy access;

	private final TokenAudit audit;

	private final BodyReader reports;

	private final boolean wholeInstallation;

	/**
	 * The longest min_ttl a new token can meet: GitHub's lifetime less the renew margin.
	 */
	private final Duration maxMinTtl;

	TokenController(TokenService tokens, AccessPolicy access, TokenAudit audit, BodyReader reports,
			TokenProperties properties, GitHubApps apps) {
		this.tokens = tokens;
		this.apps = apps;
		this.access = access;
		this.audit = audit;
		this.reports = reports;
		this.wholeInstallation = properties.scope() == TokenProperties.Scope.INSTALLATION;
		this.maxMinTtl = InstallationToken.LIFETIME.minus(properties.renewAt());
	}

	@Override
	public TokenResponse token(String namespace, String repository, String permissions, String minTtl, Client client,
			HttpServletRequest request, HttpServletResponse response) {
		TokenScope scope = repositoryScope(namespace, repository, permissions, client);
		return answer(scope, this.tokens.serve(scope, minTtl(minTtl), client), client, request, response);
	}

	/**
	 * The same token, as git's credential helper protocol spells one: plain text, set
	 * here, as every other answer is JSON whatever the Accept header.
	 */
	@Override
	public ResponseEntity<String> gitCredential(String namespace, String repository, String permissions, String minTtl,
			Client client, HttpServletRequest request, HttpServletResponse response) {
		TokenScope scope = repositoryScope(namespace, repository, permissions, client);
		Handout handout = handOut(scope, this.tokens.serve(scope, minTtl(minTtl), client), client, request, response);
		return ResponseEntity.ok()
			.contentType(MediaType.TEXT_PLAIN)
			.body("username=x-access-token\npassword=" + handout.token() + "\npassword_expiry_utc="
					+ handout.expiresAt().getEpochSecond() + "\n");
	}

	@Override
	public TokenResponse ownerToken(String owner, String repositories, String permissions, String minTtl, Client client,
			HttpServletRequest request, HttpServletResponse response) {
		TokenScope scope = ownerScope(owner, repositories, permissions, client);
		return answer(scope, this.tokens.serve(scope, minTtl(minTtl), client), client, request, response);
	}

	@Override
	public TokenResponse ownerTokenWithSlash(String owner, String repositories, String permissions, String minTtl,
			Client client, HttpServletRequest request, HttpServletResponse response) {
		return ownerToken(owner, repositories, permissions, minTtl, client, request, response);
	}

	@Override
	public DeferredResult<TokenResponse> invalidate(String namespace, String repository, String permissions,
			Client client, HttpServletRequest request, HttpServletResponse response) {
		// The scope and the caller's grant first: a body is read only for a request that
		// may be served.
		TokenScope scope = repositoryScope(namespace, repository, permissions, client);
		return this.reports.read(request, (reported) -> answer(scope, this.tokens.invalidate(scope, reported, client),
				client, request, response));
	}

	@Override
	public DeferredResult<TokenResponse> invalidateOwner(String owner, String repositories, String permissions,
			Client client, HttpServletRequest request, HttpServletResponse response) {
		TokenScope scope = ownerScope(owner, repositories, permissions, client);
		return this.reports.read(request, (reported) -> answer(scope, this.tokens.invalidate(scope, reported, client),
				client, request, response));
	}

	/**
	 * The answer, in the caller's spelling of the names, handed out as {@link #handOut}
	 * says.
	 */
	private TokenResponse answer(TokenScope scope, Handout handout, Client client, HttpServletRequest request,
			HttpServletResponse response) {
		handOut(scope, handout, client, request, response);
		boolean owner = scope.kind() == TokenScope.Kind.OWNER;
		return new TokenResponse(scope.owner(), owner ? null : scope.repositories().get(0), handout.token(),
				handout.expiresAt().truncatedTo(ChronoUnit.SECONDS).toString(),
				(handout.permissions() != null) ? handout.permissions().asMap() : null, handout.repositorySelection(),
				(owner && !scope.repositories().isEmpty()) ? scope.repositories() : null);
	}

	/**
	 * Records the token handed out in the audit trail; a token is a credential: no cache
	 * or proxy on the way may keep it.
	 */
	private Handout handOut(TokenScope scope, Handout handout, Client client, HttpServletRequest request,
			HttpServletResponse response) {
		this.audit.handedOut(client.name(), request.getRemoteAddr(), scope, handout);
		response.setHeader(HttpHeaders.CACHE_CONTROL, NO_STORE);
		return handout;
	}

	/**
	 * The repository token the caller asked for, if this tokman serves it to this caller.
	 * Path parameters ({@code /api/a;b/c}), which Spring MVC would drop, never get here:
	 * Spring Security's firewall refuses them.
	 */
	private TokenScope repositoryScope(String namespace, String repository, String permissions, Client client) {
		RepositoryName name = new RepositoryName(namespace, repository);
		return this.apps.route(this.access
			.authorize(TokenScope.repository(name, Permissions.parse(permissions), this.wholeInstallation), client));
	}

	private TokenScope ownerScope(String owner, String repositories, String permissions, Client client) {
		List<String> names = (repositories == null || repositories.isBlank()) ? List.of()
				: Arrays.asList(repositories.split(",", -1));
		return this.apps
			.route(this.access.authorize(TokenScope.owner(owner, names, Permissions.parse(permissions)), client));
	}

	/** The caller's min_ttl: seconds or a duration, at most what a new token can meet. */
	private Duration minTtl(String text) {
		if (text == null || text.isBlank()) {
			return Duration.ZERO;
		}
		Duration minTtl;
		try {
			minTtl = DurationStyle.detectAndParse(text.trim(), ChronoUnit.SECONDS);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRequestException("Invalid min_ttl: give seconds (1200) or a duration (20m)");
		}
		if (minTtl.isNegative()) {
			throw new InvalidRequestException("Invalid min_ttl: it cannot be negative");
		}
		if (minTtl.compareTo(this.maxMinTtl) > 0) {
			throw new InvalidRequestException("Invalid min_ttl: at most " + this.maxMinTtl.toSeconds()
					+ " s, GitHub's token lifetime less the renew margin");
		}
		return minTtl;
	}

}
