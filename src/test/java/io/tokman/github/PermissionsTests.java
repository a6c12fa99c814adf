package io.tokman.github;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PermissionsTests {

	@Test
	void equalSetsAreEqualWhateverTheOrderCaseSpacesOrRepeats() {
		Permissions one = Permissions.parse("pull_requests:write,contents:read");
		Permissions two = Permissions.parse(" Contents:READ , pull_requests:write,contents:read");
		assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
		assertThat(one.text()).isEqualTo("contents:read,pull_requests:write");
		assertThat(Permissions.stored(one.text())).isEqualTo(one);
	}

	@Test
	void blankAsksForTheInstallationsOwn() {
		assertThat(Permissions.parse(null)).isSameAs(Permissions.INSTALLATION);
		assertThat(Permissions.parse(" ")).isSameAs(Permissions.INSTALLATION);
		assertThat(Permissions.INSTALLATION.text()).isEmpty();
	}

	@Test
	void namesAndLevelsGitHubDoesNotHaveAreRefusedEchoingOnlyPrintableText() {
		assertThatExceptionOfType(InvalidPermissionsException.class)
			.isThrownBy(() -> Permissions.parse("contents:admin"))
			.withMessage("Invalid permissions: contents takes read or write, not 'admin'");
		assertThatExceptionOfType(InvalidPermissionsException.class)
			.isThrownBy(() -> Permissions.parse("workflows:read"))
			.withMessage("Invalid permissions: workflows takes write, not 'read'");
		assertThatExceptionOfType(InvalidPermissionsException.class)
			.isThrownBy(() -> Permissions.parse("con\ttents:read"))
			.withMessage("Invalid permissions: 'con?tents' is not a GitHub App permission");
		for (String malformed : List.of("contents", "contents:read:write", ",", "contents:read,", ":read")) {
			assertThatExceptionOfType(InvalidPermissionsException.class).as(malformed)
				.isThrownBy(() -> Permissions.parse(malformed));
		}
		assertThatExceptionOfType(InvalidPermissionsException.class)
			.isThrownBy(() -> Permissions.parse("contents:read,".repeat(300)));
		assertThat(Permissions.parse("repository_projects:admin").text()).isEqualTo("repository_projects:admin");
	}

	@Test
	void withinACeilingIsEachPermissionAtTheSameOrALowerLevel() {
		Permissions ceiling = Permissions.parse("contents:write,issues:read");
		assertThat(Permissions.parse("contents:read").within(ceiling)).isTrue();
		assertThat(Permissions.parse("contents:write,issues:read").within(ceiling)).isTrue();
		assertThat(Permissions.parse("issues:write").within(ceiling)).isFalse();
		assertThat(Permissions.parse("metadata:read").within(ceiling)).isFalse();
		// The installation's own permissions may exceed any ceiling.
		assertThat(Permissions.INSTALLATION.within(ceiling)).isFalse();
		assertThat(ceiling.within(Permissions.INSTALLATION)).isTrue();
	}

	@Test
	void grantedPermissionsKeepNamesGitHubAddedSince() {
		assertThat(Permissions.granted(Map.of("new_thing", "read", "contents", "read")).text())
			.isEqualTo("contents:read,new_thing:read");
		assertThat(Permissions.granted(null)).isSameAs(Permissions.INSTALLATION);
	}

	@Test
	void scopesOfTheSameTokenAreEqualInAnySpelling() {
		TokenScope one = TokenScope.owner("Packit", List.of("ogr", "Packit", "OGR"),
				Permissions.parse("contents:read"));
		TokenScope two = TokenScope.owner("packit", List.of("packit", "ogr"), Permissions.parse("contents:read"));
		assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
		assertThat(one.repositories()).containsExactly("ogr", "Packit");
		TokenScope repository = TokenScope.repository(new RepositoryName("Packit", "OGR"), Permissions.INSTALLATION,
				false);
		assertThat(TokenScope.repository(new RepositoryName("packit", "ogr"), Permissions.INSTALLATION, true))
			.isNotEqualTo(repository);
		assertThat(
				TokenScope.repository(new RepositoryName("packit", "ogr"), Permissions.parse("contents:read"), false))
			.isNotEqualTo(repository);
		assertThat(repository.toString()).isEqualTo("Packit/OGR");
	}

}
