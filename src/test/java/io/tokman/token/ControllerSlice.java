package io.tokman.token;

import io.tokman.access.AccessSlice;
import io.tokman.github.GitHubApps;
import io.tokman.github.TestGitHub;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * What {@link TokenController} needs beside the service, which its slice tests mock: the
 * access policy, the audit trail and the report reader, on their settings, and the App.
 */
@TestConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties(TokenProperties.class)
@Import({ AccessSlice.class, TokenAudit.class, BodyReader.class })
class ControllerSlice {

	/** One App, which the slice tests never call: their service is a mock. */
	@Bean
	GitHubApps gitHubApps() {
		return TestGitHub.unreachable();
	}

}
