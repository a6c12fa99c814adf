package io.tokman.token;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tokman.access.Client;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * The token endpoints as clients see them: paths, parameters, answers and their
 * description, which springdoc reads from here; {@link TokenController} implements them.
 */
@Tag(name = "tokens")
interface TokenApi {

	String PERMISSIONS = "Permissions the token is limited to, GitHub's names and levels; "
			+ "by default those of the client's grant, or else the installation's";

	String MIN_TTL = "The token answered is valid at least this long: seconds, or a duration "
			+ "(20m); a held token that expires sooner is renewed now";

	@Operation(operationId = "token", summary = "Return an access token for <namespace>/<repository>",
			description = "The repository's installation token, valid now, limited to the repository (unless "
					+ "TOKMAN_TOKEN_SCOPE=installation) and to the permissions asked for. Every caller asking for "
					+ "the same permissions gets the same token until it is about to expire; then it is renewed once.")
	@ApiResponse(responseCode = "200", description = "A token valid now")
	@ApiResponse(responseCode = "400",
			description = "The App is not installed on the repository, the name is not a GitHub name, a permission "
					+ "is not GitHub's, or min_ttl is not a duration or exceeds GitHub's token lifetime less the "
					+ "renew margin")
	@ApiResponse(responseCode = "403",
			description = "The client may not ask for this repository or these permissions, or GitHub refused them "
					+ "(the installation lacks a permission)")
	@ApiResponse(responseCode = "502", description = "GitHub could not be reached or answered with an error")
	@ApiResponse(responseCode = "503", description = "Another request's renewal of this token took too long; try again")
	@ApiResponse(responseCode = "504", description = "GitHub did not answer in time")
	@GetMapping(path = "/api/{namespace}/{repository}", produces = MediaType.APPLICATION_JSON_VALUE)
	TokenResponse token(@Parameter(description = "GitHub namespace", example = "packit") @PathVariable String namespace,
			@Parameter(description = "GitHub repository", example = "ogr") @PathVariable String repository,
			@Parameter(description = PERMISSIONS,
					example = "contents:read,pull_requests:write") @RequestParam(required = false) String permissions,
			@Parameter(description = MIN_TTL, example = "20m") @RequestParam(name = "min_ttl",
					required = false) String minTtl,
			@Parameter(hidden = true) Client client, HttpServletRequest request, HttpServletResponse response);

	@Operation(operationId = "gitCredential",
			summary = "Return the token for <namespace>/<repository> as git's credential",
			description = "The same token as GET /api/<namespace>/<repository>, under the same access rules, in "
					+ "git's credential helper format: username=x-access-token, password=<token>, "
					+ "password_expiry_utc=<unix seconds>. scripts/git-credential-tokman asks for it.")
	@ApiResponse(responseCode = "200", description = "A token valid now, as git's credential",
			content = @Content(mediaType = MediaType.TEXT_PLAIN_VALUE,
					examples = @ExampleObject(value = "username=x-access-token\n"
							+ "password=ghs_16C7e42F292c6912E7710c838347Ae178B4a\npassword_expiry_utc=1796212800\n")))
	@ApiResponse(responseCode = "400", description = "As GET /api/<namespace>/<repository>")
	@ApiResponse(responseCode = "403", description = "The client may not ask for this repository or these permissions")
	@ApiResponse(responseCode = "502", description = "GitHub could not be reached or answered with an error")
	@GetMapping(path = "/api/{namespace}/{repository}/git-credential")
	ResponseEntity<String> gitCredential(
			@Parameter(description = "GitHub namespace", example = "packit") @PathVariable String namespace,
			@Parameter(description = "GitHub repository", example = "ogr") @PathVariable String repository,
			@Parameter(description = PERMISSIONS,
					example = "contents:read,pull_requests:write") @RequestParam(required = false) String permissions,
			@Parameter(description = MIN_TTL, example = "20m") @RequestParam(name = "min_ttl",
					required = false) String minTtl,
			@Parameter(hidden = true) Client client, HttpServletRequest request, HttpServletResponse response);

	@Operation(operationId = "ownerToken", summary = "Return an access token for <owner>'s installation",
			description = "A token for the installation of an organisation or user: for all of its repositories, or "
					+ "for those listed. An owner named health is asked for as /api/health/ (trailing slash): "
					+ "/api/health is the health check.")
	@ApiResponse(responseCode = "200", description = "A token valid now")
	@ApiResponse(responseCode = "400",
			description = "The App is not installed for the owner, a name is not a GitHub name, more than 500 "
					+ "repositories, a permission is not GitHub's, or min_ttl is invalid")
	@ApiResponse(responseCode = "403",
			description = "The client may not ask for these repositories or permissions, or GitHub refused them")
	@ApiResponse(responseCode = "502", description = "GitHub could not be reached or answered with an error")
	@ApiResponse(responseCode = "503", description = "Another request's renewal of this token took too long; try again")
	@ApiResponse(responseCode = "504", description = "GitHub did not answer in time")
	@GetMapping(path = "/api/{owner}", produces = MediaType.APPLICATION_JSON_VALUE)
	TokenResponse ownerToken(
			@Parameter(description = "GitHub organisation or user", example = "packit") @PathVariable String owner,
			@Parameter(
					description = "The repositories the token is limited to, comma-separated (at most 500); "
							+ "all of the owner's by default",
					example = "ogr,packit") @RequestParam(required = false) String repositories,
			@Parameter(description = PERMISSIONS,
					example = "contents:read,pull_requests:write") @RequestParam(required = false) String permissions,
			@Parameter(description = MIN_TTL, example = "20m") @RequestParam(name = "min_ttl",
					required = false) String minTtl,
			@Parameter(hidden = true) Client client, HttpServletRequest request, HttpServletResponse response);

