package io.tokman.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AppSettingsTests {

	@Test
	void appsAreBoundInTheirOrder() {
		MockEnvironment environment = new MockEnvironment().withProperty("tokman.apps[0].id", "777")
			.withProperty("tokman.apps[0].private-key", "/secrets/tenants")
			.withProperty("tokman.apps[0].owners[0]", "tenant-*")
			.withProperty("tokman.apps[0].owners[1]", "Acme")
			.withProperty("tokman.apps[1].id", "Iv23liExample123")
			.withProperty("tokman.apps[1].private-key", "/secrets/staging.pem")
			.withProperty("tokman.apps[1].owners[0]", "staging")
			.withProperty("tokman.apps[1].github-api-url", "https://ghes.example/api/v3");
		List<AppSettings.App> apps = AppSettings.bind(environment, "424242").apps();
		assertThat(apps).containsExactly(
				new AppSettings.App("777", Path.of("/secrets/tenants"), List.of("tenant-*", "Acme"), null, null, null),
				new AppSettings.App("Iv23liExample123", Path.of("/secrets/staging.pem"), List.of("staging"),
						URI.create("https://ghes.example/api/v3"), null, null));
	}

	@Test
	void noneUnlessSet() {
		assertThat(AppSettings.bind(new MockEnvironment(), "424242").apps()).isEmpty();
	}

	@Test
	void aMisspeltKeyStopsStartupNamingIt() {
		MockEnvironment environment = app().withProperty("tokman.apps[0].owner[0]", "tenant-*");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> AppSettings.bind(environment, "424242"))
			.withMessageContaining("tokman.apps");
	}

	@Test
	void anAppWithoutOwnersOrKeyOrWithAnOwnerThatIsNoNameStopsStartupNamingTheSetting() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> AppSettings.bind(new MockEnvironment().withProperty("tokman.apps[0].id", "777")
				.withProperty("tokman.apps[0].private-key", "/k.pem"), "424242"))
			.withMessageContaining("tokman.apps[0].owners must list");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> AppSettings.bind(new MockEnvironment().withProperty("tokman.apps[0].id", "777")
				.withProperty("tokman.apps[0].owners[0]", "tenant"), "424242"))
			.withMessageContaining("tokman.apps[0].private-key must be set");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> AppSettings.bind(app().withProperty("tokman.apps[0].owners[1]", "packit/ogr"), "424242"))
			.withMessageContaining("tokman.apps[0].owners has 'packit/ogr'");
	}

	@Test
	void anAppListedTwiceOrAsTheOriginalSettingsAppStopsStartup() {
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> AppSettings.bind(app(), "777"))
			.withMessageContaining("tokman.apps[0].id is 777, an App already listed or named by GITHUB_APP_ID");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> AppSettings.bind(app().withProperty("tokman.apps[0].id", "placeholder"), "424242"))
			.withMessageContaining("tokman.apps[0].id is 'placeholder'");
	}

	private static MockEnvironment app() {
		return new MockEnvironment().withProperty("tokman.apps[0].id", "777")
			.withProperty("tokman.apps[0].private-key", "/secrets/tenants")
			.withProperty("tokman.apps[0].owners[0]", "tenant-*");
	}

}
