package io.tokman;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI description the original served; {@link SwaggerUiIT} drives it in a
 * browser.
 */
@TokmanTest
class ApiDescriptionTests {

	@LocalServerPort
	private int port;

	@Test
	void openApiDescribesTheTokenEndpointWithItsErrorsAndTheHealthEndpoint() throws IOException {
		JsonNode api;
		try (Response response = new OkHttpClient().newCall(new Request.Builder().url(url("/openapi.json")).build())
			.execute()) {
			assertThat(response.code()).isEqualTo(200);
			api = JsonMapper.builder().build().readTree(response.body().string());
		}
		JsonNode token = api.path("paths").path("/api/{namespace}/{repository}").path("get");
		assertThat(token.path("operationId").asString()).isEqualTo("token");
		assertThat(token.path("responses").propertyNames()).contains("200", "400", "502", "503", "504");
		assertThat(token.path("responses").path("400").path("content").toString()).contains("ErrorBody");
		assertThat(api.path("components").path("schemas").path("TokenResponse").path("properties").propertyNames())
			.containsExactly("namespace", "repository", "access_token", "expires_at", "permissions",
					"repository_selection", "repositories");
		assertThat(api.path("paths").has("/api/health")).isTrue();
		assertThat(api.path("components").path("schemas").path("ErrorBody").path("properties").has("error")).isTrue();
	}

	/**
	 * The README's tables of query parameters and answer fields are the API description's
	 * parameters of the token endpoints and its answer's properties, each with an
	 * example: neither can change without the other.
	 */
	@Test
	void readmeTablesOfParametersAndFieldsMatchTheApiDescription() throws IOException {
		JsonNode api;
		try (Response response = new OkHttpClient().newCall(new Request.Builder().url(url("/openapi.json")).build())
			.execute()) {
			api = JsonMapper.builder().build().readTree(response.body().string());
		}
		Map<String, String> parameters = Readme.table("| parameter | example | meaning |");
		Map<String, String> fields = Readme.table("| field | example | meaning |");
		Set<String> described = new TreeSet<>();
		for (String path : List.of("/api/{namespace}/{repository}", "/api/{owner}")) {
			for (JsonNode parameter : api.path("paths").path(path).path("get").path("parameters")) {
				if (parameter.path("in").asString().equals("query")) {
					described.add(parameter.path("name").asString());
					assertThat(parameter.path("example").isMissingNode()).as(parameter.toString()).isFalse();
				}
			}
		}
		assertThat(new TreeSet<>(parameters.keySet())).isEqualTo(described);
		JsonNode properties = api.path("components").path("schemas").path("TokenResponse").path("properties");
		assertThat(new TreeSet<>(fields.keySet())).isEqualTo(new TreeSet<>(properties.propertyNames()));
		properties.propertyNames()
			.forEach((name) -> assertThat(properties.path(name).path("example").isMissingNode()).as(name).isFalse());
		assertThat(parameters.values()).allMatch((example) -> !example.isBlank());
		assertThat(fields.values()).allMatch((example) -> !example.isBlank());
		assertThat(api.path("paths").path("/api/{owner}").path("get").path("operationId").asString())
			.isEqualTo("ownerToken");
	}

	/** The first two columns of the README table under the header, by name. */
	private String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

}
