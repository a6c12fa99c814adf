package io.tokman.webhook;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tokman.github.GitHubApps;
import io.tokman.token.BodyReader;
import io.tokman.token.InvalidRequestException;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * {@code POST /api/github/webhook}: GitHub's deliveries of the App's events. GitHub sends
 * no API key; the signature ({@code X-Hub-Signature-256}, HMAC-SHA256 of the raw body
 * under an App's webhook secret) is this path's only credential, checked before anything
 * of the body is read as JSON; the App whose secret verifies is the App the event is for.
 * A delivery id seen in the last hour is acknowledged and not applied again. Bodies are
 * bounded (1 MiB) and read without blocking, as reports are.
 */
@RestController
@Tag(name = "webhooks")
final class WebhookController {

	static final int MAX_BODY = 1024 * 1024;

	private static final Pattern DELIVERY = Pattern.compile("[0-9A-Za-z-]{1,64}");

	private final GitHubApps apps;

	private final BodyReader bodies;

	private final GitHubEvents events;

	private final JsonMapper json;

	private final MeterRegistry registry;

	/** Delivery ids applied lately, to ignore a delivery replayed. */
	private final Cache<String, Boolean> delivered = Caffeine.newBuilder()
		.maximumSize(100_000)
		.expireAfterWrite(Duration.ofHours(1))
		.build();

	WebhookController(GitHubApps apps, BodyReader bodies, GitHubEvents events, JsonMapper json,
			MeterRegistry registry) {
		this.apps = apps;
		this.bodies = bodies;
		this.events = events;
		this.json = json;
		this.registry = registry;
	}

	@Operation(operationId = "webhook", summary = "Take a delivery of the GitHub App's events",
			description = "For GitHub only, authenticated by X-Hub-Signature-256 under the App's webhook secret "
					+ "(GITHUB_WEBHOOK_SECRET_FILE), not by an API key. installation, installation_repositories and "
					+ "installation_target events change what tokman serves; others are acknowledged and ignored.")
	@ApiResponse(responseCode = "202", description = "Taken: applied, ignored, or a replayed delivery")
	@ApiResponse(responseCode = "400", description = "Not a delivery: malformed JSON, a missing field or header")
	@ApiResponse(responseCode = "401", description = "Unsigned, or not signed with an App's webhook secret")
	@ApiResponse(responseCode = "404", description = "Webhooks are off: no webhook secret is set")
	@ApiResponse(responseCode = "413", description = "The body is larger than 1 MiB")
	@PostMapping(path = "/api/github/webhook", produces = MediaType.APPLICATION_JSON_VALUE)
	DeferredResult<ResponseEntity<Map<String, String>>> deliver(
			@Parameter(description = "GitHub's event name") @RequestHeader(name = "X-GitHub-Event",
					required = false) String event,
			@Parameter(description = "GitHub's delivery id") @RequestHeader(name = "X-GitHub-Delivery",
					required = false) String delivery,
			@Parameter(description = "sha256=<HMAC-SHA256 of the body>") @RequestHeader(name = "X-Hub-Signature-256",
					required = false) String signature,
			HttpServletRequest request) {
		String name = (event != null && GitHubEvents.HANDLED.contains(event)) ? event : "other";
		if (!this.apps.webhooks()) {
			count(name, "off");
			throw new WebhooksOffException();
		}
		if (signature == null) {
			count(name, "unsigned");
			throw new WebhookRefusedException("The delivery is not signed: X-Hub-Signature-256 is missing");
		}
		return this.bodies.read(request, MAX_BODY, (body) -> {
			Optional<String> app = this.apps.signedBy(body, signature);
			if (app.isEmpty()) {
				count(name, "bad-signature");
				throw new WebhookRefusedException("The delivery's X-Hub-Signature-256 matches no App's webhook secret");
			}
			if (event == null || delivery == null || !DELIVERY.matcher(delivery).matches()) {
				count(name, "invalid");
				throw new InvalidRequestException("A delivery has X-GitHub-Event and X-GitHub-Delivery headers");
			}
			if (this.delivered.asMap().putIfAbsent(delivery, Boolean.TRUE) != null) {
				count(name, "replayed");
				return answer(name, "replayed");
			}
			String outcome;
			try {
				outcome = this.events.apply(app.get(), event, payload(body), delivery);
			}
			catch (RuntimeException ex) {
				// Not taken: GitHub's redelivery of it is applied.
				this.delivered.invalidate(delivery);
				count(name, "failed");
				throw ex;
			}
			count(name, outcome);
			return answer(name, outcome);
		});
	}

	private JsonNode payload(byte[] body) {
		try {
			JsonNode payload = this.json.readTree(body);
			if (payload != null && payload.isObject()) {
				return payload;
			}
		}
		catch (JacksonException ex) {
			// Answered below.
		}
		throw new InvalidRequestException("The delivery's body is not a JSON object");
	}

	private static ResponseEntity<Map<String, String>> answer(String event, String outcome) {
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("event", event, "outcome", outcome));
	}

	private void count(String event, String outcome) {
		Counter.builder("tokman.webhook.deliveries")
			.description("GitHub webhook deliveries, by event and what became of them")
			.tag("event", event)
			.tag("outcome", outcome)
			.register(this.registry)
			.increment();
	}

}
