package io.tokman.token;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tokman.github.RepositoryName;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/{namespace}/{repository}}: the original tokman's endpoint, answered the
 * same way.
 */
@RestController
final class TokenController {

	private final TokenService tokens;

	TokenController(TokenService tokens) {
		this.tokens = tokens;
	}

	@GetMapping(path = "/api/{namespace}/{repository}", produces = MediaType.APPLICATION_JSON_VALUE)
	TokenResponse token(@PathVariable String namespace, @PathVariable String repository) {
		String token = this.tokens.accessToken(new RepositoryName(namespace, repository));
		return new TokenResponse(namespace, repository, token);
	}

	record TokenResponse(String namespace, String repository, @JsonProperty("access_token") String accessToken) {

		// Spring MVC's debug log prints the value it writes; the token must not be in it.
		@Override
		public String toString() {
			return "TokenResponse[namespace=" + this.namespace + ", repository=" + this.repository
					+ ", accessToken=<redacted>]";
		}

	}

}
