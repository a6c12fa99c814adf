package io.tokman;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;

import io.tokman.simulator.GitHubSimulator;
import io.tokman.simulator.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Apps in one tokman: the tenants' App (777, owners {@code tenant-*}) and the App the
 * original settings name, for every other owner; each mints with its own JWT, keeps its
 * own rows and its own rate-limit state.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "tokman.github.circuit-pause=0", "tokman.access.github-budget.mints=0" })
@ContextConfiguration(initializers = SeveralAppsTests.TenantApp.class)
@Import(TokmanTest.TestClock.class)
@ExtendWith(OutputCaptureExtension.class)
class SeveralAppsTests {

	private static final String TENANTS = "777";

	private static final KeyPair TENANTS_KEY = TestKeys.generate();

	private static final GitHubSimulator GITHUB = TestEnvironment.GITHUB;

	@LocalServerPort
	private int port;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void eachOwnerIsServedByItsAppWithItsOwnJwtAndRowAndTheAuditNamesTheApp(CapturedOutput output) throws IOException {
		int byTenants = GITHUB.tokenRequestsBy(TENANTS);
		int byOriginal = GITHUB.tokenRequestsBy(TestEnvironment.APP_ID);
		String tenant = TestEnvironment.uniqueRepository("tenant-a");
		String packit = TestEnvironment.uniqueRepository("packit");
		TestClient.token(this.port, tenant);
		TestClient.token(this.port, packit);
		assertThat(GITHUB.tokenRequestsBy(TENANTS)).isEqualTo(byTenants + 1);
		assertThat(GITHUB.tokenRequestsBy(TestEnvironment.APP_ID)).isEqualTo(byOriginal + 1);
		assertThat(app(tenant)).isEqualTo(TENANTS);
		assertThat(app(packit)).as("the original settings' App").isEmpty();
		assertThat(output).containsPattern("repository=" + tenant.toLowerCase() + " .* app=" + TENANTS)
			.containsPattern("repository=" + packit.toLowerCase() + " .* app=" + TestEnvironment.APP_ID);
	}

	@Test
	void anAppsRateLimitHoldsBackThatAppAlone() {
		String tenant = TestEnvironment.uniqueRepository("tenant-b");
		GITHUB.limit(TENANTS, true);
		try {
			assertThat(TestClient.status(this.port, "/api/" + tenant, null)).isEqualTo(503);
			assertThat(TestClient.status(this.port, "/api/" + TestEnvironment.uniqueRepository("packit"), null))
				.isEqualTo(200);
		}
		finally {
			GITHUB.limit(TENANTS, false);
		}
		// GitHub's wait (a minute) is remembered for that App: not asked before it ends.
		int byTenants = GITHUB.tokenRequestsBy(TENANTS);
		assertThat(TestClient.status(this.port, "/api/" + TestEnvironment.uniqueRepository("tenant-c"), null))
			.isEqualTo(503);
		assertThat(GITHUB.tokenRequestsBy(TENANTS)).isEqualTo(byTenants);
		TestEnvironment.CLOCK.advance(Duration.ofSeconds(61));
		assertThat(TestClient.status(this.port, "/api/" + tenant, null)).isEqualTo(200);
		assertThat(GITHUB.tokenRequestsBy(TENANTS)).isEqualTo(byTenants + 1);
	}

	private String app(String repository) {
		String[] name = repository.toLowerCase().split("/");
		return this.jdbc.queryForObject("SELECT app FROM tokens WHERE owner = ? AND repositories = ?", String.class,
				name[0], name[1]);
	}

	/**
	 * The shared test settings, and the tenants' App's key, which the simulator knows.
	 */
	static class TenantApp implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			Path key = TestKeys.writePkcs1(TENANTS_KEY,
					TestEnvironment.DIRECTORY.resolve("tenants-app-" + System.nanoTime() + ".pem"));
			GITHUB.addKey(TENANTS, TENANTS_KEY.getPublic());
			TestPropertyValues.of(TestEnvironment.properties(TestEnvironment.newDatabase()))
				// A list is taken whole from one source: every key of its entries here.
				.and("tokman.apps[0].id=" + TENANTS, "tokman.apps[0].owners[0]=tenant-*",
						"tokman.apps[0].private-key=" + key)
				.applyTo(context);
		}

	}

}
