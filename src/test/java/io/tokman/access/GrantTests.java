package io.tokman.access;

import java.util.List;

import io.tokman.config.InvalidSettingException;
import io.tokman.github.RepositoryName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class GrantTests {

	@Test
	void globsMatchNamespaceAndRepositoryCaseInsensitively() {
		Grant grant = new Grant(List.of("packit/*", "rpms/python-*", "Someone/exact.repo"));
		assertThat(grant.allows(new RepositoryName("Packit", "OGR"))).isTrue();
		assertThat(grant.allows(new RepositoryName("rpms", "python-requests"))).isTrue();
		assertThat(grant.allows(new RepositoryName("rpms", "golang"))).isFalse();
		assertThat(grant.allows(new RepositoryName("someone", "EXACT.repo"))).isTrue();
		assertThat(grant.allows(new RepositoryName("someone", "exactXrepo"))).isFalse();
		assertThat(grant.allows(new RepositoryName("packit-extra", "ogr"))).isFalse();
	}

	@Test
	void bareNamespaceMeansAllItsRepositoriesAndNoGlobMeansNone() {
		assertThat(new Grant(List.of("packit")).allows(new RepositoryName("packit", "ogr"))).isTrue();
		assertThat(new Grant(List.of("packit")).allows(new RepositoryName("packitx", "ogr"))).isFalse();
		assertThat(Grant.ALL.allows(new RepositoryName("anyone", "anything"))).isTrue();
		assertThat(Grant.NONE.allows(new RepositoryName("anyone", "anything"))).isFalse();
	}

	@Test
	void globThatCannotMatchAGitHubNameStopsStartup() {
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> new Grant(List.of("packit/a b")));
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> new Grant(List.of("a/b/c")));
	}

}
