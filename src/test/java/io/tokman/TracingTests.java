package io.tokman;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code OTEL_EXPORTER_OTLP_ENDPOINT} set, each request is a trace exported over
 * OTLP/HTTP to a local receiver: the server span, a child span per GitHub call with its
 * endpoint, repository and retries, and under it the HTTP call with its URI template and
 * status. No span holds the token or the App's JWT.
 */
@TokmanTest
class TracingTests {

	private static final MockWebServer COLLECTOR = collector();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void otlp(DynamicPropertyRegistry registry) {
		registry.add("otel.exporter.otlp.endpoint", () -> COLLECTOR.url("/").toString());
		registry.add("management.opentelemetry.tracing.export.schedule-delay", () -> "50ms");
	}

	@AfterAll
	static void stopCollector() {
		COLLECTOR.close();
	}

	@Test
	void tokenRequestIsATraceWithASpanPerGitHubCallAndNoSecret() throws Exception {
		String repository = TestEnvironment.uniqueRepository("packit");
		String token = TestClient.token(this.port, repository);
		List<Span> spans = new ArrayList<>();
		List<String> bodies = new ArrayList<>();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (spans.stream().noneMatch((span) -> span.getName().startsWith("http get /api"))
				&& System.nanoTime() < deadline) {
			RecordedRequest export = COLLECTOR.takeRequest(1, TimeUnit.SECONDS);
			if (export != null) {
				assertThat(export.getUrl().encodedPath()).isEqualTo("/v1/traces");
				byte[] body = export.getBody().toByteArray();
				bodies.add(new String(body, StandardCharsets.ISO_8859_1));
				ExportTraceServiceRequest.parseFrom(body)
					.getResourceSpansList()
					.forEach((resource) -> resource.getScopeSpansList()
						.forEach((scope) -> spans.addAll(scope.getSpansList())));
			}
		}
		Span server = spans.stream()
			.filter((span) -> span.getName().equals("http get /api/{namespace}/{repository}"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no server span in " + names(spans)));
		List<Span> trace = spans.stream().filter((span) -> span.getTraceId().equals(server.getTraceId())).toList();
		Span mint = trace.stream()
			.filter((span) -> span.getName().equals("github token request"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no token request span in " + names(trace)));
		assertThat(attributes(mint)).containsEntry("endpoint", "token request")
			.containsEntry("repository", repository.toLowerCase(java.util.Locale.ROOT))
			.containsEntry("retries", "0");
		assertThat(trace).anySatisfy((span) -> assertThat(span.getName()).isEqualTo("github installation lookup"));
		Span http = trace.stream()
			.filter((span) -> span.getParentSpanId().equals(mint.getSpanId()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no HTTP call under the token request in " + names(trace)));
		assertThat(attributes(http)).containsEntry("uri", "/app/installations/{id}/access_tokens")
			.containsEntry("status", "201");
		String exported = String.join("", bodies);
		assertThat(exported).doesNotContain(token.substring(0, 40));
		assertThat(exported).as("the App's JWT").doesNotContain("eyJhbGciOi");
	}

	private static String names(List<Span> spans) {
		return spans.stream().map(Span::getName).collect(Collectors.joining(", "));
	}

	private static Map<String, String> attributes(Span span) {
		return span.getAttributesList()
			.stream()
			.collect(Collectors.toMap(KeyValue::getKey, (attribute) -> attribute.getValue().getStringValue(),
					(a, b) -> a));
	}

	private static MockWebServer collector() {
		MockWebServer server = new MockWebServer();
		server.setDispatcher(new mockwebserver3.Dispatcher() {

			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return new MockResponse.Builder().code(200).build();
			}

		});
		try {
			server.start(java.net.InetAddress.getLoopbackAddress(), 0);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		return server;
	}

}
