package io.tokman.github;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class GitHubAppsTests {

	private final GitHubApps apps = new GitHubApps(null, "424242", null,
			List.of(new GitHubApps.App("777", GitHubApps.owners(List.of("tenant-*", "acme")), null, null, null),
					new GitHubApps.App("888", GitHubApps.owners(List.of("tenant-b?", "staging")), null, null, null)));

	@Test
	void theFirstAppWhoseOwnerGlobsMatchMintsAndEveryOtherOwnerGoesToTheOriginalSettingsApp() {
		assertThat(route("tenant-a").app()).isEqualTo("777");
		assertThat(route("Tenant-B1").app()).as("globs match any case; the first App wins").isEqualTo("777");
		assertThat(route("ACME").app()).isEqualTo("777");
		assertThat(route("staging").app()).isEqualTo("888");
		assertThat(route("acme-corp").app()).as("a glob matches the whole name").isEmpty();
		assertThat(route("packit").app()).isEmpty();
	}

	@Test
	void scopesOfTwoAppsAreTwoTokensAndLogsNameTheApp() {
		TokenScope scope = TokenScope.repository(new RepositoryName("tenant-a", "ogr"), Permissions.INSTALLATION,
				false);
		assertThat(this.apps.route(scope)).isNotEqualTo(scope).isEqualTo(this.apps.route(scope));
		assertThat(this.apps.route(scope)).hasToString("tenant-a/ogr (App 777)");
		assertThat(this.apps.name("")).isEqualTo("424242");
		assertThat(this.apps.name("777")).isEqualTo("777");
	}

	@Test
	void eachAppsWebhookSecretVerifiesItsOwnDeliveries(@TempDir Path directory) throws IOException {
		WebhookSecret primary = WebhookSecret.read(Files.writeString(directory.resolve("primary"), "primary-secret"),
				"GITHUB_WEBHOOK_SECRET_FILE");
		WebhookSecret tenants = WebhookSecret.read(Files.writeString(directory.resolve("tenants"), "tenant-secret"),
				"tokman.apps[0].webhook-secret-file");
		GitHubApps apps = new GitHubApps(null, "424242", primary,
				List.of(new GitHubApps.App("777", GitHubApps.owners(List.of("tenant-*")), null, null, tenants),
						new GitHubApps.App("888", GitHubApps.owners(List.of("staging")), null, null, null)));
		byte[] body = "{\"action\":\"deleted\"}".getBytes(StandardCharsets.UTF_8);
		assertThat(apps.webhooks()).isTrue();
		assertThat(apps.signedBy(body, WebhookSecretTests.signature("primary-secret", body))).contains("");
		assertThat(apps.signedBy(body, WebhookSecretTests.signature("tenant-secret", body))).contains("777");
		assertThat(apps.signedBy(body, WebhookSecretTests.signature("staging-secret", body))).isEmpty();
		assertThat(this.apps.webhooks()).as("no App has a secret").isFalse();
	}

	private TokenScope route(String owner) {
		return this.apps.route(TokenScope.owner(owner, List.of(), Permissions.INSTALLATION));
	}

}
