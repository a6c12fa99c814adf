package io.tokman.web;

import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/health} and {@code HEAD /api/health}, as the original tokman answered
 * them.
 */
@RestController
@Tag(name = "health")
final class HealthController {

	private static final Map<String, String> OK = Map.of("message", "ok");

	@Operation(operationId = "health", summary = "Is this up and running?")
	@GetMapping(path = "/api/health", produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, String> health() {
		return OK;
	}

}
