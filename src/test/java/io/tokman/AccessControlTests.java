package io.tokman;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With API keys on, no spelling of a path reaches a token or management endpoint without
 * a valid key, and GitHub is never called for it. Sent over a raw socket, byte for byte,
 * so that Tomcat decodes the path as it would an attacker's (MockMvc would skip that).
 */
@TokmanTest
class AccessControlTests {

	static final String KEY = "worker-key-0123456789";

	/** A client whose grant covers only rpms/* repositories. */
	static final String RPMS_KEY = "rpms-key-0123456789";

	/** A client that may read packit/* repositories' contents and nothing more. */
	static final String READER_KEY = "reader-key-0123456789";

	@DynamicPropertySource
	static void keys(DynamicPropertyRegistry registry) throws Exception {
		TestEnvironment.CREDENTIALS.addAll(List.of(KEY, RPMS_KEY, READER_KEY));
		Path file = Files.writeString(TestEnvironment.DIRECTORY.resolve("access-control-keys"),
				"# clients of AccessControlTests\npackit-worker:sha256:"
						+ HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(KEY.getBytes()))
						+ "\nrpms-worker:" + RPMS_KEY + " rpms/*\nreader:" + READER_KEY
						+ " packit/* permissions=contents:read\n");
		registry.add("tokman.access.api-keys-file", file::toString);
	}

	/**
	 * Spellings of {@code /api/packit/REPO}; REPO is replaced by a repository of its own.
	 */
	private static final List<String> FORMS = List.of("/api/packit/REPO", "/%61pi/packit/REPO", "/a%70i/packit/REPO",
			"/%61%70%69/packit/REPO", "/api/packit%2FREPO", "/api%2Fpackit/REPO", "/api;x=y/packit/REPO",
			"/api/packit;x/REPO", "/api/packit/REPO;x", "//api/packit/REPO", "/api//packit/REPO", "/./api/packit/REPO",
			"/api/./packit/REPO", "/x/../api/packit/REPO", "/x/..;/api/packit/REPO", "/api/packit/%2e%2e/packit/REPO",
			"/api\\packit\\REPO", "/api%5Cpackit/REPO", "/API/packit/REPO", "/Api/packit/REPO", "/api/packit/REPO/",
			"/api/packit/REPO%00");

	private static final List<String> MANAGEMENT = List.of("/actuator/prometheus", "/actuator/info", "/actuator/health",
			"/actuator", "/openapi.json", "/swagger-ui.html", "/swagger-ui/index.html", "/%61ctuator/prometheus",
			"/actuator;x/prometheus", "/ACTUATOR/prometheus", "/v3/api-docs");

	@LocalServerPort
	private int port;

	static Stream<Arguments> tokenRequests() {
		return FORMS.stream()
			.flatMap((form) -> Stream.of("GET", "POST")
				.flatMap((method) -> Stream.of(null, "Bearer wrong-key", "Basic " + KEY, KEY, "Bearer " + RPMS_KEY)
					.map((authorization) -> Arguments.of(method, form, authorization))));
	}

	@ParameterizedTest(name = "{0} {1} with {2}")
	@MethodSource("tokenRequests")
	void noSpellingOfATokenPathGetsATokenWithoutAValidKey(String method, String form, String authorization)
			throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		String path = form.replace("REPO", repository.substring(repository.indexOf('/') + 1))
				+ (method.equals("POST") ? "/invalidate" : "");
		int lookups = TestEnvironment.GITHUB.installationLookups();
		Answer answer = send(method, path, authorization);
		assertThat(answer.status()).as(answer.toString()).isIn(400, 401, 403, 404, 405);
		assertThat(answer.head()).as(answer.toString()).doesNotContain("ghs_");
		assertThat(TestEnvironment.GITHUB.tokenRequests(repository)).isZero();
		assertThat(TestEnvironment.GITHUB.installationLookups()).isEqualTo(lookups);
	}

	@ParameterizedTest(name = "GET {0}")
	@MethodSource("managementPaths")
	void managementAndDescriptionNeedAKey(String path) throws IOException {
		assertThat(send("GET", path, null).status()).isIn(400, 401);
		assertThat(send("GET", path, "Bearer wrong-key").status()).isIn(400, 401);
	}

	static Stream<String> managementPaths() {
		return MANAGEMENT.stream();
	}

	@Test
	void theKeyOpensTheTokenAndManagementEndpointsAnyCaseOfItsScheme() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		Answer token = send("GET", "/api/" + repository, "bearer " + KEY);
		assertThat(token.status()).isEqualTo(200);
		assertThat(token.head()).containsIgnoringCase("Cache-Control: no-store");
		assertThat(send("GET", "/actuator/prometheus", "Bearer " + KEY).status()).isEqualTo(200);
		assertThat(send("GET", "/openapi.json", "BEARER " + KEY).status()).isEqualTo(200);
		assertThat(TestEnvironment.GITHUB.tokenRequests(repository)).isEqualTo(1);
	}

	@Test
	void clientAskingOutsideItsGrantGets403NamingTheNamespace() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		Answer answer = send("GET", "/api/" + repository, "Bearer " + RPMS_KEY);
		assertThat(answer.status()).isEqualTo(403);
		assertThat(answer.head()).contains("Client rpms-worker may not ask for " + repository + " (namespace packit)");
		assertThat(TestEnvironment.GITHUB.tokenRequests(repository)).isZero();
		String rpms = TestEnvironment.uniqueRepository("RPMS");
		assertThat(send("GET", "/api/" + rpms, "Bearer " + RPMS_KEY).status()).isEqualTo(200);
		assertThat(Files.readString(TestEnvironment.LOG)).contains(
				"client=rpms-worker remote=127.0.0.1 repository=" + rpms.toLowerCase(Locale.ROOT) + " outcome=minted");
	}

	@Test
	void clientWithAPermissionCeilingGetsItByDefaultAndNothingBeyondIt() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		int requests = TestEnvironment.GITHUB.tokenRequestBodies().size();
		Answer beyond = send("GET", "/api/" + repository + "?permissions=contents:write", "Bearer " + READER_KEY);
		assertThat(beyond.status()).isEqualTo(403);
		assertThat(beyond.head()).contains(
				"{\"error\":\"Client reader may not ask for the permissions contents:write: they exceed its grant\"}");
		assertThat(send("GET", "/api/" + repository + "?permissions=contents:read,issues:read", "Bearer " + READER_KEY)
			.status()).isEqualTo(403);
		assertThat(TestEnvironment.GITHUB.tokenRequestBodies()).hasSize(requests);
		Answer ceiling = send("GET", "/api/" + repository, "Bearer " + READER_KEY);
		assertThat(ceiling.status()).isEqualTo(200);
		assertThat(ceiling.head()).contains("\"permissions\":{\"contents\":\"read\"}");
		assertThat(TestEnvironment.GITHUB.tokenRequestBodies()).last()
			.isEqualTo(
					"{\"repositories\":[\"" + repository.substring(7) + "\"],\"permissions\":{\"contents\":\"read\"}}");
		// Asking for the ceiling itself is the same token.
		assertThat(send("GET", "/api/" + repository + "?permissions=contents:read", "Bearer " + READER_KEY).status())
			.isEqualTo(200);
		assertThat(TestEnvironment.GITHUB.tokenRequests(repository)).isEqualTo(1);
	}

	@Test
	void ownerTokenOfAllRepositoriesNeedsAGrantOfAllOfThem() throws IOException {
		assertThat(send("GET", "/api/packit", "Bearer " + RPMS_KEY).status()).isEqualTo(403);
		assertThat(send("GET", "/api/packit?repositories=ogr", "Bearer " + RPMS_KEY).status()).isEqualTo(403);
		String owner = TestEnvironment.uniqueRepository("x").substring(2);
		assertThat(send("GET", "/api/rpms?repositories=" + owner, "Bearer " + RPMS_KEY).status()).isEqualTo(200);
		assertThat(send("GET", "/api/rpms/", "Bearer " + RPMS_KEY).status()).isEqualTo(200);
	}

	@Test
	void healthAndProbesStayOpen() throws IOException {
		assertThat(send("GET", "/api/health", null).status()).isEqualTo(200);
		assertThat(send("GET", "/actuator/health/liveness", null).status()).isEqualTo(200);
		assertThat(send("GET", "/actuator/health/readiness", null).status()).isEqualTo(200);
	}

	@Test
	void refusalIsJsonWithTheBearerChallenge() throws IOException {
		Answer answer = send("GET", "/%61pi/packit/ogr", null);
		assertThat(answer.status()).isEqualTo(401);
		assertThat(answer.head()).containsIgnoringCase("WWW-Authenticate: Bearer")
			.containsIgnoringCase("Content-Type: application/json")
			.contains("{\"error\":\"Send a valid API key as 'Authorization: Bearer <key>'\"}");
	}

	private Answer send(String method, String path, String authorization) throws IOException {
		StringBuilder head = new StringBuilder(
				method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
		if (authorization != null) {
			head.append("Authorization: ").append(authorization).append("\r\n");
		}
		String body = method.equals("POST") ? "{\"access_token\":\"ghs_x\"}" : "";
		if (method.equals("POST")) {
			head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length()).append("\r\n");
		}
		String text = TestClient.raw(this.port, head + "\r\n", body, Duration.ZERO);
		int status = text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : 0;
		return new Answer(status, text);
	}

	private record Answer(int status, String head) {

	}

}
