package io.tokman.github;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RepositoryNameTests {

	@ParameterizedTest
	@CsvSource({ "packit, ogr", "Packit-Service, packit.dev", "a, _", "x, a..b", "0, .github", "a-b, -", "x, ..a" })
	void gitHubNamesAreAccepted(String namespace, String repository) {
		assertThat(new RepositoryName(namespace, repository)).hasToString(namespace + "/" + repository);
	}

	@ParameterizedTest
	@CsvSource(value = { "'', ogr", "pack_it, ogr", "pack/it, ogr", "packit, ''", "packit, .", "packit, ..",
			"packit, og/r", "packit, og r", "packit, og%2Fr", "packit, og\u0000r", "-, ogr", "-packit, ogr",
			"packit-, ogr", "packit, ...", "packit, ....." })
	void otherNamesAreRejected(String namespace, String repository) {
		assertThatExceptionOfType(InvalidRepositoryNameException.class)
			.isThrownBy(() -> new RepositoryName(namespace, repository));
	}

	@Test
	void longestNamesAreAcceptedAndOneMoreIsNot() {
		new RepositoryName("n".repeat(39), "r".repeat(100));
		assertThatExceptionOfType(InvalidRepositoryNameException.class)
			.isThrownBy(() -> new RepositoryName("n".repeat(40), "r"));
		assertThatExceptionOfType(InvalidRepositoryNameException.class)
			.isThrownBy(() -> new RepositoryName("n", "r".repeat(101)));
	}

	@Test
	void scopeIgnoresCaseAsGitHubDoes() {
		assertThat(TokenScope.repository(new RepositoryName("Packit", "OGR"), Permissions.INSTALLATION, false))
			.isEqualTo(TokenScope.repository(new RepositoryName("packit", "ogr"), Permissions.INSTALLATION, false));
	}

}
