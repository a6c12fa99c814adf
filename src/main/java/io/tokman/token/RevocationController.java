package io.tokman.token;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tokman.access.AccessPolicy;
import io.tokman.access.Client;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * {@code POST /api/admin/revoke}: an admin ends tokens now (a token leaked). Only for an
 * admin client, checked before the body is read; the answer lists what was revoked, and
 * is a 502 if GitHub could not be asked to revoke some (they are kept, to be revoked
 * again).
 */
@RestController
@Tag(name = "admin")
final class RevocationController {

	/** A selector is a few fields. */
	private static final int MAX_BODY = 4 * 1024;

	private final Revocations revocations;

	private final AccessPolicy access;

	private final BodyReader bodies;

	private final JsonMapper json;

	RevocationController(Revocations revocations, AccessPolicy access, BodyReader bodies, JsonMapper json) {
		this.revocations = revocations;
		this.access = access;
		this.bodies = bodies;
		this.json = json;
	}

	@Operation(operationId = "revoke", summary = "Revoke tokens now, at GitHub and in every tokman",
			description = "Admin only. The body selects exactly one of: {\"repository\": \"owner/name\"} (optionally "
					+ "with \"permissions\"), {\"owner\": \"name\"}, {\"client\": \"name\"} (the tokens this tokman "
					+ "handed it lately) or {\"token_sha256\": \"<8 to 64 hex digits>\"} as the audit trail prints it. "
					+ "Each token is revoked at GitHub and dropped; the next request for its scope mints a new one.")
	@ApiResponse(responseCode = "200", description = "What was revoked (possibly nothing)")
	@ApiResponse(responseCode = "400", description = "The selector is not one of the forms above")
	@ApiResponse(responseCode = "403", description = "The client is not an admin")
	@ApiResponse(responseCode = "502",
			description = "GitHub could not be asked to revoke some tokens: listed as "
					+ "failed, kept, to be revoked again")
	@PostMapping(path = "/api/admin/revoke", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	DeferredResult<ResponseEntity<Revoked>> revoke(@Parameter(hidden = true) Client client,
			HttpServletRequest request) {
		this.access.requireAdmin(client);
		return this.bodies.read(request, MAX_BODY, (body) -> {
			Revoked revoked = this.revocations.revoke(Selector.parse(this.json, body), client.name(),
					request.getRemoteAddr());
			return ResponseEntity.status(revoked.failed().isEmpty() ? HttpStatus.OK : HttpStatus.BAD_GATEWAY)
				.cacheControl(CacheControl.noStore())
				.body(revoked);
		});
	}

}
