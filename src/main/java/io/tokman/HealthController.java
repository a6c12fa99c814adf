package io.tokman;

import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/health} and {@code HEAD /api/health}, as the original tokman answered
 * them.
 */
@RestController
final class HealthController {

	private static final Map<String, String> OK = Map.of("message", "ok");

	@GetMapping(path = "/api/health", produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, String> health() {
		return OK;
	}

}
