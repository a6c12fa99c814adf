package io.tokman.token;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;

import io.tokman.access.AccessPolicy;
import io.tokman.github.RepositoryName;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/{namespace}/{repository}}: the original tokman's endpoint, answered the
 * same way.
 */
@RestController
@Tag(name = "tokens")
final class TokenController {

	private static final String NO_STORE = CacheControl.noStore().getHeaderValue();

	private final TokenService tokens;

	private final AccessPolicy access;

	private final TokenAudit audit;

	private final ReportReader reports;

	TokenController(TokenService tokens, AccessPolicy access, TokenAudit audit, TokenProperties properties) {
		this.tokens = tokens;
		this.access = access;
		this.audit = audit;
		this.reports = new ReportReader(properties.reportTimeout());
	}

	@Operation(operationId = "token", summary = "Return an access token for <namespace>/<repository>",
			description = "The repository's installation token, valid now. Every caller gets the same token until "
					+ "it is about to expire; then it is renewed once.")
	@ApiResponse(responseCode = "200", description = "A token valid now")
	@ApiResponse(responseCode = "400",
			description = "The App is not installed on the repository, or the name is " + "not a GitHub name")
	@ApiResponse(responseCode = "502", description = "GitHub could not be reached or answered with an error")
	@ApiResponse(responseCode = "503",
			description = "Another request's renewal of this repository's token took too long; try again")
	@ApiResponse(responseCode = "504", description = "GitHub did not answer in time")
	@GetMapping(path = "/api/{namespace}/{repository}", produces = MediaType.APPLICATION_JSON_VALUE)
	TokenResponse token(@Parameter(description = "GitHub namespace", example = "packit") @PathVariable String namespace,
			@Parameter(description = "GitHub repository", example = "ogr") @PathVariable String repository,
			HttpServletRequest request, HttpServletResponse response) {
		RepositoryName name = name(namespace, repository);
		return answer(name, this.tokens.serve(name), request, response);
	}

	@Operation(operationId = "invalidate", summary = "Report <namespace>/<repository>'s token as invalid",
			description = "If it is the token tokman holds, tokman drops it and mints a new one; if tokman already "
					+ "holds a newer token, nothing is minted. Answers with the token to use now.")
	@ApiResponse(responseCode = "200", description = "The token to use now")
	@ApiResponse(responseCode = "400",
			description = "No token in the body, the App is not installed, or the name " + "is not a GitHub name")
	@ApiResponse(responseCode = "502", description = "GitHub could not be reached or answered with an error")
	@io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
			content = @Content(schema = @Schema(implementation = InvalidToken.class)))
	@PostMapping(path = "/api/{namespace}/{repository}/invalidate", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	TokenResponse invalidate(
			@Parameter(description = "GitHub namespace", example = "packit") @PathVariable String namespace,
			@Parameter(description = "GitHub repository", example = "ogr") @PathVariable String repository,
			HttpServletRequest request, HttpServletResponse response) throws IOException {
		// The name and the caller's grant first: a body is read only for a request that
		// may be served.
		RepositoryName name = name(namespace, repository);
		String reported = this.reports.read(request);
		return answer(name, this.tokens.invalidate(name, reported), request, response);
	}

	/**
	 * The answer, in the caller's spelling of the name, recorded in the audit trail. A
	 * token is a credential: no cache or proxy on the way may keep it.
	 */
	private TokenResponse answer(RepositoryName name, Handout handout, HttpServletRequest request,
			HttpServletResponse response) {
		this.audit.handedOut(AccessPolicy.current().name(), request.getRemoteAddr(), name, handout);
		response.setHeader(HttpHeaders.CACHE_CONTROL, NO_STORE);
		return new TokenResponse(name.namespace(), name.repository(), handout.token());
	}

	/**
	 * The name the caller asked for, if this tokman serves it. Path parameters
	 * ({@code /api/a;b/c}), which Spring MVC would drop, never get here: Spring
	 * Security's firewall refuses them.
	 */
	private RepositoryName name(String namespace, String repository) {
		RepositoryName name = new RepositoryName(namespace, repository);
		this.access.check(name);
		return name;
	}

	/** The report's form, for the API description; {@link ReportReader} reads it. */
	record InvalidToken(
			@Schema(description = "The token that GitHub rejected") @JsonProperty("access_token") String accessToken) {

		@Override
		public String toString() {
			return "InvalidToken[accessToken=<redacted>]";
		}

	}

	record TokenResponse(@Schema(example = "packit") String namespace, @Schema(example = "ogr") String repository,
			@Schema(example = "ghs_16C7e42F292c6912E7710c838347Ae178B4a") @JsonProperty("access_token") String accessToken) {

		// Spring MVC's debug log prints the value it writes; the token must not be in it.
		@Override
		public String toString() {
			return "TokenResponse[namespace=" + this.namespace + ", repository=" + this.repository
					+ ", accessToken=<redacted>]";
		}

	}

}
