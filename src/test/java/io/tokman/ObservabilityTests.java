package io.tokman;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** Health probes and Prometheus metrics, as an operator's monitoring reads them. */
@TokmanTest
@ExtendWith(ResetTestClock.class)
class ObservabilityTests {

	private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

	private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");

	private static final Pattern SELECTOR = Pattern.compile("\\{([^}]*)}");

	private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");

	private static final Pattern NAME = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(?!\\s*\\()");

	private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");

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
			.containsPattern("tokman_github_rate_limit_remaining\\{app=\"" + TestEnvironment.APP_ID + "\"} [1-9]")
			.containsPattern("tokman_tokens_stored [1-9]")
			.containsPattern("tokman_github_calls_in_flight 0")
			.containsPattern("tokman_github_calls_waiting 0")
			.containsPattern("tokman_log_lines_dropped_total [0-9]")
			.containsPattern("tokman_tokens_soonest_expiry_seconds [1-9]")
			.containsPattern("http_server_requests_seconds_count\\{[^}]*outcome=\"SUCCESS\"[^}]*"
					+ "uri=\"/api/\\{namespace}/\\{repository}\"[^}]*} [1-9]");
		assertThat(metrics).doesNotContain(repository);
		// Not a long task timer per request and GitHub call besides: CPU for series
		// nothing reads.
		assertThat(metrics).doesNotContain("_active_seconds");
	}

	@Test
	void theSbomOfWhatTheJarHoldsIsServed() throws IOException {
		assertThat(get("/actuator/sbom")).contains("\"application\"");
		JsonNode sbom = JsonMapper.shared().readTree(get("/actuator/sbom/application"));
		assertThat(sbom.path("bomFormat").asString()).isEqualTo("CycloneDX");
		assertThat(sbom.path("components").findValuesAsString("name")).contains("jjwt-api", "okhttp-jvm", "sqlite-jdbc")
			.doesNotContain("junit-jupiter-api", "mockwebserver3");
	}

	/**
	 * deploy/grafana/tokman.json queries only series that tokman serves, with labels they
	 * have: a renamed metric or a histogram turned off would leave a panel empty.
	 */
	@Test
	void everySeriesTheGrafanaDashboardQueriesIsServed() throws IOException {
		get("/api/" + TestEnvironment.uniqueRepository("packit"));
		List<String> series = get("/actuator/prometheus").lines().filter((line) -> !line.startsWith("#")).toList();
		List<String> queries = new ArrayList<>();
		JsonMapper.shared()
			.readTree(Path.of("deploy/grafana/tokman.json").toFile())
			.findValues("expr")
			.stream()
			.map(JsonNode::asString)
			.forEach(queries::add);
		assertThat(queries).hasSizeGreaterThanOrEqualTo(9);
		for (String query : queries) {
			Set<String> metrics = metricNames(query);
			assertThat(metrics).as(query).isNotEmpty();
			for (String metric : metrics) {
				List<String> lines = series.stream()
					.filter((line) -> line.startsWith(metric + "{") || line.startsWith(metric + " "))
					.toList();
				assertThat(lines).as("%s, queried by %s", metric, query).isNotEmpty();
				for (String label : labelNames(query)) {
					assertThat(lines).as("label %s of %s, queried by %s", label, metric, query)
						.anyMatch((line) -> line.matches(".*[{,]" + Pattern.quote(label) + "=\".*"));
				}
			}
		}
	}

	/**
	 * Each series of the dashboard has the unit of what it shows: seconds for a query of
	 * a seconds gauge or histogram quantile, and no seconds for anything else (a count, a
	 * number of tokens).
	 */
	@Test
	void everySeriesOfTheGrafanaDashboardHasItsUnit() throws IOException {
		JsonNode dashboard = JsonMapper.shared().readTree(Path.of("deploy/grafana/tokman.json").toFile());
		int checked = 0;
		for (JsonNode panel : dashboard.path("panels")) {
			String unit = panel.path("fieldConfig").path("defaults").path("unit").asString("");
			for (JsonNode target : panel.path("targets")) {
				String legend = target.path("legendFormat").asString();
				String effective = unit;
				for (JsonNode override : panel.path("fieldConfig").path("overrides")) {
					if (override.path("matcher").path("options").asString().equals(legend)) {
						for (JsonNode property : override.path("properties")) {
							if (property.path("id").asString().equals("unit")) {
								effective = property.path("value").asString();
							}
						}
					}
				}
				String query = target.path("expr").asString();
				boolean seconds = metricNames(query).stream()
					.allMatch((metric) -> metric.endsWith("_seconds") || metric.endsWith("_seconds_bucket"));
				assertThat(effective.equals("s")).as("unit %s of %s (%s)", effective, legend, query).isEqualTo(seconds);
				checked++;
			}
		}
		assertThat(checked).isGreaterThanOrEqualTo(11);
	}

	/**
	 * The metric names of a PromQL query: what is left without functions, labels and
	 * ranges.
	 */
	private static Set<String> metricNames(String query) {
		String bare = RANGE
			.matcher(SELECTOR.matcher(GROUPING.matcher(STRING.matcher(query).replaceAll("\"\"")).replaceAll(" "))
				.replaceAll(" "))
			.replaceAll(" ");
		Set<String> names = new LinkedHashSet<>();
		Matcher name = NAME.matcher(bare);
		while (name.find()) {
			names.add(name.group(1));
		}
		return names;
	}

	/**
	 * The labels a query groups by or matches on, but {@code job}, which Prometheus adds.
	 */
	private static Set<String> labelNames(String query) {
		String unquoted = STRING.matcher(query).replaceAll("\"\"");
		Set<String> labels = new LinkedHashSet<>();
		Matcher grouping = GROUPING.matcher(unquoted);
		while (grouping.find()) {
			for (String label : grouping.group(1).split(",")) {
				labels.add(label.strip());
			}
		}
		Matcher selector = SELECTOR.matcher(unquoted);
		while (selector.find()) {
			Matcher matcher = MATCHER.matcher(selector.group(1));
			while (matcher.find()) {
				labels.add(matcher.group(1));
			}
		}
		labels.remove("job");
		labels.remove("");
		return labels;
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
