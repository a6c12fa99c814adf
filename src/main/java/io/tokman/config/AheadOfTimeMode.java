package io.tokman.config;

import org.apache.commons.logging.Log;

import org.springframework.aot.AotDetector;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Keeps every documented setting working in Spring's AOT mode
 * ({@code spring.aot.enabled}, as the image starts), whose bean definitions were fixed
 * when the jar was built. The one setting they cannot follow is
 * {@code management.server.port}: Actuator on a port of its own needs a second context
 * that the build did not prepare, and AOT mode would silently serve Actuator on the API's
 * port instead. With one set, tokman starts in the regular mode, a little slower, and
 * says so.
 */
final class AheadOfTimeMode implements EnvironmentPostProcessor, Ordered {

	private final Log log;

	AheadOfTimeMode(DeferredLogFactory logs) {
		this.log = logs.getLog(AheadOfTimeMode.class);
	}

	@Override
	public int getOrder() {
		// After TOKMAN_CONFIG is loaded, since it may set the port.
		return LegacySettings.ORDER + 1;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (AotDetector.useGeneratedArtifacts()
				&& ManagementPortType.get(environment) == ManagementPortType.DIFFERENT) {
			// Read when the application context is created, which is after this.
			System.setProperty(AotDetector.AOT_ENABLED, "false");
			this.log.info("management.server.port is set: starting in Spring's regular mode, as its AOT mode serves "
					+ "Actuator on the API's port only");
		}
	}

}
