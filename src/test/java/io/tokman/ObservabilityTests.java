package io.tokman;

import java.io.IOException;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** Health probes and Prometheus metrics, as an operator's monitoring reads them. */
@TokmanTest
class ObservabilityTests {

	private final OkHttpClient http = new OkHttpClient();

	@LocalServerPort
	private int port;

	@Test
	void livenessAndReadinessAreUpWithTheDatabase() throws IOException {
		assertThat(get("/actuator/health/liveness")).contains("\"status\":\"UP\"");
		assertThat(get("/actuator/health/readiness")).contains("\"status\":\"UP\"");
		assertThat(get("/actuator/health")).contains("\"status\":\"UP\"");
	}

	@Test
	void prometheusShowsTokensGitHubCallsAndRequests() throws IOException {
		TestEnvironment.CLOCK.set(TestEnvironment.START);
		String repository = TestEnvironment.uniqueRepository("packit");
		get("/api/" + repository);
		get("/api/" + repository);
		get("/api/" + repository.replace('/', '-') + "?repositories=ogr");
		String metrics = get("/actuator/prometheus");
		assertThat(metrics).containsPattern("tokman_tokens_served_total\\{source=\"minted\"} [1-9]")
			.containsPattern("tokman_tokens_served_total\\{source=\"memory\"} [1-9]")
			.containsPattern("tokman_github_requests_seconds_count\\{[^}]*status=\"201\"[^}]*"
					+ "uri=\"/app/installations/\\{id}/access_tokens\"[^}]*} [1-9]")
			.containsPattern("tokman_github_requests_seconds_count\\{[^}]*status=\"200\"[^}]*"
					+ "uri=\"/repos/\\{owner}/\\{repo}/installation\"[^}]*} [1-9]")
			.containsPattern("tokman_github_requests_seconds_count\\{[^}]*status=\"200\"[^}]*"
					+ "uri=\"/users/\\{owner}/installation\"[^}]*} [1-9]")
			.containsPattern("tokman_github_rate_limit_remaining [1-9]")
			.containsPattern("tokman_tokens_stored [1-9]")
			.containsPattern("tokman_tokens_soonest_expiry_seconds [1-9]")
			.containsPattern("http_server_requests_seconds_count\\{[^}]*outcome=\"SUCCESS\"[^}]*"
					+ "uri=\"/api/\\{namespace}/\\{repository}\"[^}]*} [1-9]");
		assertThat(metrics).doesNotContain(repository);
	}

	private String get(String path) throws IOException {
		try (Response response = this.http
			.newCall(new Request.Builder().url("http://127.0.0.1:" + this.port + path).build())
			.execute()) {
			assertThat(response.code()).as(path).isEqualTo(200);
			return response.body().string();
		}
	}

}
