package io.tokman.token;

import java.time.Duration;
import java.util.List;

import io.tokman.TestClient;
import io.tokman.TestEnvironment;
import io.tokman.TokmanTest;
import io.tokman.simulator.GitHubSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that collects tokens at its budget's pace cannot have them renewed for free:
 * every background renewal is charged to the client that asked, through the running
 * service, over several renew windows of short-lived tokens.
 */
@TokmanTest
@TestPropertySource(properties = { "tokman.token.refresh-ahead.interval=1h", "tokman.access.github-budget.mints=3" })
class BackgroundBudgetTests {

	private static final GitHubSimulator github = TestEnvironment.GITHUB;

	@LocalServerPort
	private int port;

	@Autowired
	private RefreshAhead refreshAhead;

	@AfterEach
	void restoreTokenLifetime() {
		github.tokenLifetime(Duration.ofHours(1));
	}

	@Test
	void clientOverItsBudgetHasNoTokenRenewedInTheBackground() {
		// A fresh budget period, and GitHub's tokens living 90 s: fresh for 30 s, then a
		// 60 s renew window, so five minutes are five renew windows.
		TestEnvironment.CLOCK.advance(Duration.ofHours(2));
		github.tokenLifetime(Duration.ofSeconds(90));
		List<String> collected = List.of(TestEnvironment.uniqueRepository("packit"),
				TestEnvironment.uniqueRepository("packit"), TestEnvironment.uniqueRepository("packit"));
		for (String repository : collected) {
			assertThat(TestClient.status(this.port, "/api/" + repository, null)).isEqualTo(200);
		}
		String fourth = TestEnvironment.uniqueRepository("packit");
		assertThat(TestClient.status(this.port, "/api/" + fourth, null)).isEqualTo(429);
		int due = 0;
		for (int second = 0; second < 300; second += 5) {
			TestEnvironment.CLOCK.advance(Duration.ofSeconds(5));
			due += this.refreshAhead.round();
		}
		// Rounds found the tokens due, and charged the client, whose budget was spent.
		assertThat(due).isPositive();
		assertThat(collected.stream().mapToInt(github::tokenRequests).sum()).isEqualTo(3);
		assertThat(github.tokenRequests(fourth)).isZero();
	}

}
