package io.tokman;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tokman.simulator.GitHubSimulator;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs last (see junit-platform.properties): every token the simulator minted and every
 * JWT it received during the whole suite is looked for in everything the suite logged,
 * debug output of Spring MVC and tokman included. A truncated or partial secret counts
 * too: any run of {@value #FRAGMENT} characters of one.
 */
@Order(Integer.MAX_VALUE)
class LogLeakTests {

	private static final int FRAGMENT = 16;

	private static final Path LOG = Path.of("target", "test-run", "tokman-tests.log");

	@Test
	void noTokenOrJwtNorAnyPartOfOneAppearsInTheLogOfTheWholeSuite() throws IOException {
		assertThat(GitHubSimulator.SECRETS).as("secrets the suite handled").hasSizeGreaterThan(10);
		String log = Files.readString(LOG);
		assertThat(log).as("the suite's log").contains("Minted a token for").contains("Writing [");
		assertThat(leaks(log, GitHubSimulator.SECRETS)).isEmpty();
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
