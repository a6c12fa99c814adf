package io.tokman.access;

import java.util.List;

import io.tokman.config.InvalidSettingException;
import io.tokman.github.Permissions;
import io.tokman.github.RepositoryName;
import io.tokman.github.TokenScope;
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
	void ownerTokenOfAllRepositoriesNeedsAGlobOfAllOfThem() {
		TokenScope all = TokenScope.owner("packit", List.of(), Permissions.INSTALLATION);
		assertThat(new Grant(List.of("packit/*")).allows(all)).isTrue();
		assertThat(new Grant(List.of("Packit")).allows(all)).isTrue();
		assertThat(new Grant(List.of("pack*/*")).allows(all)).isTrue();
		assertThat(Grant.ALL.allows(all)).isTrue();
		assertThat(new Grant(List.of("packit/ogr", "packit/o*")).allows(all)).isFalse();
		assertThat(new Grant(List.of("rpms/*")).allows(all)).isFalse();
		TokenScope some = TokenScope.owner("packit", List.of("ogr", "packit"), Permissions.INSTALLATION);
		assertThat(new Grant(List.of("packit/ogr", "packit/packit")).allows(some)).isTrue();
		assertThat(new Grant(List.of("packit/ogr")).allows(some)).isFalse();
	}

	@Test
	void ceilingLimitsAskedPermissionsAndStandsInWhenNoneAreAsked() {
		Grant grant = new Grant(List.of("packit/*"), Permissions.parse("contents:write,issues:read"));
		assertThat(grant.limit(Permissions.INSTALLATION)).isEqualTo(Permissions.parse("contents:write,issues:read"));
		assertThat(grant.limit(Permissions.parse("contents:read"))).isEqualTo(Permissions.parse("contents:read"));
		assertThat(grant.limit(Permissions.parse("issues:write"))).isNull();
		assertThat(Grant.ALL.limit(Permissions.INSTALLATION)).isSameAs(Permissions.INSTALLATION);
		assertThat(grant.toString()).isEqualTo("Grant[packit/*] permissions=contents:write,issues:read");
	}

	@Test
	void ceilingThatIsNotGitHubsStopsStartup() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> Grant.ceiling("reader", "contents:everything"))
			.withMessageContaining("Client reader: Invalid permissions");
	}

	@Test
	void globThatCannotMatchAGitHubNameStopsStartup() {
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> new Grant(List.of("packit/a b")));
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> new Grant(List.of("a/b/c")));
	}

}
