package io.tokman.token;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tokman.TestClient;
import io.tokman.TestEnvironment;
import io.tokman.TokmanTest;
import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GitHub failing for a while under a running tokman, with workers asking all along and
 * the background renewing: the tokens held are served, and GitHub is called a few times
 * per repository, not at every request and every round with every retry.
 */
@TokmanTest
@TestPropertySource(properties = "tokman.github.circuit-pause=30s")
@DirtiesContext
class GitHubOutageTests {

	private static final int REPOSITORIES = 20;

	private static final OkHttpClient http = new OkHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private RefreshAhead refreshAhead;

	@Autowired
	private MeterRegistry registry;

	@Test
	void outageCostsGitHubAFewCallsPerRepositoryWhileTheTokensHeldAreServed() throws IOException {
		List<String> repositories = new ArrayList<>();
		Map<String, String> tokens = new HashMap<>();
		for (int i = 0; i < REPOSITORIES; i++) {
			String repository = TestEnvironment.uniqueRepository("outage");
			repositories.add(repository);
			tokens.put(repository, TestClient.token(this.port, repository));
		}
		// A second into the renew window (the default 60 s before the hour's end), where
		// the background renews and requests are still served the token held.
		TestEnvironment.CLOCK.advance(Duration.ofHours(1).minusSeconds(59));
		repositories.forEach((repository) -> TestEnvironment.GITHUB.fail(repository, 500));
		int before = TestEnvironment.GITHUB.totalTokenRequests();
		try {
			// 55 s of outage, a round and a request per repository every second; the
			// tokens expire at 59 s.
			for (int second = 0; second < 55; second++) {
				this.refreshAhead.round();
				for (String repository : repositories) {
					assertThat(TestClient.token(this.port, repository)).as("%s at %d s", repository, second)
						.isEqualTo(tokens.get(repository));
				}
				if (second == 10) {
					assertThat(this.registry.get("tokman.renewals.backing.off").gauge().value())
						.isEqualTo(REPOSITORIES);
					assertThat(this.registry.get("tokman.github.circuit.open").gauge().value()).isEqualTo(1);
					newRepositoryIsToldWhenToComeBack();
				}
				TestEnvironment.CLOCK.advance(Duration.ofSeconds(1));
			}
		}
		finally {
			repositories.forEach(TestEnvironment.GITHUB::heal);
		}
		int calls = TestEnvironment.GITHUB.totalTokenRequests() - before;
		System.out.printf("GitHub answering 500 for 55 s, %d repositories: %d token requests%n", REPOSITORIES, calls);
		// At most one a repository in that minute, in all.
		assertThat(calls).isLessThanOrEqualTo(REPOSITORIES);
		for (String repository : repositories) {
			assertThat(TestEnvironment.GITHUB.tokenRequests(repository)).as(repository).isLessThanOrEqualTo(1 + 3);
		}
		// GitHub back: the next requests, past the circuit's pause, get new tokens, one
		// mint each.
		TestEnvironment.CLOCK.advance(Duration.ofSeconds(31));
		for (String repository : repositories) {
			int asked = TestEnvironment.GITHUB.tokenRequests(repository);
			assertThat(TestClient.token(this.port, repository)).isNotEqualTo(tokens.get(repository));
			assertThat(TestEnvironment.GITHUB.tokenRequests(repository)).isEqualTo(asked + 1);
		}
	}

	/** A repository without a token: a 503 in words, with Retry-After, and no call. */
	private void newRepositoryIsToldWhenToComeBack() throws IOException {
		int lookups = TestEnvironment.GITHUB.installationLookups();
		Request request = new Request.Builder()
			.url("http://127.0.0.1:" + this.port + "/api/" + TestEnvironment.uniqueRepository("outage"))
			.build();
		try (Response response = http.newCall(request).execute()) {
			assertThat(response.code()).isEqualTo(503);
			assertThat(Long.parseLong(response.header("Retry-After"))).isBetween(1L, 30L);
			assertThat(response.body().string()).contains("GitHub failed most of the last calls")
				.doesNotContainPattern("[A-Z][a-z]+Exception");
		}
		assertThat(TestEnvironment.GITHUB.installationLookups()).isEqualTo(lookups);
	}

}
