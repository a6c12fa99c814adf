package io.tokman.token;

import java.io.IOException;
import java.time.Duration;

import io.tokman.TestClient;
import io.tokman.TestEnvironment;
import io.tokman.TokmanTest;
import io.tokman.simulator.GitHubSimulator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With refresh-ahead off, a request anywhere in the renew window renews the token itself.
 */
@TokmanTest
@TestPropertySource(properties = "tokman.token.refresh-ahead.enabled=false")
class RefreshAheadDisabledTests {

	private static final GitHubSimulator github = TestEnvironment.GITHUB;

	@LocalServerPort
	private int port;

	@Test
	void requestEarlyInTheRenewWindowRenewsTheTokenItself() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		github.latency(Duration.ZERO);
		String first = TestClient.token(this.port, repository);
		TestEnvironment.CLOCK.advance(Duration.ofMinutes(59).plusSeconds(1));
		assertThat(TestClient.token(this.port, repository)).isNotEqualTo(first);
		assertThat(github.tokenRequests(repository)).isEqualTo(2);
	}

}
