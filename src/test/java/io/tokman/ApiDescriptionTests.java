package io.tokman;

import java.io.IOException;

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
			.containsExactly("namespace", "repository", "access_token");
		assertThat(api.path("paths").has("/api/health")).isTrue();
		assertThat(api.path("components").path("schemas").path("ErrorBody").path("properties").has("error")).isTrue();
	}

	private String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

}
