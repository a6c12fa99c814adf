package io.tokman;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import io.tokman.simulator.GitHubSimulator;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Least privilege and lifetime, end to end over a real socket against the simulator,
 * which enforces a token's scope as GitHub does: tokens limited to the repository and to
 * the permissions asked for, one token per permission set, {@code min_ttl}, owner tokens.
 */
@TokmanTest
@ExtendWith(ResetTestClock.class)
class ScopedTokenTests {

	private static final OkHttpClient http = new OkHttpClient();

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final GitHubSimulator github = TestEnvironment.GITHUB;

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry registry;

	@Test
	void tokenForOneRepositoryIsRefusedOnAnother() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		String token = token("/api/" + repository).path("access_token").asString();
		assertThat(useOnGitHub("GET", repository, token)).isEqualTo(200);
		assertThat(useOnGitHub("GET", TestEnvironment.uniqueRepository("packit"), token)).isEqualTo(404);
		assertThat(github.tokenRequestBodies()).contains("{\"repositories\":[\"" + repository.substring(7) + "\"]}");
	}

	@Test
	void readOnlyTokenCannotWriteAndItsAnswerSaysSo() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		JsonNode answer = token("/api/" + repository + "?permissions=contents:read");
		String token = answer.path("access_token").asString();
		assertThat(useOnGitHub("GET", repository, token)).isEqualTo(200);
		assertThat(useOnGitHub("PUT", repository, token)).isEqualTo(403);
		assertThat(answer.path("permissions").toString()).isEqualTo("{\"contents\":\"read\"}");
		assertThat(answer.path("repository_selection").asString()).isEqualTo("selected");
		assertThat(Instant.parse(answer.path("expires_at").asString()))
			.isEqualTo(TestEnvironment.CLOCK.instant().plus(Duration.ofHours(1)));
		// The default token of the same repository may write.
		String full = token("/api/" + repository).path("access_token").asString();
		assertThat(useOnGitHub("PUT", repository, full)).isEqualTo(200);
	}

	@Test
	void equalPermissionSetsShareOneTokenInAnyOrderOrSpelling() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		String first = token("/api/" + repository + "?permissions=pull_requests:write,contents:read")
			.path("access_token")
			.asString();
		assertThat(token("/api/" + repository + "?permissions=contents:read,%20Pull_Requests:WRITE,contents:read")
			.path("access_token")
			.asString()).isEqualTo(first);
		assertThat(github.tokenRequests(repository)).isEqualTo(1);
	}

	@Test
	void unknownPermissionOrLevelIs400WithoutCallingGitHub() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		int lookups = github.installationLookups();
		assertThat(status("/api/" + repository + "?permissions=contents:execute"))
			.isEqualTo("400 {\"error\":\"Invalid permissions: contents takes read or write, not 'execute'\"}");
		assertThat(status("/api/" + repository + "?permissions=telepathy:read"))
			.isEqualTo("400 {\"error\":\"Invalid permissions: 'telepathy' is not a GitHub App permission\"}");
		assertThat(status("/api/" + repository + "?permissions=contents")).startsWith("400 ");
		assertThat(status("/api/" + repository + "?permissions=contents:read,contents:write"))
			.isEqualTo("400 {\"error\":\"Invalid permissions: contents asked for as both read and write\"}");
		assertThat(github.installationLookups()).isEqualTo(lookups);
		assertThat(github.tokenRequests(repository)).isZero();
	}

	@Test
	void permissionTheInstallationLacksIs403WithGitHubsReason() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		assertThat(status("/api/" + repository + "?permissions=administration:write"))
			.isEqualTo("403 {\"error\":\"Failed to retrieve a token: GitHub refused a token for " + repository
					+ " [administration:write]: The permissions requested are not granted to this installation.\"}");
	}

	@Test
	void threePermissionSetsTimesFiftyConcurrentRequestsMintThreeTokens() throws Exception {
		String repository = TestEnvironment.uniqueRepository("packit");
		List<String> paths = new ArrayList<>();
		for (String permissions : List.of("contents:read", "contents:write", "issues:write,metadata:read")) {
			paths.addAll(Collections.nCopies(50, repository + "?permissions=" + permissions));
		}
		Collections.shuffle(paths);
		// The first request of each set holds the simulator; the other 147 wait on
		// their set's lock, all at once.
		Set<String> tokens = TestClient.whileHeld(repository, this::waiting, 147,
				() -> TestClient.herd(List.of(this.port), paths));
		assertThat(tokens).hasSize(3);
		assertThat(github.tokenRequests(repository)).isEqualTo(3);
	}

	@Test
	void minTtlRenewsAHeldTokenThatExpiresTooSoonOnceForEveryone() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		String first = token("/api/" + repository).path("access_token").asString();
		TestEnvironment.CLOCK.advance(Duration.ofMinutes(50));
		// 10 minutes left: enough for a caller that needs none, too little for 20m.
		assertThat(token("/api/" + repository).path("access_token").asString()).isEqualTo(first);
		JsonNode renewed = token("/api/" + repository + "?min_ttl=20m");
		assertThat(renewed.path("access_token").asString()).isNotEqualTo(first);
		assertThat(Instant.parse(renewed.path("expires_at").asString()))
			.isAfterOrEqualTo(TestEnvironment.CLOCK.instant().plus(Duration.ofMinutes(20)));
		assertThat(token("/api/" + repository + "?min_ttl=1200").path("access_token").asString())
			.isEqualTo(renewed.path("access_token").asString());
		assertThat(token("/api/" + repository).path("access_token").asString())
			.isEqualTo(renewed.path("access_token").asString());
		assertThat(github.tokenRequests(repository)).isEqualTo(2);
	}

	@Test
	void minTtlBeyondWhatANewTokenCanMeetOrNotADurationIs400WithoutCallingGitHub() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		int lookups = github.installationLookups();
		assertThat(status("/api/" + repository + "?min_ttl=60m")).isEqualTo(
				"400 {\"error\":\"Invalid min_ttl: at most 3540 s, GitHub's token lifetime less the renew margin\"}");
		assertThat(status("/api/" + repository + "?min_ttl=soon"))
			.isEqualTo("400 {\"error\":\"Invalid min_ttl: give seconds (1200) or a duration (20m)\"}");
		assertThat(status("/api/" + repository + "?min_ttl=-5")).startsWith("400 ");
		assertThat(github.installationLookups()).isEqualTo(lookups);
	}

	@Test
	void ownerTokenCoversTheRepositoriesAskedForAndNoOther() throws IOException {
		String owner = "owner-" + TestEnvironment.uniqueRepository("x").substring(7);
		JsonNode answer = token("/api/" + owner + "?repositories=b,a,B");
		String token = answer.path("access_token").asString();
		assertThat(answer.path("namespace").asString()).isEqualTo(owner);
		assertThat(answer.has("repository")).isFalse();
		assertThat(answer.path("repositories").toString()).isEqualTo("[\"a\",\"b\"]");
		assertThat(answer.path("repository_selection").asString()).isEqualTo("selected");
		assertThat(useOnGitHub("GET", owner + "/a", token)).isEqualTo(200);
		assertThat(useOnGitHub("GET", owner + "/b", token)).isEqualTo(200);
		assertThat(useOnGitHub("GET", owner + "/c", token)).isEqualTo(404);
		// The same set in another order is the same token.
		assertThat(token("/api/" + owner + "/?repositories=a,b").path("access_token").asString()).isEqualTo(token);
		assertThat(github.tokenRequests(owner + "/a")).isEqualTo(1);
	}

	@Test
	void ownerTokenWithoutRepositoriesCoversTheWholeInstallation() throws IOException {
		String owner = "owner-" + TestEnvironment.uniqueRepository("x").substring(7);
		JsonNode answer = token("/api/" + owner + "?permissions=contents:read");
		assertThat(answer.path("repository_selection").asString()).isEqualTo("all");
		assertThat(answer.has("repositories")).isFalse();
		assertThat(useOnGitHub("GET", owner + "/anything", answer.path("access_token").asString())).isEqualTo(200);
		assertThat(github.tokenRequests(owner + "/*")).isEqualTo(1);
	}

	@Test
	void ownerNamedHealthIsAskedForWithATrailingSlash() throws IOException {
		assertThat(status("/api/health")).isEqualTo("200 {\"message\":\"ok\"}");
		assertThat(token("/api/health/").path("namespace").asString()).isEqualTo("health");
	}

	@Test
	void tooManyRepositoriesOrAnInvalidNameIs400WithoutCallingGitHub() throws IOException {
		int lookups = github.installationLookups();
		StringBuilder many = new StringBuilder("r0");
		for (int i = 1; i <= 500; i++) {
			many.append(",r").append(i);
		}
		assertThat(status("/api/packit?repositories=" + many)).isEqualTo(
				"400 {\"error\":\"Invalid repositories: at most 500 repositories per token, as GitHub allows\"}");
		assertThat(status("/api/packit?repositories=a,..")).startsWith("400 {\"error\":\"Invalid repository");
		assertThat(status("/api/-packit")).startsWith("400 {\"error\":\"Invalid namespace");
		assertThat(github.installationLookups()).isEqualTo(lookups);
	}

	@Test
	void invalidatingOnePermissionSetsTokenLeavesTheOthers() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		String read = token("/api/" + repository + "?permissions=contents:read").path("access_token").asString();
		String full = token("/api/" + repository).path("access_token").asString();
		RequestBody report = RequestBody.create("{\"access_token\":\"" + read + "\"}",
				MediaType.get("application/json"));
		try (Response response = http
			.newCall(new Request.Builder().url(url("/api/" + repository + "/invalidate?permissions=contents:read"))
				.post(report)
				.build())
			.execute()) {
			assertThat(response.code()).isEqualTo(200);
			assertThat(json.readTree(response.body().string()).path("access_token").asString()).isNotEqualTo(read);
		}
		assertThat(token("/api/" + repository).path("access_token").asString()).isEqualTo(full);
		assertThat(github.tokenRequests(repository)).isEqualTo(3);
	}

	@Test
	void ownerTokenIsInvalidatedByItsOwnReport() throws IOException {
		String owner = "owner-" + TestEnvironment.uniqueRepository("x").substring(7);
		String held = token("/api/" + owner + "?repositories=a").path("access_token").asString();
		String whole = token("/api/" + owner).path("access_token").asString();
		RequestBody report = RequestBody.create("{\"access_token\":\"" + held + "\"}",
				MediaType.get("application/json"));
		try (Response response = http
			.newCall(
					new Request.Builder().url(url("/api/" + owner + "/invalidate?repositories=a")).post(report).build())
			.execute()) {
			assertThat(response.code()).isEqualTo(200);
			assertThat(json.readTree(response.body().string()).path("access_token").asString()).isNotEqualTo(held);
		}
		assertThat(token("/api/" + owner).path("access_token").asString()).isEqualTo(whole);
		assertThat(github.tokenRequests(owner + "/a")).isEqualTo(2);
	}

	@Test
	void auditLineSaysWhatTheTokenMayDo() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		token("/api/" + repository + "?permissions=contents:read");
		assertThat(Files.readString(TestEnvironment.LOG))
			.contains("repository=" + repository + " outcome=minted expires_at=")
			.contains("kind=repository repositories= permissions=contents:read");
	}

	private int waiting() {
		return (int) this.registry.get("tokman.renewals.waiting").gauge().value();
	}

	private JsonNode token(String path) throws IOException {
		try (Response response = http.newCall(new Request.Builder().url(url(path)).build()).execute()) {
			String body = response.body().string();
			assertThat(response.code()).as(body).isEqualTo(200);
			return json.readTree(body);
		}
	}

	private String status(String path) throws IOException {
		try (Response response = http.newCall(new Request.Builder().url(url(path)).build()).execute()) {
			return response.code() + " " + response.body().string();
		}
	}

	/** The status GitHub answers the token on the repository's contents. */
	private static int useOnGitHub(String method, String repository, String token) throws IOException {
		Request.Builder request = new Request.Builder()
			.url(TestEnvironment.apiUrl() + "repos/" + repository + "/contents/README.md")
			.header("Authorization", "token " + token);
		request = method.equals("GET") ? request.get()
				: request.put(RequestBody.create("{}", MediaType.get("application/json")));
		try (Response response = http.newCall(request.build()).execute()) {
			return response.code();
		}
	}

	private String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

}
