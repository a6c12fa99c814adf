package io.tokman;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tokman.simulator.GitHubSimulator;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every token the simulator minted, every JWT it received and every credential a test
 * sent tokman (API keys, OIDC tokens) in this JVM is looked for in everything this test
 * run logged, debug output of Spring MVC and tokman included. A truncated or partial
 * secret counts too: any run of {@value #FRAGMENT} characters of one. It makes traffic of
 * its own, so it means something run alone; in Surefire's and Failsafe's runs it goes
 * last (junit-platform.properties), so it covers every class before it.
 */
@TokmanTest
@Order(Integer.MAX_VALUE)
class LogLeakTests {

	private static final int FRAGMENT = 16;

	@LocalServerPort
	private int port;

	@Test
	void noTokenOrJwtNorAnyPartOfOneAppearsInTheLogOfThisRun() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		String token = TestClient.token(this.port, repository);
		String renewed = TestClient.invalidate(this.port, repository, token);
		assertThat(GitHubSimulator.SECRETS).as("secrets handled").contains(token, renewed);
		String log = Files.readString(TestEnvironment.LOG);
		assertThat(log).as("the run's log").contains("Minted a token for " + repository).contains("Writing [");
		assertThat(leaks(log, GitHubSimulator.SECRETS)).isEmpty();
		assertThat(leaks(log, TestEnvironment.CREDENTIALS)).as("API keys and OIDC tokens").isEmpty();
	}

	@Test
	void aTruncatedTokenInTheLogIsFound() {
		String token = "ghs_0EI-Yn0VFUlb4Iad5abR5wceBTxyz.abc";
		assertThat(leaks("Writing [accessToken=ghs_0EI-Yn0VFUlb4Iad (truncated)...]", Set.of(token))).isNotEmpty();
		assertThat(leaks("Writing [accessToken=<redacted>]", Set.of(token))).isEmpty();
	}

	private static List<String> leaks(String log, Set<String> secrets) {
		Set<String> fragments = new HashSet<>();
		for (String secret : secrets) {
			for (int i = 0; i + FRAGMENT <= secret.length(); i++) {
				fragments.add(secret.substring(i, i + FRAGMENT));
			}
		}
		List<String> found = new ArrayList<>();
		Matcher words = Pattern.compile("[A-Za-z0-9_.+/=-]{" + FRAGMENT + ",}").matcher(log);
		while (words.find()) {
			String word = words.group();
			for (int i = 0; i + FRAGMENT <= word.length(); i++) {
				if (fragments.contains(word.substring(i, i + FRAGMENT))) {
					found.add(word);
					break;
				}
			}
		}
		return found;
	}

}
