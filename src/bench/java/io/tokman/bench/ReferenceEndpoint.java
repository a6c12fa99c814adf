package io.tokman.bench;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The yardstick of {@code make bench}'s cache hits: an endpoint that answers a fixed body
 * shaped and sized as a token answer, through everything a token request goes through
 * before and after tokman's own work (Tomcat, the servlet filters and Spring Security,
 * routing with two path variables, Jackson, Cache-Control), and nothing of tokman's
 * (names, grants, the token cache, the audit trail). It lives with the benchmark, never in
 * the service's jar: the benchmark puts it in a jar of its own on tokman's class path,
 * whose {@code META-INF/spring.factories} names it as an initializer, which Spring's AOT
 * mode runs too.
 */
public final class ReferenceEndpoint implements ApplicationContextInitializer<GenericApplicationContext> {

	/** Where it answers; outside /api, so that no token endpoint matches. */
	static final String PATH = "/bench/reference/";

	@Override
	public void initialize(GenericApplicationContext context) {
		// The name component scanning would give it: in the regular mode (Java 17) the
		// scan of io.tokman finds it too, and then keeps this definition instead of adding
		// a second one.
		context.registerBean("referenceEndpoint.Controller", Controller.class);
	}

	@RestController
	static final class Controller {

		private static final String NO_STORE = CacheControl.noStore().getHeaderValue();

		/** The simulator's tokens are 517 characters, as GitHub's 2026 ones. */
		private static final String TOKEN = "ghs_" + "x".repeat(513);

		private static final Map<String, String> PERMISSIONS = Map.of("checks", "write", "contents", "write",
				"issues", "write", "metadata", "read", "pull_requests", "write", "statuses", "write");

		@GetMapping(path = PATH + "{namespace}/{repository}", produces = MediaType.APPLICATION_JSON_VALUE)
		Answer answer(@PathVariable String namespace, @PathVariable String repository, HttpServletResponse response) {
			response.setHeader(HttpHeaders.CACHE_CONTROL, NO_STORE);
			return new Answer(namespace, repository, TOKEN, "2026-12-01T12:00:00Z", PERMISSIONS, "selected");
		}

	}

	/** A token answer's fields, as tokman writes them. */
	record Answer(String namespace, String repository, @JsonProperty("access_token") String accessToken,
			@JsonProperty("expires_at") String expiresAt, Map<String, String> permissions,
			@JsonProperty("repository_selection") String repositorySelection) {

	}

}