	/**
	 * The same, with a trailing slash: how an owner named {@code health} is asked for, as
	 * {@code /api/health} is the health check. Described once, as {@code /api/{owner}}.
	 */
	@Hidden
	@GetMapping(path = "/api/{owner}/", produces = MediaType.APPLICATION_JSON_VALUE)
	TokenResponse ownerTokenWithSlash(@PathVariable String owner, @RequestParam(required = false) String repositories,
			@RequestParam(required = false) String permissions,
			@RequestParam(name = "min_ttl", required = false) String minTtl, Client client, HttpServletRequest request,
			HttpServletResponse response);

	@Operation(operationId = "invalidate", summary = "Report <namespace>/<repository>'s token as invalid",
			description = "If it is the token tokman holds (for these permissions), tokman drops it and mints a new "
					+ "one; if tokman already holds a newer token, nothing is minted. Answers with the token to use "
					+ "now.")
	@ApiResponse(responseCode = "200", description = "The token to use now")
	@ApiResponse(responseCode = "400",
			description = "No token in the body, the App is not installed, or the name " + "is not a GitHub name")
	@ApiResponse(responseCode = "403", description = "The client may not ask for this token")
	@ApiResponse(responseCode = "502", description = "GitHub could not be reached or answered with an error")
	@io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
			content = @Content(schema = @Schema(implementation = InvalidToken.class)))
	@PostMapping(path = "/api/{namespace}/{repository}/invalidate", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	DeferredResult<TokenResponse> invalidate(
			@Parameter(description = "GitHub namespace", example = "packit") @PathVariable String namespace,
			@Parameter(description = "GitHub repository", example = "ogr") @PathVariable String repository,
			@Parameter(description = PERMISSIONS,
					example = "contents:read,pull_requests:write") @RequestParam(required = false) String permissions,
			@Parameter(hidden = true) Client client, HttpServletRequest request, HttpServletResponse response);

	@Operation(operationId = "invalidateOwner", summary = "Report <owner>'s installation token as invalid",
			description = "As for a repository's token, for the owner token with these repositories and permissions.")
	@ApiResponse(responseCode = "200", description = "The token to use now")
	@ApiResponse(responseCode = "400", description = "No token in the body, or an invalid name or permission")
	@ApiResponse(responseCode = "403", description = "The client may not ask for this token")
	@ApiResponse(responseCode = "502", description = "GitHub could not be reached or answered with an error")
	@io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
			content = @Content(schema = @Schema(implementation = InvalidToken.class)))
	@PostMapping(path = "/api/{owner}/invalidate", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	DeferredResult<TokenResponse> invalidateOwner(
			@Parameter(description = "GitHub organisation or user", example = "packit") @PathVariable String owner,
			@Parameter(description = "The repositories the token is limited to, comma-separated",
					example = "ogr,packit") @RequestParam(required = false) String repositories,
			@Parameter(description = PERMISSIONS,
					example = "contents:read,pull_requests:write") @RequestParam(required = false) String permissions,
			@Parameter(hidden = true) Client client, HttpServletRequest request, HttpServletResponse response);

	/** The report's form, for the API description; {@link BodyReader} reads it. */
	record InvalidToken(
			@Schema(description = "The token that GitHub rejected") @JsonProperty("access_token") String accessToken) {

		@Override
		public String toString() {
			return "InvalidToken[accessToken=<redacted>]";
		}

	}

	/**
	 * The answer: the original tokman's three fields, then the token's expiry and what it
	 * may do. Fields tokman does not know are left out.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record TokenResponse(@Schema(description = "The namespace (owner) asked for", example = "packit") String namespace,
			@Schema(description = "The repository asked for; absent from owner tokens",
					example = "ogr") String repository,
			@Schema(description = "The installation token",
					example = "ghs_16C7e42F292c6912E7710c838347Ae178B4a") @JsonProperty("access_token") String accessToken,
			@Schema(description = "When GitHub stops accepting the token, ISO-8601 UTC",
					example = "2026-11-26T12:00:00Z") @JsonProperty("expires_at") String expiresAt,
			@Schema(description = "The permissions GitHub granted the token; absent for a token adopted from the "
					+ "original tokman's database",
					example = "{\"contents\": \"read\", \"metadata\": \"read\"}") Map<String, String> permissions,
			@Schema(description = "GitHub's all or selected", example = "selected", allowableValues = {
					"all", "selected" }) @JsonProperty("repository_selection") String repositorySelection,
			@Schema(description = "The repositories an owner token is limited to, as asked for",
					example = "[\"ogr\", \"packit\"]") List<String> repositories){

		// Spring MVC's debug log prints the value it writes; the token must not be in it.
		@Override
		public String toString() {
			return "TokenResponse[namespace=" + this.namespace + ", repository=" + this.repository
					+ ", accessToken=<redacted>, expiresAt=" + this.expiresAt + ", permissions=" + this.permissions
					+ ", repositorySelection=" + this.repositorySelection + ", repositories=" + this.repositories + "]";
		}

	}

}
